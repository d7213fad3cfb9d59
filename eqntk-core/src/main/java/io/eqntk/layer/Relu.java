package io.eqntk.layer;

import io.eqntk.kernel.Nonlinearity;
import io.eqntk.kernel.ReluKernel;

/** ReLU, max(x, 0). */
public final class Relu extends Pointwise {
    public static final Relu INSTANCE = new Relu();

    @Override
    protected double apply(double x) {
        return x > 0 ? x : 0;
    }

    @Override
    protected double derivative(double x) {
        return x > 0 ? 1 : 0;
    }

    @Override
    public Nonlinearity nonlinearity() {
        return ReluKernel.INSTANCE;
    }

    @Override
    public String spec() {
        return "relu";
    }
}
