package io.eqntk.kernel;

/**
 * The arcsine kernel of erf (KERNELS.md §2): D = (1 + 2 q11)(1 + 2 q22), S = sqrt(max(D - 4 q12², 0)),
 * Σ = (2/π) atan2(2 q12, S), Σ̇ = (4/π) / S.
 */
final class ErfKernel implements Nonlinearity {
    public static final ErfKernel INSTANCE = new ErfKernel();
    private static final double TWO_OVER_PI = 2 / Math.PI;
    private static final double FOUR_OVER_PI = 4 / Math.PI;
    private static final float TWO_OVER_PI_F = (float) TWO_OVER_PI;
    private static final float FOUR_OVER_PI_F = (float) FOUR_OVER_PI;

    private ErfKernel() {
    }

    /** The scalar map: reduced states and single entries (blocks and slices use {@link #mapFactors}). */
    @Override
    public void mapRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len) {
        double a = 1 + 2 * varA;
        for (int j = 0; j < len; j++) {
            entry(a * (1 + 2 * varB[varBOff + j]), sig, th, off + j);
        }
    }

    @Override
    public double varianceFactor(double q, int plane) {
        return 1 + 2 * q;
    }

    @Override
    public void mapFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] scratch1, double[] scratch2) {
        int done = VectorSupport.ENABLED && len >= VectorSupport.MIN_LENGTH
            ? VectorNonlinearities.erfFactors(fa, offA, fb, offB, sig, th, off, len, scratch1, scratch2) : 0;
        scalarFactors(fa, offA + done, fb, offB + done, sig, th, off + done, len - done);
    }

    /** The scalar {@link #mapFactors}: D = f(q11) f(q22) with f(q) = 1 + 2q, as in {@link #mapRow}. */
    void scalarFactors(double[] fa, int offA, double[] fb, int offB, double[] sig, double[] th, int off, int len) {
        for (int j = 0; j < len; j++) {
            entry(fa[offA + j] * fb[offB + j], sig, th, off + j);
        }
    }

    /** One entry i, q12 = sig[i], with D = f(q11) f(q22) = (1 + 2 q11)(1 + 2 q22). */
    private static void entry(double d, double[] sig, double[] th, int i) {
        double q12 = sig[i];
        double e = d - 4 * q12 * q12;
        double s = Math.sqrt(e > 0 ? e : 0);
        sig[i] = TWO_OVER_PI * FastMath.atan2(2 * q12, s);
        if (th != null) {
            th[i] *= FOUR_OVER_PI / s;
        }
    }

    @Override
    public void mapFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                           int len, float[] scratch1, float[] scratch2) {
        int done = VectorSupport.ENABLED && len >= VectorSupport.MIN_LENGTH
            ? VectorNonlinearities.erfFactors(fa, offA, fb, offB, sig, th, off, len, scratch1, scratch2) : 0;
        scalarFactors(fa, offA + done, fb, offB + done, sig, th, off + done, len - done);
    }

    /** The scalar float {@link #mapFactors}, the reference for the vector one. */
    void scalarFactors(float[] fa, int offA, float[] fb, int offB, float[] sig, float[] th, int off, int len) {
        for (int j = 0; j < len; j++) {
            float q12 = sig[off + j];
            float d = fa[offA + j] * fb[offB + j] - 4 * q12 * q12;
            float s = (float) Math.sqrt(d > 0 ? d : 0);
            sig[off + j] = TWO_OVER_PI_F * FastMath.atan2(2 * q12, s);
            if (th != null) {
                th[off + j] *= FOUR_OVER_PI_F / s;
            }
        }
    }

}
