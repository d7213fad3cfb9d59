package io.eqntk.layer;

import io.eqntk.finite.FiniteBranches;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.KernelOp;

import java.util.List;

/**
 * The identity, {@code id}: mostly a branch of {@link Branches} ({@code sum(id | conv(3) relu conv(3))}); on its
 * own it changes nothing. Its kernel map is a single empty branch, so the engine needs no operation of its own.
 */
public final class Identity implements Layer {
    public static final Identity INSTANCE = new Identity();

    private static final KernelOp OP = new KernelOp.Branches(List.of(List.of()), KernelOp.Combine.SUM);

    private Identity() {
    }

    @Override
    public String spec() {
        return "id";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        return in;
    }

    @Override
    public KernelOp kernelOp() {
        return OP;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return new FiniteBranches(in, out, List.of(List.of()), false);
    }
}
