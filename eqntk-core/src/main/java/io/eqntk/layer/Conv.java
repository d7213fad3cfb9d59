package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.Padding;
import io.eqntk.model.Parameterization;
import io.eqntk.group.PointGroup;

/** An ordinary convolution of an image-like map: {@code conv(q, PAD, w=, b=)}. */
public final class Conv extends StencilLayer {
    public Conv(int q, Padding padding, double wStd, Double bStd) {
        super(q, padding, wStd, bStd);
    }

    /** With a stride and a parameterisation (baseWidth: see {@link StencilLayer#baseWidth()}). */
    public Conv(int q, Padding padding, double wStd, Double bStd, int stride, Parameterization param, int baseWidth) {
        super(q, padding, wStd, bStd, stride, param, baseWidth);
    }

    @Override
    protected PointGroup outputGroup(FeatureShape in) {
        return PointGroup.C1;
    }

    @Override
    protected boolean producesGroupMap() {
        return false;
    }

    @Override
    protected void checkInput(FeatureShape in) {
        if (in.isGroupMap()) {
            throw new ArchitectureException("conv acts on images, but its input is a " + in.group()
                + " group feature map; use gconv(q, PAD) after a lift");
        }
    }

    @Override
    protected StencilLayer with(int newStride, Parameterization newParam, int newBaseWidth) {
        return new Conv(q, padding, wStd, bStd, newStride, newParam, newBaseWidth);
    }

    @Override
    public String spec() {
        return "conv(" + argsSpec() + ")";
    }
}
