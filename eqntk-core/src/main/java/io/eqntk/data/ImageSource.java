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

/**
 * Reads the images a command or job works on: a NumPy .npy array [N, H, W, C] or any dataset source eqntk
 * reads. Every failure is an {@link EqntkException} that names the option and the source: a missing file, an
 * array that is not 4-d or has an empty dimension, a non-finite pixel, a dataset without the split.
 */
public final class ImageSource {
    private ImageSource() {
    }

    /**
     * @param option    the option the source came from, for messages (for example {@code --x1})
     * @param source    a .npy file, a known dataset name (pcam, breastmnist, ...) or a dataset path
     * @param split     for datasets: train, valid or test
     * @param limit     for datasets: take a seeded class-balanced subset of this many images (0 = all)
     * @param imageSize for datasets: resize to n x n (0 = keep)
     * @return the images; unlabeled for a .npy file (ids {@code file[i]}), labeled for a dataset
     */
    public static Images read(String option, String source, String split, int limit, int imageSize, ColorMode color,
                              long seed) {
        if (source.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return readNpy(option, source);
        }
        LoadOptions opts = LoadOptions.defaults().withSize(imageSize).withColorMode(color).withSeed(seed);
        Dataset d = Datasets.open(source, Datasets.defaultDataRoot(), opts);
        Images im = d.split(split);
        if (im == null) {
            throw new EqntkException(option + ": dataset " + source + " has no split '" + split + "'");
        }
        if (limit > 0 && limit < im.count()) {
            im = Preprocess.balancedSubset(im, limit, seed);
        }
        return im;
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
