package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.data.ColorMode;
import io.eqntk.experiment.ExperimentConfig;
import io.eqntk.experiment.ExperimentData;
import io.eqntk.experiment.ExperimentRunner;
import io.eqntk.experiment.KernelKind;
import io.eqntk.experiment.KernelSource;
import io.eqntk.experiment.SphericalMnistData;
import io.eqntk.store.KernelKey;
import io.eqntk.store.KernelStore;
import io.eqntk.experiment.ModelSpec;
import io.eqntk.group.PointGroup;
import io.eqntk.model.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Compares kernel classifiers (models x NTK/NNGP) over training-set sizes and seeds.",
        "",
        "Kernel regression (t = infinity) with the exact NTK and NNGP of each model, the ridge chosen on the",
        "validation split. Per model, kernel, size and seed: accuracy, balanced accuracy, macro one-vs-rest AUC,",
        "sensitivity/specificity (two classes), and for the NNGP the log-likelihood and calibration error of its",
        "posterior class probabilities; per size, the paired difference between models with a 95%% bootstrap",
        "interval over test images and seeds, and confusion matrices at the largest size.",
        "",
        "Each model's kernels are computed once: on the union of all training subsets (nested class-balanced",
        "subsets, one seeded ordering per seed) and between the validation/test images and that union.",
        "Images are resized by area averaging and standardised per channel with training statistics.",
        ""},
    footer = {"",
        "Models: cnn = '" + ModelSpec.CNN_SPEC + "';",
        "a group name (c1, c2, c4, d1, d2, d4, p4, p4m) = '" + "lift(G, 3, VALID) relu gconv(3, VALID) relu gpool dense';",
        "paper-cnn, paper-c4, ... = the paper notebook's networks (head: dense relu dense);",
        "or architecture strings separated by ';', optionally named: 'small=conv(3) relu gap dense'.",
        "NAME-sgd (cnn-sgd, c4-sgd, ...): that network at finite width (--finite-width) trained by full-batch",
        "gradient descent on the same MSE and subsets as the kernels; NAME-sgd-aug: on D4-augmented images.",
        "",
        "Outputs in --out: results.csv, results.json (one entry per model, kernel, size and seed), summary.csv,",
        "summary.json (means over seeds, 95%% bootstrap intervals, paired differences between models, confusion",
        "matrices), comparisons.csv, confusion.csv, accuracy.png, run.json; predictions.csv with --predictions.",
        "Accuracies and rates are fractions in the files (columns *_fraction) and percent in the table and plot.",
        "",
        "Examples:",
        "  eqntk experiment --dataset pcam --image-size 8 --train-sizes 10,50,200 --seeds 3 --test-size 500 --out exp",
        "  eqntk experiment --dataset pcam --crop-center 32 --image-size 8 --models cnn,d4 --out pcam-centre",
        "  eqntk experiment --dataset pbc-blood --image-size 16 --train-sizes 10,50 --test-size 400 --out blood",
        "  eqntk experiment --dataset mnist-rot --image-size 12 --models cnn,c4 --train-sizes 20,100 --out rot",
        "  eqntk experiment --dataset spherical-mnist --out sphere   (SO(3) network against an MLP and a CNN",
        "      on the 12x12 (theta, phi) grid; defaults: " + SphericalMnistData.DEFAULT_TRAIN_SIZES + " digits, "
            + SphericalMnistData.DEFAULT_SEEDS + " seeds, " + SphericalMnistData.DEFAULT_VALID + " validation, 100 test)",
        "  eqntk experiment --dataset breastmnist --models 'cnn;mine=lift(D4, 3) relu gpool dense' --out breast"})
public final class ExperimentCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "pcam", paramLabel = "NAME|PATH",
        description = "pcam, pcam-1000, pbc-blood, breastmnist, pneumoniamnist, mnist-rot, spherical-mnist (NR/R), "
            + "spherical-mnist-rr (R/R), another known name, or a folder, CSV or .npz (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--precision", defaultValue = "FLOAT32", paramLabel = "float64|float32",
        description = "arithmetic of the kernels (default: float32, within 1e-6 relative of "
            + "float64 and the README's tables to the printed digit); the ridge solves are float64 either way, and "
            + "the store keeps the precisions apart")
    Precision precision;

    @Mixin
    CommonOptions.ImageSize imageSize = new CommonOptions.ImageSize(8);

    @Mixin
    CommonOptions.CropCenter cropCenter;

    @Option(names = "--models", defaultValue = ModelSpec.DEFAULT_MODELS, paramLabel = "LIST",
        description = "comma-separated model names, or architecture strings separated by ';' (default: ${DEFAULT-VALUE})")
    String models;

    @Option(names = "--finite-width", defaultValue = "8", paramLabel = "N",
        description = "width of the trained finite baselines (models NAME-sgd, NAME-sgd-aug) (default: ${DEFAULT-VALUE})")
    int finiteWidth;

    @Option(names = "--finite-steps", defaultValue = "200", paramLabel = "N",
        description = "full-batch gradient-descent steps of the finite baselines; the step is chosen on the "
            + "validation split among every tenth (default: ${DEFAULT-VALUE})")
    int finiteSteps;

    @Option(names = "--finite-lr", defaultValue = "1.0", paramLabel = "X",
        description = "step size of the finite baselines as a fraction of 2 / mean empirical NTK diagonal (below 2 is "
            + "stable) (default: ${DEFAULT-VALUE})")
    double finiteLr;

    @Option(names = "--kernels", defaultValue = "ntk,nngp", paramLabel = "LIST",
        description = "ntk, nngp or both (default: ${DEFAULT-VALUE})")
    String kernels;

    @Option(names = "--train-sizes", defaultValue = "10,50,200", paramLabel = "N,N,...",
        description = "training-set sizes (default: ${DEFAULT-VALUE})")
    String trainSizes;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "K",
        description = "number of seeds (training subsets) per size (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--test-size", defaultValue = "0", paramLabel = "N",
        description = "a class-stratified subset of N test images (default: the whole test split)")
    int testSize;

    @Mixin
    CommonOptions.RidgeChoice ridgeChoice;

    @Option(names = "--color", paramLabel = "rgb|grayscale|keep",
        description = "colour mode (default: the dataset's own channels; grayscale for mnist-rot)")
    ColorMode color;

    @Option(names = "--rotate-test", arity = "0..1", fallbackValue = "D4", paramLabel = "GROUP",
        description = "transform every test image by a seeded random element of GROUP (D4 when no group is given; "
            + "C4 for a random multiple of 90 degrees)")
    String rotateTest;

    @Option(names = "--data-seed", defaultValue = "0", paramLabel = "S",
        description = "seed of the validation/test subsets, carved splits and test rotations (default: ${DEFAULT-VALUE})")
    long dataSeed;

    @Mixin
    CommonOptions.Threads threads;

    @Mixin
    CommonOptions.DirOut out;

    @Option(names = "--store", paramLabel = "DIR",
        description = "kernel store: Gram and cross matrices already computed for the same model and images (in any "
            + "earlier run) are loaded, the rest computed and kept (default: $EQNTK_STORE or ~/.cache/eqntk/store)")
    Path store;

    @Option(names = "--no-store", description = "compute every kernel in memory; read and write no store")
    boolean noStore;

    @Mixin
    CommonOptions.Quiet quiet;

    @Option(names = "--predictions", description = "also write predictions.csv: every test image of every model, "
        + "kernel, size and seed with its predicted class, regression scores and NNGP class probabilities")
    boolean predictions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentConfig config = config();
        int nThreads = threads.resolve();
        long t0 = System.nanoTime();
        ExperimentData data = ExperimentData.load(config);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        if (!quiet.on()) {
            System.err.printf(Locale.ROOT, "eqntk: loaded %s in %.1f s: train %d, valid %d, test %d, %dx%dx%d%n",
                data.name(), loadSeconds, data.train().count(), data.valid().count(), data.test().count(),
                data.height(), data.width(), data.channels());
        }
        StoreReport report = new StoreReport();
        KernelSource source = noStore ? KernelSource.engine(nThreads, precision)
            : KernelSource.stored(KernelStore.open(store == null ? KernelStore.defaultRoot() : store)
                .withListener(report), nThreads, precision);
        ExperimentRunner.Result result;
        try (Progress p = new Progress("kernels", !quiet.on())) {
            result = new ExperimentRunner(source).run(config, data, p, null);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path storePath = store == null ? KernelStore.defaultRoot() : store;
        ExperimentOutput.Invocation inv = new ExperimentOutput.Invocation(KernelKey.eqntkVersion(), commandLine(),
            java.time.Instant.now().toString(), noStore ? null : storePath.toAbsolutePath().toString(), nThreads,
            loadSeconds, seconds, precision.label());
        ExperimentOutput.writeAll(out.out, result, data, inv, predictions);
        for (String w : distinct(result.warnings())) {
            System.err.println("eqntk: warning: " + w);
        }
        if (!quiet.on()) {
            System.out.print(ExperimentOutput.table(result));
            System.out.printf(Locale.ROOT, "%d models x %d kernels x %d sizes x %d seeds on %s (%dx%d, pool %d, valid %d,"
                    + " test %d) in %.1f s -> %s%n", config.models().size(), config.kernels().size(),
                config.trainSizes().size(), config.seeds(), data.name(), data.height(), data.width(), result.poolSize(),
                result.validCount(), result.testCount(), seconds, out.out);
            if (!noStore) {
                System.out.printf(Locale.ROOT, "store %s: %d blocks loaded, %d computed%n",
                    store == null ? KernelStore.defaultRoot() : store, report.loaded.get(), report.computed.get());
            }
        }
        return 0;
    }

    /** The command as typed (arguments with spaces or quotes in single quotes). */
    private String commandLine() {
        List<String> parts = new ArrayList<>(List.of("eqntk"));
        var parsed = spec == null ? null : spec.root().commandLine().getParseResult();
        if (parsed != null) {
            for (String a : parsed.originalArgs()) {
                parts.add(a.matches("[A-Za-z0-9_./=,:@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
            }
        }
        return String.join(" ", parts);
    }

    private static List<String> distinct(List<String> ws) {
        List<String> out = new ArrayList<>(new java.util.LinkedHashSet<>(ws));
        if (out.size() > 5) {
            int more = out.size() - 5;
            out = new ArrayList<>(out.subList(0, 5));
            out.add("... and " + more + " more ridge warnings (see run.json)");
        }
        return out;
    }

    ExperimentConfig config() {
        if (SphericalMnistData.handles(dataset)) {
            sphericalDefaults();
        }
        List<ModelSpec> ms = ModelSpec.parseList(models).stream()
            .map(m -> m.withBaseline(finiteWidth, finiteSteps, finiteLr)).toList();
        List<KernelKind> ks = KernelKind.parseList(kernels);
        List<Integer> sizes = parseInts("--train-sizes", trainSizes);
        PointGroup rot = rotateTest == null ? null : PointGroup.of(rotateTest);
        return new ExperimentConfig(dataset, imageSize.size(), ms, ks, sizes, seeds, testSize, ridgeChoice.validSize(),
            ridgeChoice.poolSize(), ridgeChoice.candidates(), color, rot, dataSeed, cropCenter.size());
    }

    /** Spherical MNIST's small defaults (a few minutes on 2 cores) for the options the user did not give. */
    private void sphericalDefaults() {
        var parsed = spec == null ? null : spec.commandLine().getParseResult();
        if (parsed == null) {
            return;
        }
        if (!parsed.hasMatchedOption("--models")) {
            models = SphericalMnistData.DEFAULT_MODELS;
        }
        if (!parsed.hasMatchedOption("--image-size")) {
            imageSize.size = SphericalMnistData.DEFAULT_GRID;
        }
        if (!parsed.hasMatchedOption("--train-sizes")) {
            trainSizes = SphericalMnistData.DEFAULT_TRAIN_SIZES;
        }
        if (!parsed.hasMatchedOption("--seeds")) {
            seeds = SphericalMnistData.DEFAULT_SEEDS;
        }
        if (!parsed.hasMatchedOption("--valid-size")) {
            ridgeChoice.validSize = SphericalMnistData.DEFAULT_VALID;
        }
    }

    static List<Integer> parseInts(String option, String text) {
        if (text == null || text.isBlank()) {
            throw new EqntkException(option + " is empty");
        }
        List<Integer> out = new ArrayList<>();
        for (String s : text.split(",")) {
            try {
                out.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new EqntkException(option + ": '" + s.trim() + "' is not a whole number (in '" + text + "')");
            }
        }
        return out;
    }
}
