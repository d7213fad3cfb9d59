package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.Limits;
import io.eqntk.model.Padding;
import io.eqntk.finite.FiniteGroupConvolution;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.group.PointGroup;
import io.eqntk.model.KernelOp;

/**
 * What convolution, lifting convolution and group convolution share: an odd q x q filter, stride 1, a padding,
 * W_std and optional b_std. They differ only in which group the output lives on and which input they accept;
 * kernel and finite faces are the same routine (KERNELS.md §3).
 */
public abstract class StencilLayer implements Layer {
    protected final int q;
    protected final Padding padding;
    protected final double wStd;
    protected final Double bStd;

    protected StencilLayer(int q, Padding padding, double wStd, Double bStd) {
        if (q < 1 || q % 2 == 0) {
            throw new ArchitectureException("filter size must be odd and positive, got " + q);
        }
        Specs.checkAffine(wStd, bStd);
        this.q = q;
        this.padding = padding;
        this.wStd = wStd;
        this.bStd = bStd;
    }

    public int filterSize() {
        return q;
    }

    public Padding padding() {
        return padding;
    }

    public double wStd() {
        return wStd;
    }

    /** b_std, or null when the layer has no bias. */
    public Double bStd() {
        return bStd;
    }

    /** The group of the output feature map, given the input shape (C1 for an ordinary convolution). */
    protected abstract PointGroup outputGroup(FeatureShape in);

    /** True for lifting and group convolutions. */
    protected abstract boolean producesGroupMap();

    /** Throws if this layer cannot read {@code in}. */
    protected abstract void checkInput(FeatureShape in);

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        if (in.reduced()) {
            throw new ArchitectureException("needs a spatial input, but the input is already a vector " + in);
        }
        checkInput(in);
        Limits.filter(q, padding, in);
        int ho = padding.outputSize(in.height(), q);
        int wo = padding.outputSize(in.width(), q);
        PointGroup g = outputGroup(in);
        return producesGroupMap()
            ? FeatureShape.groupMap(g, ho, wo, outChannels)
            : FeatureShape.image(ho, wo, outChannels);
    }

    @Override
    public KernelOp kernelOp() {
        return new KernelOp.Stencil(q, padding, wStd, bStd == null ? 0 : bStd, liftedGroup());
    }

    /** The group a lifting layer maps images onto; null for layers that keep their input's group. */
    protected PointGroup liftedGroup() {
        return null;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return new FiniteGroupConvolution(in, out, outputGroup(in), q, padding, wStd, bStd);
    }

    @Override
    public Layer planarCounterpart() {
        return new Conv(q, padding, wStd, bStd);
    }

    @Override
    public boolean isAffine() {
        return true;
    }

    protected String argsSpec() {
        return q + ", " + padding + Specs.affineKeys(wStd, bStd);
    }
}
