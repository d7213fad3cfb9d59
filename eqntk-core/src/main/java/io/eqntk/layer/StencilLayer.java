package io.eqntk.layer;

import io.eqntk.arch.ArchitectureException;
import io.eqntk.arch.FeatureShape;
import io.eqntk.arch.Limits;
import io.eqntk.arch.Padding;
import io.eqntk.finite.FiniteGroupConvolution;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.group.PointGroup;
import io.eqntk.kernel.KernelState;

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
        if (!(wStd >= 0) || Double.isInfinite(wStd)) {
            throw new ArchitectureException("w must be a finite non-negative number, got " + wStd);
        }
        if (bStd != null && (!(bStd >= 0) || Double.isInfinite(bStd))) {
            throw new ArchitectureException("b must be a finite non-negative number, got " + bStd);
        }
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
    public void kernel(KernelState state) {
        PointGroup g = state.group() != null ? state.group() : PointGroup.C1;
        state.stencil(outputGroupOfState(g), q, padding, wStd, bStd == null ? 0 : bStd);
    }

    /** The output group given the state's current group (C1 for a plain map). */
    protected abstract PointGroup outputGroupOfState(PointGroup current);

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return new FiniteGroupConvolution(in, out, outputGroup(in), q, padding, wStd, bStd);
    }

    @Override
    public boolean isAffine() {
        return true;
    }

    @Override
    public boolean preservesDiagonal() {
        return true;
    }

    protected String argsSpec() {
        return q + ", " + padding + Specs.affineKeys(wStd, bStd);
    }
}
