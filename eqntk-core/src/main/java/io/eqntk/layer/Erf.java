package io.eqntk.layer;

import io.eqntk.kernel.ErfKernel;
import io.eqntk.kernel.Nonlinearity;

/** The error function erf(x). */
public final class Erf extends Pointwise {
    public static final Erf INSTANCE = new Erf();
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    @Override
    protected double apply(double x) {
        return org.apache.commons.numbers.gamma.Erf.value(x);
    }

    @Override
    protected double derivative(double x) {
        return TWO_OVER_SQRT_PI * Math.exp(-x * x);
    }

    @Override
    public Nonlinearity nonlinearity() {
        return ErfKernel.INSTANCE;
    }

    @Override
    public String spec() {
        return "erf";
    }
}
