package io.eqntk.nonlin;

import java.util.Locale;

/**
 * φ(x) = a sin(b x + c): {@code sin(c)}, {@code cos(c)} (c + π/2) and {@code rbf(γ)} (a = √2, b = √(2γ),
 * c = π/4, whose NNGP is the RBF kernel exp(-γ (q11 + q22 - 2 q12)) of the pre-activations, neural-tangents'
 * {@code Rbf}). From E[cos(w + c)] = cos(c) exp(-Var(w)/2) for a centred Gaussian w and the product formulas, with
 * m = exp(-b² (q11 + q22 - 2 q12) / 2) (w = u - v) and p = exp(-b² (q11 + q22 + 2 q12) / 2) (w = u + v):
 * <pre>
 *   Σ = a² (m - cos(2c) p) / 2        Σ̇ = a² b² (m + cos(2c) p) / 2
 * </pre>
 * Smooth and bounded: nothing is singular, zero variances included.
 */
public final class SinActivation extends ClosedFormActivation {
    private final String name;
    private final double a;
    private final double b;
    private final double c;
    private final double cos2c;

    private SinActivation(String name, double a, double b, double c) {
        this.name = name;
        this.a = a;
        this.b = b;
        this.c = c;
        this.cos2c = Math.cos(2 * c);
    }

    /** a sin(b x + shift). */
    public static SinActivation sin(double shift, double a, double b) {
        return new SinActivation("sin" + args(shift, a, b), a, b, shift);
    }

    /** a cos(b x + shift) = a sin(b x + shift + π/2). */
    public static SinActivation cos(double shift, double a, double b) {
        return new SinActivation("cos" + args(shift, a, b), a, b, shift + 0.5 * Math.PI);
    }

    /** √2 sin(√(2γ) x + π/4), γ > 0: NNGP exp(-γ (q11 + q22 - 2 q12)), Σ̇ = 2γ exp(-γ (q11 + q22 - 2 q12)). */
    public static SinActivation rbf(double gamma) {
        if (!(gamma > 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("gamma must be a positive number, got " + gamma);
        }
        return new SinActivation(String.format(Locale.ROOT, "rbf(%s)", gamma), Math.sqrt(2), Math.sqrt(2 * gamma),
            0.25 * Math.PI);
    }

    private static String args(double shift, double a, double b) {
        if (!Double.isFinite(shift) || !Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("shift, a and b must be finite, got " + shift + ", " + a + ", " + b);
        }
        return String.format(Locale.ROOT, "(%s", shift) + (a == 1 ? "" : String.format(Locale.ROOT, ", a=%s", a))
            + (b == 1 ? "" : String.format(Locale.ROOT, ", b=%s", b)) + ")";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double phi(double x) {
        return a * Math.sin(b * x + c);
    }

    @Override
    public double dphi(double x) {
        return a * b * Math.cos(b * x + c);
    }

    @Override
    public double sigma(double q11, double q22, double q12) {
        double h = -0.5 * b * b;
        return 0.5 * a * a * (Math.exp(h * (q11 + q22 - 2 * q12)) - cos2c * Math.exp(h * (q11 + q22 + 2 * q12)));
    }

    @Override
    public double sigmaDot(double q11, double q22, double q12) {
        double h = -0.5 * b * b;
        return 0.5 * a * a * b * b * (Math.exp(h * (q11 + q22 - 2 * q12))
            + cos2c * Math.exp(h * (q11 + q22 + 2 * q12)));
    }

    @Override
    public void expectations(double q11, double q22, double q12, double[] out, int offset) {
        double h = -0.5 * b * b;
        double m = Math.exp(h * (q11 + q22 - 2 * q12));
        double p = cos2c * Math.exp(h * (q11 + q22 + 2 * q12));
        out[offset] = 0.5 * a * a * (m - p);
        out[offset + 1] = 0.5 * a * a * b * b * (m + p);
    }
}
