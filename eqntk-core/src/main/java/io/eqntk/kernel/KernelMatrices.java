package io.eqntk.kernel;

/** NNGP and NTK matrices of shape [rows, cols], row-major, double precision. */
public record KernelMatrices(int rows, int cols, double[] nngp, double[] ntk) {
    public double nngp(int i, int j) {
        return nngp[i * cols + j];
    }

    public double ntk(int i, int j) {
        return ntk[i * cols + j];
    }
}
