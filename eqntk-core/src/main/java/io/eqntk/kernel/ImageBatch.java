package io.eqntk.kernel;

import io.eqntk.EqntkException;
import io.eqntk.data.Images;

/** A batch of images [N, H, W, C], channels last, row-major, in double precision. */
public record ImageBatch(double[] data, int count, int height, int width, int channels) {

    public ImageBatch {
        if (count < 0 || height < 1 || width < 1 || channels < 1) {
            throw new EqntkException("image batch shape must be positive, got [" + count + ", " + height + ", "
                + width + ", " + channels + "]");
        }
        if ((long) count * height * width * channels != data.length) {
            throw new EqntkException("image batch data has " + data.length + " values, shape [" + count + ", "
                + height + ", " + width + ", " + channels + "] needs " + (long) count * height * width * channels);
        }
    }

    /** The pixels of a loaded image set (a copy; labels and ids stay with {@code im}). */
    public static ImageBatch of(Images im) {
        return new ImageBatch(im.data(), im.count(), im.height(), im.width(), im.channels());
    }

    public int imageSize() {
        return height * width * channels;
    }

    /** A copy of image i. */
    public double[] image(int i) {
        double[] x = new double[imageSize()];
        System.arraycopy(data, i * imageSize(), x, 0, x.length);
        return x;
    }

    /**
     * Throws an EqntkException naming {@code what} and the first image and value that is NaN or infinite.
     */
    public void requireFinite(String what) {
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                int img = i / imageSize();
                throw new EqntkException(what + ": image " + img + " contains a non-finite value (" + data[i]
                    + ") at flat index " + (i - img * imageSize()));
            }
        }
    }
}
