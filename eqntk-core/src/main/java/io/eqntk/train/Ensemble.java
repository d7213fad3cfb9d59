package io.eqntk.train;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.model.KernelOp;
import io.eqntk.model.FeatureShape;
import io.eqntk.network.FiniteNetwork;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.model.Precision;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.util.Parallel;
import io.eqntk.layer.Layer;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ensemble of independently initialised finite networks of one architecture and width, each trained by
 * {@link GradientDescent} on the same data, in parallel; reports the ensemble mean of the test predictions at
 * chosen steps and its standard error.
 *
 * <p><b>Antithetic pairs</b> (optional). The N(0, 1) initialisation is symmetric under negating the parameters of
 * the last affine layer, which negates f at initialisation (when nothing but linear parameter-free layers follow
 * that layer) and leaves the empirical NTK unchanged. Pairing every network with its negated twin therefore
 * keeps every member a fair draw, so the ensemble mean stays an unbiased estimate of the mean over
 * initialisations, while the initial function, the dominant source of spread, cancels within each pair. In the
 * linearised regime a pair's mean is exactly kernel regression with that pair's empirical NTK, so what remains
 * is the finite-width fluctuation of the NTK itself. The standard error is then computed over the independent
 * pair means.
 *
 * <p>Results do not depend on the number of threads: member j's initialisation and SGD seed are fixed functions
 * of (seed, j).
 */
public final class Ensemble {
    /**
     * @param width       channels of every hidden affine layer
     * @param members     number of networks (even when antithetic)
     * @param checkpoints steps at which test predictions were taken
     * @param predictions predictions[j][c] of member j at checkpoint c, nTest x k
     * @param mean        ensemble mean, [c][nTest * k]
     * @param stdError    standard error of the mean, [c][nTest * k]
     * @param meanLoss    mean training loss over members, per step 0..steps
     * @param parameters  parameters per network
     */
    public record Result(int width, int members, boolean antithetic, int[] checkpoints, double[][][] predictions,
                         double[][] mean, double[][] stdError, double[] meanLoss, int parameters) {
    }

    private Ensemble() {
    }

    /**
     * Trains {@code members} networks of {@code arch} at {@code width} with {@code outputs} = k outputs.
     *
     * @param threads  worker threads (networks run in parallel, each on one thread)
     * @param progress receives (steps done, total steps) over all members
     */
    public static Result train(Architecture arch, int width, ImageBatch x, double[] y, int k,
                               GradientDescent.Config gd, int[] checkpoints, ImageBatch test, int members,
                               boolean antithetic, long seed, int threads, ProgressListener progress) {
        return train(arch, width, x, y, k, gd, checkpoints, test, members, antithetic, seed, threads, progress,
            Precision.FLOAT64);
    }

    /**
     * As above, with the networks' passes in the given precision (parameters, gradients and updates stay
     * float64). Members run in parallel, each pass on one thread; with fewer members than threads the spare
     * threads cut each pass's matrix products instead.
     */
    public static Result train(Architecture arch, int width, ImageBatch x, double[] y, int k,
                               GradientDescent.Config gd, int[] checkpoints, ImageBatch test, int members,
                               boolean antithetic, long seed, int threads, ProgressListener progress,
                               Precision precision) {
        if (width < 1) {
            throw new EqntkException("width must be at least 1, got " + width);
        }
        if (members < 2) {
            throw new EqntkException("an ensemble needs at least 2 members for a standard error, got " + members);
        }
        if (antithetic && members % 2 != 0) {
            throw new EqntkException("an antithetic ensemble needs an even number of members, got " + members);
        }
        arch.validate(x.height(), x.width(), x.channels());
        FeatureShape input = FeatureShape.image(x.height(), x.width(), x.channels());
        FiniteNetwork net = new FiniteNetwork(arch, input, width, k);
        int lastParams = antithetic ? lastAffineParameters(arch, input, width, k) : 0;
        int workers = Math.max(1, threads);
        Model model = Model.of(net, precision, Math.max(1, workers / members));
        int[] cps = GradientDescent.normaliseCheckpoints(checkpoints, gd.steps());
        double[][][] preds = new double[members][][];
        double[][] losses = new double[members][];
        AtomicLong done = new AtomicLong();
        long total = (long) members * Math.max(1, gd.steps());
        ProgressListener perStep = progress == null ? ProgressListener.NONE : progress;
        Parallel.forEach(workers, members, j -> {
            int draw = antithetic ? j / 2 : j;
            long s = Parallel.seed(seed, draw);
            double[] p = net.init(s);
            if (antithetic && j % 2 == 1) {
                for (int i = p.length - lastParams; i < p.length; i++) {
                    p[i] = -p[i];
                }
            }
            GradientDescent.Config cfg = gd.withSeed(Parallel.seed(seed ^ 0x5DEECE66DL, j));
            GradientDescent.Trajectory tr = GradientDescent.train(model, p, x, y, cfg, cps, test);
            preds[j] = tr.predictions();
            losses[j] = tr.loss();
            perStep.progress(done.addAndGet(Math.max(1, gd.steps())), total);
        });
        int c = cps.length;
        int size = c == 0 ? 0 : preds[0][0].length;
        int groups = antithetic ? members / 2 : members;
        double[][] mean = new double[c][size];
        double[][] se = new double[c][size];
        for (int ci = 0; ci < c; ci++) {
            for (int e = 0; e < size; e++) {
                double[] v = new double[groups];
                for (int gI = 0; gI < groups; gI++) {
                    v[gI] = antithetic ? 0.5 * (preds[2 * gI][ci][e] + preds[2 * gI + 1][ci][e]) : preds[gI][ci][e];
                }
                double mu = 0;
                for (double a : v) {
                    mu += a;
                }
                mu /= groups;
                double ss = 0;
                for (double a : v) {
                    ss += (a - mu) * (a - mu);
                }
                mean[ci][e] = mu;
                se[ci][e] = Math.sqrt(ss / (groups - 1) / groups);
            }
        }
        double[] meanLoss = new double[gd.steps() + 1];
        for (double[] l : losses) {
            for (int s = 0; s < l.length; s++) {
                meanLoss[s] += l[s] / members;
            }
        }
        return new Result(width, members, antithetic, cps, preds, mean, se, meanLoss, net.parameterCount());
    }

    /**
     * The number of parameters of the last affine layer (the tail of the flat parameter array), checking that
     * only linear parameter-free layers follow it, so that negating them negates the network's output.
     */
    static int lastAffineParameters(Architecture arch, FeatureShape input, int width, int outputs) {
        List<Layer> layers = arch.layers();
        List<FeatureShape> shapes = arch.shapes(input, width, outputs);
        int last = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).isAffine()) {
                last = i;
            }
        }
        if (last < 0) {
            throw new EqntkException("the architecture has no affine layer to train");
        }
        for (int i = last + 1; i < layers.size(); i++) {
            if (layers.get(i).kernelOp() instanceof KernelOp.Pointwise) {
                throw new EqntkException("antithetic pairs need a network whose last affine layer is followed only by "
                    + "linear layers, but '" + layers.get(i).spec() + "' follows it; train without antithetic pairs");
            }
        }
        return layers.get(last).finite(shapes.get(last), shapes.get(last + 1)).parameterCount();
    }
}
