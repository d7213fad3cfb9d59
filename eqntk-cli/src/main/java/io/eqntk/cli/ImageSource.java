package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.arch.Limits;
import io.eqntk.data.ColorMode;
import io.eqntk.data.Dataset;
import io.eqntk.data.Datasets;
import io.eqntk.data.Images;
import io.eqntk.data.LoadOptions;
import io.eqntk.data.Preprocess;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import io.eqntk.kernel.ImageBatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Reads the images a command works on: a NumPy .npy array [N, H, W, C] or any dataset source eqntk reads. */
final class ImageSource {
    private ImageSource() {
    }

    /** The images read, and for a dataset the images with their ids, labels and split (null for .npy input). */
    record Read(ImageBatch batch, Images images, String split) {
        /** The row order for an .npz: {@code <prefix>_labels} (class indices as float64). */
        void rowOrder(String prefix, Map<String, NdArray> arrays, Map<String, String> texts) {
            if (images == null) {
                return;
            }
            texts.put(prefix + "_files.txt", String.join("\n", images.ids()) + "\n");
            texts.put(prefix + "_split.txt", split + "\n");
            if (images.hasLabels()) {
                double[] labels = new double[images.count()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = images.label(i);
                }
                arrays.put(prefix + "_labels", new NdArray(new int[] {labels.length}, labels));
                texts.put(prefix + "_classes.txt", String.join("\n", images.classNames()) + "\n");
            }
        }
    }

    /** {@link #load}'s images. */
    static ImageBatch read(String option, String source, String split, int limit, int imageSize, ColorMode color,
                           long seed) {
        return load(option, source, split, limit, imageSize, color, seed).batch();
    }

    /**
     * @param source    a .npy file, a known dataset name (pcam, breastmnist, ...) or a dataset path
     * @param split     for datasets: train, valid or test
     * @param limit     for datasets: a seeded class-stratified subset of this many images (0 = all); only those
     *                  images are decoded (one image of each other split is read for the dataset's checks)
     * @param imageSize for datasets: resize to n x n (0 = keep)
     */
    static Read load(String option, String source, String split, int limit, int imageSize, ColorMode color,
                     long seed) {
        Path p = Path.of(source);
        if (source.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            if (!Files.isRegularFile(p)) {
                throw new EqntkException(option + ": file not found: " + source);
            }
            NdArray a = Npy.read(p);
            int[] s = a.shape();
            if (s.length != 4) {
                throw new EqntkException(option + ": " + source + " must be a 4-d array [N, H, W, C], got shape "
                    + Arrays.toString(s));
            }
            if (s[0] < 1 || s[1] < 1 || s[2] < 1 || s[3] < 1) {
                throw new EqntkException(option + ": " + source + " has an empty dimension, shape " + Arrays.toString(s));
            }
            if (imageSize > 0 || (limit > 0 && limit < s[0])) {
                System.err.println("eqntk: note: " + option + " " + source + " is an .npy array, used as it is: all "
                    + s[0] + " images at " + s[1] + "x" + s[2] + " (--limit and --image-size apply to datasets)");
            }
            ImageBatch b = new ImageBatch(a.data(), s[0], s[1], s[2], s[3]);
            b.requireFinite(option + " (" + source + ")");
            Limits.inputMagnitude(option + " (" + source + ")", b.data(), b.imageSize());
            return new Read(b, null, null);
        }
        if (!List.of(Dataset.TRAIN, Dataset.VALID, Dataset.TEST).contains(split)) {
            throw new EqntkException("--split must be train, valid or test, got '" + split + "'");
        }
        LoadOptions opts = LoadOptions.defaults().withSize(imageSize).withColorMode(color).withSeed(seed);
        if (limit > 0) {
            // decode only what is used: the subset of the split asked for, one image of each other split
            opts = opts.withCaps(split.equals(Dataset.TRAIN) ? limit : 1, split.equals(Dataset.VALID) ? limit : 1,
                split.equals(Dataset.TEST) ? limit : 1);
        }
        Dataset d = Datasets.open(source, Datasets.defaultDataRoot(), opts);
        Images im = d.split(split);
        if (im == null || im.count() == 0) {
            throw new EqntkException(option + ": dataset " + source + " has no images in split '" + split + "'");
        }
        if (limit > 0 && limit < im.count()) {
            im = Preprocess.balancedSubset(im, limit, seed); // sources the loader cannot cap (arrays) are cut here
        }
        return new Read(new ImageBatch(im.data(), im.count(), im.height(), im.width(), im.channels()), im, split);
    }
}
