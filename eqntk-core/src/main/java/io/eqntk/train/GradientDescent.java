package io.eqntk.train;

import io.eqntk.EqntkException;
import io.eqntk.kernel.ImageBatch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Gradient descent on the mean squared error {@code L(p) = 1/(2 n k) sum_i ||f(x_i; p) - y_i||^2} (n training
 * inputs, k outputs; the kernels' loss) or on the softmax cross-entropy {@code L(p) = 1/n sum_i
 * (logsumexp f(x_i; p) - f_{c_i}(x_i; p))} with c_i the largest entry of y_i, full-batch or as plain SGD on minibatches drawn without replacement (reshuffled every epoch
 * from a seed; the minibatch loss is normalised by its own size, {@code 1/(2 B k)}, so its expected gradient is
 * the full one).
 *
 * <p><b>Time.</b> With learning rate {@code eta}, step s is training time {@code t = eta s}: for small eta the
 * iterates follow the gradient flow {@code dp/dt = -grad L}, and in the NTK parameterisation the function then
 * moves as {@code df/dt = -Theta (f - y) / (n k)}, which is the {@code exp(-lambda_i t / (n k))} convention of
 * {@link io.eqntk.predict.KernelRegression} (KERNELS.md §5). Discrete steps follow the flow to first order in
 * {@code eta lambda_max / (n k)}.
 *
 * <p>Deterministic: the same model, parameters, data and configuration give bit-identical results (each step
 * is one batched pass of the model over the minibatch, whose sums do not depend on threads).
 */
public final class GradientDescent {
    /**
     * @param learningRate eta, {@code > 0}
     * @param steps        number of updates, {@code >= 0}
     * @param batchSize    minibatch size for SGD; 0 (or n or more) for full-batch gradient descent
     * @param seed         the SGD shuffling seed (unused for full batches)
     */
    public record Config(double learningRate, int steps, int batchSize, long seed, Loss loss) {
        /** Mean squared error. */
        public Config(double learningRate, int steps, int batchSize, long seed) {
            this(learningRate, steps, batchSize, seed, Loss.MSE);
        }

        public Config {
            if (loss == null) {
                throw new EqntkException("a training loss is required");
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new EqntkException("learning rate must be positive and finite, got " + learningRate);
            }
            if (steps < 0) {
                throw new EqntkException("steps must be >= 0, got " + steps);
            }
            if (batchSize < 0) {
                throw new EqntkException("batch size must be >= 0 (0 = full batch), got " + batchSize);
            }
        }

        /** Full-batch gradient descent. */
        public static Config fullBatch(double learningRate, int steps) {
            return new Config(learningRate, steps, 0, 0);
        }

        public Config withSteps(int s) {
            return new Config(learningRate, s, batchSize, seed, loss);
        }

        public Config withSeed(long s) {
            return new Config(learningRate, steps, batchSize, s, loss);
        }

        public Config withLoss(Loss l) {
            return new Config(learningRate, steps, batchSize, seed, l);
        }
    }

    /** The training loss. */
    public enum Loss {
        /** {@code 1/(2 B k) sum ||f - y||^2}: the loss whose gradient flow the NTK describes. */
        MSE,
        /** {@code 1/B sum (logsumexp f - f_c)}, c the class (largest target entry): what finite classifiers use. */
        CROSS_ENTROPY
    }

    /**
     * What one run recorded.
     *
     * @param checkpoints the steps at which test predictions were taken (sorted, distinct)
     * @param predictions predictions[c] = f(test; p) after checkpoints[c] steps, nTest x k row-major
     * @param loss        loss[s] for s = 0..steps: the loss at the parameters after s steps (full-batch: on the
     *                    whole training set; SGD: loss[s] for s &lt; steps is the minibatch loss of step s + 1 and
     *                    loss[steps] the full loss at the end)
     */
    public record Trajectory(int[] checkpoints, double[][] predictions, double[] loss) {
    }

    private GradientDescent() {
    }

    /**
     * Trains {@code params} in place.
     *
     * @param y           targets, n x k row-major (k = model.outputs())
     * @param checkpoints steps (0..steps) at which to evaluate the model on {@code test}; may be empty
     * @param test        test inputs (may be null when checkpoints is empty)
     */
    public static Trajectory train(Model model, double[] params, ImageBatch x, double[] y, Config cfg,
                                   int[] checkpoints, ImageBatch test) {
        int n = x.count();
        int k = model.outputs();
        if (n < 1) {
            throw new EqntkException("training needs at least one input");
        }
        if (x.imageSize() != model.inputSize()) {
            throw new EqntkException("training inputs have " + x.imageSize() + " values, the model expects "
                + model.inputSize());
        }
        if (y.length != n * k) {
            throw new EqntkException("targets have " + y.length + " values, expected n x k = " + n + " x " + k);
        }
        if (params.length != model.parameterCount()) {
            throw new EqntkException("params have " + params.length + " values, the model has "
                + model.parameterCount());
        }
        int[] cps = normaliseCheckpoints(checkpoints, cfg.steps());
        if (cps.length > 0 && (test == null || test.imageSize() != model.inputSize())) {
            throw new EqntkException("checkpoints need test inputs of " + model.inputSize() + " values each");
        }
        double[][] xs = new double[n][];
        for (int i = 0; i < n; i++) {
            xs[i] = x.image(i);
        }
        double[][] zs = new double[cps.length == 0 ? 0 : test.count()][];
        for (int i = 0; i < zs.length; i++) {
            zs[i] = test.image(i);
        }
        boolean full = cfg.batchSize() == 0 || cfg.batchSize() >= n;
        int b = full ? n : cfg.batchSize();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        int cursor = n;
        double[][] preds = new double[cps.length][];
        double[] loss = new double[cfg.steps() + 1];
        double[] grad = new double[params.length];
        int nextCp = 0;
        for (int s = 0; s <= cfg.steps(); s++) {
            while (nextCp < cps.length && cps[nextCp] == s) {
                preds[nextCp++] = evaluate(model, params, zs, k);
            }
            if (s == cfg.steps()) {
                loss[s] = lossOf(model, params, xs, y, k, cfg.loss());
                if (!Double.isFinite(loss[s])) {
                    throw new EqntkException("training diverged by step " + s + " (loss " + loss[s]
                        + "); lower the learning rate " + cfg.learningRate());
                }
                break;
            }
            int[] batch;
            if (full) {
                batch = order;
            } else {
                if (cursor + b > n) {
                    shuffle(order, rng);
                    cursor = 0;
                }
                batch = Arrays.copyOfRange(order, cursor, cursor + b);
                cursor += b;
            }
            Arrays.fill(grad, 0);
            double[][] inputs = new double[batch.length][];
            for (int j = 0; j < batch.length; j++) {
                inputs[j] = xs[batch[j]];
            }
            Model.BatchPass pass = model.forward(params, inputs);
            double[] f = pass.outputs();
            double[] g = new double[batch.length * k];
            loss[s] = lossAndGradient(cfg.loss(), f, y, batch, k, g);
            pass.backward(g, grad);
            double eta = cfg.learningRate();
            for (int p = 0; p < params.length; p++) {
                params[p] -= eta * grad[p];
            }
            if (!Double.isFinite(loss[s])) {
                throw new EqntkException("training diverged at step " + s + " (loss " + loss[s]
                    + "); lower the learning rate " + eta);
            }
        }
        return new Trajectory(cps, preds, loss);
    }

    /** Inputs evaluated per batched pass outside training (bounds the activations kept). */
    private static final int EVAL_BATCH = 256;

    /** f(x_i; p) for each input, concatenated (nInputs x k). */
    public static double[] evaluate(Model model, double[] params, double[][] inputs, int k) {
        double[] out = new double[inputs.length * k];
        for (int i0 = 0; i0 < inputs.length; i0 += EVAL_BATCH) {
            double[][] part = Arrays.copyOfRange(inputs, i0, Math.min(inputs.length, i0 + EVAL_BATCH));
            System.arraycopy(model.forward(params, part).outputs(), 0, out, i0 * k, part.length * k);
        }
        return out;
    }

    /** The full training loss {@code 1/(2 n k) ||f(X) - Y||^2}. */
    public static double lossOf(Model model, double[] params, double[][] xs, double[] y, int k) {
        return lossOf(model, params, xs, y, k, Loss.MSE);
    }

    /** The full training loss of the given kind. */
    public static double lossOf(Model model, double[] params, double[][] xs, double[] y, int k, Loss loss) {
        double[] f = evaluate(model, params, xs, k);
        int[] all = new int[xs.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return lossAndGradient(loss, f, y, all, k, new double[f.length]);
    }

    /**
     * The loss of outputs {@code f} (batch x k) for the targets of the images {@code batch}, and its gradient with
     * respect to f into {@code g}.
     */
    static double lossAndGradient(Loss loss, double[] f, double[] y, int[] batch, int k, double[] g) {
        double l = 0;
        if (loss == Loss.MSE) {
            double scale = 1.0 / ((double) batch.length * k);
            for (int j = 0; j < batch.length; j++) {
                for (int o = 0; o < k; o++) {
                    double r = f[j * k + o] - y[batch[j] * k + o];
                    l += r * r;
                    g[j * k + o] = r * scale;
                }
            }
            return 0.5 * l * scale;
        }
        double scale = 1.0 / batch.length;
        for (int j = 0; j < batch.length; j++) {
            int c = 0;
            double max = f[j * k];
            for (int o = 0; o < k; o++) {
                if (y[batch[j] * k + o] > y[batch[j] * k + c]) {
                    c = o;
                }
                max = Math.max(max, f[j * k + o]);
            }
            double z = 0;
            for (int o = 0; o < k; o++) {
                g[j * k + o] = Math.exp(f[j * k + o] - max); // kept for the gradient below
                z += g[j * k + o];
            }
            l += max + Math.log(z) - f[j * k + c];
            for (int o = 0; o < k; o++) {
                g[j * k + o] = (g[j * k + o] / z - (o == c ? 1 : 0)) * scale;
            }
        }
        return l * scale;
    }

    /** Softmax probabilities of logits (rows of k). */
    public static double[] softmax(double[] f, int k) {
        double[] p = new double[f.length];
        for (int j = 0; j < f.length / k; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < k; o++) {
                max = Math.max(max, f[j * k + o]);
            }
            double z = 0;
            for (int o = 0; o < k; o++) {
                p[j * k + o] = Math.exp(f[j * k + o] - max);
                z += p[j * k + o];
            }
            for (int o = 0; o < k; o++) {
                p[j * k + o] /= z;
            }
        }
        return p;
    }

    static int[] normaliseCheckpoints(int[] checkpoints, int steps) {
        if (checkpoints == null) {
            return new int[0];
        }
        int[] c = Arrays.stream(checkpoints).sorted().distinct().toArray();
        for (int s : c) {
            if (s < 0 || s > steps) {
                throw new EqntkException("checkpoint step " + s + " is outside 0.." + steps);
            }
        }
        return c;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
