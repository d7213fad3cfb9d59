package io.eqntk.nonlin;

import org.ejml.dense.row.decomposition.eig.symm.SymmetricQrAlgorithm_DDRM;

import java.util.Arrays;

/** Gauss rules from three-term recurrences (Golub-Welsch) and recurrences of discretised weights (Stieltjes). */
final class OrthogonalRules {
    private OrthogonalRules() {
    }

    /**
     * The m-point Gauss rule {nodes, weights} of the measure with total mass mu0 whose orthonormal polynomials
     * satisfy b_{k+1} q_{k+1} = (x - a_k) q_k - b_k q_{k-1}: nodes are the Jacobi matrix's eigenvalues (EJML's
     * tridiagonal QR), weights mu0 / sum_k q_k(x_i)^2 (the Christoffel function, accurate to rounding).
     */
    static double[][] gauss(double[] a, double[] b, double mu0) {
        int m = a.length;
        double[] x = eigenvalues(a, Arrays.copyOfRange(b, 1, m));
        double[] w = new double[m];
        for (int i = 0; i < m; i++) {
            double prev = 0;
            double cur = 1;
            double sum = 1;
            for (int k = 0; k + 1 < m; k++) {
                double next = ((x[i] - a[k]) * cur - b[k] * prev) / b[k + 1];
                prev = cur;
                cur = next;
                sum += cur * cur;
            }
            w[i] = mu0 / sum;
        }
        return new double[][]{x, w};
    }

    /**
     * Ascending eigenvalues of the symmetric tridiagonal matrix with this diagonal and off-diagonal (length one
     * less), by EJML's implicit QR on the tridiagonal form itself (O(m^2), no dense matrix).
     */
    static double[] eigenvalues(double[] diagonal, double[] offDiagonal) {
        int m = diagonal.length;
        if (m == 1) {
            return diagonal.clone();
        }
        SymmetricQrAlgorithm_DDRM qr = new SymmetricQrAlgorithm_DDRM();
        qr.setMaxIterations(100 * m);
        if (!qr.process(m, diagonal.clone(), offDiagonal.clone())) {
            throw new IllegalStateException("Jacobi eigenvalues did not converge at order " + m);
        }
        double[] x = new double[m];
        for (int k = 0; k < m; k++) {
            x[k] = qr.getEigenvalue(k);
        }
        Arrays.sort(x);
        return x;
    }

    /**
     * Recurrence coefficients {a, b} (b[0] = 0) of the first m orthonormal polynomials of the discrete measure
     * sum_k w_k δ(t_k), by the Stieltjes (Lanczos) procedure; stable for m far below the number of points.
     */
    static double[][] stieltjes(double[] t, double[] w, int m) {
        int n = t.length;
        double[] a = new double[m];
        double[] b = new double[m];
        double[] prev = new double[n];
        double[] cur = new double[n];
        double mass = 0;
        for (double wk : w) {
            mass += wk;
        }
        Arrays.fill(cur, 1 / Math.sqrt(mass));
        for (int j = 0; j < m; j++) {
            double alpha = 0;
            for (int k = 0; k < n; k++) {
                alpha += w[k] * t[k] * cur[k] * cur[k];
            }
            a[j] = alpha;
            if (j + 1 == m) {
                break;
            }
            double norm = 0;
            for (int k = 0; k < n; k++) {
                double r = (t[k] - alpha) * cur[k] - b[j] * prev[k];
                prev[k] = r;
                norm += w[k] * r * r;
            }
            double beta = Math.sqrt(norm);
            b[j + 1] = beta;
            for (int k = 0; k < n; k++) {
                double r = prev[k];
                prev[k] = cur[k];
                cur[k] = r / beta;
            }
        }
        return new double[][]{a, b};
    }

    /** The m-point Gauss-Legendre rule on [-1, 1]. */
    static double[][] legendre(int m) {
        double[] a = new double[m];
        double[] b = new double[m];
        for (int k = 1; k < m; k++) {
            b[k] = k / Math.sqrt(4.0 * k * k - 1);
        }
        return gauss(a, b, 2);
    }
}
