package io.eqntk.finite;

import io.eqntk.model.FeatureShape;
import io.eqntk.model.Padding;
import io.eqntk.model.Subsampling;
import io.eqntk.group.PointGroup;

/**
 * The finite face shared by convolution, lifting and group convolution (KERNELS.md §3):
 * {@code f(h, t, o) = W_std/sqrt(fan_in) sum_{c, s, b} w_{o,c}(h^-1 s, h^-1 b) g_c(s, t + b) + b_std bias_o}
 * with s ranging over the input's group copies (one for an image: then it is a lifting convolution, and with
 * the trivial group an ordinary convolution). fan_in = C_in * |G_in| * q^2.
 *
 * <p>The filter of each output element h is the base filter transformed by h; forward and backward run an
 * ordinary convolution with it and map gradients back through the same index table.
 *
 * <p>Batched face: with the group axis folded into the channels, the layer is one ordinary convolution with
 * L = |G_in| C_in input and N = |G| C_out output channels, whose K x N filter bank (K = q^2 L) is built once per
 * step from the base filter. Forward is a patch matrix (im2col, by array copies) times the bank; dL/d(bank) is
 * the patch matrix transposed times dL/dy; dL/dx is dL/dy times the bank transposed, added back onto the input
 * positions the patches came from (col2im, in a fixed order). Products go to BLAS.
 */
public final class FiniteGroupConvolution implements BatchedLayer {
    /** Entries of the patch matrix built at a time (a chunk of images), about 16 MB in float64. */
    private static final int CHUNK_ENTRIES = 1 << 21;
    /** Values of a per-sample gradient block, and of a bank-gradient slice, at most (about 32 MB in float64). */
    private static final long PER_SAMPLE_BLOCK = 1 << 22;

    private final FeatureShape in;
    private final FeatureShape out;
    private final PointGroup group;
    private final int q;
    private final Padding pad;
    private final double scale;
    private final double bStd;
    private final boolean bias;
    private final int gin;
    private final int cin;
    private final int cout;
    /** source[h][s * q*q + bIdx] = index (s', b') of the base filter entry used by element h at (s, b). */
    private final int[][] source;
    /** Batched geometry: positions, run lengths L (input) and N (output), patch width K. */
    private final int posIn;
    private final int posOut;
    private final int runIn;
    private final int runOut;
    private final int patch;
    /** fwdSrc[po * q*q + b]: the input position read by output position po at offset b, or -1 (padding). */
    private final int[] fwdSrc;
    /** Stride, and the input position of output 0's filter centre on each axis (minus o·stride for output o). */
    private final int stride;
    private final int rowOrigin;
    private final int colOrigin;
    /** Standard deviations of the drawn weights and biases: 1 in the NTK parameterisation. */
    private final double initW;
    private final double initB;

    public FiniteGroupConvolution(FeatureShape in, FeatureShape out, PointGroup group, int q, Padding pad,
                                  double wStd, Double bStd) {
        this(in, out, group, q, pad, wStd, bStd, 1, -1);
    }

    /**
     * With a stride (output o reads the window starting at o·stride - padBefore, {@link Subsampling}) and, for
     * {@code baseWidth >= 0}, the standard parameterisation: weights drawn N(0, W_std² / (n |G_in| q²)) with n the
     * base input width (0: the input's own channels), biases N(0, b_std²), the product divided by sqrt(C_in / n).
     * {@code baseWidth} -1 is the NTK parameterisation.
     */
    public FiniteGroupConvolution(FeatureShape in, FeatureShape out, PointGroup group, int q, Padding pad,
                                  double wStd, Double bStd, int stride, int baseWidth) {
        this.in = in;
        this.out = out;
        this.group = group;
        this.q = q;
        this.pad = pad;
        this.gin = in.groupSize();
        this.cin = in.channels();
        this.cout = out.channels();
        this.bias = bStd != null;
        this.stride = stride;
        int r = (q - 1) / 2;
        if (pad == Padding.SAME) {
            rowOrigin = r - new Subsampling(in.height(), q, stride, true).padBefore();
            colOrigin = r - new Subsampling(in.width(), q, stride, true).padBefore();
        } else {
            rowOrigin = pad.offset(q);
            colOrigin = pad.offset(q);
        }
        if (baseWidth < 0) {
            this.scale = wStd / Math.sqrt((double) cin * gin * q * q);
            this.bStd = bStd == null ? 0 : bStd;
            this.initW = 1;
            this.initB = 1;
        } else {
            int n = baseWidth == 0 ? cin : baseWidth;
            this.scale = 1 / Math.sqrt((double) cin / n);
            this.bStd = 1;
            this.initW = wStd / Math.sqrt((double) n * gin * q * q);
            this.initB = bStd == null ? 0 : bStd;
        }
        int qq = q * q;
        source = new int[group.order()][gin * qq];
        for (int h = 0; h < group.order(); h++) {
            int hinv = group.inverse(h);
            for (int s = 0; s < gin; s++) {
                int sSrc = gin > 1 ? group.multiply(hinv, s) : 0;
                for (int bi = -r; bi <= r; bi++) {
                    for (int bj = -r; bj <= r; bj++) {
                        int ti = group.actRow(hinv, bi, bj);
                        int tj = group.actCol(hinv, bi, bj);
                        source[h][s * qq + (bi + r) * q + (bj + r)] = sSrc * qq + (ti + r) * q + (tj + r);
                    }
                }
            }
        }
        posIn = in.height() * in.width();
        posOut = out.height() * out.width();
        runIn = gin * cin;
        runOut = group.order() * cout;
        patch = qq * runIn;
        fwdSrc = new int[posOut * qq];
        for (int oi = 0; oi < out.height(); oi++) {
            for (int oj = 0; oj < out.width(); oj++) {
                int po = oi * out.width() + oj;
                for (int bi = 0; bi < q; bi++) {
                    for (int bj = 0; bj < q; bj++) {
                        int ii = inputIndex(oi, bi - r, in.height(), rowOrigin);
                        int jj = inputIndex(oj, bj - r, in.width(), colOrigin);
                        int b = bi * q + bj;
                        fwdSrc[po * qq + b] = ii < 0 || jj < 0 ? -1 : ii * in.width() + jj;
                    }
                }
            }
        }
    }

    @Override
    public FeatureShape inputShape() {
        return in;
    }

    @Override
    public FeatureShape outputShape() {
        return out;
    }

    @Override
    public int parameterCount() {
        return cout * cin * gin * q * q + (bias ? cout : 0);
    }

    /** Weight layout: [cout][cin][gin * q*q]; then the bias [cout]. */
    private int weightIndex(int o, int c, int sb) {
        return (o * cin + c) * gin * q * q + sb;
    }

    /** Transformed filters, laid out [h][s*q*q + b][c][o] and already scaled. */
    private double[] transformedFilters(double[] params, int off) {
        int g = group.order();
        int sbCount = gin * q * q;
        double[] wt = new double[g * sbCount * cin * cout];
        for (int h = 0; h < g; h++) {
            for (int sb = 0; sb < sbCount; sb++) {
                int src = source[h][sb];
                int base = ((h * sbCount + sb) * cin) * cout;
                for (int c = 0; c < cin; c++) {
                    for (int o = 0; o < cout; o++) {
                        wt[base + c * cout + o] = scale * params[off + weightIndex(o, c, src)];
                    }
                }
            }
        }
        return wt;
    }

    @Override
    public void init(double[] params, int off, java.util.Random rng) {
        int weights = cout * cin * gin * q * q;
        for (int i = 0; i < parameterCount(); i++) {
            params[off + i] = (i < weights ? initW : initB) * rng.nextGaussian();
        }
    }

    /** Input position along an axis for output position o and offset k, or -1 outside (zero padding). */
    private int inputIndex(int o, int k, int n, int origin) {
        int i = o * stride + origin + k;
        if (pad == Padding.CIRCULAR) {
            return Math.floorMod(i, n);
        }
        return i < 0 || i >= n ? -1 : i;
    }

    @Override
    public void forward(double[] params, int off, double[] x, double[] y) {
        double[] wt = transformedFilters(params, off);
        int g = group.order();
        int h0 = in.height(), w0 = in.width();
        int ho = out.height(), wo = out.width();
        int r = (q - 1) / 2;
        int qq = q * q;
        int sbCount = gin * qq;
        int biasOff = off + cout * cin * gin * qq;
        for (int h = 0; h < g; h++) {
            for (int oi = 0; oi < ho; oi++) {
                for (int oj = 0; oj < wo; oj++) {
                    int yb = ((h * ho + oi) * wo + oj) * cout;
                    for (int o = 0; o < cout; o++) {
                        y[yb + o] = bias ? bStd * params[biasOff + o] : 0;
                    }
                    for (int s = 0; s < gin; s++) {
                        for (int bi = -r; bi <= r; bi++) {
                            int ii = inputIndex(oi, bi, h0, rowOrigin);
                            if (ii < 0) {
                                continue;
                            }
                            for (int bj = -r; bj <= r; bj++) {
                                int jj = inputIndex(oj, bj, w0, colOrigin);
                                if (jj < 0) {
                                    continue;
                                }
                                int xb = ((s * h0 + ii) * w0 + jj) * cin;
                                int wb = (h * sbCount + s * qq + (bi + r) * q + (bj + r)) * cin * cout;
                                for (int c = 0; c < cin; c++) {
                                    double v = x[xb + c];
                                    if (v == 0) {
                                        continue;
                                    }
                                    int wr = wb + c * cout;
                                    for (int o = 0; o < cout; o++) {
                                        y[yb + o] += wt[wr + o] * v;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void backward(double[] params, int off, double[] x, double[] y, double[] gy,
                         double[] gradParams, double[] gx) {
        double[] wt = transformedFilters(params, off);
        double[] gwt = new double[wt.length];
        java.util.Arrays.fill(gx, 0, in.size(), 0.0);
        int g = group.order();
        int h0 = in.height(), w0 = in.width();
        int ho = out.height(), wo = out.width();
        int r = (q - 1) / 2;
        int qq = q * q;
        int sbCount = gin * qq;
        int biasOff = cout * cin * gin * qq;
        for (int h = 0; h < g; h++) {
            for (int oi = 0; oi < ho; oi++) {
                for (int oj = 0; oj < wo; oj++) {
                    int yb = ((h * ho + oi) * wo + oj) * cout;
                    if (bias) {
                        for (int o = 0; o < cout; o++) {
                            gradParams[off + biasOff + o] += bStd * gy[yb + o];
                        }
                    }
                    for (int s = 0; s < gin; s++) {
                        for (int bi = -r; bi <= r; bi++) {
                            int ii = inputIndex(oi, bi, h0, rowOrigin);
                            if (ii < 0) {
                                continue;
                            }
                            for (int bj = -r; bj <= r; bj++) {
                                int jj = inputIndex(oj, bj, w0, colOrigin);
                                if (jj < 0) {
                                    continue;
                                }
                                int xb = ((s * h0 + ii) * w0 + jj) * cin;
                                int wb = (h * sbCount + s * qq + (bi + r) * q + (bj + r)) * cin * cout;
                                for (int c = 0; c < cin; c++) {
                                    double v = x[xb + c];
                                    int wr = wb + c * cout;
                                    double acc = 0;
                                    for (int o = 0; o < cout; o++) {
                                        double go = gy[yb + o];
                                        gwt[wr + o] += go * v;
                                        acc += wt[wr + o] * go;
                                    }
                                    gx[xb + c] += acc;
                                }
                            }
                        }
                    }
                }
            }
        }
        // d(out)/d(base weight) sums over every (h, s, b) that reads it
        for (int h = 0; h < g; h++) {
            for (int sb = 0; sb < sbCount; sb++) {
                int src = source[h][sb];
                int base = ((h * sbCount + sb) * cin) * cout;
                for (int c = 0; c < cin; c++) {
                    for (int o = 0; o < cout; o++) {
                        gradParams[off + weightIndex(o, c, src)] += scale * gwt[base + c * cout + o];
                    }
                }
            }
        }
    }

    /** The per-step state of the batched face: the filter bank, the bias row, a run of zeros. */
    private record Bank(Object w, Object biasRow, Object zeros) {
    }

    /**
     * The scaled base filter as runs of C_out values, [s' q² + b'][c][o] = scale w_{o,c}(s', b'): each bank row
     * is a copy of such runs, so the bank is built by array copies from one strided pass over the parameters.
     */
    private double[] baseRuns(double[] params, int off) {
        int sbCount = gin * q * q;
        double[] runs = new double[sbCount * cin * cout];
        // o innermost: contiguous writes, and the reads of one (c, sb) share cache lines with those of sb + 1
        for (int c = 0; c < cin; c++) {
            for (int sb = 0; sb < sbCount; sb++) {
                int to = (sb * cin + c) * cout;
                for (int o = 0; o < cout; o++) {
                    runs[to + o] = scale * params[off + weightIndex(o, c, sb)];
                }
            }
        }
        return runs;
    }

    /** Calls {@code run(base run, bank offset)} for every run of C_out values of the K x N bank. */
    private void forEachBankRun(RunPair run) {
        int qq = q * q;
        for (int h = 0; h < group.order(); h++) {
            for (int s = 0; s < gin; s++) {
                for (int b = 0; b < qq; b++) {
                    int src = source[h][s * qq + b];
                    int row = (b * runIn + s * cin) * runOut + h * cout;
                    for (int c = 0; c < cin; c++) {
                        run.accept((src * cin + c) * cout, row + c * runOut);
                    }
                }
            }
        }
    }

    private interface RunPair {
        void accept(int baseAt, int bankAt);
    }

    @Override
    public Object prepare(Compute c, double[] params, int off) {
        Floats f = c.floats();
        double[] biasRow = new double[runOut];
        for (int n = 0; n < runOut; n++) {
            biasRow[n] = bias ? bStd * params[off + cout * cin * gin * q * q + n % cout] : 0;
        }
        // bank[(b L + s C_in + c) N + h C_out + o] = scale w_{o,c}(source[h](s, b))
        Object runs = f.adopt(baseRuns(params, off));
        Object bank = f.alloc(patch * runOut);
        forEachBankRun((baseAt, bankAt) -> System.arraycopy(runs, baseAt, bank, bankAt, cout));
        return new Bank(bank, f.adopt(biasRow), f.alloc(runIn));
    }

    /** Images per chunk so that a patch matrix of {@code rowsPerImage} x {@code width} stays near CHUNK_ENTRIES. */
    private static int chunk(int n, int rowsPerImage, int width) {
        return (int) Math.max(1, Math.min(n, CHUNK_ENTRIES / Math.max(1L, (long) rowsPerImage * width)));
    }

    /**
     * Copies the runs of {@code src} named by {@code table} (entries per row, -1 for zeros) for images
     * [i0, i0 + count): row (i, p) of {@code dst} is the concatenation over t of src run table[p * per + t].
     */
    private static void gather(Object src, int i0, int count, int srcPerImage, int rows, int[] table, int per,
                               int run, Object zeros, Object dst) {
        gather(src, i0, 0, count, srcPerImage, rows, table, per, run, zeros, dst);
    }

    /** {@link #gather} of images [i0 + from, i0 + to) only (their rows of dst). */
    private static void gather(Object src, int i0, int from, int to, int srcPerImage, int rows, int[] table,
                               int per, int run, Object zeros, Object dst) {
        int width = per * run;
        for (int i = from; i < to; i++) {
            int base = (i0 + i) * srcPerImage;
            for (int p = 0; p < rows; p++) {
                int d = (i * rows + p) * width;
                for (int t = 0; t < per; t++) {
                    int s = table[p * per + t];
                    if (s >= 0) {
                        System.arraycopy(src, base + s * run, dst, d + t * run, run);
                    } else {
                        System.arraycopy(zeros, 0, dst, d + t * run, run);
                    }
                }
            }
        }
    }

    /** The patch matrix of images [i0, i0 + count) of x into cols, the images shared among the pass's threads. */
    private void im2col(Compute c, Object x, int i0, int count, Object zeros, Object cols) {
        Workers.ranges(c.threads(), count, count, (from, to) ->
            gather(x, i0, from, to, posIn * runIn, posOut, fwdSrc, q * q, runIn, zeros, cols));
    }

    /** Adds the patch gradients dcols of images [i0, i0 + count) back onto their input positions in gx. */
    private void col2im(Compute c, Object dcols, int i0, int count, Object gx) {
        Floats f = c.floats();
        int qq = q * q;
        Workers.ranges(c.threads(), count, count, (from, to) -> {
            for (int i = from; i < to; i++) {
                int base = (i0 + i) * posIn * runIn;
                for (int p = 0; p < posOut; p++) {
                    for (int b = 0; b < qq; b++) {
                        int src = fwdSrc[p * qq + b];
                        if (src >= 0) {
                            f.addScaled(dcols, ((i * posOut + p) * qq + b) * runIn, gx, base + src * runIn, runIn, 1);
                        }
                    }
                }
            }
        });
    }

    @Override
    public void forward(Compute c, Object prepared, Object x, Object y, int n) {
        Bank bank = (Bank) prepared;
        Floats f = c.floats();
        int step = chunk(n, posOut, patch);
        Object cols = f.alloc(step * posOut * patch);
        for (int i0 = 0; i0 < n; i0 += step) {
            int count = Math.min(step, n - i0);
            im2col(c, x, i0, count, bank.zeros(), cols);
            int yOff = i0 * posOut * runOut;
            if (bias) {
                for (int row = 0; row < count * posOut; row++) {
                    System.arraycopy(bank.biasRow(), 0, y, yOff + row * runOut, runOut);
                }
            }
            f.gemm(c.blas(), c.threads(), false, false, count * posOut, runOut, patch, 1, cols, 0, patch,
                bank.w(), 0, runOut, bias ? 1 : 0, y, yOff, runOut);
        }
    }

    /**
     * Adds the base-filter gradient of a bank gradient (K x N, in the pass's precision) into dst[at, ...), and the
     * bias's: the bank's runs are summed in double onto the base runs they were copied from, then scaled once.
     */
    private void addBaseGradient(Floats f, Object bankGrad, double[] columnSums, double[] dst, int at) {
        int sbCount = gin * q * q;
        double[] runs = new double[sbCount * cin * cout];
        forEachBankRun((baseAt, bankAt) -> f.addToDouble(bankGrad, bankAt, runs, baseAt, cout, 1));
        for (int c = 0; c < cin; c++) {
            for (int sb = 0; sb < sbCount; sb++) {
                int from = (sb * cin + c) * cout;
                for (int o = 0; o < cout; o++) {
                    dst[at + weightIndex(o, c, sb)] += scale * runs[from + o];
                }
            }
        }
        if (bias) {
            int biasOff = at + cout * cin * sbCount;
            for (int n = 0; n < runOut; n++) {
                dst[biasOff + n % cout] += bStd * columnSums[n];
            }
        }
    }

    /** Sums over rows [r0, r1) of the N-wide rows of gy, in double. */
    private static double[] columnSums(Floats f, Object gy, int r0, int r1, int width) {
        double[] s = new double[width];
        for (int r = r0; r < r1; r++) {
            f.addToDouble(gy, r * width, s, 0, width, 1);
        }
        return s;
    }

    @Override
    public void backward(Compute c, Object prepared, Object x, Object y, Object gy, Object gx, int n,
                         double[] gradParams, int off) {
        Bank bank = (Bank) prepared;
        Floats f = c.floats();
        int step = chunk(n, posOut, patch);
        if (gradParams != null) {
            // patch values of slack: the product below reads cols transposed and is cut into row blocks
            Object cols = f.alloc(step * posOut * patch + patch);
            Object bankGrad = f.alloc(patch * runOut);
            for (int i0 = 0; i0 < n; i0 += step) {
                int count = Math.min(step, n - i0);
                im2col(c, x, i0, count, bank.zeros(), cols);
                f.gemm(c.blas(), c.threads(), true, false, patch, runOut, count * posOut, 1, cols, 0, patch,
                    gy, i0 * posOut * runOut, runOut, i0 == 0 ? 0 : 1, bankGrad, 0, runOut);
            }
            addBaseGradient(f, bankGrad, bias ? columnSums(f, gy, 0, n * posOut, runOut) : null, gradParams, off);
        }
        if (gx == null) {
            return;
        }
        f.clear(gx, 0, n * posIn * runIn);
        Object dcols = f.alloc(step * posOut * patch);
        for (int i0 = 0; i0 < n; i0 += step) {
            int count = Math.min(step, n - i0);
            f.gemm(c.blas(), c.threads(), false, true, count * posOut, patch, runOut, 1, gy, i0 * posOut * runOut,
                runOut, bank.w(), 0, runOut, 0, dcols, 0, patch);
            col2im(c, dcols, i0, count, gx);
        }
    }

    @Override
    public double productFlops(boolean inputGradient) {
        double one = 2.0 * posOut * patch * runOut;
        return (inputGradient ? 3 : 2) * one;
    }

    @Override
    public void perSample(Compute c, Object prepared, Object x, Object gy, int n, double[] rows) {
        int params = parameterCount();
        perSampleBlocks(c, prepared, x, gy, n, (at, len, block) -> {
            for (int i = 0; i < n; i++) {
                System.arraycopy(block, i * len, rows, i * params + at, len);
            }
        });
    }

    /**
     * Per-sample gradients a block of output channels at a time ([o][c][s b] makes a block of o contiguous), then
     * the bias: for each image and group element h, the patch matrix transposed times dL/dy's columns h C_out + o
     * of the block, folded onto the base filter. So neither the K x N bank gradient nor n x parameterCount()
     * rows are ever held: a D4 layer of width 512 has a 1.2 GB bank gradient and 151 MB of parameters per
     * image in float64, a block here at most about 2^22 values of each.
     */
    @Override
    public void perSampleBlocks(Compute c, Object prepared, Object x, Object gy, int n, GradientRows blocks) {
        perSampleBlocks(c, prepared, x, gy, n, blocks, PER_SAMPLE_BLOCK);
    }

    /** {@link #perSampleBlocks} with blocks of about {@code maxValues} values (tests cut them small). */
    void perSampleBlocks(Compute c, Object prepared, Object x, Object gy, int n, GradientRows blocks,
                         long maxValues) {
        Bank bank = (Bank) prepared;
        Floats f = c.floats();
        int qq = q * q;
        int perO = cin * gin * qq;
        int oc = (int) Math.max(1, Math.min(cout, maxValues / Math.max((long) n * perO, patch)));
        // patch values of slack: the product reads cols transposed and may be cut into row blocks
        Object cols = f.alloc(posOut * patch + patch);
        Object slice = f.alloc(patch * oc);
        Object gyBlock = f.alloc(posOut * oc);
        double[] sliceD = null;
        double[] rows = new double[n * oc * perO];
        for (int o0 = 0; o0 < cout; o0 += oc) {
            int width = Math.min(oc, cout - o0);
            int len = width * perO;
            java.util.Arrays.fill(rows, 0, n * len, 0.0);
            for (int i = 0; i < n; i++) {
                gather(x, i, 1, posIn * runIn, posOut, fwdSrc, qq, runIn, bank.zeros(), cols);
                for (int h = 0; h < group.order(); h++) {
                    // the block's columns of dL/dy, packed (netlib wants a whole last row inside the array)
                    for (int pos = 0; pos < posOut; pos++) {
                        System.arraycopy(gy, (i * posOut + pos) * runOut + h * cout + o0, gyBlock, pos * width, width);
                    }
                    f.gemm(c.blas(), c.threads(), true, false, patch, width, posOut, 1, cols, 0, patch,
                        gyBlock, 0, width, 0, slice, 0, width);
                    sliceD = f.view(slice, patch * width, sliceD);
                    foldSlice(h, sliceD, width, rows, i * len);
                }
            }
            blocks.accept(o0 * perO, len, rows);
        }
        if (bias) {
            double[] b = new double[n * cout];
            for (int i = 0; i < n; i++) {
                double[] sums = columnSums(f, gy, i * posOut, (i + 1) * posOut, runOut);
                for (int m = 0; m < runOut; m++) {
                    b[i * cout + m % cout] += bStd * sums[m];
                }
            }
            blocks.accept(cout * perO, cout, b);
        }
    }

    /**
     * Adds group element h's share of a bank-gradient slice (K x width: the columns h C_out + o0 ..) onto the
     * base-filter gradient rows[at + (o c + c) |G_in| q² + source], o relative to the block.
     */
    private void foldSlice(int h, double[] slice, int width, double[] rows, int at) {
        int qq = q * q;
        int sbCount = gin * qq;
        for (int s = 0; s < gin; s++) {
            for (int b = 0; b < qq; b++) {
                int src = source[h][s * qq + b];
                for (int c = 0; c < cin; c++) {
                    int from = (b * runIn + s * cin + c) * width;
                    int to = at + c * sbCount + src;
                    for (int o = 0; o < width; o++) {
                        rows[to + o * cin * sbCount] += scale * slice[from + o];
                    }
                }
            }
        }
    }
}
