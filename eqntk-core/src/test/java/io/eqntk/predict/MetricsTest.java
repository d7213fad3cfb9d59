package io.eqntk.predict;

import io.eqntk.EqntkException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metrics against small cases computed by hand. */
class MetricsTest {
    @Test
    void confusionAndBalancedAccuracy() {
        int[] truth = {0, 0, 0, 1};
        int[] pred = {0, 0, 1, 1};
        int[][] m = Metrics.confusion(pred, truth, 2);
        assertArrayEquals(new int[] {2, 1}, m[0]);
        assertArrayEquals(new int[] {0, 1}, m[1]);
        // recall 2/3 and 1: balanced 5/6, while plain accuracy is 3/4
        assertEquals(5.0 / 6, Metrics.balancedAccuracy(pred, truth, 2), 1e-15);
        assertEquals(0.75, Classification.accuracy(pred, truth), 0);
        // class 2 is predicted but absent from the truth: the mean of recalls 1/2 and 1
        assertEquals(0.75, Metrics.balancedAccuracy(new int[] {0, 2, 1, 1}, new int[] {0, 0, 1, 1}, 3), 1e-15);
    }

    @Test
    void sensitivityAndSpecificity() {
        int[] truth = {1, 1, 1, 0, 0};
        int[] pred = {1, 1, 0, 0, 1};
        assertEquals(2.0 / 3, Metrics.sensitivity(pred, truth), 1e-15);
        assertEquals(0.5, Metrics.specificity(pred, truth), 1e-15);
        assertTrue(Double.isNaN(Metrics.sensitivity(new int[] {0, 1}, new int[] {0, 0})));
    }

    @Test
    void aucOfHandCasePerfectReversedAndTiedScorers() {
        boolean[] pos = {false, false, true, true};
        // pairs (pos, neg): (0.35, 0.1) yes, (0.35, 0.4) no, (0.8, *) yes: 3 of 4
        assertEquals(0.75, Metrics.auc(new double[] {0.1, 0.4, 0.35, 0.8}, pos), 1e-15);
        assertEquals(1.0, Metrics.auc(new double[] {0, 1, 2, 3}, pos), 0);
        assertEquals(0.0, Metrics.auc(new double[] {3, 2, 1, 0}, pos), 0);
        assertEquals(0.5, Metrics.auc(new double[] {1, 1, 1, 1}, pos), 0);
        // one tie between a positive and a negative counts one half: (1 + 0.5 + 1 + 1) / 4
        assertEquals(0.875, Metrics.auc(new double[] {0, 2, 2, 3}, pos), 1e-15);
        assertTrue(Double.isNaN(Metrics.auc(new double[] {1, 2}, new boolean[] {true, true})));
        assertThrows(EqntkException.class, () -> Metrics.auc(new double[] {Double.NaN, 1}, new boolean[] {true, false}));
    }

    @Test
    void macroAucAveragesOneVsRestColumns() {
        int[] truth = {0, 1, 2, 0, 1, 2};
        double[] scores = new double[18];
        for (int i = 0; i < 6; i++) {
            scores[i * 3] = truth[i] == 0 ? 1 : 0;      // class 0: perfect
            scores[i * 3 + 1] = truth[i] == 1 ? 0 : 1;  // class 1: reversed
            scores[i * 3 + 2] = 7;                      // class 2: all tied
        }
        assertEquals((1 + 0 + 0.5) / 3, Metrics.macroAuc(scores, truth, 3), 1e-15);
    }

    @Test
    void logLikelihoodWithFloor() {
        double[] p = {0.8, 0.2, 0.3, 0.7, 1, 0};
        int[] truth = {0, 0, 1};
        assertEquals((Math.log(0.8) + Math.log(0.3) + Math.log(1e-12)) / 3, Metrics.logLikelihood(p, truth, 2), 1e-14);
    }

    @Test
    void expectedCalibrationError() {
        // confidences 0.95 (right), 0.95 (wrong) in the last bin; 0.55, 0.55 (both right) in bin 8
        double[] p = {0.95, 0.05, 0.95, 0.05, 0.45, 0.55, 0.55, 0.45};
        int[] truth = {0, 1, 1, 0};
        assertEquals(0.5 * 0.45 + 0.5 * 0.45, Metrics.expectedCalibrationError(p, truth, 2), 1e-15);
        // perfectly calibrated certainty: zero
        assertEquals(0, Metrics.expectedCalibrationError(new double[] {1, 0, 0, 1}, new int[] {0, 1}, 2), 0);
    }
}
