package io.eqntk.kernel;

/**
 * What a nonlinearity needs from one input: at every nonlinearity layer, the self-variances
 * S_e(x, x)(t, t) (a vector over positions) or, after pooling, the scalar self-kernel; plus the input's own
 * NNGP and NTK values K(x, x). Computed once per input and shared by all its pairs.
 */
final class SelfStats {
    final double[][] spatial;
    final double[] scalar;
    double nngp;
    double ntk;

    SelfStats(int layers) {
        this.spatial = new double[layers][];
        this.scalar = new double[layers];
    }

    public double nngp() {
        return nngp;
    }

    public double ntk() {
        return ntk;
    }
}
