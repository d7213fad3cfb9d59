package io.eqntk.kernel;

/**
 * Fast, accurate, reproducible elementary functions for kernel inner loops. On JDK 17 {@link Math#atan2} is a
 * slow native call (about 100 ns) and the Vector API's lane-wise ATAN2 rounds differently before and after JIT
 * compilation, so neither belongs in a loop whose results must be repeatable to the last bit.
 *
 * <p>atan2 here uses only IEEE-exact operations (fma, division, comparisons), in an order that
 * {@link VectorNonlinearities} repeats lane by lane, so the scalar and vector versions agree bit for bit:
 * reduce to atan(a/b) with 0 &lt;= a &lt;= b; pick a centre c in {0, tan(π/8), 1} so that
 * u = (a - c b)/(b + c a) satisfies |u| &lt;= tan(π/16); then atan(a/b) = atan(c) + u + u w P(w), w = u², with P
 * the first 12 terms of atan's Taylor series (truncation error below 1e-20 for |u| &lt;= 0.199). Measured
 * maximum error against {@link StrictMath#atan2}: a few units in the last place (tested to 1e-15 absolute).
 */
public final class FastMath {
    static final double HALF_PI = Math.PI / 2;
    /** Interval thresholds tan(π/16), tan(3π/16) and centres tan(π/8), 1 with their arctangents. */
    static final double T1 = StrictMath.tan(Math.PI / 16);
    static final double T2 = StrictMath.tan(3 * Math.PI / 16);
    static final double C1 = StrictMath.tan(Math.PI / 8);
    static final double A1 = StrictMath.atan(C1);
    static final double A2 = StrictMath.atan(1.0);
    /** P(w) = sum_{k=1..12} (-1)^k w^(k-1) / (2k + 1), highest power first for Horner's rule. */
    static final double[] P = new double[12];

    static {
        for (int k = 1; k <= 12; k++) {
            P[12 - k] = (k % 2 == 0 ? 1.0 : -1.0) / (2 * k + 1);
        }
    }

    private FastMath() {
    }

    /** atan(a / b) for 0 &lt;= a &lt;= b, b &gt; 0. */
    static double atanRatio(double a, double b) {
        double c = 0;
        double ac = 0;
        if (a > T2 * b) {
            c = 1;
            ac = A2;
        } else if (a > T1 * b) {
            c = C1;
            ac = A1;
        }
        double u = Math.fma(-c, b, a) / Math.fma(c, a, b);
        double w = u * u;
        double p = P[0];
        for (int k = 1; k < P.length; k++) {
            p = Math.fma(p, w, P[k]);
        }
        return ac + Math.fma(u * w, p, u);
    }

    /**
     * atan2(y, x) with the quadrant conventions of {@link Math#atan2} for finite arguments, except that zeros
     * count as positive: atan2(±0, -0) = 0 (not ±π) and atan2(-0, x) = +0. Signed-zero tests would need mask
     * conversions that the JDK 17 Vector API does not compile to SIMD code.
     */
    public static double atan2(double y, double x) {
        double ax = Math.abs(x);
        double ay = Math.abs(y);
        double a = Math.min(ax, ay);
        double b = Math.max(ax, ay);
        double r = b == 0 ? 0 : atanRatio(a, b);
        if (ay > ax) {
            r = HALF_PI - r;
        }
        if (x < 0) {
            r = Math.PI - r;
        }
        return y < 0 ? -r : r;
    }

    // ---------------------------------------------------------------- float32

    static final float T1F = (float) T1;
    static final float T2F = (float) T2;
    static final float C1F = (float) C1;
    static final float A1F = (float) StrictMath.atan(C1F);
    static final float A2F = (float) A2;
    static final float HALF_PI_F = (float) HALF_PI;
    static final float PI_F = (float) Math.PI;
    /** The first 5 Taylor terms: truncation error below 2e-9 relative for |u| &lt;= tan(π/16). */
    static final float[] PF = new float[5];

    static {
        for (int k = 1; k <= 5; k++) {
            PF[5 - k] = (float) ((k % 2 == 0 ? 1.0 : -1.0) / (2 * k + 1));
        }
    }

    /** {@link #atan2} in float arithmetic (same reduction, shorter series), a few float ulps. */
    public static float atan2(float y, float x) {
        float ax = Math.abs(x);
        float ay = Math.abs(y);
        float a = Math.min(ax, ay);
        float b = Math.max(ax, ay);
        float r = 0;
        if (b != 0) {
            float c = 0;
            float ac = 0;
            if (a > T2F * b) {
                c = 1;
                ac = A2F;
            } else if (a > T1F * b) {
                c = C1F;
                ac = A1F;
            }
            float u = Math.fma(-c, b, a) / Math.fma(c, a, b);
            float w = u * u;
            float p = PF[0];
            for (int k = 1; k < PF.length; k++) {
                p = Math.fma(p, w, PF[k]);
            }
            r = ac + Math.fma(u * w, p, u);
        }
        if (ay > ax) {
            r = HALF_PI_F - r;
        }
        if (x < 0) {
            r = PI_F - r;
        }
        return y < 0 ? -r : r;
    }
}
