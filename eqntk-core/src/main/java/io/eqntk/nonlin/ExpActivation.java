package io.eqntk.nonlin;

import java.util.Locale;

/**
 * φ(x) = a exp(b x) (neural-tangents' {@code Exp}); φ' = b φ. From the Gaussian moment generating function,
 * E[exp(b (u + v))] = exp(b² (q11 + q22 + 2 q12) / 2):
 * <pre>
 *   Σ = a² exp(b² (q11 + q22 + 2 q12) / 2)        Σ̇ = b² Σ
 * </pre>
 * The outputs have a non-zero mean; the kernels grow like exp(2 b² q) with the variance q.
 */
public final class ExpActivation extends ClosedFormActivation {
    private final double a;
    private final double b;

    public ExpActivation(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("a and b must be finite, got a=" + a + ", b=" + b);
        }
        this.a = a;
        this.b = b;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "exp(%s, %s)", a, b);
    }

    @Override
    public double phi(double x) {
        return a * Math.exp(b * x);
    }

    @Override
    public double dphi(double x) {
        return a * b * Math.exp(b * x);
    }

    @Override
    public double sigma(double q11, double q22, double q12) {
        return a * a * Math.exp(0.5 * b * b * (q11 + q22 + 2 * q12));
    }

    @Override
    public double sigmaDot(double q11, double q22, double q12) {
        return b * b * sigma(q11, q22, q12);
    }

    @Override
    public void expectations(double q11, double q22, double q12, double[] out, int offset) {
        double s = sigma(q11, q22, q12);
        out[offset] = s;
        out[offset + 1] = b * b * s;
    }
}
