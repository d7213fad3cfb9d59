package io.eqntk.predict;

import io.eqntk.EqntkException;
import org.apache.commons.numbers.gamma.Erfc;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Class probabilities from the Gaussian-process posterior of kernel regression (meaningful with the NNGP kernel).
 *
 * <p>The model: each of the k outputs is an independent GP with prior covariance {@code s K} and Gaussian noise
 * of variance {@code s lambda} (lambda the ridge actually used), trained on the targets Y (one-hot minus 1/k).
 * The posterior mean is the kernel-regression prediction {@code K(z, X) alpha}, {@code alpha = (K + lambda I)^-1 Y},
 * whatever s; the latent posterior variance, equal for all classes, is
 * {@code v(z) = s (k(z, z) - K(z, X) (K + lambda I)^-1 K(X, z))}. The amplitude s is not fixed by the kernel (its
 * scale is arbitrary relative to the targets), so it is fitted by maximum marginal likelihood on the training
 * targets: {@code s = tr(Y^T alpha) / (n k)}.
 *
 * <p>The probability of class c is the posterior probability that its latent output is the largest. With
 * {@code f_j = mu_j + sqrt(v) e_j}, e_j independent standard normals, and conditioning on {@code e_c = u}:
 * {@code p_c = E_u[prod_(j != c) Phi((mu_c - mu_j) / sqrt(v) + u)]}, a one-dimensional Gaussian integral,
 * evaluated by {@value #NODES}-point Gauss-Hermite quadrature (exactly {@code Phi((mu_1 - mu_0) / sqrt(2 v))} for
 * two classes). This is the limit of Monte-Carlo over posterior samples (draw f, count the argmax), without its
 * sampling noise; a test checks the two against each other. When v = 0 the probabilities are the indicator of
 * the argmax (ties shared). The probabilities of each image are renormalised to sum to one.
 */
public final class GaussianPosterior {
    /** Gauss-Hermite nodes of the class-probability integral. */
    public static final int NODES = 48;
    private static final double[][] RULE = hermiteRule(NODES);

    private final int n;
    private final int k;
    private final double[] chol;
    private final double[] alpha;
    private final double amplitude;

    /**
     * @param chol      the lower Cholesky factor of {@code K(X, X) + lambda I}, n x n row-major
     * @param alpha     {@code (K + lambda I)^-1 Y}, n x k row-major
     * @param amplitude the prior amplitude s ({@code > 0})
     */
    public GaussianPosterior(double[] chol, double[] alpha, int n, int k, double amplitude) {
        Checks.requireAtLeast("n (number of training points)", n, 1);
        Checks.requireAtLeast("k (number of classes)", k, 2);
        Checks.requireMatrix("cholesky factor", chol, n, n, "n x n");
        Checks.requireMatrix("alpha", alpha, n, k, "n x k");
        if (!(amplitude > 0) || !Double.isFinite(amplitude)) {
            throw new EqntkException("posterior amplitude must be positive and finite, got " + amplitude);
        }
        this.n = n;
        this.k = k;
        this.chol = chol.clone();
        this.alpha = alpha.clone();
        this.amplitude = amplitude;
    }

    /** The posterior of a fitted regression for targets y (n x k), amplitude by maximum marginal likelihood. */
    public static GaussianPosterior of(KernelRegression reg, double[] y, int k) {
        double[] a = reg.dualCoefficients(y, k);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * y[i];
        }
        s /= (double) reg.size() * k;
        // a degenerate target matrix (all rows equal) has s = 0: any small amplitude gives the argmax
        return new GaussianPosterior(reg.choleskyFactor(), a, reg.size(), k, s > 0 ? s : Double.MIN_NORMAL);
    }

    public int size() {
        return n;
    }

    public int classes() {
        return k;
    }

    public double amplitude() {
        return amplitude;
    }

    public double[] choleskyFactor() {
        return chol.clone();
    }

    public double[] alpha() {
        return alpha.clone();
    }

    /** The posterior mean {@code K(Z, X) alpha}, nTest x k (the kernel-regression prediction). */
    public double[] mean(double[] kTestTrain, int nTest) {
        Checks.requireMatrix("kTestTrain", kTestTrain, nTest, n, "nTest x n");
        DMatrixRMaj out = new DMatrixRMaj(nTest, k);
        if (nTest > 0) {
            CommonOps_DDRM.mult(DMatrixRMaj.wrap(nTest, n, kTestTrain), DMatrixRMaj.wrap(n, k, alpha), out);
        }
        return out.data;
    }

    /** The latent posterior variance {@code v(z)} of every test point (clamped at 0 against rounding). */
    public double[] variance(double[] kTestDiag, double[] kTestTrain, int nTest) {
        Checks.requireMatrix("kTestTrain", kTestTrain, nTest, n, "nTest x n");
        Checks.requireVector("kTestDiag", kTestDiag, nTest, "nTest");
        double[] u = kTestTrain.clone();
        Triangular.forwardRows(chol, u, n, nTest);
        double[] v = new double[nTest];
        for (int z = 0; z < nTest; z++) {
            double q = 0;
            for (int j = z * n; j < (z + 1) * n; j++) {
                q += u[j] * u[j];
            }
            v[z] = amplitude * Math.max(0, kTestDiag[z] - q);
        }
        return v;
    }

    /**
     * Class probabilities for posterior means (nTest x k) and latent variances (see the class comment).
     *
     * @return nTest x k, row-major, each row summing to one
     */
    public static double[] probabilities(double[] mean, double[] variance, int nTest, int k) {
        Checks.requireMatrix("mean", mean, nTest, k, "nTest x k");
        Checks.requireVector("variance", variance, nTest, "nTest");
        double[] p = new double[nTest * k];
        double[] row = new double[k];
        for (int z = 0; z < nTest; z++) {
            System.arraycopy(mean, z * k, row, 0, k);
            double sd = Math.sqrt(Math.max(0, variance[z]));
            double sum = 0;
            for (int c = 0; c < k; c++) {
                double pc = classProbability(row, c, sd);
                p[z * k + c] = pc;
                sum += pc;
            }
            for (int c = 0; c < k; c++) {
                p[z * k + c] /= sum;
            }
        }
        return p;
    }

    private static double classProbability(double[] mu, int c, double sd) {
        int k = mu.length;
        if (sd == 0 || !Double.isFinite(mu[c] / sd)) {
            double max = Double.NEGATIVE_INFINITY;
            int ties = 0;
            for (double m : mu) {
                if (m > max) {
                    max = m;
                    ties = 1;
                } else if (m == max) {
                    ties++;
                }
            }
            return mu[c] == max ? 1.0 / ties : 0;
        }
        if (k == 2) {
            return phi((mu[c] - mu[1 - c]) / (sd * Math.sqrt(2)));
        }
        double[] x = RULE[0];
        double[] w = RULE[1];
        double total = 0;
        for (int q = 0; q < x.length; q++) {
            double prod = w[q];
            for (int j = 0; j < k && prod > 0; j++) {
                if (j != c) {
                    prod *= phi((mu[c] - mu[j]) / sd + x[q]);
                }
            }
            total += prod;
        }
        return total;
    }

    /** The standard normal distribution function. */
    static double phi(double x) {
        return 0.5 * Erfc.value(-x / Math.sqrt(2));
    }

    /**
     * Gauss-Hermite rule for the standard normal weight (nodes and weights summing to one), by the Golub-Welsch
     * method: the nodes are the eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials
     * (off-diagonal sqrt(i)), the weights the squared first components of its unit eigenvectors.
     */
    static double[][] hermiteRule(int m) {
        DMatrixRMaj j = new DMatrixRMaj(m, m);
        for (int i = 0; i + 1 < m; i++) {
            j.set(i, i + 1, Math.sqrt(i + 1));
            j.set(i + 1, i, Math.sqrt(i + 1));
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(j)) {
            throw new IllegalStateException("Gauss-Hermite rule: eigendecomposition failed");
        }
        double[] x = new double[m];
        double[] w = new double[m];
        double sum = 0;
        for (int i = 0; i < m; i++) {
            x[i] = eig.getEigenvalue(i).getReal();
            DMatrixRMaj v = eig.getEigenVector(i);
            double norm = 0;
            for (int r = 0; r < m; r++) {
                norm += v.get(r) * v.get(r);
            }
            w[i] = v.get(0) * v.get(0) / norm;
            sum += w[i];
        }
        for (int i = 0; i < m; i++) {
            w[i] /= sum;
        }
        return new double[][] {x, w};
    }
}
