package io.eqntk.predict;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Class probabilities of the GP posterior: quadrature against closed forms and Monte-Carlo posterior samples. */
class GaussianPosteriorTest {
    @Test
    void hermiteRuleIntegratesGaussianMoments() {
        double[][] r = GaussianPosterior.hermiteRule(GaussianPosterior.NODES);
        double m0 = 0;
        double m2 = 0;
        double m4 = 0;
        for (int i = 0; i < r[0].length; i++) {
            m0 += r[1][i];
            m2 += r[1][i] * r[0][i] * r[0][i];
            m4 += r[1][i] * Math.pow(r[0][i], 4);
        }
        assertEquals(1, m0, 1e-14);
        assertEquals(1, m2, 1e-12);
        assertEquals(3, m4, 1e-11);
    }

    @Test
    void quadratureMatchesTheTwoClassClosedForm() {
        // a third class far below the others never wins: the quadrature must give Phi((mu1 - mu0) / sqrt(2 v))
        double[] mean = {0.3, -0.2, -1e6};
        double v = 0.7;
        double[] p = GaussianPosterior.probabilities(mean, new double[] {v}, 1, 3);
        double exact = GaussianPosterior.phi(0.5 / Math.sqrt(2 * v));
        assertEquals(exact, p[0], 1e-9);
        assertEquals(1 - exact, p[1], 1e-9);
        double[] two = GaussianPosterior.probabilities(new double[] {0.3, -0.2}, new double[] {v}, 1, 2);
        assertEquals(exact, two[0], 1e-15);
    }

    @Test
    void quadratureMatchesMonteCarloOverPosteriorSamples() {
        double[] mean = {0.4, 0.1, -0.3, 0.35, 0.0};
        double v = 0.09;
        int k = mean.length;
        double[] p = GaussianPosterior.probabilities(mean, new double[] {v}, 1, k);
        SplittableRandom rnd = new SplittableRandom(7);
        int samples = 200_000;
        int[] wins = new int[k];
        for (int s = 0; s < samples; s++) {
            int best = 0;
            double bestF = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double f = mean[c] + Math.sqrt(v) * gaussian(rnd);
                if (f > bestF) {
                    bestF = f;
                    best = c;
                }
            }
            wins[best]++;
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double mc = (double) wins[c] / samples;
            double se = Math.sqrt(mc * (1 - mc) / samples);
            assertEquals(mc, p[c], 4 * se + 1e-4, "class " + c);
            sum += p[c];
        }
        assertEquals(1, sum, 1e-14);
    }

    @Test
    void zeroVarianceGivesTheArgmax() {
        double[] p = GaussianPosterior.probabilities(new double[] {0.1, 0.5, 0.5, -1}, new double[] {0}, 1, 4);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0}, p, 0);
    }

    @Test
    void posteriorFromRegressionKeepsItsMeanAndScalesItsVariance() {
        int n = 6;
        int k = 3;
        double[][] f = Kernels.features(11, n, 2);
        double[] kt = Kernels.rbf(f, f, 1.0);
        Ridge ridge = Ridge.relative(1e-2);
        KernelRegression reg = new KernelRegression(kt, n, ridge, m -> { });
        int[] labels = {0, 1, 2, 0, 1, 2};
        double[] y = Classification.targets(labels, k);
        GaussianPosterior gp = GaussianPosterior.of(reg, y, k);
        double[] a = reg.dualCoefficients(y, k);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * y[i];
        }
        assertEquals(s / (n * k), gp.amplitude(), 1e-15);
        assertTrue(gp.amplitude() > 0);
        // test points: the training points themselves, as K(Z, X) = K(X, X)
        assertArrayEquals(reg.predict(kt, n, y, k), gp.mean(kt, n), 0);
        double[] diag = Kernels.diag(kt, n);
        double[] v = gp.variance(diag, kt, n);
        double[] pv = reg.posteriorVariance(diag, kt, n);
        for (int i = 0; i < n; i++) {
            assertEquals(gp.amplitude() * pv[i], v[i], 1e-14);
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double w = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * w);
    }
}
