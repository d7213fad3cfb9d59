package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.data.ColorMode;
import io.eqntk.experiment.ExperimentConfig;
import io.eqntk.experiment.ExperimentData;
import io.eqntk.experiment.FittedModel;
import io.eqntk.experiment.KernelKind;
import io.eqntk.experiment.KernelSource;
import io.eqntk.experiment.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Fits a kernel classifier and saves it as a model folder for 'eqntk predict'.",
        "",
        "The same steps as one cell of 'eqntk experiment': images cropped (--crop-center), resized by area",
        "averaging and standardised with the training split's statistics; the class-balanced training subset of",
        "--train-size images for --seed (default: the whole training split); the ridge chosen on the validation",
        "split, or by 5-fold cross-validation on the training images when the dataset has no validation split",
        "of its own (--cv sets the folds; no images are then held out); kernel regression at t = infinity; class",
        "probabilities from the Gaussian posterior (NNGP by default).",
        "",
        "The folder holds the architecture, preprocessing and its statistics, the training images and their",
        "fingerprint, the ridge, the Cholesky factor of the regularised Gram matrix, and a manifest with the",
        "SHA-256 of every file and the eqntk version; 'predict' refuses it if anything changed.",
        ""},
    footer = {"", "Examples:",
        "  eqntk fit --data pbc-blood --model d4 --image-size 16 --train-size 200 --out models/blood-d4",
        "  eqntk fit --data pcam --crop-center 32 --image-size 8 --model c4 --kernel ntk --out models/pcam-c4"})
public final class FitCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "NAME|PATH",
        description = "a known dataset name (pcam, pbc-blood, breastmnist, ...) or a folder / CSV / .npz")
    String data;

    @Option(names = "--model", defaultValue = "d4", paramLabel = "NAME|ARCH",
        description = "cnn, a group name (c4, d4, ...), paper-cnn/paper-GROUP or an architecture string "
            + "(default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--kernel", defaultValue = "nngp", paramLabel = "nngp|ntk",
        description = "the kernel (default: ${DEFAULT-VALUE}; its posterior gives the class probabilities)")
    String kernel;

    @Mixin
    CommonOptions.ImageSize imageSize = new CommonOptions.ImageSize(8);

    @Mixin
    CommonOptions.CropCenter cropCenter;

    @Option(names = "--color", paramLabel = "rgb|grayscale|keep",
        description = "colour mode (default: the dataset's own channels)")
    ColorMode color;

    @Option(names = "--train-size", defaultValue = "0", paramLabel = "N",
        description = "a class-balanced subset of N training images (default: all)")
    int trainSize;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
        description = "seed of that subset, as in 'experiment' (default: ${DEFAULT-VALUE})")
    int seed;

    @Mixin
    CommonOptions.RidgeChoice ridgeChoice;

    @Option(names = "--cv", paramLabel = "K",
        description = "choose the ridge by K-fold cross-validation on the training images (K >= 2), or 0 for the "
            + "validation split (default: 5 folds when the dataset has no validation split, else the split)")
    Integer cv;

    @Option(names = "--data-seed", defaultValue = "0", paramLabel = "S",
        description = "seed of the validation subset and carved splits (default: ${DEFAULT-VALUE})")
    long dataSeed;

    @Mixin
    CommonOptions.Threads threads;

    @Mixin
    CommonOptions.DirOut out;

    @Mixin
    CommonOptions.Quiet quiet;

    @Override
    public Integer call() {
        if (trainSize < 0) {
            throw new EqntkException("--train-size must not be negative (0 = all), got " + trainSize);
        }
        int nThreads = threads.resolve();
        List<ModelSpec> ms = ModelSpec.parseList(model);
        if (ms.size() != 1) {
            throw new EqntkException("--model takes one model, got " + ms.size());
        }
        List<KernelKind> ks = KernelKind.parseList(kernel);
        if (ks.size() != 1) {
            throw new EqntkException("--kernel takes one kernel, got " + ks.size());
        }
        ExperimentConfig c = new ExperimentConfig(data, imageSize.size(), ms, ks, List.of(Math.max(1, trainSize)), 1, 0,
            ridgeChoice.validSize(), ridgeChoice.poolSize(), ridgeChoice.candidates(), color, null, dataSeed,
            cropCenter.size());
        long t0 = System.nanoTime();
        ExperimentData d = ExperimentData.load(c);
        FittedModel fm;
        try (Progress p = new Progress("gram", !quiet.on())) {
            fm = FittedModel.fit(c, d, trainSize, seed, cv == null ? FittedModel.AUTO_FOLDS : cv,
                KernelSource.engine(nThreads), p,
                w -> System.err.println("eqntk: warning: " + w));
        }
        fm.save(out.out);
        for (String w : d.warnings()) {
            System.err.println("eqntk: warning: " + w);
        }
        if (!quiet.on()) {
            String how = fm.metadata().get("ridge_selection").startsWith("validation") ? "validation"
                : "cross-validated";
            System.out.printf(Locale.ROOT, "fitted %s on %d images of %s (%dx%dx%d) in %.1f s; %s accuracy "
                    + "%.1f%% -> %s%n", fm, fm.trainSize(), data, imageSize.size(), imageSize.size(), fm.channels(),
                (System.nanoTime() - t0) / 1e9, how, 100 * Double.parseDouble(fm.metadata().get("valid_accuracy")),
                out.out);
        }
        return 0;
    }
}
