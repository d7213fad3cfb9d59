package io.eqntk.kernel;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.arch.FeatureShape;
import io.eqntk.layer.Flatten;
import io.eqntk.layer.Layer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks computed kernels before anyone writes them: every entry finite, none lost to underflow (a subnormal
 * value, or a self kernel that vanished although its image is not zero). A problem is an error that names the
 * layer where it first appeared, found by re-running the self pair of the offending image through the
 * network's prefixes (each closed by {@code flatten}: the mean variance after that layer).
 */
public final class KernelChecks {
    /** Below this a self kernel is on its way to underflow. */
    private static final double TINY = 1e-200;

    private KernelChecks() {
    }

    /**
     * Checks a block of a kernel matrix: entry (a, b) belongs to images {@code rows[a]} and {@code cols[b]}, at
     * global indices {@code rowStart + a} and {@code colStart + b}; with {@code gram}, equal global indices are
     * self pairs.
     *
     * @throws EqntkException naming {@code what}, the entry, the kernel and the layer
     */
    public static void require(KernelEngine engine, ImageBatch rows, int rowStart, ImageBatch cols, int colStart,
                               boolean gram, KernelMatrices k, String what) {
        int nc = k.cols();
        boolean zeroSeen = false;
        for (int a = 0; a < k.rows(); a++) {
            for (int b = 0; b < nc; b++) {
                boolean self = gram && rowStart + a == colStart + b;
                for (int kind = 0; kind < 2; kind++) {
                    double v = kind == 0 ? k.nngp()[a * nc + b] : k.ntk()[a * nc + b];
                    boolean subnormal = v != 0 && Math.abs(v) < Double.MIN_NORMAL;
                    boolean vanished = v == 0 && (self || !zeroSeen) && !isZero(rows, a) && !isZero(cols, b);
                    if (Double.isFinite(v) && !subnormal && !vanished) {
                        continue;
                    }
                    zeroSeen |= vanished && !self;
                    String diagnosis = diagnose(engine, rows, a);
                    if (diagnosis == null && !(gram && self)) {
                        diagnosis = diagnose(engine, cols, b);
                    }
                    if (diagnosis == null && vanished) {
                        continue; // an exact zero the network gives by construction (w=0, say), not underflow
                    }
                    String name = kind == 0 ? "NNGP" : "NTK";
                    throw new EqntkException(what + ": the " + name + " entry (" + (rowStart + a) + ", "
                        + (colStart + b) + ") is " + describe(v) + (diagnosis == null ? ""
                        : "; " + diagnosis.replace("IMAGE", "image " + (rowStart + a))) + advice(v));
                }
            }
        }
    }

    /** {@link #require} for a whole Gram matrix K(x, x). */
    public static void requireGram(KernelEngine engine, ImageBatch x, KernelMatrices k, String what) {
        require(engine, x, 0, x, 0, true, k, what);
    }

    /** {@link #require} for a whole cross matrix K(x1, x2). */
    public static void requireCross(KernelEngine engine, ImageBatch x1, ImageBatch x2, KernelMatrices k,
                                    String what) {
        require(engine, x1, 0, x2, 0, false, k, what);
    }

    /**
     * The first layer after which the self kernel of image {@code i} is non-finite or underflows, as a phrase
     * with the placeholder IMAGE, or null when every prefix is fine.
     */
    static String diagnose(KernelEngine engine, ImageBatch x, int i) {
        if (isZero(x, i)) {
            return null;
        }
        Architecture arch = engine.architecture();
        List<Layer> layers = arch.layers();
        FeatureShape shape = FeatureShape.image(x.height(), x.width(), x.channels());
        double[] image = x.image(i);
        List<Layer> prefix = new ArrayList<>();
        double[] before = {1, 1};
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            prefix.add(layer);
            shape = layer.outputShape(shape, 1);
            List<Layer> probe = new ArrayList<>(prefix);
            if (!shape.reduced()) {
                probe.add(Flatten.INSTANCE);
            }
            double[] k = new KernelEngine(new Architecture(probe), 1).pair(image, image, x.height(), x.width(),
                x.channels());
            for (int kind = 0; kind < 2; kind++) {
                double v = k[kind];
                boolean subnormal = v != 0 && Math.abs(v) < Double.MIN_NORMAL;
                // a tiny value that drops to zero underflowed; a layer that gives zero by construction (w=0) did not
                boolean flushed = v == 0 && before[kind] != 0 && Math.abs(before[kind]) < TINY;
                before[kind] = v;
                if (!Double.isFinite(v) || subnormal || flushed) {
                    return "the " + (kind == 0 ? "NNGP" : "NTK") + " of IMAGE with itself is first " + describe(v)
                        + " after layer " + (l + 1) + " '" + layer.spec() + "'";
                }
            }
        }
        return null;
    }

    private static boolean isZero(ImageBatch x, int i) {
        int s = x.imageSize();
        for (int p = i * s; p < (i + 1) * s; p++) {
            if (x.data()[p] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String describe(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return "infinite";
        }
        return v == 0 ? "zero (underflow)"
            : String.format(Locale.ROOT, "%.3g (below the smallest normal double: underflow)", v);
    }

    private static String advice(double v) {
        return Double.isFinite(v)
            ? " (the values shrink layer by layer: use a larger w, e.g. w=1.414 keeps a ReLU network's variance, or "
            + "fewer layers)"
            : " (values beyond the largest double: check the inputs' scale and the layers' w and b)";
    }
}
