package io.eqntk.kernel;

/**
 * Average pooling (k x k cells, stride k) of a kernel that arrives one displacement slice at a time (the hybrid
 * path of {@link SliceEvaluator}), into full blocks of the pooled grid.
 *
 * <p>Per axis, an entry at position t of a slice of displacement d (the pair t, t + d) lands in the cell pair
 * (T, T + D) with T = t / k: writing d = kD + e with |e| &lt; k, the offsets a = t - kT that reach D are those with
 * 0 &lt;= a + e &lt; k. So a slice adds to at most two pooled displacements D per axis, each as a regular sum over a
 * of the entries kT + a: a row pass (per target Dy, whole slice rows) and a column pass (per target Dx) that adds
 * into the pooled kernel, kept as displacement slices of the pooled grid and laid out as full blocks at the end.
 * Every inner loop is contiguous or a fixed stride; nothing is scattered.
 *
 * <p>With {@code lanes} L &gt; 1 it pools L pairs at once, entry e of pair l at e L + l in every array it takes and
 * keeps ({@link SliceEvaluator#runLanes}): each lane gets the additions of one pair, in the same order.
 */
final class SlicePooling {
    private final int k;
    /** Pairs pooled at once, one per lane of every entry (more than 1 only with the Vector API: {@link VectorPooling}). */
    private final int lanes;
    /** The grid before pooling (the slices' grid) and after. */
    private final int hm;
    private final int wm;
    private final int mh;
    private final int mw;
    /**
     * Per block, the pooled kernel as slices of pooled displacement (Dy, Dx), each (mh - |Dy|) x (mw - |Dx|): the
     * set of sums that slices are added to now ({@link #select}), one of two.
     */
    private double[][] sigma;
    private double[][] theta;
    /**
     * The two sets of sums [set][block][entry]: a pair's slices are pooled in two halves apart, so that the halves
     * can run on different workers and add up to the same bits ({@link SliceEvaluator#runHalf}).
     */
    private final double[][][] sigmaSets;
    private final double[][][] thetaSets;
    private final int[] offset;
    /** Row pass: [target][pooled row][column]. */
    private final double[] rowSigma;
    private final double[] rowTheta;
    /** Targets of the current slice per axis: (D, a0, a1) triples, at most two. */
    private final int[] targetsY = new int[6];
    private final int[] targetsX = new int[6];

    SlicePooling(int k, int hm, int wm, int blocks) {
        this(k, hm, wm, blocks, 1);
    }

    SlicePooling(int k, int hm, int wm, int blocks, int lanes) {
        this.k = k;
        if (lanes > 1 && !VectorPooling.fits(lanes)) {
            throw new IllegalArgumentException(lanes + " lanes are not whole double vectors");
        }
        this.lanes = lanes;
        this.hm = hm;
        this.wm = wm;
        this.mh = hm / k;
        this.mw = wm / k;
        this.offset = new int[(2 * mh - 1) * (2 * mw - 1)];
        int total = 0;
        for (int dy = 1 - mh; dy < mh; dy++) {
            for (int dx = 1 - mw; dx < mw; dx++) {
                offset[index(dy, dx)] = total;
                total += (mh - Math.abs(dy)) * (mw - Math.abs(dx));
            }
        }
        this.sigmaSets = new double[2][blocks][total * lanes];
        this.thetaSets = new double[2][blocks][total * lanes];
        select(0);
        this.rowSigma = new double[2 * mh * wm * lanes];
        this.rowTheta = new double[2 * mh * wm * lanes];
    }

    private int index(int dy, int dx) {
        return (dy + mh - 1) * (2 * mw - 1) + dx + mw - 1;
    }

    /** Clears both sets of block {@code block}. */
    void clear(int block) {
        for (int set = 0; set < 2; set++) {
            java.util.Arrays.fill(sigmaSets[set][block], 0.0);
            java.util.Arrays.fill(thetaSets[set][block], 0.0);
        }
    }

    /** Slices are added to set {@code set} (0 or 1) from now on. */
    void select(int set) {
        sigma = sigmaSets[set];
        theta = thetaSets[set];
    }

    /** A copy of set {@code set}'s sums of Σ (or of Θ), [block][entry]. */
    double[][] copyOf(int set, boolean ofTheta) {
        double[][] src = ofTheta ? thetaSets[set] : sigmaSets[set];
        double[][] copy = new double[src.length][];
        for (int g = 0; g < src.length; g++) {
            copy[g] = src[g].clone();
        }
        return copy;
    }

    /** Set 0 ← set 0 + set 1, and set 0 selected: the pooled kernel of both halves. */
    void addHalves() {
        sum(sigmaSets[0], sigmaSets[1], sigmaSets[0]);
        sum(thetaSets[0], thetaSets[1], thetaSets[0]);
        select(0);
    }

    /** Set 0 ← the sums of two halves computed elsewhere ({@link #copyOf}), and set 0 selected. */
    void addHalves(double[][] sigma0, double[][] sigma1, double[][] theta0, double[][] theta1) {
        sum(sigma0, sigma1, sigmaSets[0]);
        sum(theta0, theta1, thetaSets[0]);
        select(0);
    }

    private static void sum(double[][] a, double[][] b, double[][] out) {
        for (int g = 0; g < out.length; g++) {
            for (int i = 0; i < out[g].length; i++) {
                out[g][i] = a[g][i] + b[g][i];
            }
        }
    }

    /** The pooled displacements a slice displacement d reaches along an axis of m cells, as (D, a0, a1). */
    private int targets(int d, int m, int[] out) {
        int count = 0;
        for (int e = 1 - k; e < k; e++) {
            if (Math.floorMod(d - e, k) == 0) {
                int big = Math.floorDiv(d - e, k);
                if (Math.abs(big) < m) {
                    out[3 * count] = big;
                    out[3 * count + 1] = Math.max(0, -e);
                    out[3 * count + 2] = Math.min(k, k - e);
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Adds slice (dy, dx) of {@code block}, ly x lx entries row-major in {@code slice} (Σ, and Θ unless it is
     * zero), unscaled: {@link #finish} divides by k^4. Rows first (whole slice rows, contiguous), then columns on
     * the k times fewer summed rows.
     */
    void add(int block, int dy, int dx, int ly, int lx, Rows slice, boolean thetaZero) {
        int nx = targets(dx, mw, targetsX);
        int ny = targets(dy, mh, targetsY);
        int ox = Math.max(0, -dx);
        int oy = Math.max(0, -dy);
        for (int yt = 0; yt < ny; yt++) {
            rows(slice, false, rowSigma, yt, lx, oy);
            if (!thetaZero) {
                rows(slice, true, rowTheta, yt, lx, oy);
            }
            int rows = mh - Math.abs(targetsY[3 * yt]);
            for (int xt = 0; xt < nx; xt++) {
                int bigX = targetsX[3 * xt];
                int a0 = targetsX[3 * xt + 1];
                int width = targetsX[3 * xt + 2] - a0;
                int cols = mw - Math.abs(bigX);
                int out = offset[index(targetsY[3 * yt], bigX)];
                int base = k * Math.max(0, -bigX) - ox + a0;
                for (int r = 0; r < rows; r++) {
                    int src = (yt * mh + r) * wm + base;
                    columns(sigma[block], out + r * cols, rowSigma, src, cols, width);
                    if (!thetaZero) {
                        columns(theta[block], out + r * cols, rowTheta, src, cols, width);
                    }
                }
            }
        }
    }

    /**
     * Adds slice (dy, dx) of {@code block} for k = 2 (Myrtle's pooling). For an odd dx each cell pair of columns
     * has one column in each of two pooled displacements, and {@code s} (and {@code t} unless Θ is zero) hold the
     * slice's entries in double; for an even dx both columns go to one, and they hold the sums of neighbours
     * x[i] + x[i + 1] (flat loops over the whole slice). Then one pass per pooled displacement adds one entry per
     * cell of one or two rows.
     */
    void addPairs(int block, int dy, int dx, int lx, double[] s, double[] t, boolean thetaZero) {
        int nx = targets(dx, mw, targetsX);
        int ny = targets(dy, mh, targetsY);
        int ox = Math.max(0, -dx);
        int oy = Math.max(0, -dy);
        for (int yt = 0; yt < ny; yt++) {
            int bigY = targetsY[3 * yt];
            int rows = mh - Math.abs(bigY);
            int firstY = 2 * Math.max(0, -bigY) - oy + targetsY[3 * yt + 1];
            boolean twoRows = targetsY[3 * yt + 2] - targetsY[3 * yt + 1] == 2;
            for (int xt = 0; xt < nx; xt++) {
                int bigX = targetsX[3 * xt];
                int a0 = targetsX[3 * xt + 1];
                int cols = mw - Math.abs(bigX);
                int out = offset[index(bigY, bigX)];
                int firstX = 2 * Math.max(0, -bigX) - ox + a0;
                for (int r = 0; r < rows; r++) {
                    int i = (2 * r + firstY) * lx + firstX;
                    int o = out + r * cols;
                    addPair(sigma[block], o, s, i, twoRows ? lx : -1, cols);
                    if (!thetaZero) {
                        addPair(theta[block], o, t, i, twoRows ? lx : -1, cols);
                    }
                }
            }
        }
    }

    /** out[o + c] += in[i + 2 c] (+ in[i + next + 2 c] when next &gt;= 0), for c &lt; cols (entries of all lanes). */
    private void addPair(double[] out, int o, double[] in, int i, int next, int cols) {
        if (lanes > 1) {
            VectorPooling.addPair(out, o, in, i, next, cols, lanes);
            return;
        }
        if (next < 0) {
            for (int c = 0; c < cols; c++) {
                out[o + c] += in[i + 2 * c];
            }
        } else {
            int j = i + next;
            for (int c = 0; c < cols; c++) {
                out[o + c] += in[i + 2 * c] + in[j + 2 * c];
            }
        }
    }

    /**
     * A finished slice's rows, summed where it lies (the slice evaluator's own arrays, in its precision): Σ's, or
     * Θ's when {@code theta}, as {@link SliceEvaluator#poolRows} says.
     */
    interface Rows {
        void sum(boolean theta, int src, int count, int lx, double[] row, int dst);
    }

    /** Row pass for y target yt: row[yt][r][c] = sum over b of the slice's row k (r + max(0, -Dy)) + b - oy. */
    private void rows(Rows in, boolean theta, double[] row, int yt, int lx, int oy) {
        int bigY = targetsY[3 * yt];
        int rows = mh - Math.abs(bigY);
        int first = k * Math.max(0, -bigY) - oy;
        for (int r = 0; r < rows; r++) {
            int dst = (yt * mh + r) * wm;
            int src = (k * r + first + targetsY[3 * yt + 1]) * lx;
            in.sum(theta, src, targetsY[3 * yt + 2] - targetsY[3 * yt + 1], lx, row, dst);
        }
    }

    /**
     * out[o + c] += sum over a &lt; width of in[i + k c + a], for c &lt; cols, entries of all lanes: one term added,
     * or a sum from zero then added. (k = 2 pools through {@link #addPairs}, never here.)
     */
    private void columns(double[] out, int o, double[] in, int i, int cols, int width) {
        int n = lanes;
        for (int c = 0; c < cols; c++) {
            int oc = (o + c) * n;
            int ic = (i + k * c) * n;
            for (int l = 0; l < n; l++) {
                if (width == 1) {
                    out[oc + l] += in[ic + l];
                } else {
                    double acc = 0;
                    for (int a = 0; a < width; a++) {
                        acc += in[ic + a * n + l];
                    }
                    out[oc + l] += acc;
                }
            }
        }
    }

    /** Where the pooled slice (dy, dx) starts in {@link #sigma(int)} and {@link #theta(int)}, (mh - |dy|) x (mw - |dx|) row-major. */
    int sliceOffset(int dy, int dx) {
        return offset[index(dy, dx)];
    }

    /** Block {@code block}'s pooled Σ as slices, unscaled (times {@link #scale()} is the pooled kernel). */
    double[] sigma(int block) {
        return sigma[block];
    }

    double[] theta(int block) {
        return theta[block];
    }

    /** 1 / k^4, the factor of the sums. */
    double scale() {
        double kk = k;
        return 1.0 / (kk * kk * kk * kk);
    }

    /** Lays block {@code block}'s pooled kernel out as full blocks [T, U] of the pooled grid, times 1 / k^4. */
    void finish(int block, double[] outSigma, double[] outTheta, boolean thetaZero) {
        finish(block, 0, outSigma, outTheta, thetaZero);
    }

    /** {@link #finish} of lane {@code lane}. */
    void finish(int block, int lane, double[] outSigma, double[] outTheta, boolean thetaZero) {
        double scale = scale();
        int po = mh * mw;
        for (int dy = 1 - mh; dy < mh; dy++) {
            for (int dx = 1 - mw; dx < mw; dx++) {
                int src = offset[index(dy, dx)];
                int cols = mw - Math.abs(dx);
                for (int r = 0; r < mh - Math.abs(dy); r++) {
                    int ty = r + Math.max(0, -dy);
                    for (int c = 0; c < cols; c++) {
                        int tx = c + Math.max(0, -dx);
                        int o = (ty * mw + tx) * po + (ty + dy) * mw + tx + dx;
                        int e = (src + r * cols + c) * lanes + lane;
                        outSigma[o] = scale * sigma[block][e];
                        outTheta[o] = thetaZero ? 0 : scale * theta[block][e];
                    }
                }
            }
        }
    }
}
