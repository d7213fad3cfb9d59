package io.eqntk.kernel.map;

import io.eqntk.nonlin.Activation;

/**
 * The default entry map of any activation: each entry calls its expectation maps with the two variances (one
 * factor plane: the variance itself). Scalar in both precisions; the float path computes in double and rounds.
 */
public final class ExpectationMap implements Nonlinearity {
    private final Activation phi;

    public ExpectationMap(Activation phi) {
        this.phi = phi;
    }

    @Override
    public double varianceFactor(double q, int plane) {
        return q;
    }

    @Override
    public void mapRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len) {
        double[] e = new double[2];
        for (int j = 0; j < len; j++) {
            phi.expectations(varA, varB[varBOff + j], sig[off + j], e, 0);
            store(e, sig, th, off + j);
        }
    }

    /** Entry i of a map's output: Σ ← E[φφ] = e[0], Θ ← Θ E[φ'φ'] = Θ e[1] (Θ null when it is zero). */
    static void store(double[] e, double[] sig, double[] th, int i) {
        sig[i] = e[0];
        if (th != null) {
            th[i] *= e[1];
        }
    }

    /** {@link #store} for float slices: the expectations in double, the entries rounded once. */
    static void store(double[] e, float[] sig, float[] th, int i) {
        sig[i] = (float) e[0];
        if (th != null) {
            th[i] = (float) (th[i] * e[1]);
        }
    }

    @Override
    public void mapFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] scratch1, double[] scratch2) {
        double[] e = new double[2];
        for (int j = 0; j < len; j++) {
            phi.expectations(fa[offA + j], fb[offB + j], sig[off + j], e, 0);
            store(e, sig, th, off + j);
        }
    }

    @Override
    public void mapFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                           int len, float[] scratch1, float[] scratch2) {
        double[] e = new double[2];
        for (int j = 0; j < len; j++) {
            phi.expectations(fa[offA + j], fb[offB + j], sig[off + j], e, 0);
            store(e, sig, th, off + j);
        }
    }
}
