package io.eqntk.nonlin;

import java.util.Locale;

/**
 * The Gaussian bump φ(x) = a exp(b x²) with b < 0 (b = -1/2: exp(-x²/2)); φ'(x) = 2 a b x exp(b x²). For a
 * centred Gaussian pair of covariance Q, E[exp(b (u² + v²))] = det(I - 2b Q)^(-1/2), and the tilted pair has
 * covariance Q (I - 2b Q)^-1 whose off-diagonal entry is q12 / D, so with
 * D = (1 - 2b q11)(1 - 2b q22) - 4 b² q12² (>= 1 for b < 0):
 * <pre>
 *   Σ = a² / sqrt(D)        Σ̇ = 4 a² b² q12 / D^(3/2)   (= dΣ/dq12, Price's theorem)
 * </pre>
 * b >= 0 is refused (the expectation diverges once 2 b q >= 1).
 */
public final class GaussianActivation extends ClosedFormActivation {
    private final double a;
    private final double b;

    public GaussianActivation(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !(b < 0)) {
            throw new IllegalArgumentException("needs a finite and b < 0 (a exp(b x^2)), got a=" + a + ", b=" + b);
        }
        this.a = a;
        this.b = b;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "gaussian(%s, %s)", a, b);
    }

    @Override
    public double phi(double x) {
        return a * Math.exp(b * x * x);
    }

    @Override
    public double dphi(double x) {
        return 2 * a * b * x * Math.exp(b * x * x);
    }

    private double det(double q11, double q22, double q12) {
        return Math.max((1 - 2 * b * q11) * (1 - 2 * b * q22) - 4 * b * b * q12 * q12, 1);
    }

    @Override
    public double sigma(double q11, double q22, double q12) {
        return a * a / Math.sqrt(det(q11, q22, q12));
    }

    @Override
    public double sigmaDot(double q11, double q22, double q12) {
        double d = det(q11, q22, q12);
        return 4 * a * a * b * b * q12 / (d * Math.sqrt(d));
    }

    @Override
    public void expectations(double q11, double q22, double q12, double[] out, int offset) {
        double d = det(q11, q22, q12);
        double inv = 1 / Math.sqrt(d);
        out[offset] = a * a * inv;
        out[offset + 1] = 4 * a * a * b * b * q12 * inv / d;
    }
}
