package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.model.FeatureShape;
import io.eqntk.data.Images;
import io.eqntk.network.FiniteNetwork;
import io.eqntk.group.PointGroup;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.predict.Classification;
import io.eqntk.train.Augmentation;
import io.eqntk.train.GradientDescent;
import io.eqntk.train.Model;

/**
 * A trained finite network as a baseline beside the kernels ({@code cnn-sgd}, {@code c4-sgd},
 * {@code cnn-sgd-aug}): the model's own architecture at a finite width, trained on exactly the training subset
 * (size, seed) the kernels get.
 *
 * <p>Recipe: NTK parameterisation (as {@link FiniteNetwork}), initialised from a seed derived from the subset's
 * seed; full-batch gradient descent ({@link GradientDescent}) on the softmax cross-entropy of the k outputs
 * ({@code 1/n sum_i (logsumexp f(x_i) - f_{c_i}(x_i))}, the loss a practitioner trains a classifier with) for
 * {@code steps} steps; the test images' softmax probabilities give the baseline's log-likelihood and
 * calibration error. The step size is {@code learningRate} times {@code 2 / mean Theta(x, x)}: the function moves
 * by {@code -eta Theta (p - y) / n}, the softmax Jacobian's eigenvalues are at most 1/2, so gradient descent is
 * stable while {@code eta lambda_max(Theta) / (2 n) < 2}, and {@code lambda_max <= trace = n mean Theta(x, x)}
 * (the empirical NTK diagonal, measured at initialisation on up to 16 training images). So {@code learningRate}
 * below 2 never diverges. The number of steps is chosen on the validation split among checkpoints every
 * {@code steps / 10} steps (best validation accuracy, the earlier checkpoint on ties: early stopping by
 * selection); with {@code augment}, every training image is replaced by its orbit under that group (8 copies
 * for D4).
 *
 * @param width        channels (per group element for group layers)
 * @param steps        gradient-descent steps, {@code >= 1}
 * @param learningRate the step size as a fraction of {@code 2 / mean Theta(x, x)} (below 2: stable)
 * @param augment      the group whose orbit augments the training images, or null
 */
public record FiniteBaseline(int width, int steps, double learningRate, PointGroup augment) {
    /** Defaults small enough for 2 cores. */
    public static final int DEFAULT_WIDTH = 8;
    public static final int DEFAULT_STEPS = 200;
    public static final double DEFAULT_LEARNING_RATE = 1.0;
    private static final int CHECKPOINTS = 10;

    public FiniteBaseline {
        if (width < 1) {
            throw new EqntkException("finite width must be at least 1, got " + width);
        }
        if (steps < 1) {
            throw new EqntkException("finite training steps must be at least 1, got " + steps);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new EqntkException("finite learning rate must be positive, got " + learningRate);
        }
    }

    /** {@code -sgd} or {@code -sgd-aug} appended to the model name, as in {@code cnn-sgd-aug}. */
    public String suffix() {
        return augment == null ? "-sgd" : "-sgd-aug";
    }

    /**
     * Trains on one subset and predicts the evaluation images (validation first, then test).
     *
     * @return {logits of the chosen checkpoint for the test images (nTest x k), {chosen step, validation
     *         accuracy}, their softmax probabilities}
     */
    double[][] trainAndPredict(ModelSpec m, Images train, ImageBatch eval, int nVal, int[] valLabels, int k,
                               long seed) {
        ImageBatch x = ImageBatch.of(train);
        double[] y = Classification.targets(train.labels(), k);
        if (augment != null) {
            y = Augmentation.repeatTargets(y, x.count(), k, augment.order());
            x = Augmentation.orbit(x, augment);
        }
        FiniteNetwork net = new FiniteNetwork(m.architecture(), FeatureShape.image(x.height(), x.width(),
            x.channels()), width, k);
        double[] params = net.init(seed);
        int every = Math.max(1, steps / CHECKPOINTS);
        int[] cps = new int[steps / every];
        for (int i = 0; i < cps.length; i++) {
            cps[i] = (i + 1) * every;
        }
        Model model = Model.of(net);
        double eta = learningRate * 2 / meanNtkDiagonal(model, params, x, k);
        GradientDescent.Trajectory tr = GradientDescent.train(model, params, x, y,
            GradientDescent.Config.fullBatch(eta, steps).withLoss(GradientDescent.Loss.CROSS_ENTROPY), cps, eval);
        int best = 0;
        double bestAcc = -1;
        int nTest = eval.count() - nVal;
        for (int c = 0; c < cps.length; c++) {
            double[] p = tr.predictions()[c];
            double[] pv = java.util.Arrays.copyOf(p, nVal * k);
            double acc = Classification.accuracy(Classification.argmax(pv, nVal, k), valLabels);
            if (acc > bestAcc) {
                bestAcc = acc;
                best = c;
            }
        }
        double[] test = java.util.Arrays.copyOfRange(tr.predictions()[best], nVal * k, (nVal + nTest) * k);
        return new double[][] {test, {cps[best], bestAcc}, GradientDescent.softmax(test, k)};
    }

    /** The mean over (up to) 16 images and the k outputs of the empirical NTK diagonal ||df_c/dp||^2. */
    static double meanNtkDiagonal(Model model, double[] params, ImageBatch x, int k) {
        int m = Math.min(16, x.count());
        double sum = 0;
        double[] g = new double[params.length];
        double[] e = new double[k];
        for (int i = 0; i < m; i++) {
            Model.Pass pass = model.forward(params, x.image(i));
            for (int c = 0; c < k; c++) {
                java.util.Arrays.fill(g, 0);
                java.util.Arrays.fill(e, 0);
                e[c] = 1;
                pass.backward(e, g);
                for (double v : g) {
                    sum += v * v;
                }
            }
        }
        double mean = sum / ((double) m * k);
        if (!(mean > 0) || !Double.isFinite(mean)) {
            throw new EqntkException("the finite network's gradient at initialisation is " + mean
                + "; cannot set a learning rate");
        }
        return mean;
    }
}
