package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.data.ColorMode;
import io.eqntk.data.Datasets;
import io.eqntk.data.Images;
import io.eqntk.data.Standardizer;
import io.eqntk.sphere.SphericalMnist;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Spherical MNIST as an experiment's data ({@link SphericalMnist}: digits projected onto the sphere, test digits
 * rotated by Haar-random rotations): {@code spherical-mnist} is the NR/R protocol (training and validation digits
 * unrotated), {@code spherical-mnist-rr} is R/R (rotated too). Each signal on the S2 grid of bandwidth L =
 * image size / 2 is carried as the 2L x 2L image of its samples, so that planar baselines (an MLP or a CNN on the
 * (θ, φ) map) see the same numbers as the spherical network. Not standardised: a digit keeps its values in [0, 1]
 * (the background stays 0 on the sphere).
 */
public final class SphericalMnistData {
    /** NR/R: training digits unrotated, test digits rotated. */
    public static final String NR_R = "spherical-mnist";
    /** R/R: training and test digits rotated. */
    public static final String R_R = "spherical-mnist-rr";
    /** Split sizes when the config gives no cap. */
    static final int DEFAULT_POOL = 1000;
    /** Validation digits when the config gives no cap, and the command line's default. */
    public static final int DEFAULT_VALID = 50;
    static final int DEFAULT_TEST = 100;
    /** The command line's defaults: a run of a few minutes on 2 shared cores. */
    public static final String DEFAULT_MODELS = "so3=s2lift(3, 0.8, b=0.1) relu so3conv(3, 0.8, n_alpha=4, n_beta=2, "
        + "n_gamma=4) relu so3pool dense;mlp=flatten dense(b=0.1) relu dense;cnn";
    public static final int DEFAULT_GRID = 12;
    public static final String DEFAULT_TRAIN_SIZES = "10,20,50";
    public static final int DEFAULT_SEEDS = 2;

    private SphericalMnistData() {
    }

    /** Whether a dataset name (any case) is one of these. */
    public static boolean handles(String dataset) {
        String k = dataset.trim().toLowerCase(Locale.ROOT);
        return k.equals(NR_R) || k.equals(R_R);
    }

    /** Loads the digits from {@code dataRoot/mnist} (null: the default data root). */
    public static ExperimentData load(ExperimentConfig c, Path dataRoot) {
        String key = c.dataset().trim().toLowerCase(Locale.ROOT);
        boolean rr = key.equals(R_R);
        if (c.imageSize() % 2 != 0 || c.imageSize() < 2 || c.imageSize() > 128) {
            throw new EqntkException("--image-size for " + key + " is the S2 grid's side 2L (bandwidth L): an even "
                + "number from 2 to 128, got " + c.imageSize());
        }
        if (c.cropCenter() != 0 || c.rotateTest() != null || (c.color() != null && c.color() != ColorMode.GRAYSCALE
            && c.color() != ColorMode.KEEP)) {
            throw new EqntkException(key + " makes its own grid and rotations: --crop-center, --rotate-test and "
                + "--color do not apply");
        }
        int bandwidth = c.imageSize() / 2;
        int pool = c.poolSize() > 0 ? c.poolSize() : Math.max(DEFAULT_POOL, c.maxTrainSize());
        int valid = c.validSize() > 0 ? c.validSize() : DEFAULT_VALID;
        int test = c.testSize() > 0 ? c.testSize() : DEFAULT_TEST;
        Path mnist = (dataRoot != null ? dataRoot : Datasets.defaultDataRoot()).resolve("mnist");
        List<SphericalMnist.Sample> train = SphericalMnist.load(mnist, "train", pool + valid, bandwidth, rr,
            c.dataSeed());
        List<SphericalMnist.Sample> testDigits = SphericalMnist.load(mnist, "test", test, bandwidth, true,
            c.dataSeed() + 1);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "spherical MNIST (%s): MNIST digits projected stereographically onto "
            + "the sphere and sampled on the %dx%d Driscoll-Healy grid of bandwidth %d; %d training and %d "
            + "validation digits from MNIST's training split%s, %d test digits from its test split, each rotated by "
            + "its own Haar-random rotation (data seed %d)", rr ? "R/R" : "NR/R", c.imageSize(), c.imageSize(),
            bandwidth, pool, valid, rr ? " (rotated)" : " (unrotated)", test, c.dataSeed()));
        notes.add("no standardisation: samples are pixel values in [0, 1]");
        return new ExperimentData(c.dataset().trim(), images(train.subList(0, pool), "train"),
            images(train.subList(pool, pool + valid), "valid"), images(testDigits, "test"), 10, null,
            List.copyOf(notes), new Standardizer(new double[] {0}, new double[] {1}), ColorMode.GRAYSCALE, false);
    }

    private static Images images(List<SphericalMnist.Sample> samples, String split) {
        int n = samples.size();
        int side = 2 * samples.get(0).signal().bandwidth();
        double[] data = new double[n * side * side];
        int[] labels = new int[n];
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            System.arraycopy(samples.get(i).signal().toImage(), 0, data, i * side * side, side * side);
            labels[i] = samples.get(i).label();
            ids.add(split + "-" + i);
        }
        List<String> classes = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            classes.add(Integer.toString(d));
        }
        return new Images(n, side, side, 1, data, labels, ids, classes);
    }
}
