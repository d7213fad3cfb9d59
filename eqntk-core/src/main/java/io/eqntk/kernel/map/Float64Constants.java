package io.eqntk.kernel.map;

/**
 * The constants of the float64 maps whose float32 values are more than these rounded: polynomial coefficients
 * (float32 uses shorter fits) and thresholds counted in ulps. {@link Float32Constants} declares the float32 values
 * under the same names, and the generated float32 twins of {@link FastMath}, {@link VectorNonlinearities},
 * {@link ReluMap} and {@link ErfMap} read those (eqntk-core/src/build/PrecisionTwins.java, rule 4).
 *
 * <p>The coefficients are compile-time constants because the vector maps spell out Horner's rule with them: under
 * JDK 17's C2 a vector loop that reads its coefficients from an array, or carries a vector through a short inner
 * loop, runs up to 1.5x slower. The arrays hold the same values for the scalar maps ({@link FastMath#poly}).
 */
public final class Float64Constants {
    /*
     * atan's series for FastMath.atanRatio: P(w) = sum_{k=1..12} (-1)^k w^(k-1) / (2k + 1), highest power first
     * for Horner's rule: truncation error below 1e-20 for |u| <= tan(π/16).
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
    static final double[] ATAN_SERIES = {ATAN0, ATAN1, ATAN2, ATAN3, ATAN4, ATAN5, ATAN6, ATAN7, ATAN8, ATAN9,
        ATAN10, ATAN11};

    /*
     * The arc-cosine pieces of ReLU's map (see ReluMap): A and B are Chebyshev fits (mpmath chebyfit, 50 digits)
     * of (asin sqrt z - sqrt z) / z^1.5 and sqrt(1 - z) on z in [0, 1/4], highest power first.
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
    static final double[] ASIN_TAIL = {ASIN0, ASIN1, ASIN2, ASIN3, ASIN4, ASIN5, ASIN6, ASIN7, ASIN8, ASIN9,
        ASIN10, ASIN11, ASIN12};
    static final double[] SQRT_ONE_MINUS = {SQRT0, SQRT1, SQRT2, SQRT3, SQRT4, SQRT5, SQRT6, SQRT7, SQRT8,
        SQRT9, SQRT10, SQRT11, SQRT12};

    /**
     * Correlations above this count as exactly 1. A self pair's diagonal has q12 = q11 = q22 exactly, but
     * q12 (1/sqrt q11)(1/sqrt q22) can land a few ulps below 1, where acos has infinite slope (θ would be
     * about 1e-8 instead of 0). 8 ulps is the rounding of that product, the same uncertainty any correlation
     * this close to 1 carries.
     */
    static final double CORRELATION_ONE = 1 - 0x1p-50;

    private Float64Constants() {
    }

    /** The precision's name in benchmark keys. */
    public static final String LABEL = "float64";
}
