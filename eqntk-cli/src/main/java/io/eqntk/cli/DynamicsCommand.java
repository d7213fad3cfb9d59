package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.model.Limits;
import io.eqntk.data.ColorMode;
import io.eqntk.data.Dataset;
import io.eqntk.data.Datasets;
import io.eqntk.data.Images;
import io.eqntk.data.LoadOptions;
import io.eqntk.data.Preprocess;
import io.eqntk.dynamics.Dynamics;
import io.eqntk.group.PointGroup;
import io.eqntk.io.AtomicFiles;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.model.Precision;
import io.eqntk.predict.Ridge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "dynamics", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "GCNN versus CNN on group-augmented data: training dynamics, analytic and finite.",
        "",
        "Compares a GCNN with the CNN trained on the group-augmented training set. For each time t reports, on real test images and on off-manifold inputs (noise, a checkerboard): the analytic mean",
        "prediction of the GCNN NTK and of the CNN NTK on the augmented set (equal by the orbit identity, with the",
        "same t and the ridge scaled by 1/|H|), and the mean of finite ensembles of each trained by gradient",
        "descent (t = lr x steps) at several widths, with the standard error of the ensemble mean.",
        "Finite ensembles are compared with the analytic mean after the same number of discrete steps",
        "('distance'; the gap between discrete steps and the gradient flow is reported separately).",
        ""},
    footer = {"",
        "Defaults: 16 PCam training patches (8 per class, targets -1/+1) resized to 8x8 RGB and standardised,",
        "4 PCam test patches, 2 Gaussian-noise images and a checkerboard, the C4 GCNN with VALID padding (the",
        "experiment's c4), lr 2, t = 0,4,10,20,40, widths 16,64,256, 16 networks (8 antithetic pairs) per ensemble,",
        "passes in float32.",
        "",
        "Example:",
        "  eqntk dynamics --widths 4,8,16,32 --times 0,10,20,40,80 --out runs/dynamics"})
public final class DynamicsCommand implements Callable<Integer> {
    static final String DEFAULT_ARCH = "lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense";

    @Option(names = "--arch", defaultValue = DEFAULT_ARCH, paramLabel = "SPEC",
        description = "the GCNN: lift, then gconv, nonlinearities, layernorm, avgpool and res/sum/concat branches of those"
            + " (strides allowed where the grid stays symmetric), gpool, then dense layers (default: ${DEFAULT-VALUE});"
            + " the CNN replaces lift/gconv by conv and gpool by gap")
    String arch;

    @Option(names = "--data", defaultValue = "pcam", paramLabel = "SOURCE",
        description = "labelled dataset (name or path) with train and test splits (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--train", defaultValue = "16", paramLabel = "N", description = "class-balanced training images (default: ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", defaultValue = "4", paramLabel = "N", description = "test-split images to predict (default: ${DEFAULT-VALUE})")
    int test;

    @Option(names = "--noise", defaultValue = "2", paramLabel = "N",
        description = "off-manifold inputs: N Gaussian-noise images, plus a checkerboard when N > 0 (default: ${DEFAULT-VALUE})")
    int noise;

    @Mixin
    CommonOptions.ImageSize imageSize = new CommonOptions.ImageSize(8);

    @Mixin
    CommonOptions.Color color = new CommonOptions.Color(ColorMode.RGB);

    @Option(names = "--lr", defaultValue = "2", paramLabel = "ETA", description = "learning rate; step s is t = lr x s (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--times", defaultValue = "0,4,10,20,40", split = ",", paramLabel = "T",
        description = "training times, increasing multiples of --lr (default: ${DEFAULT-VALUE})")
    double[] times;

    @Option(names = "--widths", defaultValue = "16,64,256", split = ",", paramLabel = "W",
        description = "widths of the finite ensembles (GCNN: channels per group element); 0 alone for none (default: ${DEFAULT-VALUE})")
    int[] widths;

    @Option(names = "--members", defaultValue = "16", paramLabel = "M", description = "networks per ensemble (default: ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--antithetic", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "train antithetic pairs (last layer negated), which cancels the initial function in the mean (default: on)")
    boolean antithetic;

    @Option(names = "--batch-size", defaultValue = "0", paramLabel = "B",
        description = "0: full-batch gradient descent; else SGD with B GCNN images per step (the augmented CNN gets |H| x B) (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--ridge", defaultValue = "rel 1e-9", paramLabel = "RIDGE",
        description = "ridge of the GCNN kernel ('rel X' or 'abs X'); the augmented CNN gets |H| times its absolute value (default: ${DEFAULT-VALUE})")
    String ridge;

    @Option(names = "--seed", defaultValue = "0", description = "seed of data subsets, noise, initialisations and SGD (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--precision", defaultValue = "FLOAT32", paramLabel = "float64|float32",
        description = "arithmetic of the finite networks' passes; updates stay float64 (default: float32)")
    Precision precision;

    @Mixin
    CommonOptions.Threads threads;

    /** dynamics.json, dynamics.csv and dynamics.png. */
    @Mixin
    CommonOptions.OptionalDirOut out;

    @Mixin
    CommonOptions.Quiet quiet;

    /** The inputs the command works on. */
    record Inputs(ImageBatch train, double[] y, int k, ImageBatch test, List<String> testNames, String description) {
    }

    @Override
    public Integer call() {
        validate();
        Architecture gcnn = Architecture.parse(arch);
        Architecture cnn = Dynamics.cnnCounterpart(gcnn);
        PointGroup group = Dynamics.groupOf(gcnn);
        Ridge r = Ridge.parse(ridge);
        Dynamics.stepsOf(times, lr);
        int[] ws = widths.length == 1 && widths[0] == 0 ? new int[0] : widths;
        Inputs in = load();
        gcnn.validate(in.train().height(), in.train().width(), in.train().channels());
        int t = threads.resolve();
        Dynamics.Config cfg = new Dynamics.Config(gcnn, cnn, group, times, lr, ws, members, antithetic, r, batchSize,
            seed, t, precision);
        long t0 = System.nanoTime();
        Dynamics.Result res;
        try (StagedProgress p = new StagedProgress(!quiet.on())) {
            res = Dynamics.run(cfg, in.train(), in.y(), in.k(), in.test(), p, KernelRegressionWarnings.STDERR);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        DynamicsReport report = new DynamicsReport(cfg, res, in, secs);
        System.out.print(report.table());
        if (out.out != null) {
            Path dir = out.out;
            AtomicFiles.writeString(dir.resolve("dynamics.json"), report.json());
            AtomicFiles.writeString(dir.resolve("dynamics.csv"), report.csv());
            AtomicFiles.writeBytes(dir.resolve("dynamics.png"), DynamicsPlot.png(report));
            System.out.println("wrote " + dir.resolve("dynamics.json") + ", dynamics.csv, dynamics.png");
        }
        return 0;
    }

    private void validate() {
        if (train < 2) {
            throw new EqntkException("--train must be at least 2, got " + train);
        }
        if (test < 0 || noise < 0) {
            throw new EqntkException("--test and --noise must be >= 0");
        }
        if (test + noise == 0) {
            throw new EqntkException("nothing to predict: --test and --noise are both 0");
        }
        if (imageSize.size() < 3) {
            throw new EqntkException("--image-size must be at least 3, got " + imageSize.size());
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new EqntkException("--lr must be positive, got " + lr);
        }
        if (times.length == 0) {
            throw new EqntkException("--times is empty");
        }
        for (int w : widths) {
            if (w < 0 || (w == 0 && widths.length > 1)) {
                throw new EqntkException("--widths must be positive (or 0 alone for none), got " + w);
            }
            Limits.count("--widths", w, 0, 4096, "a layer of width W holds W^2 q^2 |G| weights per network");
        }
        Limits.count("--members", members, 2, 100_000, "networks are trained one after another");
        Limits.count("--train", train, 2, 10_000, "the analytic predictions solve a dense |H| N x |H| N system");
        if (members < 2 || (antithetic && members % 2 != 0)) {
            throw new EqntkException("--members must be at least 2" + (antithetic ? " and even (antithetic pairs)" : "")
                + ", got " + members);
        }
        if (batchSize < 0 || batchSize > train) {
            throw new EqntkException("--batch-size must be in 0.." + train + ", got " + batchSize);
        }
    }

    private Inputs load() {
        LoadOptions opts = LoadOptions.defaults().withSize(imageSize.size()).withColorMode(color.mode()).withSeed(seed);
        Dataset d = Preprocess.standardize(Datasets.open(data, Datasets.defaultDataRoot(), opts));
        Images tr = d.train();
        if (tr == null || tr.count() == 0 || !tr.hasLabels()) {
            throw new EqntkException("--data " + data + " has no labelled training split");
        }
        if (tr.height() != tr.width()) {
            throw new EqntkException("group networks need square images; use --image-size");
        }
        tr = Preprocess.balancedSubset(tr, train, seed);
        int classes = tr.numClasses();
        int k = classes <= 2 ? 1 : classes;
        double[] y = new double[tr.count() * k];
        for (int i = 0; i < tr.count(); i++) {
            if (k == 1) {
                y[i] = tr.label(i) == 1 ? 1 : -1;
            } else {
                for (int c = 0; c < k; c++) {
                    y[i * k + c] = (tr.label(i) == c ? 1.0 : 0.0) - 1.0 / k;
                }
            }
        }
        int n = tr.height();
        int ch = tr.channels();
        int size = n * n * ch;
        List<double[]> zs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (test > 0) {
            Images te = d.test() != null && d.test().count() > 0 ? d.test() : d.valid();
            if (te == null || te.count() < test) {
                throw new EqntkException("--data " + data + " has fewer than " + test + " test images");
            }
            te = te.hasLabels() ? Preprocess.balancedSubset(te, test, seed + 1) : te;
            for (int i = 0; i < test; i++) {
                zs.add(te.image(i));
                names.add("test-" + i + (te.hasLabels() ? " (" + te.classNames().get(te.label(i)) + ")" : ""));
            }
        }
        Random rng = new Random(seed + 7);
        for (int i = 0; i < noise; i++) {
            double[] z = new double[size];
            for (int e = 0; e < size; e++) {
                z[e] = rng.nextGaussian();
            }
            zs.add(z);
            names.add("noise-" + i);
        }
        if (noise > 0) {
            double[] z = new double[size];
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    for (int c = 0; c < ch; c++) {
                        z[(a * n + b) * ch + c] = ((a + b) % 2 == 0) ? 1 : -1;
                    }
                }
            }
            zs.add(z);
            names.add("checkerboard");
        }
        double[] zd = new double[zs.size() * size];
        for (int i = 0; i < zs.size(); i++) {
            System.arraycopy(zs.get(i), 0, zd, i * size, size);
        }
        String desc = String.format(Locale.ROOT, "%s: %d training images %dx%dx%d (standardised), %s", data,
            tr.count(), n, n, ch, k == 1 ? "targets -1/+1" : k + " classes, targets one-hot - 1/k");
        return new Inputs(ImageBatch.of(tr), y, k,
            new ImageBatch(zd, zs.size(), n, n, ch), names, desc);
    }

    /** A progress bar per stage of {@link Dynamics#run}. */
    static final class StagedProgress implements Dynamics.Listener, AutoCloseable {
        private final boolean enabled;
        private String stage;
        private Progress bar;

        StagedProgress(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public synchronized void progress(String s, long done, long total) {
            if (!s.equals(stage)) {
                close();
                stage = s;
                bar = new Progress(s, enabled);
            }
            bar.progress(done, total);
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    /** Ridge-escalation warnings, one line each on standard error. */
    static final class KernelRegressionWarnings {
        static final java.util.function.Consumer<String> STDERR = m -> System.err.println("eqntk: warning: " + m);

        private KernelRegressionWarnings() {
        }
    }
}
