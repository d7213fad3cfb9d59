package io.eqntk.predict;

import java.util.stream.IntStream;

/**
 * Triangular solves with a lower Cholesky factor for many right-hand sides at once, each right-hand side a
 * contiguous row. Rows are processed in blocks so that each row of {@code L} is read once per block while it is
 * in cache; blocks are independent and run in parallel when the work is large. (EJML's column-by-column solves
 * stream the whole factor once per right-hand side, several times slower for thousands of test points.)
 */
final class Triangular {
    private Triangular() {
    }

    private static final int BLOCK = 32;
    /** Below this many multiply-adds, stay on the calling thread. */
    private static final double PARALLEL_WORK = 5e7;

    /** Replaces each row {@code b_r} (m rows of length n) by {@code L^-1 b_r}; {@code l} is n x n lower, row-major. */
    static void forwardRows(double[] l, double[] b, int n, int m) {
        run(m, (double) m * n * n / 2, z0 -> forwardBlock(l, b, n, z0, Math.min(m, z0 + BLOCK)));
    }

    /** Replaces each row {@code b_r} (m rows of length n) by {@code L^-T b_r}. */
    static void backwardRows(double[] l, double[] b, int n, int m) {
        run(m, (double) m * n * n / 2, z0 -> backwardBlock(l, b, n, z0, Math.min(m, z0 + BLOCK)));
    }

    private static void run(int m, double work, java.util.function.IntConsumer block) {
        int blocks = (m + BLOCK - 1) / BLOCK;
        IntStream s = IntStream.range(0, blocks);
        if (blocks > 1 && work > PARALLEL_WORK) {
            s = s.parallel();
        }
        s.forEach(q -> block.accept(q * BLOCK));
    }

    private static void forwardBlock(double[] l, double[] b, int n, int z0, int z1) {
        for (int i = 0; i < n; i++) {
            int li = i * n;
            double d = l[li + i];
            for (int z = z0; z < z1; z++) {
                int zo = z * n;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int j = 0;
                for (; j + 3 < i; j += 4) {
                    s0 += l[li + j] * b[zo + j];
                    s1 += l[li + j + 1] * b[zo + j + 1];
                    s2 += l[li + j + 2] * b[zo + j + 2];
                    s3 += l[li + j + 3] * b[zo + j + 3];
                }
                for (; j < i; j++) {
                    s0 += l[li + j] * b[zo + j];
                }
                b[zo + i] = (b[zo + i] - ((s0 + s1) + (s2 + s3))) / d;
            }
        }
    }

    private static void backwardBlock(double[] l, double[] b, int n, int z0, int z1) {
        // L^T x = u, from the last unknown up: x_i = u_i / L_ii, then u_j -= L_ij x_i for j < i (row i of L).
        for (int i = n - 1; i >= 0; i--) {
            int li = i * n;
            double d = l[li + i];
            for (int z = z0; z < z1; z++) {
                int zo = z * n;
                double x = b[zo + i] / d;
                b[zo + i] = x;
                for (int j = 0; j < i; j++) {
                    b[zo + j] -= l[li + j] * x;
                }
            }
        }
    }
}
