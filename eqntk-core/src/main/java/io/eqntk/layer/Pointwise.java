package io.eqntk.layer;

import io.eqntk.model.FeatureShape;
import io.eqntk.model.KernelOp;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.nonlin.Activation;
import io.eqntk.nonlin.ReluActivation;
import io.eqntk.finite.FinitePointwise;

/** An entrywise nonlinearity layer: φ entry by entry, with the kernel map of its {@link Activation}. */
public final class Pointwise implements Layer {
    private final Activation activation;
    private final KernelOp.Pointwise op;

    public Pointwise(Activation activation) {
        this.activation = activation;
        this.op = new KernelOp.Pointwise(activation);
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String spec() {
        return activation.name();
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        return in;
    }

    @Override
    public KernelOp kernelOp() {
        return op;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return activation == ReluActivation.INSTANCE ? FinitePointwise.relu(in, out)
            : FinitePointwise.of(in, out, activation::phi, activation::dphi);
    }
}
