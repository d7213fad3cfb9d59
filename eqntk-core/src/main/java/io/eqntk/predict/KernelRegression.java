package io.eqntk.predict;

import io.eqntk.EqntkException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Kernel regression with an infinite-width kernel: the predictor of an infinitely wide network.
 *
 * <p>Built once from the train-train kernel {@code K(X, X)} (n x n) and a {@link Ridge}; the regularised matrix
 * {@code K_dd = K(X, X) + lambda I} is factorised once and reused for any number of target matrices {@code Y}
 * (n x k) and test kernels {@code K(Z, X)} (nTest x n). With the NTK, the predictions are the mean of an
 * infinitely wide ensemble trained by gradient flow on the mean squared error; with the NNGP they are the Bayesian
 * posterior mean, and {@link #posteriorVariance}/{@link #posteriorCovariance} give the posterior uncertainty
 * (those two are meaningful with the NNGP kernel only).
 *
 * <pre>
 * t = infinity:  mu(Z)   = K(Z, X) K_dd^-1 Y                                   (Cholesky, computed at construction)
 * finite t:      K_dd    = V Lambda V^T                                        (eigendecomposition, computed lazily)
 *                mu_t(Z) = K(Z, X) V diag((1 - exp(-lambda_i t / (n k))) / lambda_i) V^T Y
 * posterior:     Sigma(Z) = K(Z, Z) - K(Z, X) K_dd^-1 K(X, Z)
 * </pre>
 *
 * <p><b>Time convention.</b> Training time {@code t} is measured as in neural-tangents for the loss
 * {@code 1/(2 n k) ||f - y||^2} with learning rate 1: the exponent is {@code -lambda_i t / (n k)}, where
 * {@code n} is the number of training points and {@code k} the number of outputs (columns of {@code Y}). At
 * {@code t = 0} the predictions are exactly zero; as {@code t} grows they tend to the {@code t = infinity}
 * solution. For an eigenvalue {@code lambda_i = 0} the factor is its limit {@code t / (n k)}.
 *
 * <p><b>Ridge escalation.</b> If {@code K_dd} is not numerically positive definite (the Cholesky factorisation
 * fails, has a pivot below rounding level, or produces a non-finite value), a jitter is added to the diagonal,
 * starting at {@code 1e-10} times the mean diagonal and multiplied by 10 each step up to {@code 0.1} times the mean
 * diagonal. Every step is reported to the warning sink, and {@link #ridgeUsed()} returns the final diagonal; if
 * the largest jitter still fails, the constructor throws {@link EqntkException}. All later computations
 * (including the finite-t eigendecomposition) use that final ridge.
 *
 * <p>Costs: construction O(n^3/3); the first finite-t call adds an O(n^3) symmetric eigendecomposition; after
 * that each call is O(n^2 k + nTest n k) (predictions) or O(nTest n^2) (posterior variance/covariance). Instances
 * are safe to share between threads. Memory: about three n x n matrices.
 */
public final class KernelRegression {

    /** The default warning sink: one line on standard error, prefixed {@code eqntk: warning: }. */
    public static final Consumer<String> STDERR_WARNINGS = m -> System.err.println("eqntk: warning: " + m);

    /** First jitter, relative to the mean diagonal: {@code 1e-10}. */
    static final int FIRST_JITTER_EXPONENT = -10;
    /** Largest jitter tried, relative to the mean diagonal: {@code 1e-1}. */
    static final int MAX_JITTER_EXPONENT = -1;
    static final double MAX_JITTER = 1e-1;

    private final int n;
    private final Ridge ridge;
    /** The symmetrised train kernel without ridge, n x n. */
    private final DMatrixRMaj kTrain;
    private final double ridgeRequested;
    private final double ridgeUsed;
    /** Lower Cholesky factor of K + ridgeUsed I. */
    private final DMatrixRMaj chol;
    private volatile Eigen eigen;

    /** Eigen-pairs of K + ridgeUsed I: V (n x n, eigenvectors in columns) and the eigenvalues. */
    record Eigen(DMatrixRMaj v, double[] values) {
    }

    /** Same as {@link #KernelRegression(double[], int, Ridge, Consumer)} with warnings on standard error. */
    public KernelRegression(double[] kTrain, int n, Ridge ridge) {
        this(kTrain, n, ridge, STDERR_WARNINGS);
    }

    /**
     * Factorises {@code K(X, X) + lambda I}.
     *
     * @param kTrain   the train-train kernel, n x n row-major, symmetric (differences up to {@code 1e-6} of the
     *                 largest entry are averaged away; larger ones are an error). The array is copied.
     * @param n        the number of training points, at least 1
     * @param ridge    the regulariser
     * @param warnings where ridge-escalation warnings go (one line each, without prefix)
     * @throws EqntkException on a wrong length, a non-finite or asymmetric kernel, or a kernel that stays
     *                        non-positive-definite after the largest jitter
     */
    public KernelRegression(double[] kTrain, int n, Ridge ridge, Consumer<String> warnings) {
        Checks.requireAtLeast("n (number of training points)", n, 1);
        Checks.requireMatrix("kTrain", kTrain, n, n, "n x n");
        this.n = n;
        this.ridge = Objects.requireNonNull(ridge, "ridge");
        Consumer<String> warn = warnings == null ? STDERR_WARNINGS : warnings;
        this.kTrain = symmetrised(kTrain, n);
        this.ridgeRequested = ridge.lambda(kTrain, n);

        double meanDiag = 0;
        double maxAbs = 0;
        for (int i = 0; i < n; i++) {
            meanDiag += this.kTrain.data[i * n + i];
        }
        meanDiag /= n;
        for (double x : this.kTrain.data) {
            maxAbs = Math.max(maxAbs, Math.abs(x));
        }
        double scale = meanDiag > 0 ? meanDiag : (maxAbs > 0 ? maxAbs : 1.0);

        double lambda = ridgeRequested;
        DMatrixRMaj l = cholesky(lambda);
        if (l == null) {
            for (int e = FIRST_JITTER_EXPONENT; e <= MAX_JITTER_EXPONENT; e++) {
                double jitter = Double.parseDouble("1e" + e); // exact decimal powers of ten, for the messages
                double next = ridgeRequested + jitter * scale;
                warn.accept("kernel regression: train kernel (n = " + n + ") plus ridge " + Checks.format(lambda)
                        + " is not positive definite; retrying with ridge " + Checks.format(next) + " (" + ridge
                        + " + jitter " + Checks.format(jitter) + " x mean diagonal " + Checks.format(scale) + ")");
                lambda = next;
                l = cholesky(lambda);
                if (l != null) {
                    break;
                }
            }
            if (l == null) {
                throw new EqntkException("train kernel (n = " + n + ") is not positive definite even with ridge "
                        + Checks.format(lambda) + " (" + ridge + " + jitter " + Checks.format(MAX_JITTER)
                        + " x mean diagonal " + Checks.format(scale) + "); is it a valid kernel matrix?");
            }
            warn.accept("kernel regression: using ridge " + Checks.format(lambda) + " instead of "
                    + Checks.format(ridgeRequested) + " (" + ridge + ")");
        }
        this.ridgeUsed = lambda;
        this.chol = l;
    }

    private static DMatrixRMaj symmetrised(double[] k, int n) {
        double maxAbs = 0;
        for (double x : k) {
            maxAbs = Math.max(maxAbs, Math.abs(x));
        }
        double tol = 1e-6 * maxAbs;
        DMatrixRMaj s = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            s.data[i * n + i] = k[i * n + i];
            for (int j = i + 1; j < n; j++) {
                double a = k[i * n + j];
                double b = k[j * n + i];
                if (Math.abs(a - b) > tol) {
                    throw new EqntkException("kTrain is not symmetric: entry (" + i + ", " + j + ") = " + a
                            + " but (" + j + ", " + i + ") = " + b);
                }
                double m = 0.5 * (a + b);
                s.data[i * n + j] = m;
                s.data[j * n + i] = m;
            }
        }
        return s;
    }

    /** The lower Cholesky factor of K + lambda I, or null if it is not numerically positive definite. */
    private DMatrixRMaj cholesky(double lambda) {
        DMatrixRMaj a = kTrain.copy();
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            a.data[i * n + i] += lambda;
            diag[i] = a.data[i * n + i];
        }
        CholeskyDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.chol(n, true);
        if (!dec.decompose(a)) {
            return null;
        }
        DMatrixRMaj l = dec.getT(null);
        for (double x : l.data) {
            if (!Double.isFinite(x)) {
                return null;
            }
        }
        // A pivot at rounding level means the matrix is singular to working precision: its solve is noise.
        double tol = Math.max(16, n) * Math.ulp(1.0);
        for (int i = 0; i < n; i++) {
            double p = l.data[i * n + i];
            if (!(p * p > tol * diag[i])) {
                return null;
            }
        }
        return l;
    }

    /** A copy of the lower Cholesky factor L of {@code K(X, X) + ridgeUsed I} (n x n, row-major). */
    public double[] choleskyFactor() {
        return chol.data.clone();
    }

    /** The number of training points. */
    public int size() {
        return n;
    }

    /** The ridge this was built with. */
    public Ridge ridge() {
        return ridge;
    }

    /** The diagonal the ridge asked for, {@code ridge().lambda(kTrain, n)}. */
    public double ridgeRequested() {
        return ridgeRequested;
    }

    /** The diagonal actually added to {@code K(X, X)}: the requested one, or more after escalation. */
    public double ridgeUsed() {
        return ridgeUsed;
    }

    // ---------------------------------------------------------------------------------------------- t = infinity

    /**
     * The dual coefficients {@code K_dd^-1 Y}, n x k row-major: the {@code t = infinity} prediction at a test
     * point {@code z} is {@code K(z, X)} times this matrix. Cost O(n^2 k).
     */
    public double[] dualCoefficients(double[] y, int k) {
        checkTargets(y, k);
        return solve(y, k).data;
    }

    /**
     * The {@code t = infinity} mean {@code K(Z, X) K_dd^-1 Y}.
     *
     * @param kTestTrain {@code K(Z, X)}, nTest x n row-major
     * @param nTest      the number of test points ({@code >= 0})
     * @param y          the targets, n x k row-major
     * @param k          the number of outputs ({@code >= 1})
     * @return nTest x k, row-major
     */
    public double[] predict(double[] kTestTrain, int nTest, double[] y, int k) {
        checkTest(kTestTrain, nTest);
        checkTargets(y, k);
        return times(kTestTrain, nTest, solve(y, k));
    }

    /** {@code K_dd^-1 Y} for Y n x k row-major (validated), as an n x k matrix. */
    private DMatrixRMaj solve(double[] y, int k) {
        // Columns of Y as contiguous rows of Y^T: forward then backward substitution with L.
        DMatrixRMaj yt = new DMatrixRMaj(k, n);
        CommonOps_DDRM.transpose(DMatrixRMaj.wrap(n, k, y), yt);
        Triangular.forwardRows(chol.data, yt.data, n, k);
        Triangular.backwardRows(chol.data, yt.data, n, k);
        return CommonOps_DDRM.transpose(yt, null);
    }

    /** {@code kTestTrain (nTest x n) * m (n x k)}, row-major. */
    private double[] times(double[] kTestTrain, int nTest, DMatrixRMaj m) {
        int k = m.numCols;
        DMatrixRMaj out = new DMatrixRMaj(nTest, k);
        if (nTest > 0) {
            CommonOps_DDRM.mult(DMatrixRMaj.wrap(nTest, n, kTestTrain), m, out);
        }
        return out.data;
    }

    // ------------------------------------------------------------------------------------------------- finite t

    /**
     * The mean after training for time {@code t}:
     * {@code K(Z, X) V diag((1 - exp(-lambda_i t / (n k))) / lambda_i) V^T Y}, with n the number of training
     * points and k the number of outputs (see the class comment for this convention). {@code t = 0} gives exactly
     * zero; {@code t = +infinity} gives {@link #predict}. The first call computes the eigendecomposition of
     * {@code K_dd} (O(n^3)); later calls are O(n^2 k + nTest n k).
     *
     * @param t          training time, {@code >= 0} (may be {@link Double#POSITIVE_INFINITY})
     * @param kTestTrain {@code K(Z, X)}, nTest x n row-major
     * @return nTest x k, row-major
     */
    public double[] predictAt(double t, double[] kTestTrain, int nTest, double[] y, int k) {
        checkTime(t);
        checkTest(kTestTrain, nTest);
        checkTargets(y, k);
        if (t == Double.POSITIVE_INFINITY) {
            return times(kTestTrain, nTest, solve(y, k));
        }
        if (t == 0) {
            return new double[nTest * k];
        }
        Eigen e = eigen();
        double s = t / ((double) n * k);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = flowFactor(e.values[i], s);
        }
        return times(kTestTrain, nTest, spectral(e, g, y, k));
    }

    /**
     * The mean at the training inputs themselves after training for time {@code t}, {@code mu_t(X)}: the same as
     * {@code predictAt(t, kTrain, n, y, k)} without passing the kernel again. Cost O(n^2 k) after the first
     * finite-t call.
     *
     * @return n x k, row-major
     */
    public double[] trainPredictionAt(double t, double[] y, int k) {
        checkTime(t);
        checkTargets(y, k);
        if (t == Double.POSITIVE_INFINITY) {
            return times(kTrain.data, n, solve(y, k));
        }
        if (t == 0) {
            return new double[n * k];
        }
        Eigen e = eigen();
        double s = t / ((double) n * k);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            // K(X, X) = V (Lambda - ridgeUsed) V^T.
            double lam = Math.max(e.values[i], 0);
            g[i] = (lam - ridgeUsed) * flowFactor(lam, s);
        }
        return spectral(e, g, y, k).data;
    }

    /** {@code (1 - exp(-lambda s)) / lambda}, and its limit {@code s} at {@code lambda = 0}. */
    static double flowFactor(double lambda, double s) {
        // K_dd is positive definite, so a negative eigenvalue can only be rounding error.
        double lam = Math.max(lambda, 0);
        double x = lam * s;
        if (x < 1e-300) {
            return s;
        }
        return -Math.expm1(-x) / lam;
    }

    /** {@code V diag(g) V^T Y}, n x k. */
    private DMatrixRMaj spectral(Eigen e, double[] g, double[] y, int k) {
        DMatrixRMaj w = new DMatrixRMaj(n, k);
        CommonOps_DDRM.multTransA(e.v, DMatrixRMaj.wrap(n, k, y), w);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                w.data[i * k + c] *= g[i];
            }
        }
        DMatrixRMaj out = new DMatrixRMaj(n, k);
        CommonOps_DDRM.mult(e.v, w, out);
        return out;
    }

    private Eigen eigen() {
        Eigen e = eigen;
        if (e == null) {
            synchronized (this) {
                e = eigen;
                if (e == null) {
                    e = decomposeEigen();
                    eigen = e;
                }
            }
        }
        return e;
    }

    private Eigen decomposeEigen() {
        DMatrixRMaj a = kTrain.copy();
        for (int i = 0; i < n; i++) {
            a.data[i * n + i] += ridgeUsed;
        }
        Eigen e = symmetricEigen(a);
        if (e == null) {
            throw new EqntkException("eigendecomposition of the train kernel (n = " + n + ", ridge "
                    + Checks.format(ridgeUsed) + ") did not converge or produced a non-finite value");
        }
        return e;
    }

    /**
     * Eigen-pairs of a symmetric matrix (which is overwritten), or null if EJML's symmetric QR algorithm does not
     * converge or gives a non-finite value. EJML's default iteration cap (225 QR steps) is too small for kernels of
     * a thousand points or more, whose spectra have long clustered tails; the cap is raised to {@code 100 n}.
     */
    static Eigen symmetricEigen(DMatrixRMaj a) {
        int n = a.numRows;
        EigenDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.eig(n, true, true);
        if (dec instanceof SymmetricQRAlgorithmDecomposition_DDRM qr) {
            qr.setMaxIterations((int) Math.min(Integer.MAX_VALUE, Math.max(1000L, 100L * n)));
        }
        if (!dec.decompose(a)) {
            return null;
        }
        DMatrixRMaj v = new DMatrixRMaj(n, n);
        double[] values = new double[n];
        for (int j = 0; j < n; j++) {
            values[j] = dec.getEigenvalue(j).real;
            DMatrixRMaj vec = dec.getEigenVector(j);
            if (vec == null || !Double.isFinite(values[j])) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                double x = vec.data[i];
                if (!Double.isFinite(x)) {
                    return null;
                }
                v.data[i * n + j] = x;
            }
        }
        return new Eigen(v, values);
    }

    // ------------------------------------------------------------------------------------------------ posterior

    /**
     * The diagonal of the posterior covariance, {@code k(z, z) - K(z, X) K_dd^-1 K(X, z)} for each test point
     * (meaningful with the NNGP kernel). Values below zero from rounding are clamped to zero. Cost O(nTest n^2).
     *
     * @param kTestTestDiag {@code k(z, z)} for each test point, length nTest
     * @param kTestTrain    {@code K(Z, X)}, nTest x n row-major
     * @return length nTest
     */
    public double[] posteriorVariance(double[] kTestTestDiag, double[] kTestTrain, int nTest) {
        checkTest(kTestTrain, nTest);
        Checks.requireVector("kTestTestDiag", kTestTestDiag, nTest, "nTest");
        double[] u = kTestTrain.clone();
        Triangular.forwardRows(chol.data, u, n, nTest);
        double[] out = new double[nTest];
        for (int z = 0; z < nTest; z++) {
            double q = 0;
            for (int j = z * n; j < (z + 1) * n; j++) {
                q += u[j] * u[j];
            }
            out[z] = Math.max(0, kTestTestDiag[z] - q);
        }
        return out;
    }

    /**
     * The posterior covariance {@code K(Z, Z) - K(Z, X) K_dd^-1 K(X, Z)} (meaningful with the NNGP kernel),
     * exactly symmetric. Cost O(nTest n^2 + nTest^2 n).
     *
     * @param kTestTest  {@code K(Z, Z)}, nTest x nTest row-major
     * @param kTestTrain {@code K(Z, X)}, nTest x n row-major
     * @return nTest x nTest, row-major
     */
    public double[] posteriorCovariance(double[] kTestTest, double[] kTestTrain, int nTest) {
        checkTest(kTestTrain, nTest);
        Checks.requireMatrix("kTestTest", kTestTest, nTest, nTest, "nTest x nTest");
        // Rows of U^T = L^-1 K(X, Z), one test point each; then the reduction is U^T U.
        DMatrixRMaj ut = new DMatrixRMaj(nTest, n, true, kTestTrain.clone());
        Triangular.forwardRows(chol.data, ut.data, n, nTest);
        DMatrixRMaj q = new DMatrixRMaj(nTest, nTest);
        if (nTest > 0) {
            CommonOps_DDRM.multOuter(ut, q);
        }
        double[] out = new double[nTest * nTest];
        for (int i = 0; i < nTest; i++) {
            out[i * nTest + i] = kTestTest[i * nTest + i] - q.data[i * nTest + i];
            for (int j = i + 1; j < nTest; j++) {
                double kij = 0.5 * (kTestTest[i * nTest + j] + kTestTest[j * nTest + i]);
                double qij = 0.5 * (q.data[i * nTest + j] + q.data[j * nTest + i]);
                out[i * nTest + j] = kij - qij;
                out[j * nTest + i] = kij - qij;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ checks

    private void checkTest(double[] kTestTrain, int nTest) {
        Checks.requireAtLeast("nTest (number of test points)", nTest, 0);
        Checks.requireMatrix("kTestTrain", kTestTrain, nTest, n, "nTest x n");
    }

    private void checkTargets(double[] y, int k) {
        Checks.requireAtLeast("k (number of outputs)", k, 1);
        Checks.requireMatrix("y", y, n, k, "n x k");
    }

    private static void checkTime(double t) {
        if (Double.isNaN(t) || t < 0) {
            throw new EqntkException("training time t must be >= 0 (or infinity), got " + t);
        }
    }
}
