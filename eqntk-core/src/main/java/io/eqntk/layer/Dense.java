package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.KernelOp;
import io.eqntk.finite.FiniteDense;

/** A fully connected layer on a feature vector: {@code dense(w=, b=)}. */
public final class Dense implements Layer {
    private final double wStd;
    private final Double bStd;

    public Dense(double wStd, Double bStd) {
        Specs.checkAffine(wStd, bStd);
        this.wStd = wStd;
        this.bStd = bStd;
    }

    @Override
    public String spec() {
        String keys = Specs.affineKeys(wStd, bStd);
        return keys.isEmpty() ? "dense" : "dense(" + keys.substring(2) + ")";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        if (!in.reduced()) {
            throw new ArchitectureException("dense needs a feature vector, but its input is the map " + in
                + "; put gap, gpool or flatten before it");
        }
        return FeatureShape.vector(outChannels);
    }

    @Override
    public KernelOp kernelOp() {
        return new KernelOp.Dense(wStd, bStd == null ? 0 : bStd);
    }

    @Override
    public boolean isAffine() {
        return true;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return new FiniteDense(in, out, wStd, bStd);
    }
}
