package io.eqntk.layer;

import io.eqntk.arch.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.finite.FinitePointwise;
import io.eqntk.kernel.KernelState;

/** An entrywise nonlinearity: the kernel map comes from its {@link io.eqntk.kernel.Nonlinearity}. */
public abstract class Pointwise implements Layer {
    /** φ(x). */
    protected abstract double apply(double x);

    /** φ'(x). */
    protected abstract double derivative(double x);

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        return in;
    }

    @Override
    public void kernel(KernelState state) {
        state.pointwise(nonlinearity());
    }

    @Override
    public boolean preservesDiagonal() {
        return true;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return this instanceof Relu ? FinitePointwise.relu(in, out)
            : FinitePointwise.of(in, out, this::apply, this::derivative);
    }
}
