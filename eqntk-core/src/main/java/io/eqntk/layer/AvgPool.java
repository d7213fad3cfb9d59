package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.KernelOp;
import io.eqntk.finite.FiniteAvgPool;

/**
 * Average pooling over k x k cells with stride k: {@code avgpool(k)}. Acts on image and group maps alike; every
 * group element maps the cells of an n x n grid (k dividing n) onto each other, so equivariance is kept.
 */
public final class AvgPool implements Layer {
    private final int k;

    public AvgPool(int k) {
        if (k < 1) {
            throw new ArchitectureException("pooling size must be positive, got " + k);
        }
        this.k = k;
    }

    public int size() {
        return k;
    }

    @Override
    public String spec() {
        return "avgpool(" + k + ")";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        if (in.reduced()) {
            throw new ArchitectureException("avgpool needs a spatial input, but the input is a vector " + in);
        }
        if (in.height() % k != 0 || in.width() % k != 0) {
            throw new ArchitectureException("avgpool(" + k + ") needs an input size divisible by " + k + ", got "
                + in.height() + "x" + in.width());
        }
        return new FeatureShape(in.group(), in.height() / k, in.width() / k, in.channels(), false);
    }

    @Override
    public KernelOp kernelOp() {
        return new KernelOp.AvgPool(k);
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return new FiniteAvgPool(in, out, k);
    }
}
