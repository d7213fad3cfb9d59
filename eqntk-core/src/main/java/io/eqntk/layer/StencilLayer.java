package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.Limits;
import io.eqntk.model.Padding;
import io.eqntk.model.Parameterization;
import io.eqntk.model.Subsampling;
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
    /** Stride of the filter (1: every position). */
    protected final int stride;
    /** NTK (default) or standard parameterisation, and the base width of the input for the standard one. */
    protected final Parameterization param;
    /** Base channels of the input (standard parameterisation; 0: the network's input channels, first layer only). */
    protected final int baseWidth;

    protected StencilLayer(int q, Padding padding, double wStd, Double bStd) {
        this(q, padding, wStd, bStd, 1, Parameterization.NTK, 0);
    }

    protected StencilLayer(int q, Padding padding, double wStd, Double bStd, int stride, Parameterization param,
                           int baseWidth) {
        if (q < 1 || q % 2 == 0) {
            throw new ArchitectureException("filter size must be odd and positive, got " + q);
        }
        Specs.checkAffine(wStd, bStd);
        Specs.checkStride(stride, padding);
        Specs.checkParameterization(param, wStd, baseWidth);
        this.q = q;
        this.padding = padding;
        this.wStd = wStd;
        this.bStd = bStd;
        this.stride = stride;
        this.param = param;
        this.baseWidth = baseWidth;
    }

    public int stride() {
        return stride;
    }

    public Parameterization parameterization() {
        return param;
    }

    /** The base input width of a standard-parameterised layer (0: the network's input channels). */
    public int baseWidth() {
        return baseWidth;
    }

    @Override
    public boolean takesInputChannelsAsBaseWidth() {
        return param == Parameterization.STANDARD && baseWidth == 0;
    }

    /** True when this layer is the plain stride-1 NTK-parameterised stencil (the engine's original op). */
    private boolean plain() {
        return stride == 1 && param == Parameterization.NTK;
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

    /** This layer with another stride, parameterisation and base width. */
    protected abstract StencilLayer with(int newStride, Parameterization newParam, int newBaseWidth);

    @Override
    public Layer withParameterization(Parameterization p, int newBaseWidth) {
        return with(stride, p, p == Parameterization.NTK ? 0 : newBaseWidth);
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
        if (stride > 1) {
            boolean same = padding == Padding.SAME;
            Subsampling.checkEquivariant(producesGroupMap() ? g : null, in, q, stride, same,
                "filter " + q + " with stride " + stride);
            ho = new Subsampling(in.height(), q, stride, same).outputs();
            wo = new Subsampling(in.width(), q, stride, same).outputs();
        }
        return producesGroupMap()
            ? FeatureShape.groupMap(g, ho, wo, outChannels)
            : FeatureShape.image(ho, wo, outChannels);
    }

    @Override
    public KernelOp kernelOp() {
        if (!plain()) {
            return new KernelOp.AffineStencil(q, stride, padding, wStd, bStd == null ? 0 : bStd, bStd != null,
                liftedGroup(), param, baseWidth);
        }
        return new KernelOp.Stencil(q, padding, wStd, bStd == null ? 0 : bStd, liftedGroup());
    }

    /** The group a lifting layer maps images onto; null for layers that keep their input's group. */
    protected PointGroup liftedGroup() {
        return null;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        if (!plain()) {
            return new FiniteGroupConvolution(in, out, outputGroup(in), q, padding, wStd, bStd, stride,
                param == Parameterization.STANDARD ? baseWidth : -1);
        }
        return new FiniteGroupConvolution(in, out, outputGroup(in), q, padding, wStd, bStd);
    }

    @Override
    public Layer planarCounterpart() {
        return new Conv(q, padding, wStd, bStd, stride, param, baseWidth);
    }

    @Override
    public boolean isAffine() {
        return true;
    }

    protected String argsSpec() {
        return q + ", " + padding + Specs.affineKeys(wStd, bStd) + Specs.strideKeys(stride, param, baseWidth);
    }
}
