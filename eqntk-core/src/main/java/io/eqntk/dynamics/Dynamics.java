package io.eqntk.dynamics;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.model.KernelOp;
import io.eqntk.group.PointGroup;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.model.Precision;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.layer.Layer;
import io.eqntk.predict.KernelRegression;
import io.eqntk.predict.Ridge;
import io.eqntk.train.Augmentation;
import io.eqntk.train.Ensemble;
import io.eqntk.train.GradientDescent;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Training dynamics of a group-convolutional network (GCNN) versus the ordinary CNN trained on the training set
 * augmented by the whole group, at infinite width (kernel regression with the NTK at time t) and at finite width
 * (ensembles trained by gradient descent).
 *
 * <h2>Why the two infinite-width curves coincide, and how t and the ridge are matched</h2>
 *
 * <p>Let X = (x_1..x_n) be the training inputs with targets Y (n x k), H the group, and X_A the augmented set of
 * N = n |H| inputs {@code h·x_j} with targets Y_A (each copy keeps its image's targets). Write K_C for the CNN's
 * NTK and K_G for the GCNN's. Two facts (KERNELS.md §3):
 * <ol>
 *   <li>orbit identity: {@code K_G(x, x') = (1/|H|) sum_h K_C(x, h·x')};</li>
 *   <li>the CNN kernel is invariant under transforming both inputs: {@code K_C(g·x, g·x') = K_C(x, x')}
 *       (its filters are summed over the whole square stencil and it ends in global average pooling).</li>
 * </ol>
 * Let S be the subspace of vectors on X_A that are constant on every orbit, {@code v(j, h) = u_j}. Y_A lies in S.
 * For v in S, {@code (K_C(X_A, X_A) v)(i, g) = sum_j sum_h K_C(g·x_i, h·x_j) u_j = sum_j sum_h K_C(x_i,
 * g^-1 h·x_j) u_j = |H| (K_G(X, X) u)_i}, the same for every g: K_C(X_A, X_A) maps S into S and acts there as
 * {@code |H| K_G(X, X)}. With an absolute ridge {@code lambda_A}, {@code K_C(X_A, X_A) + lambda_A I} acts on S as
 * {@code |H| (K_G(X, X) + (lambda_A / |H|) I)}; so with {@code lambda_G = lambda_A / |H|} (the ridge scaled by
 * 1/|H|) every function of the regularised matrix, applied to Y_A, is that function of |H| times the GCNN's
 * regularised matrix applied to Y. The flow predictor (KERNELS.md §5) for the augmented CNN is
 * <pre>
 * mu_A,t(z) = K_C(z, X_A) K_A^-1 (I - exp(-K_A t / (N k))) Y_A,        K_A = K_C(X_A, X_A) + lambda_A I
 *           = sum_j sum_h K_C(z, h·x_j) [ (|H| K_dd)^-1 (I - exp(-|H| K_dd t / (n |H| k))) Y ]_j
 *           = |H| K_G(z, X) (|H| K_dd)^-1 (I - exp(-K_dd t / (n k))) Y  =  mu_G,t(z),   K_dd = K_G(X, X) + lambda_G I
 * </pre>
 * The |H| that the augmented set adds to every eigenvalue on S is cancelled by the |H| that it adds to n in the
 * 1/(N k) of the loss: the <b>same t</b> on both sides, and the ridge scaled by 1/|H|. This holds for every z,
 * on or off the data, and at every t (also t = infinity). The same algebra holds step by step for gradient
 * descent with learning rate eta: the factor (1 - eta lambda/(n k))^s is the same on both sides, so a finite GCNN
 * and a finite augmented CNN trained with the same eta for the same number of steps target the same curve. A
 * relative ridge would not match (the mean diagonal of K_C on X_A is not |H| times that of K_G), so the ridge is
 * resolved once on the GCNN's kernel and passed to both as absolute values.
 *
 * <p>The orbit identity needs a network of lifting and group convolutions and pointwise nonlinearities, then
 * group pooling, then only dense layers; {@link #cnnCounterpart} builds the matching CNN.
 */
public final class Dynamics {

    /**
     * @param gcnn         the group-convolutional architecture (see {@link #cnnCounterpart})
     * @param cnn          the matching CNN
     * @param group        the group of the GCNN's lifting layer, used for augmentation
     * @param times        training times t (each a multiple of the learning rate), ascending, {@code >= 0}
     * @param learningRate eta of gradient descent; step s is t = eta s
     * @param widths       widths of the finite ensembles (may be empty: analytic only)
     * @param members      networks per ensemble
     * @param antithetic   train antithetic pairs (see {@link Ensemble})
     * @param ridge        the GCNN's ridge (relative or absolute; resolved on K_G, the CNN gets |H| times it)
     * @param batchSize    0 for full-batch gradient descent, else the SGD minibatch size for the GCNN (the
     *                     augmented CNN uses |H| times it, so both see the same images per step on average)
     * @param seed         seed of initialisations and SGD
     * @param threads      worker threads
     * @param precision    arithmetic of the finite networks' passes (updates stay float64)
     */
    public record Config(Architecture gcnn, Architecture cnn, PointGroup group, double[] times, double learningRate,
                         int[] widths, int members, boolean antithetic, Ridge ridge, int batchSize, long seed,
                         int threads, Precision precision) {
        /** Finite networks in float64. */
        public Config(Architecture gcnn, Architecture cnn, PointGroup group, double[] times, double learningRate,
                      int[] widths, int members, boolean antithetic, Ridge ridge, int batchSize, long seed,
                      int threads) {
            this(gcnn, cnn, group, times, learningRate, widths, members, antithetic, ridge, batchSize, seed, threads,
                Precision.FLOAT64);
        }
    }

    /**
     * One finite ensemble's curve.
     *
     * @param model         "gcnn" or "augmented_cnn"
     * @param mean          [t][nTest * k] ensemble mean
     * @param stdError      [t][nTest * k] standard error of the ensemble mean
     * @param distance      root mean square over t and test outputs of (mean - analytic gradient-descent curve)
     * @param distanceFlow  the same against the gradient-flow curve
     * @param rmsStdError   root mean square of the standard errors (the noise floor of {@code distance})
     * @param meanLoss      mean training loss over members, per step
     * @param seconds       wall time spent training this ensemble
     */
    public record Curve(String model, int width, int members, int parameters, double[][] mean, double[][] stdError,
                        double distance, double distanceFlow, double rmsStdError, double[] meanLoss,
                        double seconds) {
    }

    /**
     * Everything {@link #run} computed.
     *
     * @param steps              gradient-descent steps of each t
     * @param gcnnFlow           analytic GCNN mean at each t (gradient flow), [t][nTest * k]
     * @param augmentedFlow      analytic augmented-CNN mean at each t (gradient flow), [t][nTest * k]
     * @param gcnnGd             analytic GCNN mean after steps[t] discrete gradient-descent steps of rate eta
     * @param augmentedGd        the same for the augmented CNN
     * @param maxAnalyticDifference max over t (the given times and the fine grid), test inputs and outputs of
     *                           |gcnnFlow - augmentedFlow| (and of the discrete pair)
     * @param maxDiscretisationGap max |gcnnFlow - gcnnGd|: how far discrete steps of rate eta are from the flow
     * @param ridgeGcnn          the absolute ridge used for K_G
     * @param ridgeAugmented     the absolute ridge used for K_C on the augmented set (|H| ridgeGcnn)
     * @param stepRatio          eta lambda_max / (n k) for the GCNN (stable below 2; the flow is followed closely
     *                           when it is well below 1)
     * @param fineTimes          FINE_POINTS evenly spaced times from the first to the last t (for plotting)
     * @param gcnnFlowFine       the analytic GCNN flow at fineTimes
     * @param augmentedFlowFine  the analytic augmented-CNN flow at fineTimes
     */
    public record Result(double[] times, int[] steps, int nTrain, int nTest, int k, double[][] gcnnFlow,
                         double[][] augmentedFlow, double[][] gcnnGd, double[][] augmentedGd,
                         double maxAnalyticDifference, double maxDiscretisationGap, double ridgeGcnn,
                         double ridgeAugmented, double stepRatio, List<Curve> curves, double[] fineTimes,
                         double[][] gcnnFlowFine, double[][] augmentedFlowFine) {
    }

    /** Progress through the whole computation: a stage name and (done, total) within it. */
    public interface Listener {
        Listener NONE = (stage, done, total) -> { };

        void progress(String stage, long done, long total);
    }

    /** Number of evenly spaced times of the analytic curves kept for plotting. */
    public static final int FINE_POINTS = 101;

    private Dynamics() {
    }

    /**
     * The CNN whose augmented training matches a GCNN: {@code lift(G, q, P)} and {@code gconv(q, P)} become
     * {@code conv(q, P)} with the same W_std, b_std, stride and parameterisation, {@code gpool} becomes {@code gap};
     * nonlinearities, layer norms, average pooling and dense layers stay, and branches map branch by branch.
     * The orbit identity K_G(x, x') = mean_g K_CNN(x, g·x') holds for these networks on grids the group maps onto
     * itself, which the shape check of every strided layer enforces (docs/STRIDES.md). A planar stem before the
     * lift breaks it: the stem's filter meets x and g·x' unrotated, so its kernel map pairs tap t of x with tap
     * g⁻¹t of x' (measured: the curves differ by 0.5).
     *
     * @throws EqntkException when the GCNN is not: a lift, then group convolutions, pointwise maps, layer norms,
     *                        pooling windows and branches of those, then gpool, then only dense layers
     */
    public static Architecture cnnCounterpart(Architecture gcnn) {
        List<Layer> out = new ArrayList<>();
        boolean lifted = false;
        boolean pooled = false;
        for (Layer l : gcnn.layers()) {
            KernelOp op = l.kernelOp();
            if (pooled) {
                if (!(op instanceof KernelOp.Dense || op instanceof KernelOp.StandardDense)) {
                    throw new EqntkException("the orbit identity needs only dense layers after gpool (no nonlinearity), "
                        + "got '" + l.spec() + "'");
                }
                out.add(l);
            } else if (!lifted && op.liftGroup() == null) {
                throw new EqntkException("the GCNN must start with a lifting layer lift(GROUP, q, PAD), got '"
                    + l.spec() + "'");
            } else if (op == KernelOp.Mean.GROUP) {
                out.add(l.planarCounterpart());
                pooled = true;
            } else if (equivariantBeforePooling(op)) {
                lifted = true;
                out.add(l.planarCounterpart());
            } else {
                throw new EqntkException("the orbit identity needs lift, gconv, pointwise nonlinearities, layernorm, "
                    + "average pooling and branches of those before gpool; '" + l.spec() + "' is not allowed there");
            }
        }
        if (!pooled) {
            throw new EqntkException("the GCNN must end in gpool followed by dense layers");
        }
        return new Architecture(out);
    }

    /**
     * Operations that commute with the group action (on grids it maps onto itself) and keep the positions. Layer
     * normalisation is pointwise in (element, position) too; over all axes its mean variance is the CNN's mean over
     * positions (KERNELS.md §3 frames), so the identity holds for both axes.
     */
    private static boolean equivariantBeforePooling(KernelOp op) {
        if (op instanceof KernelOp.Branches b) {
            return b.branches().stream().allMatch(branch -> branch.stream()
                .allMatch(o -> o.liftGroup() == null && equivariantBeforePooling(o)));
        }
        return op instanceof KernelOp.Stencil || op instanceof KernelOp.AffineStencil
            || op instanceof KernelOp.Pointwise || op instanceof KernelOp.Normalize
            || op instanceof KernelOp.AvgPool || op instanceof KernelOp.WindowPool;
    }

    /** The group of the GCNN's lifting layer. */
    public static PointGroup groupOf(Architecture gcnn) {
        for (KernelOp op : gcnn.kernelOps()) {
            if (op.liftGroup() != null) {
                return op.liftGroup();
            }
        }
        throw new EqntkException("the GCNN has no lifting layer");
    }

    /** Steps s = t / eta for each time, which must be (within 1e-9 relative) a whole number of steps. */
    public static int[] stepsOf(double[] times, double eta) {
        int[] s = new int[times.length];
        for (int i = 0; i < times.length; i++) {
            double t = times[i];
            if (!Double.isFinite(t) || t < 0) {
                throw new EqntkException("times must be finite and >= 0, got " + t);
            }
            if (i > 0 && t <= times[i - 1]) {
                throw new EqntkException("times must be strictly increasing, got " + times[i - 1] + " then " + t);
            }
            double r = t / eta;
            long q = Math.round(r);
            if (Math.abs(r - q) > 1e-9 * Math.max(1, r) || q > Integer.MAX_VALUE) {
                throw new EqntkException("time " + t + " is not a whole number of steps of the learning rate " + eta
                    + " (t = lr x steps)");
            }
            s[i] = (int) q;
        }
        return s;
    }

    /**
     * Runs the analytic computation and every finite ensemble.
     *
     * @param y targets of the training set, n x k row-major
     */
    public static Result run(Config c, ImageBatch train, double[] y, int k, ImageBatch test, Listener listener,
                             Consumer<String> warnings) {
        Listener lis = listener == null ? Listener.NONE : listener;
        Consumer<String> warn = warnings == null ? KernelRegression.STDERR_WARNINGS : warnings;
        int n = train.count();
        int nTest = test.count();
        if (y.length != n * k) {
            throw new EqntkException("targets have " + y.length + " values, expected " + n + " x " + k);
        }
        int order = c.group().order();
        int[] steps = stepsOf(c.times(), c.learningRate());
        if (steps.length == 0) {
            throw new EqntkException("no training times given");
        }
        int maxSteps = steps[steps.length - 1];
        double maxFine = 0;

        // analytic: GCNN on X, CNN on the augmented set
        ImageBatch augX = Augmentation.orbit(train, c.group());
        double[] augY = Augmentation.repeatTargets(y, n, k, order);
        KernelEngine eg = new KernelEngine(c.gcnn(), c.threads());
        KernelEngine ec = new KernelEngine(c.cnn(), c.threads());
        long kernelTotal = 4;
        lis.progress("kernels", 0, kernelTotal);
        double[] kg = eg.gram(train, ProgressListener.NONE).ntk();
        lis.progress("kernels", 1, kernelTotal);
        double[] kgz = eg.cross(test, train, ProgressListener.NONE).ntk();
        lis.progress("kernels", 2, kernelTotal);
        double[] kc = ec.gram(augX, ProgressListener.NONE).ntk();
        lis.progress("kernels", 3, kernelTotal);
        double[] kcz = ec.cross(test, augX, ProgressListener.NONE).ntk();
        lis.progress("kernels", 4, kernelTotal);

        double lambdaG = c.ridge().lambda(kg, n);
        KernelRegression rg = new KernelRegression(kg, n, Ridge.absolute(lambdaG), warn);
        KernelRegression ra = new KernelRegression(kc, n * order, Ridge.absolute(order * rg.ridgeUsed()), warn);
        if (ra.ridgeUsed() != order * rg.ridgeUsed()) {
            // the augmented kernel needed a larger jitter: match the GCNN's ridge to it
            rg = new KernelRegression(kg, n, Ridge.absolute(ra.ridgeUsed() / order), warn);
        }
        double[][] gFlow = new double[steps.length][];
        double[][] aFlow = new double[steps.length][];
        for (int i = 0; i < steps.length; i++) {
            double t = c.learningRate() * steps[i];
            gFlow[i] = rg.predictAt(t, kgz, nTest, y, k);
            aFlow[i] = ra.predictAt(t, kcz, nTest, augY, k);
        }
        double tFirst = c.learningRate() * steps[0];
        double tLast = c.learningRate() * steps[steps.length - 1];
        double[] fine = new double[FINE_POINTS];
        double[][] gFine = new double[FINE_POINTS][];
        double[][] aFine = new double[FINE_POINTS][];
        for (int i = 0; i < FINE_POINTS; i++) {
            fine[i] = tFirst + (tLast - tFirst) * i / (FINE_POINTS - 1);
            gFine[i] = rg.predictAt(fine[i], kgz, nTest, y, k);
            aFine[i] = ra.predictAt(fine[i], kcz, nTest, augY, k);
            for (int e = 0; e < nTest * k; e++) {
                maxFine = Math.max(maxFine, Math.abs(gFine[i][e] - aFine[i][e]));
            }
        }
        Discrete dg = new Discrete(kg, n, rg.ridgeUsed(), kgz, nTest, y, k, c.learningRate());
        Discrete da = new Discrete(kc, n * order, ra.ridgeUsed(), kcz, nTest, augY, k, c.learningRate());
        if (dg.ratio >= 2 || da.ratio >= 2) {
            throw new EqntkException(String.format(java.util.Locale.ROOT,
                "learning rate %.4g is unstable: eta lambda_max / (n k) = %.3g for the GCNN and %.3g for the "
                    + "augmented CNN (must be below 2; below 0.2 to follow the gradient flow closely)",
                c.learningRate(), dg.ratio, da.ratio));
        }
        double[][] gGd = new double[steps.length][];
        double[][] aGd = new double[steps.length][];
        double maxDiff = maxFine;
        double gap = 0;
        for (int i = 0; i < steps.length; i++) {
            gGd[i] = dg.at(steps[i]);
            aGd[i] = da.at(steps[i]);
            for (int e = 0; e < nTest * k; e++) {
                maxDiff = Math.max(maxDiff, Math.abs(gFlow[i][e] - aFlow[i][e]));
                maxDiff = Math.max(maxDiff, Math.abs(gGd[i][e] - aGd[i][e]));
                gap = Math.max(gap, Math.abs(gFlow[i][e] - gGd[i][e]));
            }
        }

        // finite ensembles
        List<Curve> curves = new ArrayList<>();
        long perNet = (long) Math.max(1, maxSteps);
        long total = 0;
        for (int w : c.widths()) {
            total += 2L * c.members() * perNet;
        }
        long[] done = {0};
        final long totalF = total;
        for (int w : c.widths()) {
            for (int m = 0; m < 2; m++) {
                boolean gc = m == 0;
                long base = done[0];
                ProgressListener pl = (d, tot) -> lis.progress("training", base + d, totalF);
                GradientDescent.Config gd = new GradientDescent.Config(c.learningRate(), maxSteps,
                    c.batchSize() == 0 ? 0 : (gc ? c.batchSize() : c.batchSize() * order), c.seed());
                long t0 = System.nanoTime();
                Ensemble.Result r = gc
                    ? Ensemble.train(c.gcnn(), w, train, y, k, gd, steps, test, c.members(), c.antithetic(),
                        c.seed(), c.threads(), pl, c.precision())
                    : Ensemble.train(c.cnn(), w, augX, augY, k, gd, steps, test, c.members(), c.antithetic(),
                        c.seed() + 1, c.threads(), pl, c.precision());
                double secs = (System.nanoTime() - t0) / 1e9;
                done[0] += (long) c.members() * perNet;
                double[][] mean = expand(r, steps);
                double[][] se = expandSe(r, steps);
                double[][] refGd = gc ? gGd : aGd;
                double[][] refFlow = gc ? gFlow : aFlow;
                curves.add(new Curve(gc ? "gcnn" : "augmented_cnn", w, c.members(), r.parameters(), mean, se,
                    rms(mean, refGd), rms(mean, refFlow), rms(se, null), r.meanLoss(), secs));
            }
        }
        return new Result(c.times().clone(), steps, n, nTest, k, gFlow, aFlow, gGd, aGd, maxDiff, gap,
            rg.ridgeUsed(), ra.ridgeUsed(), dg.ratio, curves, fine, gFine, aFine);
    }

    /** Ensemble results indexed by the (distinct, sorted) checkpoints, mapped back to one row per time. */
    private static double[][] expand(Ensemble.Result r, int[] steps) {
        double[][] out = new double[steps.length][];
        for (int i = 0; i < steps.length; i++) {
            out[i] = r.mean()[java.util.Arrays.binarySearch(r.checkpoints(), steps[i])];
        }
        return out;
    }

    private static double[][] expandSe(Ensemble.Result r, int[] steps) {
        double[][] out = new double[steps.length][];
        for (int i = 0; i < steps.length; i++) {
            out[i] = r.stdError()[java.util.Arrays.binarySearch(r.checkpoints(), steps[i])];
        }
        return out;
    }

    /** Root mean square of a - ref over all entries (of a when ref is null). */
    static double rms(double[][] a, double[][] ref) {
        double s = 0;
        long m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int e = 0; e < a[i].length; e++) {
                double d = a[i][e] - (ref == null ? 0 : ref[i][e]);
                s += d * d;
                m++;
            }
        }
        return m == 0 ? 0 : Math.sqrt(s / m);
    }

    /**
     * The analytic mean after s discrete gradient-descent steps of rate eta on a linear model with kernel K:
     * {@code mu_s(Z) = K(Z, X) V diag((1 - (1 - eta lambda_i / (n k))^s) / lambda_i) V^T Y} (with the ridge in
     * lambda_i, as in the flow predictor, whose limit eta -> 0 at fixed eta s it is).
     */
    static final class Discrete {
        final double ratio;
        private final DMatrixRMaj v;
        private final double[] values;
        private final double[] kzx;
        private final int n;
        private final int nTest;
        private final double[] y;
        private final int k;
        private final double a;

        Discrete(double[] kTrain, int n, double ridge, double[] kzx, int nTest, double[] y, int k, double eta) {
            DMatrixRMaj m = new DMatrixRMaj(n, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    m.data[i * n + j] = 0.5 * (kTrain[i * n + j] + kTrain[j * n + i]);
                }
                m.data[i * n + i] += ridge;
            }
            EigenDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.eig(n, true, true);
            if (!dec.decompose(m)) {
                throw new EqntkException("eigendecomposition of the train kernel (n = " + n + ") did not converge");
            }
            v = new DMatrixRMaj(n, n);
            values = new double[n];
            double max = 0;
            for (int j = 0; j < n; j++) {
                values[j] = Math.max(0, dec.getEigenvalue(j).real);
                max = Math.max(max, values[j]);
                DMatrixRMaj vec = dec.getEigenVector(j);
                for (int i = 0; i < n; i++) {
                    v.data[i * n + j] = vec.data[i];
                }
            }
            this.a = eta / ((double) n * k);
            this.ratio = max * a;
            this.kzx = kzx;
            this.n = n;
            this.nTest = nTest;
            this.y = y;
            this.k = k;
        }

        double[] at(int s) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                double x = a * values[i];
                if (x < 1e-300) {
                    g[i] = s * a;
                } else if (x < 1) {
                    g[i] = -Math.expm1(s * Math.log1p(-x)) / values[i];
                } else {
                    g[i] = (1 - Math.pow(1 - x, s)) / values[i];
                }
            }
            DMatrixRMaj w = new DMatrixRMaj(n, k);
            CommonOps_DDRM.multTransA(v, DMatrixRMaj.wrap(n, k, y), w);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    w.data[i * k + c] *= g[i];
                }
            }
            DMatrixRMaj coef = new DMatrixRMaj(n, k);
            CommonOps_DDRM.mult(v, w, coef);
            DMatrixRMaj out = new DMatrixRMaj(nTest, k);
            if (nTest > 0) {
                CommonOps_DDRM.mult(DMatrixRMaj.wrap(nTest, n, kzx), coef, out);
            }
            return out.data;
        }
    }
}
