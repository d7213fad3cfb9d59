package io.eqntk.predict;

import java.util.Random;

/** Test kernels: Gram matrices of seeded random features, and an RBF kernel on points. */
final class Kernels {
    private Kernels() {
    }

    /** {@code rows x dim} standard normal features. */
    static double[][] features(long seed, int rows, int dim) {
        Random r = new Random(seed);
        double[][] f = new double[rows][dim];
        for (double[] row : f) {
            for (int j = 0; j < dim; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return f;
    }

    /** {@code a b^T / dim}, row-major. */
    static double[] gram(double[][] a, double[][] b) {
        int dim = a[0].length;
        double[] k = new double[a.length * b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double s = 0;
                for (int d = 0; d < dim; d++) {
                    s += a[i][d] * b[j][d];
                }
                k[i * b.length + j] = s / dim;
            }
        }
        return k;
    }

    /** {@code exp(-|a_i - b_j|^2 / (2 sigma^2))}, row-major. */
    static double[] rbf(double[][] a, double[][] b, double sigma) {
        double[] k = new double[a.length * b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double s = 0;
                for (int d = 0; d < a[i].length; d++) {
                    double x = a[i][d] - b[j][d];
                    s += x * x;
                }
                k[i * b.length + j] = Math.exp(-s / (2 * sigma * sigma));
            }
        }
        return k;
    }

    static double[] diag(double[] k, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = k[i * n + i];
        }
        return d;
    }

    static double[] randomMatrix(long seed, int rows, int cols) {
        Random r = new Random(seed);
        double[] m = new double[rows * cols];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextGaussian();
        }
        return m;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
