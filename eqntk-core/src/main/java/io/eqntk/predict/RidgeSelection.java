package io.eqntk.predict;

import io.eqntk.EqntkException;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Chooses a ridge by validation accuracy: for each candidate, kernel regression ({@code t = infinity}) on the
 * training set predicts the validation set, and the candidate with the highest accuracy wins; ties go to the
 * smaller validation MSE (against the one-hot-minus-{@code 1/k} targets), then to the larger effective ridge
 * (more stable). The train kernel is factorised once per candidate and all classes are predicted together.
 */
public final class RidgeSelection {
    private RidgeSelection() {
    }

    /**
     * The outcome of a selection; arrays are indexed like {@link #candidates()}.
     *
     * @param candidates    the ridges tried, in the order given
     * @param accuracies    validation accuracy of each
     * @param validationMse validation mean squared error (over points and classes) of each
     * @param ridgesUsed    the diagonal actually used for each (after any escalation)
     * @param bestIndex     the index of the chosen candidate
     */
    public record Result(List<Ridge> candidates, double[] accuracies, double[] validationMse, double[] ridgesUsed,
                         int bestIndex) {
        public Result {
            candidates = List.copyOf(candidates);
            accuracies = accuracies.clone();
            validationMse = validationMse.clone();
            ridgesUsed = ridgesUsed.clone();
        }

        @Override
        public double[] accuracies() {
            return accuracies.clone();
        }

        @Override
        public double[] validationMse() {
            return validationMse.clone();
        }

        @Override
        public double[] ridgesUsed() {
            return ridgesUsed.clone();
        }

        /** The chosen ridge. */
        public Ridge best() {
            return candidates.get(bestIndex);
        }

        /** The validation accuracy of the chosen ridge. */
        public double bestAccuracy() {
            return accuracies[bestIndex];
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("ridge selection:");
            for (int i = 0; i < candidates.size(); i++) {
                s.append(i == bestIndex ? " [" : " ").append(candidates.get(i)).append(": acc ")
                        .append(Checks.format(accuracies[i])).append(", mse ").append(Checks.format(validationMse[i]))
                        .append(i == bestIndex ? "]" : "");
            }
            return s.toString();
        }
    }

    /** {@link #select(List, double[], int, double[], int, int[], int[], int, Consumer)} warning on stderr. */
    public static Result select(List<Ridge> candidates, double[] kTrain, int nTrain, double[] kValTrain, int nVal,
                                int[] trainLabels, int[] valLabels, int k) {
        return select(candidates, kTrain, nTrain, kValTrain, nVal, trainLabels, valLabels, k,
                KernelRegression.STDERR_WARNINGS);
    }

    /**
     * Tries every candidate ridge and picks the best by validation accuracy.
     *
     * @param candidates  the ridges to try, at least one
     * @param kTrain      {@code K(X, X)}, nTrain x nTrain row-major
     * @param kValTrain   {@code K(V, X)}, nVal x nTrain row-major
     * @param trainLabels labels in {@code [0, k)}, length nTrain
     * @param valLabels   labels in {@code [0, k)}, length nVal (at least 1)
     * @param k           the number of classes, at least 2
     * @param warnings    receives ridge-escalation warnings
     */
    public static Result select(List<Ridge> candidates, double[] kTrain, int nTrain, double[] kValTrain, int nVal,
                                int[] trainLabels, int[] valLabels, int k, Consumer<String> warnings) {
        if (candidates == null || candidates.isEmpty()) {
            throw new EqntkException("ridge selection needs at least one candidate ridge");
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i) == null) {
                throw new EqntkException("candidate ridge " + i + " is null");
            }
        }
        Checks.requireAtLeast("nTrain (number of training points)", nTrain, 1);
        Checks.requireAtLeast("nVal (number of validation points)", nVal, 1);
        Checks.requireMatrix("kTrain", kTrain, nTrain, nTrain, "nTrain x nTrain");
        Checks.requireMatrix("kValTrain", kValTrain, nVal, nTrain, "nVal x nTrain");
        Checks.requireLength("trainLabels", trainLabels, nTrain, "nTrain");
        Checks.requireLength("valLabels", valLabels, nVal, "nVal");
        double[] yTrain = Classification.targets(trainLabels, k);
        double[] yVal = Classification.targets(valLabels, k);

        int m = candidates.size();
        double[] acc = new double[m];
        double[] mse = new double[m];
        double[] used = new double[m];
        for (int r = 0; r < m; r++) {
            KernelRegression reg = new KernelRegression(kTrain, nTrain, candidates.get(r), warnings);
            double[] pred = reg.predict(kValTrain, nVal, yTrain, k);
            acc[r] = Classification.accuracy(Classification.argmax(pred, nVal, k), valLabels);
            double sq = 0;
            for (int i = 0; i < pred.length; i++) {
                double d = pred[i] - yVal[i];
                sq += d * d;
            }
            mse[r] = sq / pred.length;
            used[r] = reg.ridgeUsed();
        }
        return new Result(candidates, acc, mse, used, bestIndex(acc, mse, used));
    }

    /**
     * Chooses a ridge by stratified {@code folds}-fold cross-validation on the training set alone: each fold is
     * predicted by kernel regression on the others (sub-blocks of {@code kTrain}, no new kernels), and a
     * candidate's accuracy and MSE are pooled over all n held-out predictions, and its ridge used is the mean of
     * the folds' (no fit of the whole kernel per candidate: the caller fits the chosen one).
     *
     * @param folds at least 2 and at most the number of training images
     * @param seed  seeds the assignment of images to folds (class by class, round robin after a shuffle)
     */
    public static Result crossValidate(List<Ridge> candidates, double[] kTrain, int nTrain, int[] trainLabels, int k,
                                       int folds, long seed, Consumer<String> warnings) {
        Checks.requireMatrix("kTrain", kTrain, nTrain, nTrain, "nTrain x nTrain");
        Checks.requireLength("trainLabels", trainLabels, nTrain, "nTrain");
        if (folds < 2 || folds > nTrain) {
            throw new EqntkException("cross-validation needs 2 to " + nTrain + " folds for " + nTrain
                    + " training images, got " + folds);
        }
        int[] fold = foldsOf(trainLabels, k, folds, seed);
        int m = candidates.size();
        double[] correct = new double[m];
        double[] sq = new double[m];
        double[] used = new double[m];
        int fits = 0;
        for (int f = 0; f < folds; f++) {
            int[] in = indices(fold, f, false);
            int[] out = indices(fold, f, true);
            if (out.length == 0 || in.length == 0) {
                continue;
            }
            Result r = select(candidates, block(kTrain, nTrain, in, in), in.length, block(kTrain, nTrain, out, in),
                    out.length, pick(trainLabels, in), pick(trainLabels, out), k, warnings);
            double[] acc = r.accuracies();
            double[] mse = r.validationMse();
            double[] foldUsed = r.ridgesUsed();
            for (int c = 0; c < m; c++) {
                correct[c] += acc[c] * out.length;
                sq[c] += mse[c] * out.length;
                used[c] += foldUsed[c];
            }
            fits++;
        }
        for (int c = 0; c < m; c++) {
            correct[c] /= nTrain;
            sq[c] /= nTrain;
            used[c] /= fits;
        }
        return new Result(candidates, correct, sq, used, bestIndex(correct, sq, used));
    }

    /** The fold of every image: within each class a seeded shuffle, then folds in turn, so folds are stratified. */
    static int[] foldsOf(int[] labels, int k, int folds, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] fold = new int[labels.length];
        int next = 0;
        for (int c = 0; c < k; c++) {
            List<Integer> members = new java.util.ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            java.util.Collections.shuffle(members, rnd);
            for (int i : members) {
                fold[i] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }

    private static int[] indices(int[] fold, int f, boolean held) {
        return java.util.stream.IntStream.range(0, fold.length).filter(i -> (fold[i] == f) == held).toArray();
    }

    private static double[] block(double[] a, int n, int[] rows, int[] cols) {
        double[] out = new double[rows.length * cols.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                out[i * cols.length + j] = a[rows[i] * n + cols[j]];
            }
        }
        return out;
    }

    private static int[] pick(int[] a, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    /** Highest accuracy, then lowest MSE, then largest ridge; the first such index. */
    static int bestIndex(double[] acc, double[] mse, double[] ridge) {
        if (acc.length == 0 || mse.length != acc.length || ridge.length != acc.length) {
            throw new IllegalArgumentException("mismatched lengths " + Arrays.toString(new int[]{acc.length,
                    mse.length, ridge.length}));
        }
        int best = 0;
        for (int i = 1; i < acc.length; i++) {
            int c = Double.compare(acc[i], acc[best]);
            if (c == 0) {
                c = Double.compare(mse[best], mse[i]);
            }
            if (c == 0) {
                c = Double.compare(ridge[i], ridge[best]);
            }
            if (c > 0) {
                best = i;
            }
        }
        return best;
    }
}
