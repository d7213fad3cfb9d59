package io.eqntk.kernel.map;

/**
 * Layer normalisation over channels as an entry map (KernelOp.Normalize, CHANNELS): Σ(t, t') ← Σ f(v) f(v') and
 * Θ ← Θ f(v) f(v') with the one variance factor f(v) = 1/sqrt(v) (0 for v = 0, as the finite layer's 0 / ε).
 * Like a nonlinearity it acts entry by entry with per-position factors, so it runs on the slice, full and
 * diagonal paths alike.
 */
public final class NormalizeMap implements Nonlinearity {
    public static final NormalizeMap INSTANCE = new NormalizeMap();

    private NormalizeMap() {
    }

    /** 1/sqrt(v), or 0 where v <= 0. */
    public static double factor(double v) {
        return v > 0 ? 1 / Math.sqrt(v) : 0;
    }

    @Override
    public double varianceFactor(double q, int plane) {
        return factor(q);
    }

    @Override
    public void mapRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len) {
        double fa = factor(varA);
        for (int j = 0; j < len; j++) {
            double f = fa * factor(varB[varBOff + j]);
            sig[off + j] *= f;
            if (th != null) {
                th[off + j] *= f;
            }
        }
    }

    @Override
    public void mapFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] scratch1, double[] scratch2) {
        for (int j = 0; j < len; j++) {
            double f = fa[offA + j] * fb[offB + j];
            sig[off + j] *= f;
            if (th != null) {
                th[off + j] *= f;
            }
        }
    }

    @Override
    public void mapFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                           int len, float[] scratch1, float[] scratch2) {
        for (int j = 0; j < len; j++) {
            float f = fa[offA + j] * fb[offB + j];
            sig[off + j] *= f;
            if (th != null) {
                th[off + j] *= f;
            }
        }
    }
}
