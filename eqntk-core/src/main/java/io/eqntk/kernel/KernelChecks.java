package io.eqntk.kernel;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.model.FeatureShape;

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
     * with the placeholder IMAGE, or null when the whole network's self kernel is fine (or exactly zero by
     * construction, as with w=0). A bisection over the network's prefixes: non-finite values stay non-finite
     * and underflowed ones stay tiny in the layers after, so about log2(depth) prefixes are evaluated.
     */
    static String diagnose(KernelEngine engine, ImageBatch x, int i) {
        if (isZero(x, i)) {
            return null;
        }
        Architecture arch = engine.architecture();
        double[] image = x.image(i);
        int n = arch.size();
        if (bad(prefixSelf(arch, n, x, image)) < 0) {
            return null;
        }
        int lo = 0; // prefix of lo layers is fine (the input itself)
        int hi = n; // prefix of hi layers is bad
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (bad(prefixSelf(arch, mid, x, image)) >= 0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        double[] k = prefixSelf(arch, hi, x, image);
        int kind = bad(k);
        double v = k[kind];
        // a layer that gives zero from a healthy input (w=0) does so by construction: not an underflow
        if (v == 0 && (lo == 0 || Math.abs(prefixSelf(arch, lo, x, image)[kind]) >= TINY)) {
            return null;
        }
        return "the " + (kind == 0 ? "NNGP" : "NTK") + " of IMAGE with itself is first " + describe(v)
            + " after layer " + hi + " '" + arch.layers().get(hi - 1).spec() + "'";
    }

    /** {NNGP, NTK} of the image with itself under the first {@code count} layers, closed by flatten on a map. */
    private static double[] prefixSelf(Architecture arch, int count, ImageBatch x, double[] image) {
        Architecture probe = arch.prefixWithReadout(count, FeatureShape.image(x.height(), x.width(), x.channels()));
        return new KernelEngine(probe, 1).pair(image, image, x.height(), x.width(), x.channels());
    }

    /** 0 or 1 for the first of NNGP, NTK that is non-finite or below the smallest normal double; -1 if neither. */
    private static int bad(double[] k) {
        for (int kind = 0; kind < 2; kind++) {
            if (!Double.isFinite(k[kind]) || Math.abs(k[kind]) < Double.MIN_NORMAL) {
                return kind;
            }
        }
        return -1;
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
