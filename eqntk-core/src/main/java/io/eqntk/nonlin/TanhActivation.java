package io.eqntk.nonlin;

/**
 * tanh(x), φ'(x) = 1 / cosh(x)^2. No closed form: its maps are the default quadrature (the numerical fallback
 * any φ, φ' pair gets).
 */
public final class TanhActivation implements Activation {
    public static final TanhActivation INSTANCE = new TanhActivation();

    private TanhActivation() {
    }

    @Override
    public String name() {
        return "tanh";
    }

    @Override
    public double phi(double x) {
        return Math.tanh(x);
    }

    @Override
    public double dphi(double x) {
        double c = Math.cosh(x);
        return 1 / (c * c);
    }

    @Override
    public String toString() {
        return name();
    }
}
