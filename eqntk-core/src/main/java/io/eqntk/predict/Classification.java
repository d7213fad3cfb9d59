package io.eqntk.predict;

import io.eqntk.EqntkException;

/**
 * Classification by kernel regression: labels become regression targets (one-hot minus {@code 1/k}, so each
 * target row sums to zero, as for a network trained on MSE from a zero-mean initialisation), and a prediction is
 * the class with the largest output.
 */
public final class Classification {
    private Classification() {
    }

    /** The number of classes implied by labels: the largest label plus one (labels must be {@code >= 0}). */
    public static int numClasses(int[]... labels) {
        int max = -1;
        for (int[] ls : labels) {
            if (ls == null) {
                throw new EqntkException("labels are null");
            }
            for (int i = 0; i < ls.length; i++) {
                if (ls[i] < 0) {
                    throw new EqntkException("label at index " + i + " is negative: " + ls[i]);
                }
                max = Math.max(max, ls[i]);
            }
        }
        return max + 1;
    }

    /**
     * Regression targets for labels in {@code [0, k)}: {@code 1 - 1/k} at the label, {@code -1/k} elsewhere.
     *
     * @return labels.length x k, row-major
     */
    public static double[] targets(int[] labels, int k) {
        if (labels == null) {
            throw new EqntkException("labels are null");
        }
        Checks.requireAtLeast("k (number of classes)", k, 2);
        int n = labels.length;
        double[] y = new double[Checks.size("targets", n, k)];
        double off = -1.0 / k;
        double on = 1.0 - 1.0 / k;
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            if (c < 0 || c >= k) {
                throw new EqntkException("labels[" + i + "] = " + c + " is outside [0, " + k + ")");
            }
            for (int j = 0; j < k; j++) {
                y[i * k + j] = j == c ? on : off;
            }
        }
        return y;
    }

    /**
     * The index of the largest output in each row (the first one on ties).
     *
     * @param pred n x k, row-major; must be finite
     * @return length n
     */
    public static int[] argmax(double[] pred, int n, int k) {
        Checks.requireAtLeast("n", n, 0);
        Checks.requireAtLeast("k", k, 1);
        Checks.requireMatrix("pred", pred, n, k, "n x k");
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (pred[i * k + j] > pred[i * k + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** The fraction of positions where {@code predicted} equals {@code truth}, in {@code [0, 1]}. */
    public static double accuracy(int[] predicted, int[] truth) {
        if (predicted == null || truth == null) {
            throw new EqntkException((predicted == null ? "predicted" : "truth") + " is null");
        }
        if (truth.length == 0) {
            throw new EqntkException("accuracy of zero examples is undefined (truth is empty)");
        }
        Checks.requireLength("predicted", predicted, truth.length, "truth.length");
        int right = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == truth[i]) {
                right++;
            }
        }
        return (double) right / truth.length;
    }
}
