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
final class FastMath {
    static final double HALF_PI = Math.PI / 2;
    /** Interval thresholds tan(π/16), tan(3π/16) and centres tan(π/8), 1 with their arctangents. */
    static final double T1 = StrictMath.tan(Math.PI / 16);
    static final double T2 = StrictMath.tan(3 * Math.PI / 16);
    static final double C1 = StrictMath.tan(Math.PI / 8);
    static final double A1 = StrictMath.atan(C1);
    static final double A2 = StrictMath.atan(1.0);
    /*
     * P(w) = sum_{k=1..12} (-1)^k w^(k-1) / (2k + 1), highest power first for Horner's rule; compile-time
     * constants because the vector map spells Horner's rule out with them (see ASIN0).
     */
    static final double ATAN0 = 1.0 / 25;
    static final double ATAN1 = -1.0 / 23;
    static final double ATAN2 = 1.0 / 21;
    static final double ATAN3 = -1.0 / 19;
    static final double ATAN4 = 1.0 / 17;
    static final double ATAN5 = -1.0 / 15;
    static final double ATAN6 = 1.0 / 13;
    static final double ATAN7 = -1.0 / 11;
    static final double ATAN8 = 1.0 / 9;
    static final double ATAN9 = -1.0 / 7;
    static final double ATAN10 = 1.0 / 5;
    static final double ATAN11 = -1.0 / 3;
    static final double[] P = {ATAN0, ATAN1, ATAN2, ATAN3, ATAN4, ATAN5, ATAN6, ATAN7, ATAN8, ATAN9, ATAN10, ATAN11};

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
    static final float ATAN_F0 = (float) (-1.0 / 11);
    static final float ATAN_F1 = (float) (1.0 / 9);
    static final float ATAN_F2 = (float) (-1.0 / 7);
    static final float ATAN_F3 = (float) (1.0 / 5);
    static final float ATAN_F4 = (float) (-1.0 / 3);
    static final float[] PF = {ATAN_F0, ATAN_F1, ATAN_F2, ATAN_F3, ATAN_F4};

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

    // ---------------------------------------------------------------- arc-cosine pieces without division

    /*
     * ReLU's map needs, for a correlation ρ, θ = acos ρ and sin θ. With x = |ρ| both come from one polynomial
     * pair on z in [0, 1/4] (the argument reduction of fdlibm's asin): for x <= 1/2, z = x², asin x = x + x z A(z)
     * and sqrt(1 - x²) = B(z); for x > 1/2, z = (1 - x)/2, s = sqrt z, acos x = 2 asin s = 2 (s + s z A(z)) and
     * sqrt(1 - x²) = 2 s B(z). One square root, no division. A and B are Chebyshev fits (mpmath chebyfit, 50
     * digits) of (asin sqrt z - sqrt z) / z^1.5 and sqrt(1 - z), highest power first. The coefficients are
     * compile-time constants because the vector maps spell out Horner's rule with them: under JDK 17's C2 a
     * vector loop that reads its coefficients from an array, or carries a vector through a short inner loop,
     * runs up to 1.5x slower. The arrays hold the same values for the scalar maps.
     */

    /** A(z), 13 terms: maximum error 1.5e-17 on [0, 1/4] (so asin's error from A is below 4e-18 relative). */
    static final double ASIN0 = 0.028757851367421566;
    static final double ASIN1 = -0.014851887071247204;
    static final double ASIN2 = 0.01740087944269402;
    static final double ASIN3 = 0.005457506718640358;
    static final double ASIN4 = 0.01032281435018578;
    static final double ASIN5 = 0.011479177415184906;
    static final double ASIN6 = 0.013971212973552933;
    static final double ASIN7 = 0.017352392720869973;
    static final double ASIN8 = 0.02237217294214989;
    static final double ASIN9 = 0.030381944138531247;
    static final double ASIN10 = 0.04464285714635543;
    static final double ASIN11 = 0.07499999999998433;
    static final double ASIN12 = 0.16666666666666669;
    /** B(z) = sqrt(1 - z), 13 terms: maximum error 1.8e-17 on [0, 1/4]. */
    static final double SQRT0 = -0.034308838583332474;
    static final double SQRT1 = 0.017190548009281534;
    static final double SQRT2 = -0.021194963521473254;
    static final double SQRT3 = -0.007446828865423663;
    static final double SQRT4 = -0.01375441009387522;
    static final double SQRT5 = -0.016027596302914372;
    static final double SQRT6 = -0.020515325325567758;
    static final double SQRT7 = -0.02734331164089207;
    static final double SQRT8 = -0.0390625163329017;
    static final double SQRT9 = -0.06249999963931342;
    static final double SQRT10 = -0.1250000000041244;
    static final double SQRT11 = -0.4999999999999815;
    static final double SQRT12 = 1.0;
    /** A(z) in 6 float terms: error 4.2e-9 (below a float ulp after the factor z <= 1/4). */
    static final float ASIN_F0 = 0.03369084720283012f;
    static final float ASIN_F1 = 0.017149238357677253f;
    static final float ASIN_F2 = 0.03110066273549457f;
    static final float ASIN_F3 = 0.04459940152851218f;
    static final float ASIN_F4 = 0.07500094543497424f;
    static final float ASIN_F5 = 0.16666666337430908f;
    /** B(z) in 6 float terms: error 5.9e-9. */
    static final float SQRT_F0 = -0.050781774374713415f;
    static final float SQRT_F1 = -0.031613089822849647f;
    static final float SQRT_F2 = -0.06352240179385617f;
    static final float SQRT_F3 = -0.12493826802827501f;
    static final float SQRT_F4 = -0.5000013421707751f;
    static final float SQRT_F5 = 1.000000004673347f;

    static final double[] ASIN_TAIL = {ASIN0, ASIN1, ASIN2, ASIN3, ASIN4, ASIN5, ASIN6, ASIN7, ASIN8, ASIN9,
        ASIN10, ASIN11, ASIN12};
    static final double[] SQRT_ONE_MINUS = {SQRT0, SQRT1, SQRT2, SQRT3, SQRT4, SQRT5, SQRT6, SQRT7, SQRT8,
        SQRT9, SQRT10, SQRT11, SQRT12};
    static final float[] ASIN_TAIL_F = {ASIN_F0, ASIN_F1, ASIN_F2, ASIN_F3, ASIN_F4, ASIN_F5};
    static final float[] SQRT_ONE_MINUS_F = {SQRT_F0, SQRT_F1, SQRT_F2, SQRT_F3, SQRT_F4, SQRT_F5};

    /**
     * Correlations above this count as exactly 1. A self pair's diagonal has q12 = q11 = q22 exactly, but
     * q12 (1/sqrt q11)(1/sqrt q22) can land a few ulps below 1, where acos has infinite slope (θ would be
     * about 1e-8 instead of 0). 8 ulps is the rounding of that product, the same uncertainty any correlation
     * this close to 1 carries.
     */
    static final double CORRELATION_ONE = 1 - 0x1p-50;
    static final float CORRELATION_ONE_F = 1 - 0x1p-21f;

    /** Horner's rule with fma, highest power first (the vector maps repeat these operations). */
    static double poly(double[] c, double z) {
        double p = c[0];
        for (int k = 1; k < c.length; k++) {
            p = Math.fma(p, z, c[k]);
        }
        return p;
    }

    static float poly(float[] c, float z) {
        float p = c[0];
        for (int k = 1; k < c.length; k++) {
            p = Math.fma(p, z, c[k]);
        }
        return p;
    }
}
