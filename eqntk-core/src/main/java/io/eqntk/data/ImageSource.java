package io.eqntk.data;

import io.eqntk.EqntkException;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the images a command or job works on: a NumPy .npy array [N, H, W, C] or any dataset source eqntk
 * reads. Every failure is an {@link EqntkException} that names the option and the source: a missing file, an
 * array that is not 4-d or has an empty dimension, a non-finite pixel, a dataset without the split.
 */
public final class ImageSource {
    private ImageSource() {
    }

    /** The images read and, for a dataset, the split they came from (null for a .npy array). */
    public record Read(Images images, String split) {
        /**
         * The row order for an .npz, for a dataset: {@code <prefix>_files.txt}, {@code _split.txt} and, when
         * labelled, {@code <prefix>_labels} (class indices as float64) and {@code _classes.txt}.
         */
        public void rowOrder(String prefix, Map<String, NdArray> arrays, Map<String, String> texts) {
            if (split == null) {
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
    public static Images read(String option, String source, String split, int limit, int imageSize, ColorMode color,
                              long seed) {
        return load(option, source, split, limit, imageSize, color, seed).images();
    }

    /**
     * @param option    the option the source came from, for messages (for example {@code --x1})
     * @param source    a .npy file, a known dataset name (pcam, breastmnist, ...) or a dataset path
     * @param split     for datasets: train, valid or test
     * @param limit     for datasets: a seeded class-stratified subset of this many images (0 = all); only those
     *                  images are decoded (one image of each other split is read for the dataset's checks)
     * @param imageSize for datasets: resize to n x n (0 = keep)
     * @return the images, unlabeled for a .npy file (ids {@code file[i]}), labeled for a dataset
     */
    public static Read load(String option, String source, String split, int limit, int imageSize, ColorMode color,
                            long seed) {
        if (source.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            Images im = readNpy(option, source);
            if (imageSize > 0 || (limit > 0 && limit < im.count())) {
                System.err.println("eqntk: note: " + option + " " + source + " is an .npy array, used as it is: all "
                    + im.count() + " images at " + im.height() + "x" + im.width()
                    + " (--limit and --image-size apply to datasets)");
            }
            return new Read(im, null);
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
        return new Read(im, split);
    }

    private static Images readNpy(String option, String source) {
        Path p = Path.of(source);
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
        double[] v = a.data();
        int perImage = s[1] * s[2] * s[3];
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new EqntkException(option + " (" + source + "): image " + i / perImage
                    + " contains a non-finite value (" + v[i] + ") at flat index " + i % perImage);
            }
        }
        List<String> ids = new ArrayList<>(s[0]);
        for (int i = 0; i < s[0]; i++) {
            ids.add(source + "[" + i + "]");
        }
        return Images.wrap(s[0], s[1], s[2], s[3], v, null, ids, List.of());
    }
}
