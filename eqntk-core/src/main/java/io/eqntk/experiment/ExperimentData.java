package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.data.ColorMode;
import io.eqntk.data.Dataset;
import io.eqntk.data.Datasets;
import io.eqntk.data.Images;
import io.eqntk.data.LoadOptions;
import io.eqntk.data.Standardizer;
import io.eqntk.group.PointGroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The images of an experiment after preprocessing: resized to a square size by area averaging, converted to the
 * colour mode, standardised per channel with the statistics of the whole training split, validation and test
 * splits capped (stratified), and the test split optionally rotated by random group elements.
 *
 * @param name        the dataset name as given
 * @param train       the training split (the pool that training subsets are drawn from)
 * @param valid       the validation split (ridge selection)
 * @param test        the test split
 * @param numClasses  the number of classes
 * @param rotatedBy   the group whose random elements transformed the test images, or null
 * @param notes       how the data were made (from the loader, plus the steps here)
 * @param standardizer the per-channel statistics of the training split that standardised every split
 * @param color       the colour mode the images were loaded in
 * @param validCarved the validation images were carved from the source's training split (it has none)
 */
public record ExperimentData(String name, Images train, Images valid, Images test, int numClasses,
                             PointGroup rotatedBy, List<String> notes, Standardizer standardizer,
                             ColorMode color, boolean validCarved) {
    /** The special dataset: upright MNIST for training and validation, test digits rotated by multiples of 90 degrees. */
    public static final String MNIST_ROT = "mnist-rot";

    /** Loads and preprocesses the data of a config (data root: {@link Datasets#defaultDataRoot()}). */
    public static ExperimentData load(ExperimentConfig c) {
        return load(c, null);
    }

    /** Loads and preprocesses the data of a config from a data root (null = the default root). */
    public static ExperimentData load(ExperimentConfig c, Path dataRoot) {
        if (SphericalMnistData.handles(c.dataset())) {
            return SphericalMnistData.load(c, dataRoot);
        }
        String key = c.dataset().trim().toLowerCase(Locale.ROOT);
        boolean mnistRot = key.equals(MNIST_ROT);
        String source = mnistRot ? "mnist" : c.dataset().trim();
        ColorMode color = c.color() != null ? c.color() : (mnistRot ? ColorMode.GRAYSCALE : ColorMode.KEEP);
        PointGroup rotate = c.rotateTest() != null ? c.rotateTest() : (mnistRot ? PointGroup.C4 : null);
        LoadOptions o = LoadOptions.defaults().withSize(c.imageSize()).withColorMode(color).withSeed(c.dataSeed())
            .withCaps(c.poolSize(), c.validSize(), c.testSize()).withCropCenter(c.cropCenter());
        Path root = dataRoot != null ? dataRoot : (isKnownOrSpecial(key) ? Datasets.defaultDataRoot() : optionalRoot());
        Dataset d;
        try {
            d = Datasets.open(source, root, o);
        } catch (EqntkException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("unknown dataset")) {
                throw new EqntkException(e.getMessage() + " (or " + MNIST_ROT + ", " + SphericalMnistData.NR_R + ", "
                    + SphericalMnistData.R_R + ")", e);
            }
            throw e;
        }
        if (!d.train().hasLabels() || !d.valid().hasLabels() || !d.test().hasLabels()) {
            throw new EqntkException("dataset " + c.dataset() + " has unlabeled images; an experiment needs labels");
        }
        if (d.valid().count() == 0) {
            throw new EqntkException("dataset " + c.dataset() + " has no validation images to choose the ridge on");
        }
        if (d.test().count() == 0) {
            throw new EqntkException("dataset " + c.dataset() + " has no test images");
        }
        int k = d.classNames().size();
        if (k < 2) {
            throw new EqntkException("dataset " + c.dataset() + " has " + k + " class; classification needs two or more");
        }
        Standardizer stats = Standardizer.fit(d.train());
        Dataset s = d.withSplits(stats.apply(d.train()), stats.apply(d.valid()), stats.apply(d.test()));
        List<String> notes = new ArrayList<>(d.notes());
        if (c.cropCenter() > 0) {
            notes.add("centre " + c.cropCenter() + "x" + c.cropCenter() + " pixels of every image kept before resizing");
        }
        notes.add("resized to " + c.imageSize() + "x" + c.imageSize() + " by area averaging, colour " + color
            + ", standardised per channel with the statistics of the " + d.train().count() + " training images");
        Images test = s.test();
        if (rotate != null) {
            test = transformRandomly(test, rotate, c.dataSeed());
            notes.add("every test image transformed by a random element of " + rotate.name() + " (seed "
                + c.dataSeed() + ")");
        }
        return new ExperimentData(c.dataset(), s.train(), s.valid(), test, k, rotate, List.copyOf(notes), stats,
            color, d.validCarved());
    }

    /** The default data root, or null when there is none (a path given directly needs none). */
    private static Path optionalRoot() {
        try {
            return Datasets.defaultDataRoot();
        } catch (EqntkException e) {
            return null;
        }
    }

    private static boolean isKnownOrSpecial(String key) {
        return key.equals(MNIST_ROT) || Datasets.knownNames().contains(key);
    }

    /**
     * Each image transformed by its own random element of the group ({@link PointGroup#transformImage}), drawn
     * from a generator seeded with {@code seed}; images must be square.
     */
    public static Images transformRandomly(Images images, PointGroup group, long seed) {
        if (images.height() != images.width()) {
            throw new EqntkException("cannot rotate " + images.height() + "x" + images.width()
                + " images: they must be square");
        }
        Random rnd = new Random(seed * 0x5DEECE66DL + 11);
        int n = images.height();
        int c = images.channels();
        int s = images.imageSize();
        double[] out = new double[images.count() * s];
        for (int i = 0; i < images.count(); i++) {
            int g = rnd.nextInt(group.order());
            System.arraycopy(group.transformImage(g, images.image(i), n, c), 0, out, i * s, s);
        }
        return new Images(images.count(), n, n, c, out, images.labels(), images.ids(), images.classNames());
    }

    /** The loader's warnings (notes that start with {@code warning: }, such as files repeated across splits). */
    public List<String> warnings() {
        return notes.stream().filter(n -> n.startsWith("warning: ")).map(n -> n.substring("warning: ".length()))
            .toList();
    }

    public int height() {
        return train.height();
    }

    public int width() {
        return train.width();
    }

    public int channels() {
        return train.channels();
    }
}
