package io.eqntk.train;

import io.eqntk.EqntkException;
import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.model.FeatureShape;
import io.eqntk.network.FiniteNetwork;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.predict.KernelRegression;
import io.eqntk.predict.Ridge;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientDescentTest {
    private static final Architecture CNN = Architecture.parse("conv(3, SAME, b=0.1) relu gap dense");
    private static final Architecture GCNN = Architecture.parse("lift(C4, 3, SAME) relu gpool dense(b=0.2)");

    private static double[] targets(int n) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2 == 0 ? 1 : -1;
        }
        return y;
    }

    /** Empirical NTK J(a) J(b)^T for a one-output linearised model. */
    private static double[] ntk(Linearised lin, ImageBatch a, ImageBatch b) {
        double[] k = new double[a.count() * b.count()];
        double[][] jb = new double[b.count()][];
        for (int j = 0; j < b.count(); j++) {
            jb[j] = lin.jacobian(b.image(j))[0];
        }
        for (int i = 0; i < a.count(); i++) {
            double[] ji = lin.jacobian(a.image(i))[0];
            for (int j = 0; j < b.count(); j++) {
                double s = 0;
                for (int p = 0; p < ji.length; p++) {
                    s += ji[p] * jb[j][p];
                }
                k[i * b.count() + j] = s;
            }
        }
        return k;
    }

    /**
     * Gradient descent on the linearised network is kernel regression with its empirical NTK: after s steps of
     * rate eta, exactly f0(z) + K(z, X) V diag((1 - (1 - eta lambda/n)^s)/lambda) V^T (Y - f0(X)), and close to the
     * gradient-flow prediction at t = eta s (KernelRegression.predictAt) when eta lambda_max / n is small.
     */
    @Test
    void gradientDescentOnTheLinearisedNetworkIsKernelRegressionWithItsEmpiricalNtk() {
        for (Architecture arch : new Architecture[] {CNN, GCNN}) {
            ImageBatch x = TestImages.gaussian(5, 5, 5, 2, 11);
            ImageBatch z = TestImages.gaussian(3, 5, 5, 2, 12);
            int n = x.count();
            double[] y = targets(n);
            FiniteNetwork net = new FiniteNetwork(arch, FeatureShape.image(5, 5, 2), 6, 1);
            double[] p0 = net.init(3);
            Linearised lin = new Linearised(net, p0);
            double[] kxx = ntk(lin, x, x);
            double[] kzx = ntk(lin, z, x);
            double[] f0x = GradientDescent.evaluate(lin, p0, images(x), 1);
            double[] f0z = GradientDescent.evaluate(lin, p0, images(z), 1);
            double[] resid = new double[n];
            for (int i = 0; i < n; i++) {
                resid[i] = y[i] - f0x[i];
            }
            double lmax = maxEigen(kxx, n);
            double eta = 0.02 * n / lmax;
            int steps = 300;
            double[] p = p0.clone();
            GradientDescent.Trajectory tr = GradientDescent.train(lin, p, x, y, GradientDescent.Config.fullBatch(eta,
                steps), new int[] {0, 100, steps}, z);
            assertArrayEquals(f0z, tr.predictions()[0], 0);
            KernelRegression kr = new KernelRegression(kxx, n, Ridge.absolute(1e-12 * lmax), m -> { });
            for (int c = 1; c < 3; c++) {
                int s = tr.checkpoints()[c];
                double[] exact = discrete(kxx, kzx, n, z.count(), resid, eta, s);
                double[] flow = kr.predictAt(eta * s, kzx, z.count(), resid, 1);
                for (int e = 0; e < z.count(); e++) {
                    double got = tr.predictions()[c][e] - f0z[e];
                    assertEquals(exact[e], got, 1e-9 * (1 + Math.abs(exact[e])), arch + " step " + s);
                    // first order in eta lambda / n = 0.02 over 300 steps
                    assertEquals(flow[e], got, 0.02 * (Math.abs(flow[e]) + 0.05), arch + " flow at step " + s);
                }
            }
        }
    }

    @Test
    void lossDecreasesUnderFullBatchGradientDescent() {
        ImageBatch x = TestImages.gaussian(6, 5, 5, 1, 4);
        FiniteNetwork net = new FiniteNetwork(GCNN, FeatureShape.image(5, 5, 1), 8, 1);
        double[] p = net.init(9);
        GradientDescent.Trajectory tr = GradientDescent.train(Model.of(net), p, x, targets(6),
            GradientDescent.Config.fullBatch(3.0, 60), new int[0], null);
        double[] l = tr.loss();
        for (int s = 1; s < l.length; s++) {
            assertTrue(l[s] <= l[s - 1] + 1e-12, "loss rose at step " + s + ": " + l[s - 1] + " -> " + l[s]);
        }
        assertTrue(l[l.length - 1] < 0.75 * l[0], "loss " + l[0] + " -> " + l[l.length - 1]);
    }

    @Test
    void crossEntropyHasItsHandValueAndFiniteDifferenceGradient() {
        int k = 3;
        int[] batch = {0, 1, 2, 3};
        double[] y = new double[4 * k];
        for (int j = 0; j < 4; j++) {
            for (int o = 0; o < k; o++) {
                y[j * k + o] = (o == j % k ? 1.0 : 0.0) - 1.0 / k; // the kernels' targets: class = largest entry
            }
        }
        double[] g = new double[4 * k];
        // zero logits: every class has probability 1/k, so the loss is log k and the gradient (1/k - [o = c]) / B
        assertEquals(Math.log(k), GradientDescent.lossAndGradient(GradientDescent.Loss.CROSS_ENTROPY, new double[4 * k],
            y, batch, k, g), 1e-15);
        assertEquals((1.0 / k - 1) / 4, g[0], 1e-15);
        assertEquals(1.0 / k / 4, g[1], 1e-15);
        java.util.Random r = new java.util.Random(3);
        double[] f = new double[4 * k];
        for (int i = 0; i < f.length; i++) {
            f[i] = 3 * r.nextGaussian();
        }
        GradientDescent.lossAndGradient(GradientDescent.Loss.CROSS_ENTROPY, f, y, batch, k, g);
        double h = 1e-6;
        for (int i = 0; i < f.length; i++) {
            double[] up = f.clone();
            double[] down = f.clone();
            up[i] += h;
            down[i] -= h;
            double[] tmp = new double[f.length];
            double d = (GradientDescent.lossAndGradient(GradientDescent.Loss.CROSS_ENTROPY, up, y, batch, k, tmp)
                - GradientDescent.lossAndGradient(GradientDescent.Loss.CROSS_ENTROPY, down, y, batch, k, tmp)) / (2 * h);
            assertEquals(d, g[i], 1e-8, "d loss / d f[" + i + "]");
        }
        // softmax rows sum to one and follow the logits' order
        double[] p = GradientDescent.softmax(f, k);
        for (int j = 0; j < 4; j++) {
            assertEquals(1.0, p[j * k] + p[j * k + 1] + p[j * k + 2], 1e-15);
            assertEquals(Double.compare(f[j * k], f[j * k + 1]), Double.compare(p[j * k], p[j * k + 1]));
        }
    }

    @Test
    void crossEntropyTrainingLowersTheLossOfAThreeClassNetwork() {
        int k = 3;
        ImageBatch x = TestImages.gaussian(9, 5, 5, 1, 8);
        double[] y = new double[9 * k];
        for (int i = 0; i < 9; i++) {
            y[i * k + i % k] = 1;
        }
        FiniteNetwork net = new FiniteNetwork(CNN, FeatureShape.image(5, 5, 1), 8, k);
        double[] p = net.init(2);
        GradientDescent.Trajectory tr = GradientDescent.train(Model.of(net), p, x, y,
            GradientDescent.Config.fullBatch(1.0, 80).withLoss(GradientDescent.Loss.CROSS_ENTROPY), new int[0], null);
        double[] l = tr.loss();
        for (int s = 1; s < l.length; s++) {
            assertTrue(l[s] <= l[s - 1] + 1e-12, "loss rose at step " + s + ": " + l[s - 1] + " -> " + l[s]);
        }
        assertTrue(l[l.length - 1] < 0.9 * l[0], "loss " + l[0] + " -> " + l[l.length - 1]);
        assertEquals(l[l.length - 1], GradientDescent.lossOf(Model.of(net), p, images(x), y, k,
            GradientDescent.Loss.CROSS_ENTROPY), 1e-12);
    }

    @Test
    void aSeedReproducesAnSgdRunExactly() {
        ImageBatch x = TestImages.gaussian(8, 5, 5, 1, 5);
        ImageBatch z = TestImages.gaussian(2, 5, 5, 1, 6);
        FiniteNetwork net = new FiniteNetwork(CNN, FeatureShape.image(5, 5, 1), 4, 1);
        GradientDescent.Config cfg = new GradientDescent.Config(1.0, 25, 3, 42);
        double[] a = net.init(1);
        double initialLoss = GradientDescent.lossOf(Model.of(net), a, images(x), targets(8), 1);
        double[] b = net.init(1);
        GradientDescent.Trajectory ta = GradientDescent.train(Model.of(net), a, x, targets(8), cfg, new int[] {25}, z);
        GradientDescent.Trajectory tb = GradientDescent.train(Model.of(net), b, x, targets(8), cfg, new int[] {25}, z);
        assertArrayEquals(a, b, 0);
        assertArrayEquals(ta.loss(), tb.loss(), 0);
        assertArrayEquals(ta.predictions()[0], tb.predictions()[0], 0);
        double[] c = net.init(1);
        GradientDescent.train(Model.of(net), c, x, targets(8), cfg.withSeed(43), new int[0], null);
        assertFalse(java.util.Arrays.equals(a, c), "another SGD seed gives another run");
        // SGD lowers the full training loss too
        double[] l = ta.loss();
        assertTrue(l[l.length - 1] < initialLoss, "SGD loss " + initialLoss + " -> " + l[l.length - 1]);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(EqntkException.class, () -> GradientDescent.Config.fullBatch(0, 5));
        assertThrows(EqntkException.class, () -> GradientDescent.Config.fullBatch(0.1, -1));
        assertThrows(EqntkException.class, () -> new GradientDescent.Config(0.1, 5, -2, 0));
        FiniteNetwork net = new FiniteNetwork(CNN, FeatureShape.image(5, 5, 1), 2, 1);
        ImageBatch x = TestImages.gaussian(3, 5, 5, 1, 1);
        assertThrows(EqntkException.class, () -> GradientDescent.train(Model.of(net), net.init(0), x,
            new double[2], GradientDescent.Config.fullBatch(0.1, 1), new int[0], null));
        assertThrows(EqntkException.class, () -> GradientDescent.train(Model.of(net), net.init(0), x,
            new double[3], GradientDescent.Config.fullBatch(0.1, 1), new int[] {2}, x));
        EqntkException diverged = assertThrows(EqntkException.class, () -> GradientDescent.train(Model.of(net),
            net.init(0), x, new double[3], GradientDescent.Config.fullBatch(1e150, 4), new int[0], null),
            "divergence is reported");
        assertTrue(diverged.getMessage().matches("training diverged at step \\d+ \\(loss .*\\); lower the learning rate.*"),
            diverged.getMessage());
    }

    static double[][] images(ImageBatch b) {
        double[][] out = new double[b.count()][];
        for (int i = 0; i < b.count(); i++) {
            out[i] = b.image(i);
        }
        return out;
    }

    private static double maxEigen(double[] k, int n) {
        EigenDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.eig(n, false, true);
        dec.decompose(new DMatrixRMaj(n, n, true, k.clone()));
        double m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, dec.getEigenvalue(i).real);
        }
        return m;
    }

    /** K(z, X) V diag((1 - (1 - eta lambda / n)^s) / lambda) V^T r. */
    private static double[] discrete(double[] kxx, double[] kzx, int n, int nz, double[] r, double eta, int s) {
        EigenDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.eig(n, true, true);
        dec.decompose(new DMatrixRMaj(n, n, true, kxx.clone()));
        double[] coef = new double[n];
        for (int i = 0; i < n; i++) {
            double lam = dec.getEigenvalue(i).real;
            DMatrixRMaj v = dec.getEigenVector(i);
            double proj = 0;
            for (int j = 0; j < n; j++) {
                proj += v.data[j] * r[j];
            }
            double g = lam * eta / n < 1e-14 ? s * eta / n : (1 - Math.pow(1 - eta * lam / n, s)) / lam;
            for (int j = 0; j < n; j++) {
                coef[j] += v.data[j] * g * proj;
            }
        }
        double[] out = new double[nz];
        for (int a = 0; a < nz; a++) {
            for (int j = 0; j < n; j++) {
                out[a] += kzx[a * n + j] * coef[j];
            }
        }
        return out;
    }
}
