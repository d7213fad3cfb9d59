package io.eqntk.nonlin;

/**
 * GELU, φ(x) = x Φ(x) with Φ the standard normal distribution function (the exact GELU, not its tanh
 * approximation); φ'(x) = Φ(x) + x ϕ(x). With P1 = (1 + q11)(1 + q22), Δ = sqrt(P1 - q12^2) (>= 1 for a valid
 * covariance), θ = atan2(q12, Δ) = asin(q12 / sqrt(P1)) and k = (1 - q11 q22) / P1:
 * <pre>
 *   Σ = q12 / 4 + (q12 θ + (q11 q22 + k q12^2) / Δ) / (2π)
 *   Σ̇ = 1 / 4 + θ / (2π) + q12 (1 + k + 1 / Δ^2) / (2π Δ)
 * </pre>
 * Derivation in docs/NONLINEARITIES.md (Φ(u) = P(Z <= u) and Gaussian integration by parts; Σ̇ = dΣ/dq12 by
 * Price's theorem). Nothing is singular, zero variances included (φ'(0) = 1/2).
 */
public final class GeluActivation extends ClosedFormActivation {
    public static final GeluActivation INSTANCE = new GeluActivation();
    private static final double INV_2PI = 1 / (2 * Math.PI);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);

    private GeluActivation() {
    }

    @Override
    public String name() {
        return "gelu";
    }

    @Override
    public double phi(double x) {
        return x * cdf(x);
    }

    @Override
    public double dphi(double x) {
        return cdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** Φ(x) through erfc, accurate in the far left tail too. */
    private static double cdf(double x) {
        return 0.5 * org.apache.commons.numbers.gamma.Erfc.value(-x * INV_SQRT_2);
    }

    @Override
    public double sigma(double q11, double q22, double q12) {
        double p1 = (1 + q11) * (1 + q22);
        double delta = Math.sqrt(Math.max(p1 - q12 * q12, 1));
        double k = (1 - q11 * q22) / p1;
        return 0.25 * q12 + (q12 * Math.atan2(q12, delta) + (q11 * q22 + k * q12 * q12) / delta) * INV_2PI;
    }

    @Override
    public double sigmaDot(double q11, double q22, double q12) {
        double p1 = (1 + q11) * (1 + q22);
        double d2 = Math.max(p1 - q12 * q12, 1);
        double delta = Math.sqrt(d2);
        double k = (1 - q11 * q22) / p1;
        return 0.25 + (Math.atan2(q12, delta) + q12 * (1 + k + 1 / d2) / delta) * INV_2PI;
    }

    @Override
    public void expectations(double q11, double q22, double q12, double[] out, int offset) {
        double p1 = (1 + q11) * (1 + q22);
        double d2 = Math.max(p1 - q12 * q12, 1);
        double delta = Math.sqrt(d2);
        double k = (1 - q11 * q22) / p1;
        double angle = Math.atan2(q12, delta);
        out[offset] = 0.25 * q12 + (q12 * angle + (q11 * q22 + k * q12 * q12) / delta) * INV_2PI;
        out[offset + 1] = 0.25 + (angle + q12 * (1 + k + 1 / d2) / delta) * INV_2PI;
    }
}
