package io.eqntk.nonlin;

/**
 * erf(x), with the arcsine maps of KERNELS.md §2 (Williams): D = (1 + 2 q11)(1 + 2 q22),
 * S = sqrt(max(D - 4 q12^2, 0)), Σ = (2/π) atan2(2 q12, S), Σ̇ = (4/π) / S. S >= 1 for any valid covariance,
 * so nothing is singular, zero variances included.
 */
public final class ErfActivation extends ClosedFormActivation {
    public static final ErfActivation INSTANCE = new ErfActivation();
    private static final double TWO_OVER_PI = 2 / Math.PI;
    private static final double FOUR_OVER_PI = 4 / Math.PI;
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private ErfActivation() {
    }

    @Override
    public String name() {
        return "erf";
    }

    @Override
    public double phi(double x) {
        return org.apache.commons.numbers.gamma.Erf.value(x);
    }

    @Override
    public double dphi(double x) {
        return TWO_OVER_SQRT_PI * Math.exp(-x * x);
    }

    @Override
    public double sigma(double q11, double q22, double q12) {
        return TWO_OVER_PI * Math.atan2(2 * q12, root(q11, q22, q12));
    }

    @Override
    public double sigmaDot(double q11, double q22, double q12) {
        return FOUR_OVER_PI / root(q11, q22, q12);
    }

    @Override
    public double sigmaDiag(double q) {
        return TWO_OVER_PI * Math.atan2(2 * q, Math.sqrt(1 + 4 * q));
    }

    @Override
    public double sigmaDotDiag(double q) {
        return FOUR_OVER_PI / Math.sqrt(1 + 4 * q);
    }

    @Override
    public void expectations(double q11, double q22, double q12, double[] out, int offset) {
        double s = root(q11, q22, q12);
        out[offset] = TWO_OVER_PI * Math.atan2(2 * q12, s);
        out[offset + 1] = FOUR_OVER_PI / s;
    }

    private static double root(double q11, double q22, double q12) {
        return Math.sqrt(Math.max((1 + 2 * q11) * (1 + 2 * q22) - 4 * q12 * q12, 0));
    }

    @Override
    public String tunedMap() {
        return "erf";
    }
}
