package io.eqntk.kernel.map;

/**
 * The arcsine kernel of erf (KERNELS.md §2): D = (1 + 2 q11)(1 + 2 q22), S = sqrt(max(D - 4 q12², 0)),
 * Σ = (2/π) atan2(2 q12, S), Σ̇ = (4/π) / S. The loops are {@link ErfMap} (in float32 {@code ErfMap32}).
 */
public final class ErfKernel implements Nonlinearity {
    public static final ErfKernel INSTANCE = new ErfKernel();

    private ErfKernel() {
    }

    /** The scalar map: reduced states and single entries (blocks and slices use {@link #mapFactors}). */
    @Override
    public void mapRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len) {
        double a = 1 + 2 * varA;
        for (int j = 0; j < len; j++) {
            ErfMap.entry(a * (1 + 2 * varB[varBOff + j]), sig, th, off + j);
        }
    }

    @Override
    public double varianceFactor(double q, int plane) {
        return 1 + 2 * q;
    }

    @Override
    public void mapFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] scratch1, double[] scratch2) {
        ErfMap.mapFactors(fa, offA, fb, offB, sig, th, off, len, scratch1, scratch2);
    }

    @Override
    public void mapFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                           int len, float[] scratch1, float[] scratch2) {
        ErfMap32.mapFactors(fa, offA, fb, offB, sig, th, off, len, scratch1, scratch2);
    }
}
