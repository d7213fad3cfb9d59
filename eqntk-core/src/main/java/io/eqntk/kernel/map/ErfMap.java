// float32 twin: ErfMap32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel.map;

/**
 * The loops of {@link ErfKernel}'s map over variance factors f(q) = 1 + 2q: D = f(q11) f(q22),
 * S = sqrt(max(D - 4 q12², 0)), Σ = (2/π) atan2(2 q12, S), Σ̇ = (4/π) / S. The vector loops
 * ({@link VectorNonlinearities#erfFactors}) give the same bits. The casts that are redundant here mark where the
 * float32 twin rounds.
 */
public final class ErfMap {
    private static final double TWO_OVER_PI = (double) (2 / Math.PI);
    private static final double FOUR_OVER_PI = (double) (4 / Math.PI);

    private ErfMap() {
    }

    /** {@link Nonlinearity#mapFactors} for erf: vector loops where they fit, scalar entries for the rest. */
    static void mapFactors(double[] fa, int offA, double[] fb, int offB, double[] sig, double[] th, int off, int len,
                           double[] scratch1, double[] scratch2) {
        int done = VectorSupport.ENABLED && len >= VectorSupport.MIN_LENGTH
            ? VectorNonlinearities.erfFactors(fa, offA, fb, offB, sig, th, off, len, scratch1, scratch2) : 0;
        scalarFactors(fa, offA + done, fb, offB + done, sig, th, off + done, len - done);
    }

    /** The scalar {@link #mapFactors}, the reference for the vector one. */
    public static void scalarFactors(double[] fa, int offA, double[] fb, int offB, double[] sig, double[] th, int off,
                              int len) {
        for (int j = 0; j < len; j++) {
            entry(fa[offA + j] * fb[offB + j], sig, th, off + j);
        }
    }

    /** One entry i, q12 = sig[i], with D = f(q11) f(q22) = (1 + 2 q11)(1 + 2 q22). */
    static void entry(double d, double[] sig, double[] th, int i) {
        double q12 = sig[i];
        double e = d - 4 * q12 * q12;
        double s = (double) Math.sqrt(e > 0 ? e : 0);
        sig[i] = TWO_OVER_PI * FastMath.atan2(2 * q12, s);
        if (th != null) {
            th[i] *= FOUR_OVER_PI / s;
        }
    }
}
