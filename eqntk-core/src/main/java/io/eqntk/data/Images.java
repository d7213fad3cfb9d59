package io.eqntk.data;

import io.eqntk.EqntkException;
import io.eqntk.io.NdArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An immutable batch of images: pixels in [N,H,W,C] C order, an optional class label per image, an id per
 * image (its source file, or for example {@code npz:train[17]}) and the class names.
 * Accessors return copies, so a batch cannot be changed after construction.
 */
public final class Images {
    /**
     * The largest side of an image that kernels accept (one pair of n x n images has n^4 kernel entries per layer);
     * loaders refuse larger images at native size from their headers, before decoding.
     */
    public static final int MAX_SIDE = 1024;

    private final int count;
    private final int height;
    private final int width;
    private final int channels;
    private final double[] data;
    private final int[] labels;
    private final List<String> ids;
    private final List<String> classNames;

    /**
     * Creates a batch; {@code data} and {@code labels} are copied.
     *
     * @param labels     class index per image, or null for unlabeled images
     * @param ids        one id per image
     * @param classNames class names (labels index into them); may be empty for unlabeled images
     */
    public Images(int count, int height, int width, int channels, double[] data, int[] labels,
                  List<String> ids, List<String> classNames) {
        this(count, height, width, channels, data.clone(), labels == null ? null : labels.clone(), ids, classNames,
                true);
    }

    private Images(int count, int height, int width, int channels, double[] data, int[] labels,
                   List<String> ids, List<String> classNames, boolean unused) {
        if (count < 0 || height <= 0 || width <= 0 || channels <= 0) {
            throw new EqntkException("bad image batch shape [" + count + "," + height + "," + width + ","
                    + channels + "]");
        }
        if ((long) count * height * width * channels != data.length) {
            throw new EqntkException("image data has " + data.length + " values but shape [" + count + ","
                    + height + "," + width + "," + channels + "] needs " + (long) count * height * width * channels);
        }
        if (ids.size() != count) {
            throw new EqntkException(ids.size() + " image ids given for " + count + " images");
        }
        if (labels != null) {
            if (labels.length != count) {
                throw new EqntkException(labels.length + " labels given for " + count + " images");
            }
            for (int i = 0; i < count; i++) {
                if (labels[i] < 0 || labels[i] >= classNames.size()) {
                    throw new EqntkException("label " + labels[i] + " of image " + ids.get(i) + " is outside the "
                            + classNames.size() + " classes " + classNames);
                }
            }
        }
        this.count = count;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.data = data;
        this.labels = labels;
        this.ids = Collections.unmodifiableList(new ArrayList<>(ids));
        this.classNames = List.copyOf(classNames);
    }

    /** Package-private constructor that takes ownership of the arrays (no copy). */
    static Images wrap(int count, int height, int width, int channels, double[] data, int[] labels,
                       List<String> ids, List<String> classNames) {
        return new Images(count, height, width, channels, data, labels, ids, classNames, true);
    }

    public int count() {
        return count;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    /** Values per image: height * width * channels. */
    public int imageSize() {
        return height * width * channels;
    }

    /** A copy of all pixels in [N,H,W,C] C order. */
    public double[] data() {
        return data.clone();
    }

    /** A copy of the pixels of image {@code i} in [H,W,C] order. */
    public double[] image(int i) {
        int s = imageSize();
        return Arrays.copyOfRange(data, i * s, (i + 1) * s);
    }

    /** The pixel value of image {@code n} at row {@code y}, column {@code x}, channel {@code c}. */
    public double get(int n, int y, int x, int c) {
        return data[((n * height + y) * width + x) * channels + c];
    }

    /** Package-private direct access (no copy) for loaders and preprocessing. */
    double[] rawData() {
        return data;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** A copy of the labels, or null when unlabeled. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    public int label(int i) {
        if (labels == null) {
            throw new EqntkException("images are unlabeled");
        }
        return labels[i];
    }

    public List<String> ids() {
        return ids;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** The number of images of each class. */
    public int[] classCounts() {
        int[] c = new int[classNames.size()];
        if (labels != null) {
            for (int l : labels) {
                c[l]++;
            }
        }
        return c;
    }

    /** The images at the given indices, in that order. */
    public Images subset(int[] indices) {
        int s = imageSize();
        double[] d = new double[indices.length * s];
        int[] l = labels == null ? null : new int[indices.length];
        List<String> id = new ArrayList<>(indices.length);
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= count) {
                throw new EqntkException("subset index " + i + " outside 0.." + (count - 1));
            }
            System.arraycopy(data, i * s, d, k * s, s);
            if (l != null) {
                l[k] = labels[i];
            }
            id.add(ids.get(i));
        }
        return wrap(indices.length, height, width, channels, d, l, id, classNames);
    }

    /** These images followed by {@code more} (same shape and classes). */
    public Images concat(Images more) {
        if (more.height != height || more.width != width || more.channels != channels
                || !more.classNames.equals(classNames) || (more.labels == null) != (labels == null)) {
            throw new EqntkException("cannot join images of different shapes, classes or labelling");
        }
        int s = imageSize();
        double[] d = java.util.Arrays.copyOf(data, (count + more.count) * s);
        System.arraycopy(more.data, 0, d, count * s, more.count * s);
        int[] l = null;
        if (labels != null) {
            l = java.util.Arrays.copyOf(labels, count + more.count);
            System.arraycopy(more.labels, 0, l, count, more.count);
        }
        List<String> id = new ArrayList<>(ids);
        id.addAll(more.ids);
        return wrap(count + more.count, height, width, channels, d, l, id, classNames);
    }

    /** The same labels and ids with other pixel data of shape [count, h, w, c] (no copy). */
    Images withData(int h, int w, int c, double[] newData) {
        return wrap(count, h, w, c, newData, labels, ids, classNames);
    }

    /** The pixels as an array of shape [N,H,W,C] (a copy). */
    public NdArray toNdArray() {
        return new NdArray(new int[]{count, height, width, channels}, data.clone());
    }

    /** The labels as an array of shape [N] (class indices as doubles). */
    public NdArray labelsAsNdArray() {
        if (labels == null) {
            throw new EqntkException("images are unlabeled");
        }
        double[] d = new double[count];
        for (int i = 0; i < count; i++) {
            d[i] = labels[i];
        }
        return new NdArray(new int[]{count}, d);
    }

    @Override
    public String toString() {
        return "Images[" + count + " x " + height + "x" + width + "x" + channels + ", classes " + classNames + "]";
    }
}
