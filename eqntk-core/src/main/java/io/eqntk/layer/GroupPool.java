package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.KernelOp;
import io.eqntk.finite.FiniteMean;

/** Group pooling: the mean over group elements and positions, an invariant feature vector ({@code gpool}). */
public final class GroupPool implements Layer {
    public static final GroupPool INSTANCE = new GroupPool();

    @Override
    public String spec() {
        return "gpool";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        if (!in.isGroupMap()) {
            throw new ArchitectureException("gpool needs a group feature map"
                + (in.reduced() ? ", but the input is a vector " + in : ": put lift(GROUP, q, PAD) before it"
                + " (for an ordinary CNN use gap)"));
        }
        return FeatureShape.vector(in.channels());
    }

    @Override
    public KernelOp kernelOp() {
        return KernelOp.Mean.GROUP;
    }

    @Override
    public Layer planarCounterpart() {
        return GlobalAvgPool.INSTANCE;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return new FiniteMean(in, out);
    }
}
