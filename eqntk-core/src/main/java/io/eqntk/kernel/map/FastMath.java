// float32 twin: FastMath32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel.map;

/**
 * Fast, accurate, reproducible elementary functions for kernel inner loops. On JDK 17 {@link Math#atan2} is a
 * slow native call (about 100 ns) and the Vector API's lane-wise ATAN2 rounds differently before and after JIT
 * compilation, so neither belongs in a loop whose results must be repeatable to the last bit.
 *
 * <p>atan2 here uses only IEEE-exact operations (fma, division, comparisons), in an order that
 * {@link VectorNonlinearities} repeats lane by lane, so the scalar and vector versions agree bit for bit:
 * reduce to atan(a/b) with 0 &lt;= a &lt;= b; pick a centre c in {0, tan(π/8), 1} so that
 * u = (a - c b)/(b + c a) satisfies |u| &lt;= tan(π/16); then atan(a/b) = atan(c) + u + u w P(w), w = u², with P
 * the series {@link Float64Constants#ATAN_SERIES}. Measured maximum error against {@link StrictMath#atan2}: a few
 * units in the last place (float64 tested to 1e-15 absolute).
 *
 * <p>The casts that are redundant here mark where the float32 twin rounds (PrecisionTwins, rule 2).
 */
public final class FastMath {
    static final double HALF_PI = (double) (Math.PI / 2);
    static final double PI = (double) Math.PI;
    /** Interval thresholds tan(π/16), tan(3π/16) and centres tan(π/8), 1 with their arctangents. */
    public static final double T1 = (double) StrictMath.tan(Math.PI / 16);
    public static final double T2 = (double) StrictMath.tan(3 * Math.PI / 16);
    static final double C1 = (double) StrictMath.tan(Math.PI / 8);
    static final double A1 = (double) StrictMath.atan(C1);
    static final double A2 = (double) StrictMath.atan(1.0);

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
        return ac + Math.fma(u * w, poly(Float64Constants.ATAN_SERIES, w), u);
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
            r = PI - r;
        }
        return y < 0 ? -r : r;
    }

    /** Horner's rule with fma, highest power first (the vector maps repeat these operations). */
    static double poly(double[] c, double z) {
        double p = c[0];
        for (int k = 1; k < c.length; k++) {
            p = Math.fma(p, z, c[k]);
        }
        return p;
    }
}
