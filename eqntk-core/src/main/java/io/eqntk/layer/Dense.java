package io.eqntk.layer;

import io.eqntk.arch.ArchitectureException;
import io.eqntk.arch.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.finite.FiniteDense;
import io.eqntk.kernel.KernelState;

/** A fully connected layer on a feature vector: {@code dense(w=, b=)}. */
public final class Dense implements Layer {
    private final double wStd;
    private final Double bStd;

    public Dense(double wStd, Double bStd) {
        if (!(wStd >= 0) || Double.isInfinite(wStd)) {
            throw new ArchitectureException("w must be a finite non-negative number, got " + wStd);
        }
        if (bStd != null && (!(bStd >= 0) || Double.isInfinite(bStd))) {
            throw new ArchitectureException("b must be a finite non-negative number, got " + bStd);
        }
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
    public void kernel(KernelState state) {
        state.dense(wStd, bStd == null ? 0 : bStd);
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
