package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.KernelOp;
import io.eqntk.model.Parameterization;
import io.eqntk.finite.FiniteDense;

/** A fully connected layer on a feature vector: {@code dense(w=, b=)}. */
public final class Dense implements Layer {
    private final double wStd;
    private final Double bStd;
    private final Parameterization param;
    /** Base length of the input vector (standard parameterisation only). */
    private final int baseWidth;

    public Dense(double wStd, Double bStd) {
        this(wStd, bStd, Parameterization.NTK, 0);
    }

    /** With a parameterisation; the standard one needs the base length n of the input vector. */
    public Dense(double wStd, Double bStd, Parameterization param, int baseWidth) {
        Specs.checkAffine(wStd, bStd);
        Specs.checkParameterization(param, wStd, baseWidth);
        if (param == Parameterization.STANDARD && baseWidth == 0) {
            throw new ArchitectureException("param=standard needs n=N, the base length of the input vector (the "
                + "width before the width scaling s -> infinity)");
        }
        this.wStd = wStd;
        this.bStd = bStd;
        this.param = param;
        this.baseWidth = baseWidth;
    }

    @Override
    public String spec() {
        String keys = Specs.affineKeys(wStd, bStd) + Specs.strideKeys(1, param, baseWidth);
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
        if (param == Parameterization.STANDARD) {
            return new KernelOp.StandardDense(wStd, bStd == null ? 0 : bStd, bStd != null, baseWidth);
        }
        return new KernelOp.Dense(wStd, bStd == null ? 0 : bStd);
    }

    @Override
    public Layer withParameterization(Parameterization p, int newBaseWidth) {
        return new Dense(wStd, bStd, p, p == Parameterization.NTK ? 0 : newBaseWidth);
    }

    @Override
    public boolean isAffine() {
        return true;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        if (param == Parameterization.STANDARD) {
            return FiniteDense.standard(in, out, wStd, bStd, baseWidth);
        }
        return new FiniteDense(in, out, wStd, bStd);
    }
}
