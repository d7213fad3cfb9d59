package io.eqntk.nonlin;

import java.util.Locale;

/**
 * ABReLU, φ(x) = a min(x, 0) + b max(x, 0) (LeakyReLU(α) is a = α, b = 1; |x| is a = -1, b = 1). Writing
 * φ(x) = a x + (b - a) relu(x) and using E[u relu(v)] = q12 / 2 (Stein) gives, with θ and s as for ReLU,
 * Σ = (a - b)^2 s / (2π) + Σ̇ q12 and Σ̇ = (a^2 + b^2) / 2 - (a - b)^2 θ / (2π).
 * φ'(0) = a; where a variance is 0, atan2(0, 0) = 0 gives Σ̇ = (a^2 + b^2) / 2.
 */
public final class AbReluActivation extends ClosedFormActivation {
    private final double a;
    private final double b;
    private final double mix;
    private final double meanSquareSlope;
    /** The name when it is not the one the slopes give (abs), else null. */
    private final String alias;

    /** Slopes a (for x < 0) and b (for x > 0); both finite. */
    public AbReluActivation(double a, double b) {
        this(a, b, null);
    }

    private AbReluActivation(double a, double b, String alias) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("ABReLU slopes must be finite, got a=" + a + ", b=" + b);
        }
        this.a = a;
        this.b = b;
        this.mix = (a - b) * (a - b) / (2 * Math.PI);
        this.meanSquareSlope = (a * a + b * b) / 2;
        this.alias = alias;
    }

    /** |x| = ABReLU(-1, 1), named {@code abs}. */
    public static AbReluActivation abs() {
        return new AbReluActivation(-1, 1, "abs");
    }

    /** LeakyReLU(α): slope α below 0, 1 above. */
    public static AbReluActivation leaky(double alpha) {
        return new AbReluActivation(alpha, 1);
    }

    public double negativeSlope() {
        return a;
    }

    public double positiveSlope() {
        return b;
    }

    @Override
    public String name() {
        if (alias != null) {
            return alias;
        }
        return b == 1 ? String.format(Locale.ROOT, "leakyrelu(%s)", a)
            : String.format(Locale.ROOT, "abrelu(%s, %s)", a, b);
    }

    @Override
    public double phi(double x) {
        return x > 0 ? b * x : a * x;
    }

    @Override
    public double dphi(double x) {
        return x > 0 ? b : a;
    }

    @Override
    public double sigma(double q11, double q22, double q12) {
        double s = Math.sqrt(Math.max(q11 * q22 - q12 * q12, 0));
        return mix * s + (meanSquareSlope - mix * Math.atan2(s, q12)) * q12;
    }

    @Override
    public double sigmaDot(double q11, double q22, double q12) {
        double s = Math.sqrt(Math.max(q11 * q22 - q12 * q12, 0));
        return meanSquareSlope - mix * Math.atan2(s, q12);
    }

    @Override
    public double sigmaDiag(double q) {
        return meanSquareSlope * q;
    }

    @Override
    public double sigmaDotDiag(double q) {
        return meanSquareSlope;
    }

    @Override
    public void expectations(double q11, double q22, double q12, double[] out, int offset) {
        double s = Math.sqrt(Math.max(q11 * q22 - q12 * q12, 0));
        double dot = meanSquareSlope - mix * Math.atan2(s, q12);
        out[offset] = mix * s + dot * q12;
        out[offset + 1] = dot;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AbReluActivation r && Double.compare(a, r.a) == 0 && Double.compare(b, r.b) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(a) + Double.hashCode(b);
    }
}
