package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.data.Images;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.predict.Classification;
import io.eqntk.predict.GaussianPosterior;
import io.eqntk.predict.KernelRegression;
import io.eqntk.predict.Metrics;
import io.eqntk.predict.Ridge;
import io.eqntk.predict.RidgeSelection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs an experiment: for every kernel model, the kernels are computed once (one Gram matrix on the pool of all
 * training subsets, one cross matrix of the validation and test images against the pool; NTK and NNGP from the
 * same calls, plus the test images' self kernels for the NNGP posterior), then for every kernel, seed and
 * training-set size the ridge is chosen on the validation split and kernel regression at {@code t = infinity}
 * predicts the test images (targets one-hot minus 1/k, prediction the argmax), measured by {@link ResultRow}'s
 * metrics. Trained finite baselines ({@link FiniteBaseline}) get the same subsets. Afterwards: summaries with
 * bootstrap intervals, paired comparisons between models ({@link PairedBootstrap}) and confusion matrices.
 */
public final class ExperimentRunner {
    private final KernelSource kernels;

    public ExperimentRunner(KernelSource kernels) {
        this.kernels = kernels;
    }

    /**
     * Everything an experiment measured.
     *
     * @param rows          one entry per model, kernel, size and seed (with its per-image test predictions)
     * @param summary       one entry per model, kernel and size (means over seeds, bootstrap interval)
     * @param comparisons   paired differences of test accuracy between every two models, per kernel and size
     * @param confusions    per model and kernel at the largest size: the confusion matrix summed over seeds
     * @param testIds       the test images in prediction order (file names or indices)
     * @param testLabels    their classes
     * @param classNames    the class names
     * @param kernelSeconds kernel time per model (JIT warm-up excluded, see {@code warmupSeconds})
     * @param warmupSeconds time of the JIT warm-up before the first timed kernel
     */
    public record Result(ExperimentConfig config, List<ResultRow> rows, List<SummaryRow> summary,
                         List<Comparison> comparisons, List<Confusion> confusions, int poolSize,
                         int validCount, int testCount, List<String> testIds, int[] testLabels,
                         List<String> classNames, Map<String, Double> kernelSeconds, double warmupSeconds,
                         double seconds, List<String> warnings) {
    }

    /**
     * The paired difference {@code model - baseline} of test accuracy (fractions) for one kernel and size, with
     * its 95% bootstrap interval over test images and seeds ({@link PairedBootstrap}).
     */
    public record Comparison(String kernel, int trainSize, String model, String baseline, int seeds, int testImages,
                             PairedBootstrap.Interval difference) {
    }

    /** Confusion matrix (rows: true class, columns: predicted) summed over seeds. */
    public record Confusion(String model, String kernel, int trainSize, int seeds, int[][] counts) {
    }

    /**
     * @param progress receives kernel-computation progress over all models together (work units weighted by the
     *                 group order of each model, so that time-remaining estimates hold across models)
     * @param log      receives one-line messages about the run (may be null)
     */
    public Result run(ExperimentConfig c, ExperimentData data, ProgressListener progress, Consumer<String> log) {
        long t0 = System.nanoTime();
        Consumer<String> say = log == null ? m -> { } : log;
        ProgressListener prog = progress == null ? ProgressListener.NONE : progress;
        for (ModelSpec m : c.models()) {
            if (m.architecture().isSpherical() && !SphericalMnistData.handles(data.name())) {
                throw new EqntkException("model " + m.name() + " is a spherical network, but " + data.name()
                    + " holds planar images: spherical networks run on " + SphericalMnistData.NR_R + " or "
                    + SphericalMnistData.R_R);
            }
            try {
                if (m.architecture().isSpherical() && !m.isFinite()) {
                    SphericalKernelSource.plan(m.architecture(), data.height(), data.width(), data.channels());
                } else {
                    m.architecture().validate(data.height(), data.width(), data.channels());
                }
            } catch (EqntkException e) {
                throw new EqntkException("model " + m.name() + " does not fit " + data.height() + "x" + data.width()
                    + "x" + data.channels() + " images: " + e.getMessage(), e);
            }
        }
        int k = data.numClasses();
        TrainSubsets subsets = TrainSubsets.draw(data.train().labels(), k, c.trainSizes(), c.seeds());
        Images pool = data.train().subset(subsets.pool());
        int[] poolLabels = pool.labels();
        int nPool = pool.count();
        int nVal = data.valid().count();
        int nTest = data.test().count();
        int[] valLabels = data.valid().labels();
        int[] testLabels = data.test().labels();
        ImageBatch poolBatch = batch(pool);
        ImageBatch evalBatch = concat(data.valid(), data.test());
        ImageBatch testBatch = batch(data.test());
        say.accept(String.format(java.util.Locale.ROOT,
            "%s: %d classes, pool of %d training images (of %d) for sizes %s x %d seeds, %d validation, %d test, %dx%dx%d",
            data.name(), k, nPool, data.train().count(), c.trainSizes(), c.seeds(), nVal, nTest, data.height(),
            data.width(), data.channels()));

        // Progress over all models: a model's work is its number of kernel pairs times its group order.
        long gramUnits = nPool + (long) nPool * (nPool - 1) / 2;
        long crossUnits = nPool + (long) (nVal + nTest) + (long) nPool * (nVal + nTest);
        long total = 0;
        for (ModelSpec m : c.models()) {
            total += m.isFinite() ? 0 : (gramUnits + crossUnits) * m.architecture().maxGroupOrder();
        }
        AtomicLong offset = new AtomicLong();
        final long grandTotal = total;

        double warmup = warmUp(c.models().stream().filter(m -> !m.isFinite() && !m.architecture().isSpherical())
            .toList(), poolBatch, kernels.precision());
        List<ResultRow> rows = new ArrayList<>();
        Map<String, Double> kernelSeconds = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>(data.warnings());
        Consumer<String> warn = w -> {
            synchronized (warnings) {
                warnings.add(w);
            }
        };
        boolean nngp = c.kernels().contains(KernelKind.NNGP);
        for (ModelSpec m : c.models()) {
            if (m.isFinite()) {
                rows.addAll(trainFinite(m, c, subsets, pool, evalBatch, nVal, valLabels, testLabels, k));
                say.accept(String.format(java.util.Locale.ROOT, "%s: trained", m.name()));
                continue;
            }
            long w = m.architecture().maxGroupOrder();
            long tk = System.nanoTime();
            KernelMatrices gram = kernels.gram(m.architecture(), poolBatch,
                scaled(prog, offset.get(), gramUnits * w, grandTotal));
            offset.addAndGet(gramUnits * w);
            KernelMatrices cross = kernels.cross(m.architecture(), evalBatch, poolBatch,
                scaled(prog, offset.get(), crossUnits * w, grandTotal));
            offset.addAndGet(crossUnits * w);
            prog.progress(offset.get(), grandTotal);
            double[] testSelf = nngp ? kernels.self(m.architecture(), testBatch)[0] : null;
            double ks = (System.nanoTime() - tk) / 1e9;
            kernelSeconds.put(m.name(), ks);
            checkShape(gram, nPool, nPool, "Gram");
            checkShape(cross, nVal + nTest, nPool, "cross");
            for (KernelKind kind : c.kernels()) {
                double[] kpp = kind == KernelKind.NTK ? gram.ntk() : gram.nngp();
                double[] kep = kind == KernelKind.NTK ? cross.ntk() : cross.nngp();
                for (int size : c.trainSizes()) {
                    for (int seed = 0; seed < c.seeds(); seed++) {
                        long te = System.nanoTime();
                        int[] idx = subsets.subset(size, seed);
                        int[] trainLabels = new int[size];
                        for (int i = 0; i < size; i++) {
                            trainLabels[i] = poolLabels[idx[i]];
                        }
                        double[] kTrain = principal(kpp, nPool, idx);
                        double[] kValTrain = rows(kep, nPool, 0, nVal, idx);
                        double[] kTestTrain = rows(kep, nPool, nVal, nTest, idx);
                        RidgeSelection.Result sel = RidgeSelection.select(c.ridges(), kTrain, size, kValTrain, nVal,
                            trainLabels, valLabels, k, warn);
                        Ridge best = sel.best();
                        KernelRegression reg = new KernelRegression(kTrain, size, best, warn);
                        double[] y = Classification.targets(trainLabels, k);
                        double[] pred = reg.predict(kTestTrain, nTest, y, k);
                        double[] probs = null;
                        if (kind == KernelKind.NNGP) {
                            GaussianPosterior gp = GaussianPosterior.of(reg, y, k);
                            probs = GaussianPosterior.probabilities(pred, gp.variance(testSelf, kTestTrain, nTest),
                                nTest, k);
                        }
                        rows.add(ResultRow.of(m, kind.label(), size, seed, best, reg.ridgeUsed(), sel.bestAccuracy(), pred,
                            probs, testLabels, k, c, (System.nanoTime() - te) / 1e9, ks));
                    }
                }
            }
            say.accept(String.format(java.util.Locale.ROOT, "%s: kernels in %.1f s", m.name(), ks));
        }
        // sort: model (given order), kernel (given order), size, seed -- the loops above already produce it
        return new Result(c, List.copyOf(rows), SummaryRow.of(rows, testLabels), comparisons(c, rows, testLabels),
            confusions(c, rows, testLabels, k), nPool, nVal, nTest, data.test().ids(), testLabels,
            data.test().classNames(), kernelSeconds, warmup, (System.nanoTime() - t0) / 1e9, List.copyOf(warnings));
    }

    /** The finite baseline on every size and seed (kernel label {@code sgd}; ridge fields NaN). */
    private static List<ResultRow> trainFinite(ModelSpec m, ExperimentConfig c, TrainSubsets subsets, Images pool,
                                               ImageBatch eval, int nVal, int[] valLabels, int[] testLabels, int k) {
        List<ResultRow> out = new ArrayList<>();
        for (int size : c.trainSizes()) {
            for (int seed = 0; seed < c.seeds(); seed++) {
                long te = System.nanoTime();
                Images train = pool.subset(subsets.subset(size, seed));
                double[][] r = m.baseline().trainAndPredict(m, train, eval, nVal, valLabels, k,
                    0xF1_0000L + 1_000_003L * seed + size);
                double s = (System.nanoTime() - te) / 1e9;
                out.add(ResultRow.of(m, FINITE, size, seed, Ridge.absolute(0), Double.NaN, r[1][1], r[0], r[2],
                    testLabels, k, c, s, s));
            }
        }
        return out;
    }

    /** The kernel label of trained finite networks. */
    static final String FINITE = "sgd";

    /**
     * Compiles the kernel code before the first model is timed: every model's kernels of the first (up to) four
     * pool images, on the engine itself (never through the store, so nothing is recorded). Returns its seconds.
     */
    private static double warmUp(List<ModelSpec> models, ImageBatch pool, io.eqntk.model.Precision precision) {
        long t = System.nanoTime();
        int n = Math.min(4, pool.count());
        ImageBatch few = new ImageBatch(java.util.Arrays.copyOf(pool.data(), n * pool.imageSize()), n, pool.height(),
            pool.width(), pool.channels());
        for (ModelSpec m : models) {
            new io.eqntk.kernel.KernelEngine(m.architecture(), 1).withPrecision(precision).gram(few, ProgressListener.NONE);
        }
        return (System.nanoTime() - t) / 1e9;
    }

    /** 1 where a row's test prediction is right, 0 where wrong: rows of one model, kernel and size by seed. */
    static double[][] correctness(List<ResultRow> group, int[] truth) {
        double[][] out = new double[group.size()][truth.length];
        for (int s = 0; s < group.size(); s++) {
            int[] p = group.get(s).predicted();
            for (int i = 0; i < truth.length; i++) {
                out[s][i] = p[i] == truth[i] ? 1 : 0;
            }
        }
        return out;
    }

    private static List<ResultRow> group(List<ResultRow> rows, String model, String kernel, int size) {
        List<ResultRow> g = new ArrayList<>();
        for (ResultRow r : rows) {
            if (r.model().equals(model) && r.kernel().equals(kernel) && r.trainSize() == size) {
                g.add(r);
            }
        }
        return g;
    }

    /** Every later model against every earlier one (the first given model is the baseline of the rest). */
    private static List<Comparison> comparisons(ExperimentConfig c, List<ResultRow> rows, int[] truth) {
        List<Comparison> out = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        c.kernels().forEach(kind -> labels.add(kind.label()));
        labels.add(FINITE);
        for (String kernel : labels) {
            List<String> models = new ArrayList<>();
            for (ModelSpec m : c.models()) {
                if (m.isFinite() == kernel.equals(FINITE)) {
                    models.add(m.name());
                }
            }
            for (int size : c.trainSizes()) {
                for (int b = 0; b < models.size(); b++) {
                    for (int a = b + 1; a < models.size(); a++) {
                        double[][] ca = correctness(group(rows, models.get(a), kernel, size), truth);
                        double[][] cb = correctness(group(rows, models.get(b), kernel, size), truth);
                        long seed = 0x5EED_0000L + size * 31L + a * 7L + b;
                        out.add(new Comparison(kernel, size, models.get(a), models.get(b), ca.length, truth.length,
                            PairedBootstrap.difference(ca, cb, seed)));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<Confusion> confusions(ExperimentConfig c, List<ResultRow> rows, int[] truth, int k) {
        List<Confusion> out = new ArrayList<>();
        int size = c.maxTrainSize();
        for (ModelSpec m : c.models()) {
            for (String kernel : m.isFinite() ? List.of(FINITE) : c.kernels().stream().map(KernelKind::label).toList()) {
                int[][] sum = new int[k][k];
                List<ResultRow> g = group(rows, m.name(), kernel, size);
                for (ResultRow r : g) {
                    int[][] one = Metrics.confusion(r.predicted(), truth, k);
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            sum[i][j] += one[i][j];
                        }
                    }
                }
                out.add(new Confusion(m.name(), kernel, size, g.size(), sum));
            }
        }
        return List.copyOf(out);
    }

    /** Rows {@code rowStart .. rowStart+nRows} of a row-major matrix with {@code cols} columns, at columns idx. */
    static double[] rows(double[] m, int cols, int rowStart, int nRows, int[] idx) {
        int n = idx.length;
        double[] out = new double[nRows * n];
        for (int r = 0; r < nRows; r++) {
            int src = (rowStart + r) * cols;
            for (int j = 0; j < n; j++) {
                out[r * n + j] = m[src + idx[j]];
            }
        }
        return out;
    }

    /** The principal sub-matrix {@code m[idx, idx]} of a row-major n x n matrix. */
    static double[] principal(double[] m, int n, int[] idx) {
        int s = idx.length;
        double[] out = new double[s * s];
        for (int r = 0; r < s; r++) {
            int src = idx[r] * n;
            for (int j = 0; j < s; j++) {
                out[r * s + j] = m[src + idx[j]];
            }
        }
        return out;
    }

    private static void checkShape(KernelMatrices km, int rows, int cols, String what) {
        if (km.rows() != rows || km.cols() != cols) {
            throw new IllegalStateException(what + " kernel is " + km.rows() + " x " + km.cols() + ", expected "
                + rows + " x " + cols);
        }
    }

    /** Maps a call's own (done, total) onto its share {@code [offset, offset + units)} of the grand total. */
    private static ProgressListener scaled(ProgressListener p, long offset, long units, long grandTotal) {
        return (done, total) -> {
            long d = total <= 0 ? units : (long) (units * Math.min(1.0, (double) done / total));
            p.progress(offset + d, grandTotal);
        };
    }

    private static ImageBatch batch(Images im) {
        return ImageBatch.of(im);
    }

    private static ImageBatch concat(Images a, Images b) {
        double[] da = a.data();
        double[] db = b.data();
        double[] d = new double[da.length + db.length];
        System.arraycopy(da, 0, d, 0, da.length);
        System.arraycopy(db, 0, d, da.length, db.length);
        return new ImageBatch(d, a.count() + b.count(), a.height(), a.width(), a.channels());
    }
}
