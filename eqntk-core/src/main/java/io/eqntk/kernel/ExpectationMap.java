package io.eqntk.kernel;

import io.eqntk.nonlin.Activation;

/**
 * The default entry map of any activation: each entry calls its expectation maps with the two variances (one
 * factor plane: the variance itself). Scalar in both precisions; the float path computes in double and rounds.
 */
final class ExpectationMap implements Nonlinearity {
    private final Activation phi;

    ExpectationMap(Activation phi) {
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
            sig[off + j] = e[0];
            if (th != null) {
                th[off + j] *= e[1];
            }
        }
    }

    @Override
    public void mapFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] scratch1, double[] scratch2) {
        double[] e = new double[2];
        for (int j = 0; j < len; j++) {
            phi.expectations(fa[offA + j], fb[offB + j], sig[off + j], e, 0);
            sig[off + j] = e[0];
            if (th != null) {
                th[off + j] *= e[1];
            }
        }
    }

    @Override
    public void mapFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                           int len, float[] scratch1, float[] scratch2) {
        double[] e = new double[2];
        for (int j = 0; j < len; j++) {
            phi.expectations(fa[offA + j], fb[offB + j], sig[off + j], e, 0);
            sig[off + j] = (float) e[0];
            if (th != null) {
                th[off + j] = (float) (th[off + j] * e[1]);
            }
        }
    }
}
