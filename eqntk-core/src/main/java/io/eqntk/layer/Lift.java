package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.Padding;
import io.eqntk.model.Parameterization;
import io.eqntk.model.Subsampling;
import io.eqntk.group.PointGroup;

/** The lifting convolution, image -> functions on group x grid: {@code lift(GROUP, q, PAD, w=, b=)}. */
public final class Lift extends StencilLayer {
    private final PointGroup group;

    public Lift(PointGroup group, int q, Padding padding, double wStd, Double bStd) {
        super(q, padding, wStd, bStd);
        this.group = group;
    }

    /** With a stride and a parameterisation (baseWidth: see {@link StencilLayer#baseWidth()}). */
    public Lift(PointGroup group, int q, Padding padding, double wStd, Double bStd, int stride,
                Parameterization param, int baseWidth) {
        super(q, padding, wStd, bStd, stride, param, baseWidth);
        this.group = group;
    }

    public PointGroup group() {
        return group;
    }

    @Override
    protected PointGroup outputGroup(FeatureShape in) {
        return group;
    }

    @Override
    protected PointGroup liftedGroup() {
        return group;
    }

    @Override
    protected boolean producesGroupMap() {
        return true;
    }

    @Override
    protected void checkInput(FeatureShape in) {
        if (in.isGroupMap()) {
            throw new ArchitectureException("lift acts on images, but its input is already a " + in.group()
                + " group feature map; use gconv(q, PAD)");
        }
        if (in.height() != in.width() && Subsampling.swapsAxes(group)) {
            throw new ArchitectureException(group.name() + " rotates the grid by 90 degrees and needs square inputs, got "
                + in.height() + "x" + in.width() + " (C1, C2, D1 and D2 map rectangles onto themselves)");
        }
    }

    @Override
    protected StencilLayer with(int newStride, Parameterization newParam, int newBaseWidth) {
        return new Lift(group, q, padding, wStd, bStd, newStride, newParam, newBaseWidth);
    }

    @Override
    public String spec() {
        return "lift(" + group.name() + ", " + argsSpec() + ")";
    }
}
