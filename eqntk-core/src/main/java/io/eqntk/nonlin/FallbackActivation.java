package io.eqntk.nonlin;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * Nonlinearities known by name without a closed-form kernel: sigmoid, softplus, SiLU (swish) and ELU(α). Their
 * maps are the default quadrature of {@link Activation} (kink-aware, so ELU's kink at 0 costs no accuracy);
 * measured accuracy in docs/NONLINEARITIES.md and {@code QuadratureAccuracyTest}.
 */
public final class FallbackActivation implements Activation {
    private final String name;
    private final DoubleUnaryOperator phi;
    private final DoubleUnaryOperator dphi;

    private FallbackActivation(String name, DoubleUnaryOperator phi, DoubleUnaryOperator dphi) {
        this.name = name;
        this.phi = phi;
        this.dphi = dphi;
    }

    /** The logistic function 1 / (1 + e^-x). */
    public static FallbackActivation sigmoid() {
        return new FallbackActivation("sigmoid", FallbackActivation::logistic,
            x -> logistic(x) * logistic(-x));
    }

    /** log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|); φ' = sigmoid. */
    public static FallbackActivation softplus() {
        return new FallbackActivation("softplus", x -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
            FallbackActivation::logistic);
    }

    /** SiLU (swish) x sigmoid(x); φ' = σ(x) (1 + x σ(-x)). */
    public static FallbackActivation silu() {
        return new FallbackActivation("silu", x -> x * logistic(x), x -> logistic(x) * (1 + x * logistic(-x)));
    }

    /** ELU(α): x above 0, α (e^x - 1) below; φ'(0) = α (the left value). */
    public static FallbackActivation elu(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        }
        return new FallbackActivation(String.format(Locale.ROOT, "elu(%s)", alpha),
            x -> x > 0 ? x : alpha * Math.expm1(x), x -> x > 0 ? 1 : alpha * Math.exp(x));
    }

    /** 1 / (1 + e^-x) without overflow for large |x|. */
    static double logistic(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double phi(double x) {
        return phi.applyAsDouble(x);
    }

    @Override
    public double dphi(double x) {
        return dphi.applyAsDouble(x);
    }

    @Override
    public String toString() {
        return name;
    }
}
