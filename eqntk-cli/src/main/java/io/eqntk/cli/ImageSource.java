package io.eqntk.cli;

import io.eqntk.EqntkException;
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
import java.util.Locale;

/** Reads the images a command works on: a NumPy .npy array [N, H, W, C] or any dataset source eqntk reads. */
final class ImageSource {
    private ImageSource() {
    }

    /**
     * @param source    a .npy file, a known dataset name (pcam, breastmnist, ...) or a dataset path
     * @param split     for datasets: train, valid or test
     * @param limit     for datasets: take a seeded class-balanced subset of this many images (0 = all)
     * @param imageSize for datasets: resize to n x n (0 = keep)
     */
    static ImageBatch read(String option, String source, String split, int limit, int imageSize, ColorMode color,
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
            ImageBatch b = new ImageBatch(a.data(), s[0], s[1], s[2], s[3]);
            b.requireFinite(option + " (" + source + ")");
            return b;
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
        return new ImageBatch(im.data(), im.count(), im.height(), im.width(), im.channels());
    }
}
