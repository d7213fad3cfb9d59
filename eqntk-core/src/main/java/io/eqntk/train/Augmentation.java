package io.eqntk.train;

import io.eqntk.EqntkException;
import io.eqntk.group.PointGroup;
import io.eqntk.kernel.ImageBatch;

/**
 * Full data augmentation over a point group: every training image replaced by its orbit
 * {@code {g·x : g in H}} with {@code (g·x)(s) = x(g s)} (see {@link PointGroup#transformImage}), each copy keeping
 * its image's targets. The augmented set is ordered image-major: copy g of image i is entry {@code i |H| + g}
 * (g = 0 is the identity, so the original image comes first).
 */
public final class Augmentation {
    private Augmentation() {
    }

    /** The n |H| images of the orbits of x; images must be square. */
    public static ImageBatch orbit(ImageBatch x, PointGroup group) {
        if (x.height() != x.width()) {
            throw new EqntkException("augmentation by " + group.name() + " needs square images, got "
                + x.height() + "x" + x.width());
        }
        int m = group.order();
        int size = x.imageSize();
        double[] data = new double[x.count() * m * size];
        for (int i = 0; i < x.count(); i++) {
            double[] img = x.image(i);
            for (int g = 0; g < m; g++) {
                double[] t = group.transformImage(g, img, x.height(), x.channels());
                System.arraycopy(t, 0, data, (i * m + g) * size, size);
            }
        }
        return new ImageBatch(data, x.count() * m, x.height(), x.width(), x.channels());
    }

    /** Targets n x k repeated for the orbit ordering of {@link #orbit}: (n |H|) x k. */
    public static double[] repeatTargets(double[] y, int n, int k, int order) {
        if (y.length != n * k) {
            throw new EqntkException("targets have " + y.length + " values, expected " + n + " x " + k);
        }
        double[] out = new double[n * order * k];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < order; g++) {
                System.arraycopy(y, i * k, out, (i * order + g) * k, k);
            }
        }
        return out;
    }
}
