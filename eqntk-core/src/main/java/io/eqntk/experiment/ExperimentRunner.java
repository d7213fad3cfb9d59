package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.data.Images;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.predict.Classification;
import io.eqntk.predict.KernelRegression;
import io.eqntk.predict.Ridge;
import io.eqntk.predict.RidgeSelection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs an experiment: for every model, the kernels are computed once (one Gram matrix on the pool of all
 * training subsets, one cross matrix of the validation and test images against the pool; NTK and NNGP from the
 * same calls), then for every kernel, seed and training-set size the ridge is chosen on the validation split and
 * the test accuracy of kernel regression at {@code t = infinity} is measured (targets one-hot minus 1/k,
 * prediction the argmax).
 */
public final class ExperimentRunner {
    private final KernelSource kernels;

    public ExperimentRunner(KernelSource kernels) {
        this.kernels = kernels;
    }

    /** Kernel time per model, and the sizes the kernels were computed on. */
    public record Result(ExperimentConfig config, List<ResultRow> rows, List<SummaryRow> summary, int poolSize,
                         int validCount, int testCount, Map<String, Double> kernelSeconds, double seconds,
                         List<String> warnings) {
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
            try {
                m.architecture().validate(data.height(), data.width(), data.channels());
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
        say.accept(String.format(java.util.Locale.ROOT,
            "%s: %d classes, pool of %d training images (of %d) for sizes %s x %d seeds, %d validation, %d test, %dx%dx%d",
            data.name(), k, nPool, data.train().count(), c.trainSizes(), c.seeds(), nVal, nTest, data.height(),
            data.width(), data.channels()));

        // Progress over all models: a model's work is its number of kernel pairs times its group order.
        long gramUnits = nPool + (long) nPool * (nPool - 1) / 2;
        long crossUnits = nPool + (long) (nVal + nTest) + (long) nPool * (nVal + nTest);
        long total = 0;
        for (ModelSpec m : c.models()) {
            total += (gramUnits + crossUnits) * m.architecture().maxGroupOrder();
        }
        AtomicLong offset = new AtomicLong();
        final long grandTotal = total;

        List<ResultRow> rows = new ArrayList<>();
        Map<String, Double> kernelSeconds = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        Consumer<String> warn = w -> {
            synchronized (warnings) {
                warnings.add(w);
            }
        };
        for (ModelSpec m : c.models()) {
            long w = m.architecture().maxGroupOrder();
            long tk = System.nanoTime();
            KernelMatrices gram = kernels.gram(m.architecture(), poolBatch,
                scaled(prog, offset.get(), gramUnits * w, grandTotal));
            offset.addAndGet(gramUnits * w);
            KernelMatrices cross = kernels.cross(m.architecture(), evalBatch, poolBatch,
                scaled(prog, offset.get(), crossUnits * w, grandTotal));
            offset.addAndGet(crossUnits * w);
            prog.progress(offset.get(), grandTotal);
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
                        double[] pred = reg.predict(kTestTrain, nTest, Classification.targets(trainLabels, k), k);
                        double acc = Classification.accuracy(Classification.argmax(pred, nTest, k), testLabels);
                        rows.add(new ResultRow(m.name(), m.spec(), kind.label(), size, seed, best.value(),
                            best.kind().tag(), reg.ridgeUsed(), sel.bestAccuracy(), acc, c.imageSize(), c.dataset(),
                            (System.nanoTime() - te) / 1e9, ks));
                    }
                }
            }
            say.accept(String.format(java.util.Locale.ROOT, "%s: kernels in %.1f s", m.name(), ks));
        }
        // sort: model (given order), kernel (given order), size, seed -- the loops above already produce it
        return new Result(c, List.copyOf(rows), SummaryRow.of(rows), nPool, nVal, nTest, kernelSeconds,
            (System.nanoTime() - t0) / 1e9, List.copyOf(warnings));
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
        return new ImageBatch(im.data(), im.count(), im.height(), im.width(), im.channels());
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
