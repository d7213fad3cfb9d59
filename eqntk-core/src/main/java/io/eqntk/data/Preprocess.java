package io.eqntk.data;

import io.eqntk.EqntkException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Image preprocessing: area resizing, colour conversion, scaling, standardisation and balanced subsets.
 */
public final class Preprocess {
    /** ITU-R BT.601 luma weights for R, G, B. */
    public static final double LUMA_R = 0.299;
    public static final double LUMA_G = 0.587;
    public static final double LUMA_B = 0.114;

    private Preprocess() {
    }

    /**
     * Resizes one [H,W,C] image to [newH,newW,C] by exact area averaging (a box filter).
     *
     * <p>Output pixel (i,j) covers the source rectangle [i*H/newH, (i+1)*H/newH) x [j*W/newW, (j+1)*W/newW)
     * in continuous pixel coordinates, and its value is the area-weighted mean of the source pixels it
     * overlaps (partially covered source pixels count with their covered fraction). This is exact for any
     * ratio: integer ratios give plain block means, non-integer ratios and upscaling weight the partly covered
     * pixels, and the mean of the image is conserved exactly (up to rounding). The filter is separable and is
     * applied along rows, then along columns.
     */
    public static double[] resizeArea(double[] src, int h, int w, int c, int newH, int newW) {
        if (newH <= 0 || newW <= 0) {
            throw new EqntkException("resize target must be positive, got " + newH + "x" + newW);
        }
        if (src.length != h * w * c) {
            throw new IllegalArgumentException("image has " + src.length + " values, expected " + h * w * c);
        }
        if (newH == h && newW == w) {
            return src.clone();
        }
        // along x: [h, w, c] -> [h, newW, c]
        Weights wx = Weights.of(w, newW);
        double[] tmp = new double[h * newW * c];
        for (int y = 0; y < h; y++) {
            int rowIn = y * w * c;
            int rowOut = y * newW * c;
            for (int j = 0; j < newW; j++) {
                int o = rowOut + j * c;
                for (int t = 0; t < wx.len[j]; t++) {
                    int x = wx.start[j] + t;
                    double wt = wx.weight[j][t];
                    int in = rowIn + x * c;
                    for (int ch = 0; ch < c; ch++) {
                        tmp[o + ch] += wt * src[in + ch];
                    }
                }
            }
        }
        // along y: [h, newW, c] -> [newH, newW, c]
        Weights wy = Weights.of(h, newH);
        int row = newW * c;
        double[] out = new double[newH * row];
        for (int i = 0; i < newH; i++) {
            int o = i * row;
            for (int t = 0; t < wy.len[i]; t++) {
                int y = wy.start[i] + t;
                double wt = wy.weight[i][t];
                int in = y * row;
                for (int k = 0; k < row; k++) {
                    out[o + k] += wt * tmp[in + k];
                }
            }
        }
        return out;
    }

    /**
     * The centre n x n pixels of one [h, w, c] image (row-major, channels last); for an odd margin the extra row
     * and column are dropped at the bottom and right.
     */
    public static double[] cropCenter(double[] src, int h, int w, int c, int n) {
        if (n < 1 || n > h || n > w) {
            throw new EqntkException("cannot crop the centre " + n + "x" + n + " of a " + w + "x" + h + " image");
        }
        int top = (h - n) / 2;
        int left = (w - n) / 2;
        double[] out = new double[n * n * c];
        for (int y = 0; y < n; y++) {
            System.arraycopy(src, ((top + y) * w + left) * c, out, y * n * c, n * c);
        }
        return out;
    }

    /** Resizes every image of a batch to newH x newW by exact area averaging ({@link #resizeArea}). */
    public static Images resize(Images images, int newH, int newW) {
        int h = images.height();
        int w = images.width();
        int c = images.channels();
        if (h == newH && w == newW) {
            return images;
        }
        int s = h * w * c;
        int t = newH * newW * c;
        double[] in = images.rawData();
        double[] out = new double[images.count() * t];
        for (int i = 0; i < images.count(); i++) {
            double[] r = resizeArea(Arrays.copyOfRange(in, i * s, (i + 1) * s), h, w, c, newH, newW);
            System.arraycopy(r, 0, out, i * t, t);
        }
        return images.withData(newH, newW, c, out);
    }

    /** Resizes every image to n x n. */
    public static Images resize(Images images, int n) {
        return resize(images, n, n);
    }

    /** Converts one image with {@code c} channels (1, 3 or more; extra channels ignored) to one channel by BT.601 luma. */
    public static double[] toGray(double[] px, int h, int w, int c) {
        int n = h * w;
        double[] out = new double[n];
        if (c == 1) {
            System.arraycopy(px, 0, out, 0, n);
            return out;
        }
        if (c < 3) {
            throw new EqntkException("cannot convert " + c + "-channel image to grayscale");
        }
        for (int p = 0; p < n; p++) {
            int o = p * c;
            out[p] = LUMA_R * px[o] + LUMA_G * px[o + 1] + LUMA_B * px[o + 2];
        }
        return out;
    }

    /** Converts a one-channel image to three identical channels (a 3-channel image is copied). */
    public static double[] toRgb(double[] px, int h, int w, int c) {
        if (c == 3) {
            return px.clone();
        }
        if (c != 1) {
            throw new EqntkException("cannot convert " + c + "-channel image to RGB");
        }
        int n = h * w;
        double[] out = new double[n * 3];
        for (int p = 0; p < n; p++) {
            out[3 * p] = px[p];
            out[3 * p + 1] = px[p];
            out[3 * p + 2] = px[p];
        }
        return out;
    }

    /** Converts a batch to grayscale (BT.601 luma). */
    public static Images toGrayscale(Images images) {
        if (images.channels() == 1) {
            return images;
        }
        return mapImages(images, 1, px -> toGray(px, images.height(), images.width(), images.channels()));
    }

    /** Converts a gray batch to RGB by replicating the channel (an RGB batch is returned as is). */
    public static Images toRgb(Images images) {
        if (images.channels() == 3) {
            return images;
        }
        return mapImages(images, 3, px -> toRgb(px, images.height(), images.width(), images.channels()));
    }

    /** Applies a colour mode to a batch ({@link ColorMode#KEEP} returns it unchanged). */
    public static Images convert(Images images, ColorMode mode) {
        return switch (mode) {
            case RGB -> toRgb(images);
            case GRAYSCALE -> toGrayscale(images);
            case KEEP -> images;
        };
    }

    private interface ImageOp {
        double[] apply(double[] px);
    }

    private static Images mapImages(Images images, int newChannels, ImageOp op) {
        int s = images.imageSize();
        int t = images.height() * images.width() * newChannels;
        double[] in = images.rawData();
        double[] out = new double[images.count() * t];
        for (int i = 0; i < images.count(); i++) {
            double[] r = op.apply(Arrays.copyOfRange(in, i * s, (i + 1) * s));
            System.arraycopy(r, 0, out, i * t, t);
        }
        return images.withData(images.height(), images.width(), newChannels, out);
    }

    /** Multiplies every pixel by {@code factor}. */
    public static Images scale(Images images, double factor) {
        double[] in = images.rawData();
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * factor;
        }
        return images.withData(images.height(), images.width(), images.channels(), out);
    }

    /** Scales 8-bit pixel values (0..255) to [0,1] by dividing by 255. */
    public static Images scaleToUnit(Images images) {
        return scale(images, 1.0 / 255.0);
    }

    /**
     * Standardises every split per channel with the mean and standard deviation of the training split
     * (see {@link Standardizer}).
     */
    public static Dataset standardize(Dataset dataset) {
        Standardizer s = Standardizer.fit(dataset.train());
        return dataset.withSplits(s.apply(dataset.train()), s.apply(dataset.valid()), s.apply(dataset.test()));
    }

    /**
     * A class-balanced subset of {@code count} labeled images: count/k images per class (k classes), the
     * remainder spread one each over the first classes. Images within a class are picked by a shuffle seeded
     * with {@code seed}, so the result is reproducible; the subset keeps the original order of the images.
     *
     * @throws EqntkException when a class has too few images, naming the class
     */
    public static Images balancedSubset(Images images, int count, long seed) {
        if (!images.hasLabels()) {
            throw new EqntkException("a balanced subset needs labeled images");
        }
        int k = images.numClasses();
        if (count < 0) {
            throw new EqntkException("balanced subset size must be >= 0, got " + count);
        }
        int[] labels = images.labels();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        Random rnd = new Random(seed);
        int[] picked = new int[count];
        int p = 0;
        for (int c = 0; c < k; c++) {
            int need = count / k + (c < count % k ? 1 : 0);
            List<Integer> pool = byClass.get(c);
            if (pool.size() < need) {
                throw new EqntkException("balanced subset of " + count + " images needs " + need + " of class '"
                        + images.classNames().get(c) + "' but only " + pool.size() + " are available");
            }
            int[] idx = pool.stream().mapToInt(Integer::intValue).toArray();
            Splits.shuffle(idx, rnd);
            System.arraycopy(idx, 0, picked, p, need);
            p += need;
        }
        Arrays.sort(picked);
        return images.subset(picked);
    }
}
