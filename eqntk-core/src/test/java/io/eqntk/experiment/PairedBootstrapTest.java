package io.eqntk.experiment;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paired bootstrap interval: coverage of a known difference in simulation, and its edge cases. */
class PairedBootstrapTest {
    /**
     * Two classifiers on 3 seeds x 200 test images: image i has difficulty q_i ~ U(0.3, 0.9); model B is correct
     * with probability q_i, model A with q_i + 0.04; both share the image (positively correlated, as real
     * models are). The true mean difference is 0.04; the 95% interval must cover it in about 95% of 200
     * independent simulations.
     */
    @Test
    void intervalCoversAKnownDifference() {
        SplittableRandom rnd = new SplittableRandom(3);
        int sims = 200;
        int covered = 0;
        int flagged = 0;
        double delta = 0.04;
        for (int sim = 0; sim < sims; sim++) {
            int seeds = 3;
            int m = 200;
            double[] q = new double[m];
            for (int i = 0; i < m; i++) {
                q[i] = 0.3 + 0.6 * rnd.nextDouble();
            }
            double[][] a = new double[seeds][m];
            double[][] b = new double[seeds][m];
            for (int s = 0; s < seeds; s++) {
                for (int i = 0; i < m; i++) {
                    double u = rnd.nextDouble();
                    b[s][i] = u < q[i] ? 1 : 0;
                    a[s][i] = u < q[i] + delta ? 1 : 0;
                }
            }
            PairedBootstrap.Interval iv = PairedBootstrap.difference(a, b, sim);
            assertTrue(iv.low() <= iv.mean() && iv.mean() <= iv.high());
            if (iv.low() <= delta && delta <= iv.high()) {
                covered++;
            }
            if (iv.excludesZero()) {
                flagged++;
            }
        }
        double coverage = (double) covered / sims;
        assertTrue(coverage >= 0.90 && coverage <= 0.99, "coverage " + coverage);
        // a difference of 4 points on 600 paired predictions is clearly detectable
        assertTrue(flagged > sims * 0.8, "flagged " + flagged);
    }

    @Test
    void identicalModelsGiveAZeroIntervalAndNoFlag() {
        double[][] a = {{1, 0, 1, 1}, {0, 1, 1, 0}};
        PairedBootstrap.Interval iv = PairedBootstrap.difference(a, a, 1);
        assertEquals(0, iv.mean(), 0);
        assertEquals(0, iv.low(), 0);
        assertEquals(0, iv.high(), 0);
        assertFalse(iv.excludesZero());
        PairedBootstrap.Interval m = PairedBootstrap.mean(a, 1);
        assertEquals(0.625, m.mean(), 1e-15);
        assertTrue(m.low() < 0.625 && m.high() > 0.625);
    }
}
