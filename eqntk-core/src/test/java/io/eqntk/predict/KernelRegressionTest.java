package io.eqntk.predict;

import io.eqntk.EqntkException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelRegressionTest {

    private static KernelRegression quiet(double[] k, int n, Ridge ridge) {
        return new KernelRegression(k, n, ridge, m -> {
            throw new AssertionError("unexpected warning: " + m);
        });
    }

    // ------------------------------------------------------------------------------------------ by hand, 2 x 2

    /**
     * K = [[2, 1], [1, 2]], no ridge: K^-1 = (1/3) [[2, -1], [-1, 2]]. For Y = (1, -1), alpha = K^-1 Y = (1, -1);
     * a test point with K(z, X) = (1, 0.5) gets 1 - 0.5 = 0.5. Its posterior variance with k(z, z) = 2 is
     * 2 - (1/3) (1, 0.5) [[2, -1], [-1, 2]] (1, 0.5)^T = 2 - (1/3)(1 * 1.5 + 0.5 * 0) = 1.5.
     */
    @Test
    void twoByTwoByHand() {
        double[] k = {2, 1, 1, 2};
        KernelRegression reg = quiet(k, 2, Ridge.NONE);
        assertEquals(0, reg.ridgeUsed(), 0);
        assertArrayEquals(new double[]{1, -1}, reg.dualCoefficients(new double[]{1, -1}, 1), 1e-14);
        assertArrayEquals(new double[]{0.5}, reg.predict(new double[]{1, 0.5}, 1, new double[]{1, -1}, 1), 1e-14);
        assertArrayEquals(new double[]{1.5},
                reg.posteriorVariance(new double[]{2}, new double[]{1, 0.5}, 1), 1e-14);
        assertArrayEquals(new double[]{1.5},
                reg.posteriorCovariance(new double[]{2}, new double[]{1, 0.5}, 1), 1e-14);

        // Two outputs at once: columns (1, -1) and (1, 1). K^-1 (1, 1) = (1/3)(1, 1).
        // z = (1, 0.5): column 2 gives (1/3)(1 + 0.5) = 0.5. z = (0, 3): (-3, 1).
        double[] y2 = {1, 1, -1, 1};
        assertArrayEquals(new double[]{0.5, 0.5, -3, 1},
                reg.predict(new double[]{1, 0.5, 0, 3}, 2, y2, 2), 1e-14);
    }

    /**
     * K = [[2, 1], [1, 2]] with absolute ridge 1: K_dd = [[3, 1], [1, 3]], det 8, K_dd^-1 = (1/8)[[3, -1], [-1, 3]].
     * Y = (1, 0): alpha = (3/8, -1/8); K(z, X) = (2, 1) gives 6/8 - 1/8 = 5/8. The same with relative ridge 0.5
     * (trace 4, n 2: lambda = 0.5 * 4 / 2 = 1).
     */
    @Test
    void twoByTwoWithRidgeByHand() {
        double[] k = {2, 1, 1, 2};
        for (Ridge r : new Ridge[]{Ridge.absolute(1), Ridge.relative(0.5)}) {
            KernelRegression reg = quiet(k, 2, r);
            assertEquals(1, reg.ridgeUsed(), 1e-15);
            assertArrayEquals(new double[]{3.0 / 8, -1.0 / 8}, reg.dualCoefficients(new double[]{1, 0}, 1), 1e-14);
            assertArrayEquals(new double[]{5.0 / 8}, reg.predict(new double[]{2, 1}, 1, new double[]{1, 0}, 1), 1e-14);
        }
    }

    /**
     * K = [[2, 1], [1, 2]] has eigenpairs 3, (1, 1)/sqrt2 and 1, (1, -1)/sqrt2. Y = (1, -1) lies along the second,
     * V^T Y = (0, sqrt2), n = 2, k = 1, so mu_t(X) = K V diag(g) V^T Y = (1, -1) (1 - exp(-t/2)), and for
     * K(z, X) = (1, 0.5): mu_t(z) = ((1, 0.5) . (1, -1)) (1 - exp(-t/2)) = 0.5 (1 - exp(-t/2)).
     */
    @Test
    void twoByTwoFiniteTimeByHand() {
        KernelRegression reg = quiet(new double[]{2, 1, 1, 2}, 2, Ridge.NONE);
        double[] y = {1, -1};
        for (double t : new double[]{0.1, 2 * Math.log(2), 1, 7}) {
            double f = 1 - Math.exp(-t / 2);
            assertArrayEquals(new double[]{f, -f}, reg.trainPredictionAt(t, y, 1), 1e-14, "t=" + t);
            assertArrayEquals(new double[]{0.5 * f}, reg.predictAt(t, new double[]{1, 0.5}, 1, y, 1), 1e-14);
        }
        assertArrayEquals(new double[]{0.5, -0.5}, reg.trainPredictionAt(2 * Math.log(2), y, 1), 1e-14);
    }

    // ---------------------------------------------------------------------------------------------- finite t

    @Test
    void oneByOneClosedFormAndMonotone() {
        double kxx = 2;
        double kzx = 1.5;
        KernelRegression reg = quiet(new double[]{kxx}, 1, Ridge.NONE);
        // k = 1, then k = 2 outputs: the exponent is -k_xx t / (n k).
        for (int k : new int[]{1, 2}) {
            double[] y = k == 1 ? new double[]{3} : new double[]{3, -1};
            double previous = 0;
            for (double t = 0; t <= 40; t += 0.25) {
                double[] mu = reg.predictAt(t, new double[]{kzx}, 1, y, k);
                double factor = 1 - Math.exp(-kxx * t / (1.0 * k));
                for (int c = 0; c < k; c++) {
                    assertEquals(y[c] * kzx / kxx * factor, mu[c], 1e-14, "t=" + t + " k=" + k);
                }
                assertTrue(mu[0] >= previous, "monotone in t");
                previous = mu[0];
            }
            assertArrayEquals(reg.predict(new double[]{kzx}, 1, y, k),
                    reg.predictAt(40, new double[]{kzx}, 1, y, k), 1e-14);
        }
    }

    @Test
    void zeroTimeIsExactlyZeroAndLargeTimeIsInfinity() {
        int n = 20;
        int nTest = 7;
        int k = 3;
        double[][] f = Kernels.features(1, n + nTest, 30);
        double[][] train = java.util.Arrays.copyOfRange(f, 0, n);
        double[][] test = java.util.Arrays.copyOfRange(f, n, n + nTest);
        double[] kTrain = Kernels.gram(train, train);
        double[] kTest = Kernels.gram(test, train);
        double[] y = Kernels.randomMatrix(2, n, k);
        KernelRegression reg = quiet(kTrain, n, Ridge.relative(1e-2));

        for (double v : reg.predictAt(0, kTest, nTest, y, k)) {
            assertEquals(0.0, v, 0.0);
        }
        for (double v : reg.trainPredictionAt(0, y, k)) {
            assertEquals(0.0, v, 0.0);
        }
        double[] inf = reg.predict(kTest, nTest, y, k);
        assertArrayEquals(inf, reg.predictAt(Double.POSITIVE_INFINITY, kTest, nTest, y, k), 0);
        // The smallest eigenvalue is at least the ridge, so t = 1e6 n k / ridge leaves exp(-1e6) = 0.
        double t = 1e6 * n * k / reg.ridgeUsed();
        double scale = Kernels.maxAbs(inf);
        assertTrue(Kernels.maxAbsDiff(inf, reg.predictAt(t, kTest, nTest, y, k)) < 1e-9 * scale);

        // The distance to the t = infinity solution shrinks monotonically.
        double previous = Double.POSITIVE_INFINITY;
        for (double tt : new double[]{1, 10, 100, 1e3, 1e4, 1e5}) {
            double d = Kernels.maxAbsDiff(inf, reg.predictAt(tt, kTest, nTest, y, k));
            assertTrue(d < previous, "t=" + tt);
            previous = d;
        }
    }

    @Test
    void trainPredictionMatchesPredictAtTrainKernel() {
        int n = 25;
        int k = 2;
        double[][] f = Kernels.features(3, n, 12);
        double[] kTrain = Kernels.gram(f, f); // rank 12 < 25: singular without the ridge
        double[] y = Kernels.randomMatrix(4, n, k);
        KernelRegression reg = quiet(kTrain, n, Ridge.relative(1e-3));
        for (double t : new double[]{0, 0.5, 10, 1e3, 1e7, Double.POSITIVE_INFINITY}) {
            double[] a = reg.trainPredictionAt(t, y, k);
            double[] b = reg.predictAt(t, kTrain, n, y, k);
            assertTrue(Kernels.maxAbsDiff(a, b) < 1e-10 * Math.max(1, Kernels.maxAbs(b)), "t=" + t);
        }
    }

    @Test
    void flowFactorLimitAtZeroEigenvalue() {
        assertEquals(3.0, KernelRegression.flowFactor(0, 3.0), 0);
        assertEquals(3.0, KernelRegression.flowFactor(-1e-17, 3.0), 0);
        assertEquals(3.0 * (1 - 1.5e-20), KernelRegression.flowFactor(1e-20, 3.0), 1e-30);
        assertEquals(-Math.expm1(-2.0) / 0.5, KernelRegression.flowFactor(0.5, 4.0), 1e-16);
    }

    // ------------------------------------------------------------------------------------- zero ridge, posterior

    @Test
    void zeroRidgeInterpolatesAndHasZeroVarianceAtTrainingPoints() {
        int n = 15;
        double[][] f = Kernels.features(5, n, 60); // well-conditioned positive definite
        double[] kTrain = Kernels.gram(f, f);
        double[] y = Kernels.randomMatrix(6, n, 2);
        KernelRegression reg = quiet(kTrain, n, Ridge.NONE);
        assertEquals(0, reg.ridgeUsed(), 0);
        assertArrayEquals(y, reg.predict(kTrain, n, y, 2), 1e-10);
        assertArrayEquals(y, reg.trainPredictionAt(Double.POSITIVE_INFINITY, y, 2), 1e-10);
        double[] diag = Kernels.diag(kTrain, n);
        double[] var = reg.posteriorVariance(diag, kTrain, n);
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(var[i]) <= 1e-10 * diag[i], "variance " + var[i] + " at training point " + i);
        }
        double[] cov = reg.posteriorCovariance(kTrain, kTrain, n);
        assertTrue(Kernels.maxAbs(cov) <= 1e-10 * Kernels.maxAbs(kTrain));
    }

    @Test
    void posteriorCovarianceIsSymmetricPsdAndMatchesVariance() {
        for (long seed = 10; seed < 14; seed++) {
            int n = 12;
            int nTest = 9;
            double[][] f = Kernels.features(seed, n + nTest, 8 + (int) seed); // low rank: PSD, singular
            double[] all = Kernels.gram(f, f);
            int m = n + nTest;
            double[] kTrain = new double[n * n];
            double[] kTestTrain = new double[nTest * n];
            double[] kTestTest = new double[nTest * nTest];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double v = all[i * m + j];
                    if (i < n && j < n) {
                        kTrain[i * n + j] = v;
                    } else if (i >= n && j < n) {
                        kTestTrain[(i - n) * n + j] = v;
                    } else if (i >= n && j >= n) {
                        kTestTest[(i - n) * nTest + (j - n)] = v;
                    }
                }
            }
            KernelRegression reg = quiet(kTrain, n, Ridge.relative(1e-4));
            double[] cov = reg.posteriorCovariance(kTestTest, kTestTrain, nTest);
            for (int i = 0; i < nTest; i++) {
                for (int j = 0; j < nTest; j++) {
                    assertEquals(cov[i * nTest + j], cov[j * nTest + i], 0, "symmetric");
                }
            }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(nTest, false, true);
            assertTrue(eig.decompose(DMatrixRMaj.wrap(nTest, nTest, cov.clone())));
            double trace = 0;
            for (int i = 0; i < nTest; i++) {
                trace += kTestTest[i * nTest + i];
            }
            for (int i = 0; i < nTest; i++) {
                assertTrue(eig.getEigenvalue(i).real >= -1e-10 * trace, "PSD, seed " + seed);
            }
            double[] var = reg.posteriorVariance(Kernels.diag(kTestTest, nTest), kTestTrain, nTest);
            for (int i = 0; i < nTest; i++) {
                assertEquals(Math.max(0, cov[i * nTest + i]), var[i], 1e-12 * trace);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- ridge

    @Test
    void relativeAndAbsoluteRidgeAgree() {
        int n = 18;
        double[][] f = Kernels.features(7, n + 5, 10);
        double[][] train = java.util.Arrays.copyOfRange(f, 0, n);
        double[][] test = java.util.Arrays.copyOfRange(f, n, n + 5);
        double[] kTrain = Kernels.gram(train, train);
        double[] kTest = Kernels.gram(test, train);
        double[] y = Kernels.randomMatrix(8, n, 3);
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += kTrain[i * n + i];
        }
        KernelRegression rel = quiet(kTrain, n, Ridge.relative(1e-2));
        KernelRegression abs = quiet(kTrain, n, Ridge.absolute(1e-2 * trace / n));
        assertEquals(abs.ridgeUsed(), rel.ridgeUsed(), 1e-15 * trace);
        assertArrayEquals(abs.predict(kTest, 5, y, 3), rel.predict(kTest, 5, y, 3), 1e-10);
        assertArrayEquals(abs.predictAt(3.0, kTest, 5, y, 3), rel.predictAt(3.0, kTest, 5, y, 3), 1e-10);
    }

    @Test
    void rankDeficientKernelEscalatesTheRidgeWithAWarning() {
        int n = 12;
        double[][] f = Kernels.features(9, n + 4, 3); // rank 3
        double[][] train = java.util.Arrays.copyOfRange(f, 0, n);
        double[][] test = java.util.Arrays.copyOfRange(f, n, n + 4);
        double[] kTrain = Kernels.gram(train, train);
        double[] kTest = Kernels.gram(test, train);
        double[] y = Kernels.randomMatrix(10, n, 2);
        List<String> warnings = new ArrayList<>();
        KernelRegression reg = new KernelRegression(kTrain, n, Ridge.NONE, warnings::add);
        assertTrue(reg.ridgeUsed() > 0);
        assertEquals(0, reg.ridgeRequested(), 0);
        assertTrue(reg.ridgeUsed() <= KernelRegression.MAX_JITTER * 2 * Kernels.maxAbs(kTrain));
        assertTrue(warnings.size() >= 2, warnings.toString());
        assertTrue(warnings.get(0).contains("not positive definite"), warnings.get(0));
        assertTrue(warnings.get(0).contains("retrying with ridge"), warnings.get(0));
        assertTrue(warnings.get(warnings.size() - 1).contains("using ridge " + Checks.format(reg.ridgeUsed())),
                warnings.toString());
        for (double v : reg.predict(kTest, 4, y, 2)) {
            assertTrue(Double.isFinite(v));
        }
        for (double v : reg.predictAt(5.0, kTest, 4, y, 2)) {
            assertTrue(Double.isFinite(v));
        }
        for (double v : reg.posteriorVariance(Kernels.diag(Kernels.gram(test, test), 4), kTest, 4)) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void defaultWarningSinkPrintsPrefixedLine() {
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true));
        try {
            new KernelRegression(new double[]{1, 1, 1, 1}, 2, Ridge.NONE);
        } finally {
            System.setErr(old);
        }
        assertTrue(buf.toString().startsWith("eqntk: warning: kernel regression: "), buf.toString());
    }

    @Test
    void indefiniteKernelFailsAfterEscalation() {
        List<String> warnings = new ArrayList<>();
        // Eigenvalues 3 and -1: no small jitter makes it positive definite.
        EqntkException e = assertThrows(EqntkException.class,
                () -> new KernelRegression(new double[]{1, 2, 2, 1}, 2, Ridge.NONE, warnings::add));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
        assertEquals(10, warnings.size(), warnings.toString());
    }

    /** Above 1000 points EJML switches to a blocked Cholesky; check that path too. */
    @Test
    void largeKernelUsesBlockedCholeskyCorrectly() {
        int n = 1100;
        double[][] pts = Kernels.features(11, n, 3);
        double[] kTrain = Kernels.rbf(pts, pts, 0.7);
        double[] y = Kernels.randomMatrix(12, n, 1);
        KernelRegression reg = new KernelRegression(kTrain, n, Ridge.relative(1e-6), m -> { });
        double[] alpha = reg.dualCoefficients(y, 1);
        // (K + lambda I) alpha = y
        double lambda = reg.ridgeUsed();
        double err = 0;
        for (int i = 0; i < n; i++) {
            double s = lambda * alpha[i];
            for (int j = 0; j < n; j++) {
                s += kTrain[i * n + j] * alpha[j];
            }
            err = Math.max(err, Math.abs(s - y[i]));
        }
        assertTrue(err < 1e-6, "residual " + err);
    }

    /**
     * An 800-point RBF kernel on which EJML's symmetric eigendecomposition with its default iteration cap fails
     * (checked by hand with EJML 0.46.1); with the raised cap it converges and reconstructs the matrix.
     */
    @Test
    void eigendecompositionConvergesOnLargeClusteredSpectrum() {
        int n = 800;
        double[][] pts = Kernels.features(1, n, 3);
        double[] k = Kernels.rbf(pts, pts, 1.0);
        KernelRegression.Eigen e = KernelRegression.symmetricEigen(new DMatrixRMaj(n, n, true, k));
        assertTrue(e != null, "did not converge");
        DMatrixRMaj vl = e.v().copy();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                vl.data[i * n + j] *= e.values()[j];
            }
        }
        DMatrixRMaj back = new DMatrixRMaj(n, n);
        org.ejml.dense.row.CommonOps_DDRM.multTransB(vl, e.v(), back);
        assertTrue(Kernels.maxAbsDiff(back.data, k) < 1e-9, "reconstruction error");
    }

    // ----------------------------------------------------------------------------------------------- bad input

    @Test
    void nonFiniteInputsAreNamed() {
        double[] k = {2, 1, 1, 2};
        double[] bad = {2, 1, Double.NaN, 2};
        EqntkException e = assertThrows(EqntkException.class, () -> new KernelRegression(bad, 2, Ridge.NONE));
        assertTrue(e.getMessage().contains("kTrain") && e.getMessage().contains("index 2")
                && e.getMessage().contains("row 1, column 0"), e.getMessage());

        KernelRegression reg = quiet(k, 2, Ridge.NONE);
        e = assertThrows(EqntkException.class,
                () -> reg.predict(new double[]{1, Double.POSITIVE_INFINITY}, 1, new double[]{1, 1}, 1));
        assertTrue(e.getMessage().contains("kTestTrain") && e.getMessage().contains("index 1"), e.getMessage());
        e = assertThrows(EqntkException.class,
                () -> reg.predict(new double[]{1, 1}, 1, new double[]{Double.NaN, 1}, 1));
        assertTrue(e.getMessage().startsWith("y ") && e.getMessage().contains("index 0"), e.getMessage());
        e = assertThrows(EqntkException.class,
                () -> reg.posteriorVariance(new double[]{Double.NaN}, new double[]{1, 1}, 1));
        assertTrue(e.getMessage().contains("kTestTestDiag"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> reg.predictAt(Double.NaN, new double[]{1, 1}, 1,
                new double[]{1, 1}, 1));
        assertTrue(e.getMessage().contains("t must be"), e.getMessage());
        assertThrows(EqntkException.class, () -> reg.trainPredictionAt(-1, new double[]{1, 1}, 1));
    }

    @Test
    void wrongLengthsNameTheArgumentAndSizes() {
        EqntkException e = assertThrows(EqntkException.class,
                () -> new KernelRegression(new double[5], 2, Ridge.NONE));
        assertTrue(e.getMessage().contains("kTrain") && e.getMessage().contains("expected n x n = 2 x 2 = 4")
                && e.getMessage().contains("got 5"), e.getMessage());

        KernelRegression reg = quiet(new double[]{2, 1, 1, 2}, 2, Ridge.NONE);
        e = assertThrows(EqntkException.class, () -> reg.predict(new double[5], 3, new double[2], 1));
        assertTrue(e.getMessage().contains("kTestTrain") && e.getMessage().contains("3 x 2 = 6")
                && e.getMessage().contains("got 5"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> reg.predictAt(1, new double[2], 1, new double[3], 2));
        assertTrue(e.getMessage().startsWith("y ") && e.getMessage().contains("2 x 2 = 4"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> reg.trainPredictionAt(1, null, 1));
        assertTrue(e.getMessage().startsWith("y "), e.getMessage());
        e = assertThrows(EqntkException.class, () -> reg.posteriorCovariance(new double[3], new double[4], 2));
        assertTrue(e.getMessage().contains("kTestTest") && e.getMessage().contains("got 3"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> reg.posteriorVariance(new double[1], new double[4], 2));
        assertTrue(e.getMessage().contains("kTestTestDiag") && e.getMessage().contains("got 1"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> reg.predict(new double[2], 1, new double[2], 0));
        assertTrue(e.getMessage().contains("k (number of outputs)"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> new KernelRegression(new double[]{1, 0, 5, 1}, 2, Ridge.NONE));
        assertTrue(e.getMessage().contains("not symmetric"), e.getMessage());
    }

    @Test
    void emptyTestSetGivesEmptyResults() {
        KernelRegression reg = quiet(new double[]{2, 1, 1, 2}, 2, Ridge.NONE);
        assertEquals(0, reg.predict(new double[0], 0, new double[]{1, 2}, 1).length);
        assertEquals(0, reg.predictAt(1, new double[0], 0, new double[]{1, 2}, 1).length);
        assertEquals(0, reg.posteriorCovariance(new double[0], new double[0], 0).length);
    }
}
