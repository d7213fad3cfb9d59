package io.eqntk.predict;

import io.eqntk.EqntkException;

import java.util.Arrays;

/**
 * The metrics a medical reader expects from a classifier, from predicted classes, regression scores or class
 * probabilities. Accuracies and rates are fractions in {@code [0, 1]}, not percentages.
 *
 * <ul>
 *   <li>balanced accuracy: the mean over classes (that occur in the truth) of the recall of that class;</li>
 *   <li>ROC AUC of a score: the probability that a random positive scores higher than a random negative, ties
 *       counting one half (the Mann-Whitney statistic); macro one-vs-rest AUC averages it over the classes that
 *       have both positives and negatives, scoring class c by column c of the regression output;</li>
 *   <li>sensitivity and specificity of a binary task: class 1 is the positive class (PCam: tumour);</li>
 *   <li>log-likelihood: the mean of {@code log p(true class)}, each probability floored at {@value #PROB_FLOOR}
 *       (so that one confident mistake costs at most {@code log(1e-12) = -27.6} instead of minus infinity);</li>
 *   <li>expected calibration error: images binned by confidence (the largest class probability) into
 *       {@value #ECE_BINS} equal-width bins of {@code [0, 1]}; ECE is the sum over bins of
 *       {@code (bin count / n) |accuracy in bin - mean confidence in bin|}.</li>
 * </ul>
 */
public final class Metrics {
    /** Probabilities below this count as this in the log-likelihood. */
    public static final double PROB_FLOOR = 1e-12;
    /** Confidence bins of the expected calibration error. */
    public static final int ECE_BINS = 15;

    private Metrics() {
    }

    /** Rows: true class; columns: predicted class. */
    public static int[][] confusion(int[] predicted, int[] truth, int k) {
        check(predicted, truth);
        int[][] m = new int[k][k];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
                throw new EqntkException("label " + truth[i] + " or prediction " + predicted[i] + " at index " + i
                    + " is outside [0, " + k + ")");
            }
            m[truth[i]][predicted[i]]++;
        }
        return m;
    }

    /** The mean recall over the classes that occur in {@code truth}. */
    public static double balancedAccuracy(int[] predicted, int[] truth, int k) {
        int[][] m = confusion(predicted, truth, k);
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < k; c++) {
            int row = Arrays.stream(m[c]).sum();
            if (row > 0) {
                sum += (double) m[c][c] / row;
                classes++;
            }
        }
        return sum / classes;
    }

    /** TP / (TP + FN) with class 1 positive; NaN when the truth has no positives. */
    public static double sensitivity(int[] predicted, int[] truth) {
        int[][] m = confusion(predicted, truth, 2);
        return rate(m[1][1], m[1][0]);
    }

    /** TN / (TN + FP) with class 1 positive; NaN when the truth has no negatives. */
    public static double specificity(int[] predicted, int[] truth) {
        int[][] m = confusion(predicted, truth, 2);
        return rate(m[0][0], m[0][1]);
    }

    private static double rate(int hit, int miss) {
        return hit + miss == 0 ? Double.NaN : (double) hit / (hit + miss);
    }

    /**
     * ROC AUC of {@code score} for {@code positive} against the rest (ties count one half); NaN when there are no
     * positives or no negatives. O(n log n).
     */
    public static double auc(double[] score, boolean[] positive) {
        int n = score.length;
        if (positive.length != n) {
            throw new EqntkException("auc: " + n + " scores but " + positive.length + " labels");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(score[i])) {
                throw new EqntkException("auc: score " + i + " is not finite: " + score[i]);
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        // mid-ranks over tie groups: the rank-sum form of the Mann-Whitney statistic
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    rankSumPos += midRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * Macro one-vs-rest ROC AUC: class c scored by column c of {@code scores} (n x k, row-major), averaged over
     * the classes with both positives and negatives in {@code truth}; NaN when there is none.
     */
    public static double macroAuc(double[] scores, int[] truth, int k) {
        int n = truth.length;
        Checks.requireMatrix("scores", scores, n, k, "n x k");
        double sum = 0;
        int classes = 0;
        double[] col = new double[n];
        boolean[] pos = new boolean[n];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                col[i] = scores[i * k + c];
                pos[i] = truth[i] == c;
            }
            double a = auc(col, pos);
            if (!Double.isNaN(a)) {
                sum += a;
                classes++;
            }
        }
        return classes == 0 ? Double.NaN : sum / classes;
    }

    /** Mean {@code log p(true class)} over images (probabilities n x k, floored at {@link #PROB_FLOOR}). */
    public static double logLikelihood(double[] probs, int[] truth, int k) {
        int n = truth.length;
        Checks.requireMatrix("probabilities", probs, n, k, "n x k");
        if (n == 0) {
            throw new EqntkException("log-likelihood of zero examples is undefined");
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.log(Math.max(PROB_FLOOR, probs[i * k + truth[i]]));
        }
        return s / n;
    }

    /** Expected calibration error over {@link #ECE_BINS} equal-width confidence bins (see the class comment). */
    public static double expectedCalibrationError(double[] probs, int[] truth, int k) {
        int n = truth.length;
        Checks.requireMatrix("probabilities", probs, n, k, "n x k");
        if (n == 0) {
            throw new EqntkException("calibration error of zero examples is undefined");
        }
        double[] conf = new double[ECE_BINS];
        double[] hits = new double[ECE_BINS];
        int[] count = new int[ECE_BINS];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (probs[i * k + c] > probs[i * k + best]) {
                    best = c;
                }
            }
            double p = probs[i * k + best];
            int b = Math.min(ECE_BINS - 1, (int) (p * ECE_BINS));
            conf[b] += p;
            hits[b] += best == truth[i] ? 1 : 0;
            count[b]++;
        }
        double ece = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            if (count[b] > 0) {
                ece += Math.abs(hits[b] - conf[b]) / n;
            }
        }
        return ece;
    }

    private static void check(int[] predicted, int[] truth) {
        if (predicted == null || truth == null) {
            throw new EqntkException((predicted == null ? "predicted" : "truth") + " is null");
        }
        if (truth.length == 0) {
            throw new EqntkException("metrics of zero examples are undefined (truth is empty)");
        }
        Checks.requireLength("predicted", predicted, truth.length, "truth.length");
    }
}
