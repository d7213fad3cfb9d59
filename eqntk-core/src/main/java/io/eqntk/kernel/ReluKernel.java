package io.eqntk.kernel;

/**
 * ReLU's arc-cosine kernel (KERNELS.md §2): θ = atan2(sqrt(max(q11 q22 - q12², 0)), q12),
 * Σ = (sqrt(q11 q22 - q12²) + (π - θ) q12) / (2π), Σ̇ = (π - θ) / (2π).
 */
public final class ReluKernel implements Nonlinearity {
    public static final ReluKernel INSTANCE = new ReluKernel();
    private static final double INV_2PI = 1.0 / (2 * Math.PI);
    static final float INV_2PI_F = (float) INV_2PI;

    private ReluKernel() {
    }

    /** The scalar map: reduced states and single entries (blocks and slices use {@link #mapFactors}). */
    @Override
    public void mapRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len) {
        for (int j = 0; j < len; j++) {
            entry(varA * varB[varBOff + j], sig, th, off + j);
        }
    }

    @Override
    public double varianceFactor(double q) {
        return q;
    }

    @Override
    public void mapFactors(double[] fa, int offA, double[] fb, int offB, double[] sig, double[] th, int off,
                           int len, double[] scratch1, double[] scratch2) {
        int done = VectorSupport.ENABLED && len >= VectorSupport.MIN_LENGTH
            ? VectorNonlinearities.reluFactors(fa, offA, fb, offB, sig, th, off, len, scratch1, scratch2) : 0;
        scalarFactors(fa, offA + done, fb, offB + done, sig, th, off + done, len - done);
    }

    /** The scalar {@link #mapFactors}: det = f(q11) f(q22) - q12², as in {@link #mapRow}. */
    void scalarFactors(double[] fa, int offA, double[] fb, int offB, double[] sig, double[] th, int off, int len) {
        for (int j = 0; j < len; j++) {
            entry(fa[offA + j] * fb[offB + j], sig, th, off + j);
        }
    }

    /** One entry i, q12 = sig[i], with ff = f(q11) f(q22) = q11 q22: det = ff - q12². */
    private static void entry(double ff, double[] sig, double[] th, int i) {
        double q12 = sig[i];
        double det = ff - q12 * q12;
        double s = Math.sqrt(det > 0 ? det : 0);
        double angle = Math.PI - FastMath.atan2(s, q12);
        sig[i] = (s + angle * q12) * INV_2PI;
        if (th != null) {
            th[i] *= angle * INV_2PI;
        }
    }

    @Override
    public void mapFactors(float[] fa, int offA, float[] fb, int offB, float[] sig, float[] th, int off, int len,
                           float[] scratch1, float[] scratch2) {
        int done = VectorSupport.ENABLED && len >= VectorSupport.MIN_LENGTH
            ? VectorNonlinearities.reluFactors(fa, offA, fb, offB, sig, th, off, len, scratch1, scratch2) : 0;
        scalarFactors(fa, offA + done, fb, offB + done, sig, th, off + done, len - done);
    }

    /** The scalar float {@link #mapFactors}, the reference for the vector one. */
    void scalarFactors(float[] fa, int offA, float[] fb, int offB, float[] sig, float[] th, int off, int len) {
        for (int j = 0; j < len; j++) {
            float q12 = sig[off + j];
            float det = fa[offA + j] * fb[offB + j] - q12 * q12;
            float s = (float) Math.sqrt(det > 0 ? det : 0);
            float angle = FastMath.PI_F - FastMath.atan2(s, q12);
            sig[off + j] = (s + angle * q12) * INV_2PI_F;
            if (th != null) {
                th[off + j] *= angle * INV_2PI_F;
            }
        }
    }

}
