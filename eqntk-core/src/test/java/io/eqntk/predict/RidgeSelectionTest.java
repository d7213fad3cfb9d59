package io.eqntk.predict;

import io.eqntk.EqntkException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RidgeSelectionTest {

    /** Two Gaussian clusters in 2-D, centred at (-2, 0) (label 0) and (2, 0) (label 1), spread 0.5. */
    private static double[][] points(Random r, int[] labels) {
        double[][] p = new double[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            double cx = labels[i] == 0 ? -2 : 2;
            p[i] = new double[]{cx + 0.5 * r.nextGaussian(), 0.5 * r.nextGaussian()};
        }
        return p;
    }

    @Test
    void picksACandidateWithPerfectAccuracyOnSeparableClusters() {
        Random r = new Random(42);
        int nTrain = 30;
        int nVal = 16;
        int[] trainLabels = new int[nTrain];
        int[] valLabels = new int[nVal];
        double[][] train = points(r, trainLabels);
        double[][] val = points(r, valLabels);
        double[] kTrain = Kernels.rbf(train, train, 1.0);
        double[] kVal = Kernels.rbf(val, train, 1.0);
        List<Ridge> candidates = List.of(Ridge.relative(1e-6), Ridge.relative(1e-3), Ridge.relative(1e-1),
                Ridge.absolute(1));
        RidgeSelection.Result res = RidgeSelection.select(candidates, kTrain, nTrain, kVal, nVal, trainLabels,
                valLabels, 2, m -> { });
        assertTrue(candidates.contains(res.best()));
        assertEquals(candidates, res.candidates());
        assertEquals(1.0, res.bestAccuracy(), 0);
        assertEquals(4, res.accuracies().length);
        assertEquals(4, res.validationMse().length);
        for (double a : res.accuracies()) {
            assertTrue(a >= 0 && a <= 1);
        }
        // the per-ridge numbers agree with a direct fit
        for (int i = 0; i < candidates.size(); i++) {
            KernelRegression reg = new KernelRegression(kTrain, nTrain, candidates.get(i), m -> { });
            double[] pred = reg.predict(kVal, nVal, Classification.targets(trainLabels, 2), 2);
            assertEquals(Classification.accuracy(Classification.argmax(pred, nVal, 2), valLabels),
                    res.accuracies()[i], 0);
            assertEquals(reg.ridgeUsed(), res.ridgesUsed()[i], 0);
        }
        // among the (all perfect) candidates, the chosen one has the smallest MSE
        for (int i = 0; i < candidates.size(); i++) {
            if (res.accuracies()[i] == 1.0) {
                assertTrue(res.validationMse()[res.bestIndex()] <= res.validationMse()[i]);
            }
        }
        assertTrue(res.toString().contains("[" + res.best() + ": acc 1"), res.toString());
    }

    @Test
    void tieBreaking() {
        // best accuracy wins
        assertEquals(1, RidgeSelection.bestIndex(new double[]{0.5, 0.9, 0.8}, new double[]{0.1, 0.9, 0.1},
                new double[]{1, 2, 3}));
        // equal accuracy: smaller MSE
        assertEquals(2, RidgeSelection.bestIndex(new double[]{0.9, 0.9, 0.9}, new double[]{0.3, 0.2, 0.1},
                new double[]{3, 2, 1}));
        // equal accuracy and MSE: larger ridge
        assertEquals(0, RidgeSelection.bestIndex(new double[]{0.9, 0.9, 0.9}, new double[]{0.1, 0.1, 0.1},
                new double[]{3, 2, 1}));
        assertEquals(1, RidgeSelection.bestIndex(new double[]{0.9, 0.9}, new double[]{0.1, 0.1},
                new double[]{1e-3, 1e-1}));
    }

    @Test
    void resultArraysAreCopies() {
        RidgeSelection.Result res = new RidgeSelection.Result(List.of(Ridge.NONE), new double[]{1},
                new double[]{0}, new double[]{0}, 0);
        res.accuracies()[0] = 7;
        assertArrayEquals(new double[]{1}, res.accuracies(), 0);
    }

    @Test
    void badInputs() {
        double[] k = {2, 1, 1, 2};
        EqntkException e = assertThrows(EqntkException.class, () -> RidgeSelection.select(List.of(), k, 2,
                new double[2], 1, new int[]{0, 1}, new int[]{0}, 2));
        assertTrue(e.getMessage().contains("candidate"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> RidgeSelection.select(List.of(Ridge.NONE), k, 2,
                new double[3], 1, new int[]{0, 1}, new int[]{0}, 2));
        assertTrue(e.getMessage().contains("kValTrain") && e.getMessage().contains("got 3"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> RidgeSelection.select(List.of(Ridge.NONE), k, 2,
                new double[2], 1, new int[]{0}, new int[]{0}, 2));
        assertTrue(e.getMessage().contains("trainLabels") && e.getMessage().contains("got 1"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> RidgeSelection.select(List.of(Ridge.NONE), k, 2,
                new double[2], 1, new int[]{0, 1}, new int[]{0, 1}, 2));
        assertTrue(e.getMessage().contains("valLabels"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> RidgeSelection.select(List.of(Ridge.NONE), k, 2,
                new double[]{0, Double.NaN}, 1, new int[]{0, 1}, new int[]{0}, 2));
        assertTrue(e.getMessage().contains("kValTrain") && e.getMessage().contains("index 1"), e.getMessage());
    }
}
