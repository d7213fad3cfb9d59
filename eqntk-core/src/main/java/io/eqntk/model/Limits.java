package io.eqntk.model;

import io.eqntk.EqntkException;

import java.util.Locale;

/**
 * Bounds on every size a user can give, each checked before any work with a message that names the argument,
 * the limit and what the size would imply. The bounds are generous for real use (a 32x32 image, a network of
 * a few dozen layers) and stop requests that could only exhaust memory or run for days.
 */
public final class Limits {
    /**
     * Layers of an architecture after expanding repeats. Work and the per-image statistics every nonlinearity
     * keeps grow linearly with depth; networks far deeper than this also drift to a constant kernel.
     */
    public static final int MAX_LAYERS = 1000;
    /** Side of an image (after resizing): one pair of n x n images has n^4 kernel entries per layer. */
    public static final int MAX_IMAGE_SIDE = io.eqntk.data.Images.MAX_SIDE;
    /** Kernel entries times layers for one pair of images: about a quarter of an hour at 1 ns per entry. */
    public static final double MAX_PAIR_WORK = 1e12;
    /** Input magnitude: squares and sums of squares must stay far from the largest double (1.8e308). */
    public static final double MAX_INPUT_MAGNITUDE = 1e100;

    private Limits() {
    }

    /**
     * The repeat count of {@code [ ... ]*N}: {@code digits} as written, {@code groupLayers} the layers in the
     * group, {@code before} the layers already expanded in the enclosing group.
     */
    public static int repeatCount(String digits, int groupLayers, int before) {
        long n = digits.length() > 12 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (n < 1) {
            throw new ArchitectureException("repeat count must be at least 1");
        }
        long total = before + (long) groupLayers * Math.min(n, Integer.MAX_VALUE);
        if (total > MAX_LAYERS || n > MAX_LAYERS) {
            throw new ArchitectureException("repeat count " + digits + " of " + groupLayers + " layer"
                + (groupLayers == 1 ? "" : "s") + " gives " + (n > Integer.MAX_VALUE ? "more than 2^31" : total)
                + " layers; at most " + MAX_LAYERS + " are allowed (work and per-image statistics grow with depth)");
        }
        return (int) n;
    }

    /** The number of layers of an architecture. */
    public static void depth(int layers) {
        if (layers > MAX_LAYERS) {
            throw new ArchitectureException("the architecture has " + layers + " layers; at most " + MAX_LAYERS
                + " are allowed (work and per-image statistics grow with depth)");
        }
    }

    /** Bytes of the padded buffers one stencil may need per worker. */
    public static final double MAX_STENCIL_BYTES = 1e9;

    /**
     * A q x q filter on an input of {@code in}: VALID needs q at most the input side. SAME and CIRCULAR accept
     * any q (the NTK parameterisation divides by the fan-in q^2 C, so even taps that never reach the input
     * change the kernel), up to the memory of the padded buffers: q masks of the (h + q - 1) x (w + q - 1) grid.
     */
    public static void filter(int q, Padding padding, FeatureShape in) {
        String input = in.height() + "x" + in.width();
        if (padding == Padding.VALID) {
            if (q > in.height() || q > in.width()) {
                throw new ArchitectureException("filter " + q + "x" + q + " is larger than its VALID input " + input
                    + " (VALID would leave nothing)");
            }
            return;
        }
        double padded = (double) q * (in.height() + q - 1) * (in.width() + q - 1) * 8;
        if (padded > MAX_STENCIL_BYTES) {
            int reach = Math.max(in.height(), in.width()) - 1;
            throw new ArchitectureException("filter " + q + "x" + q + " on the " + input + " input: the padded buffers"
                + " of a " + padding + " stencil would need " + bytes(padded) + ", above the limit of "
                + bytes(MAX_STENCIL_BYTES) + " (taps farther than " + reach + " from the centre never reach the "
                + "input: at most " + (2 * reach + 1) + " reads all of it)");
        }
    }

    /** An image side given on the command line ({@code --image-size}); 0 means the images' own size. */
    public static void imageSide(String option, int n) {
        if (n < 0) {
            throw new EqntkException(option + " must not be negative, got " + n);
        }
        if (n > MAX_IMAGE_SIDE) {
            throw new EqntkException(option + " " + n + " is above the limit of " + MAX_IMAGE_SIDE + ": one pair of "
                + n + "x" + n + " images has " + sci(Math.pow(n, 4)) + " kernel entries per layer");
        }
    }

    /**
     * The work and memory of one pair of images [h, w] through {@code layers} operations on at most {@code groupOrder}
     * blocks: {@code diagonalOnly} for the diagonal
     * path (h w entries per layer), else (h w)^2 |G| entries per layer; {@code fullBlocks} when every worker
     * holds whole blocks of that size ({@code threads} workers, five arrays each).
     */
    public static void pairWork(int groupOrder, int layers, int h, int w, boolean diagonalOnly, boolean fullBlocks,
                                int threads) {
        if (h > MAX_IMAGE_SIDE || w > MAX_IMAGE_SIDE) {
            throw new EqntkException("images of " + h + "x" + w + " are above the limit of " + MAX_IMAGE_SIDE
                + " per side (resize them with --image-size)");
        }
        double positions = (double) h * w;
        double entries = diagonalOnly ? positions : positions * positions * groupOrder;
        double work = entries * layers;
        if (work > MAX_PAIR_WORK) {
            throw new EqntkException("one pair of " + h + "x" + w + " images needs " + sci(work) + " kernel-entry "
                + "updates (" + sci(entries) + " entries x " + layers + " layers), above the limit of "
                + sci(MAX_PAIR_WORK) + " (about a quarter of an hour per pair): use smaller images or fewer layers");
        }
        if (fullBlocks) {
            double need = positions * positions * (2.0 * groupOrder + 3) * 8 * threads;
            long have = Runtime.getRuntime().maxMemory();
            if (need > have) {
                throw new EqntkException("the full-block kernel of " + h + "x" + w + " images needs " + bytes(need)
                    + " of buffers (" + threads + " thread" + (threads == 1 ? "" : "s") + "), more than the "
                    + bytes(have) + " of memory available: use smaller images or fewer threads");
            }
        }
    }

    /**
     * The full-block buffers of a network with branches nested {@code depth} deep: besides the state, each level
     * keeps its input and the sum of its branches, Σ and Θ for every block.
     */
    public static void fullBlockBranches(int groupOrder, int depth, int h, int w, int threads) {
        double positions = (double) h * w;
        double need = positions * positions * (2.0 * groupOrder + 3 + 4.0 * groupOrder * depth) * 8 * threads;
        long have = Runtime.getRuntime().maxMemory();
        if (need > have) {
            throw new EqntkException("the full-block kernel of " + h + "x" + w + " images with branches nested " + depth
                + " deep needs " + bytes(need) + " of buffers (" + threads + " thread" + (threads == 1 ? "" : "s")
                + "), more than the " + bytes(have) + " of memory available: use smaller images or fewer threads");
        }
    }

    /** A matrix of {@code rows} x {@code cols} pairs of doubles (NNGP and NTK), {@code copies} times over. */
    public static void matrix(String what, long rows, long cols, int copies) {
        long entries = rows * cols;
        if (entries > Integer.MAX_VALUE - 8) {
            throw new EqntkException(what + ": a " + rows + " x " + cols + " kernel matrix has more entries than one "
                + "Java array holds (2^31)");
        }
        double need = 16.0 * entries * copies;
        long have = Runtime.getRuntime().maxMemory();
        if (need > have) {
            throw new EqntkException(what + ": a " + rows + " x " + cols + " kernel matrix needs " + bytes(need)
                + ", more than the " + bytes(have) + " of memory available");
        }
    }

    /** A store block side: one block of NNGP and NTK must fit in memory and in one array. */
    public static void blockSize(String option, int n) {
        if (n < 1) {
            throw new EqntkException(option + " must be at least 1, got " + n);
        }
        if (n > 8192) {
            throw new EqntkException(option + " " + n + " is above the limit of 8192 (a block of " + n + " x " + n
                + " NNGP and NTK entries would take " + bytes(16.0 * n * n) + " in memory and on disk)");
        }
    }

    /** A count that must lie in [min, max], with the reason for the maximum. */
    public static void count(String option, long n, long min, long max, String whyMax) {
        if (n < min) {
            throw new EqntkException(option + " must be at least " + min + ", got " + n);
        }
        if (n > max) {
            throw new EqntkException(option + " " + n + " is above the limit of " + max + " (" + whyMax + ")");
        }
    }

    /**
     * Largest absolute value of an input batch: above {@link #MAX_INPUT_MAGNITUDE} the input kernel's products
     * and sums could overflow to infinity.
     */
    public static void inputMagnitude(String what, double[] values, int imageSize) {
        for (int i = 0; i < values.length; i++) {
            if (Math.abs(values[i]) > MAX_INPUT_MAGNITUDE) {
                int img = i / imageSize;
                throw new EqntkException(what + ": image " + img + " has the value " + values[i] + " at flat index "
                    + (i - img * imageSize) + "; the kernels need |x| <= " + sci(MAX_INPUT_MAGNITUDE)
                    + " (products of inputs would overflow): rescale the inputs");
            }
        }
    }

    static String sci(double v) {
        return String.format(Locale.ROOT, "%.1e", v);
    }

    /** Bytes in the largest fitting unit. */
    public static String bytes(double b) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
        int u = 0;
        while (b >= 1000 && u < units.length - 1) {
            b /= 1000;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f %s", b, units[u])
            : String.format(Locale.ROOT, "%.3g %s", b, units[u]);
    }
}
