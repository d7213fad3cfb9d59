package io.eqntk.kernel.map;

/**
 * The float32 values of {@link Float64Constants}, under the same names (see there): what the generated float32
 * maps read. Each polynomial is shorter, fitted or truncated for float's 24 bits; a Horner step of a template
 * that names a term past a table's end is left out of the float32 twin (PrecisionTwins, rule 4).
 */
public final class Float32Constants {
    /** atan's series, the first 5 terms (highest power first): truncation error below 2e-9 for |u| <= tan(π/16). */
    static final float ATAN0 = (float) (-1.0 / 11);
    static final float ATAN1 = (float) (1.0 / 9);
    static final float ATAN2 = (float) (-1.0 / 7);
    static final float ATAN3 = (float) (1.0 / 5);
    static final float ATAN4 = (float) (-1.0 / 3);
    static final float[] ATAN_SERIES = {ATAN0, ATAN1, ATAN2, ATAN3, ATAN4};

    /** A(z) in 6 terms: error 4.2e-9 (below a float ulp after the factor z <= 1/4). */
    static final float ASIN0 = 0.03369084720283012f;
    static final float ASIN1 = 0.017149238357677253f;
    static final float ASIN2 = 0.03110066273549457f;
    static final float ASIN3 = 0.04459940152851218f;
    static final float ASIN4 = 0.07500094543497424f;
    static final float ASIN5 = 0.16666666337430908f;
    /** B(z) in 6 terms: error 5.9e-9. */
    static final float SQRT0 = -0.050781774374713415f;
    static final float SQRT1 = -0.031613089822849647f;
    static final float SQRT2 = -0.06352240179385617f;
    static final float SQRT3 = -0.12493826802827501f;
    static final float SQRT4 = -0.5000013421707751f;
    static final float SQRT5 = 1.000000004673347f;
    static final float[] ASIN_TAIL = {ASIN0, ASIN1, ASIN2, ASIN3, ASIN4, ASIN5};
    static final float[] SQRT_ONE_MINUS = {SQRT0, SQRT1, SQRT2, SQRT3, SQRT4, SQRT5};

    /** 8 float ulps below 1. */
    static final float CORRELATION_ONE = 1 - 0x1p-21f;

    private Float32Constants() {
    }

    /** The precision's name in benchmark keys. */
    public static final String LABEL = "float32";
}
