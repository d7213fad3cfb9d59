package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.Padding;
import io.eqntk.model.Parameterization;
import io.eqntk.group.PointGroup;

/** Group convolution, group map -> group map on the same group (taken from the preceding lift). */
public final class GroupConv extends StencilLayer {
    public GroupConv(int q, Padding padding, double wStd, Double bStd) {
        super(q, padding, wStd, bStd);
    }

    /** With a stride and a parameterisation (baseWidth: see {@link StencilLayer#baseWidth()}). */
    public GroupConv(int q, Padding padding, double wStd, Double bStd, int stride, Parameterization param, int baseWidth) {
        super(q, padding, wStd, bStd, stride, param, baseWidth);
    }

    @Override
    protected PointGroup outputGroup(FeatureShape in) {
        return in.group();
    }

    @Override
    protected boolean producesGroupMap() {
        return true;
    }

    @Override
    protected void checkInput(FeatureShape in) {
        if (!in.isGroupMap()) {
            throw new ArchitectureException("gconv needs a group feature map: put lift(GROUP, q, PAD) before it");
        }
    }

    @Override
    protected StencilLayer with(int newStride, Parameterization newParam, int newBaseWidth) {
        return new GroupConv(q, padding, wStd, bStd, newStride, newParam, newBaseWidth);
    }

    @Override
    public String spec() {
        return "gconv(" + argsSpec() + ")";
    }
}
