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
    void crossValidationPoolsHeldOutPredictionsOfEveryFold() {
        Random r = new Random(7);
        int n = 14;
        int[] labels = new int[n];
        double[][] x = points(r, labels);
        for (int i = 0; i < n; i += 5) {
            x[i][0] = -x[i][0]; // a few points on the wrong side, so that ridges differ
        }
        double[] k = Kernels.rbf(x, x, 1.0);
        List<Ridge> candidates = List.of(Ridge.relative(1e-8), Ridge.relative(1e-2), Ridge.absolute(10));
        // n folds = leave-one-out: each candidate's accuracy is that of n separate fits on the other n - 1 points
        RidgeSelection.Result cv = RidgeSelection.crossValidate(candidates, k, n, labels, 2, n, 3, m -> { });
        for (int c = 0; c < candidates.size(); c++) {
            int correct = 0;
            double sq = 0;
            for (int out = 0; out < n; out++) {
                int[] in = new int[n - 1];
                for (int i = 0, j = 0; i < n; i++) {
                    if (i != out) {
                        in[j++] = i;
                    }
                }
                double[] kIn = new double[(n - 1) * (n - 1)];
                double[] kOut = new double[n - 1];
                int[] yIn = new int[n - 1];
                for (int a = 0; a < n - 1; a++) {
                    yIn[a] = labels[in[a]];
                    kOut[a] = k[out * n + in[a]];
                    for (int b = 0; b < n - 1; b++) {
                        kIn[a * (n - 1) + b] = k[in[a] * n + in[b]];
                    }
                }
                double[] pred = new KernelRegression(kIn, n - 1, candidates.get(c), m -> { })
                        .predict(kOut, 1, Classification.targets(yIn, 2), 2);
                correct += Classification.argmax(pred, 1, 2)[0] == labels[out] ? 1 : 0;
                double[] target = Classification.targets(new int[] {labels[out]}, 2);
                sq += Math.pow(pred[0] - target[0], 2) + Math.pow(pred[1] - target[1], 2);
            }
            assertEquals(correct / (double) n, cv.accuracies()[c], 1e-12, "candidate " + candidates.get(c));
            assertEquals(sq / (2.0 * n), cv.validationMse()[c], 1e-9);
        }
        assertEquals(RidgeSelection.bestIndex(cv.accuracies(), cv.validationMse(), cv.ridgesUsed()), cv.bestIndex());
        // folds are stratified: 5 folds of 10 + 10 images hold 2 + 2 each
        int[] twenty = new int[20];
        for (int i = 0; i < 20; i++) {
            twenty[i] = i % 2;
        }
        int[] fold = RidgeSelection.foldsOf(twenty, 2, 5, 11);
        int[][] count = new int[5][2];
        for (int i = 0; i < 20; i++) {
            count[fold[i]][twenty[i]]++;
        }
        for (int[] f : count) {
            assertArrayEquals(new int[] {2, 2}, f);
        }
        assertThrows(EqntkException.class, () -> RidgeSelection.crossValidate(candidates, k, n, labels, 2, 1, 0,
                m -> { }));
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
