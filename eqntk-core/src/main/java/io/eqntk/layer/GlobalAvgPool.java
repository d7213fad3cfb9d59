package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.KernelOp;
import io.eqntk.finite.FiniteMean;

/**
 * Global average pooling of an image-like map: {@code gap}. On a group feature map it is an error: averaging
 * positions but keeping the group axis is not invariant, and {@code gpool} (mean over group and positions) is
 * what such networks mean.
 */
public final class GlobalAvgPool implements Layer {
    public static final GlobalAvgPool INSTANCE = new GlobalAvgPool();

    @Override
    public String spec() {
        return "gap";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        if (in.reduced()) {
            throw new ArchitectureException("gap needs a spatial input, but the input is already a vector " + in);
        }
        if (in.isGroupMap()) {
            throw new ArchitectureException("gap on a " + in.group()
                + " group feature map: use gpool, the mean over group elements and positions");
        }
        return FeatureShape.vector(in.channels());
    }

    @Override
    public KernelOp kernelOp() {
        return KernelOp.Mean.SPATIAL;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return new FiniteMean(in, out);
    }
}
