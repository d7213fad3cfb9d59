package io.eqntk.kernel;

import java.util.Arrays;

/**
 * Evaluates the spatial part of a network ({@link SlicePlan}) for one pair of images, one displacement slice at
 * a time: for each group element g and displacement d = (dy, dx), the entries T_g(t, t + d) over the positions t
 * where both t and t + d lie on the grid, a (h - |dy|) x (w - |dx|) array stored row-major. The slice starts as
 * the input kernel K0(t, g·(t + d)) (the lift's move into g's frame), then every stencil is a box sum over the
 * slice with zeros outside (SAME) or a shrinking window (VALID), and every nonlinearity maps entries with the
 * variances of the first input at t and the second at g·(t + d). The pooled NNGP and NTK are the means over all
 * slices. One instance is a per-thread workspace; nothing is allocated per pair except the recorded variances of
 * a self pair.
 *
 * <p>The zero-displacement slice of the identity block is the diagonal t = t': a self pair runs it first and
 * records the self-variances every nonlinearity needs ({@link SelfStats}).
 */
final class SliceEvaluator {
    private final SlicePlan plan;
    private final boolean vector;
    private final int channels;
    private final int base;
    private final double[] sig;
    private final double[] th;
    private final double[] tmpS;
    private final double[] tmpT;
    /** mask[R + k][i] = 1 when column (i mod maskWidth) + k lies in a row of maskWidth entries, R the largest radius. */
    private final double[][] mask;
    /** maskView[r] = mask[R - r .. R + r], the masks a stencil of radius r reads. */
    private final double[][][] maskView;
    private int maskWidth = -1;
    /** Images channel-major, [c][position]; imgBg is the second image moved into block g's frame. */
    private final double[][] imgA;
    private final double[][] imgB;
    private final double[][] imgBg;
    /** The images' columns that a column displacement dx reads (as for the factors): [c][y * lx + x]. */
    private final double[][] imgWindowA;
    private final double[][] imgWindowB;
    /** Variance factors f(q) per step (null for stencils) of the first input and, in block g's frame, the second. */
    private final double[][] factorA;
    private final double[][] factorB;
    /** The factors' columns that a column displacement dx reads, rows of (width - |dx|): [step][y * lx + x]. */
    private final double[][] windowA;
    private final double[][] windowB;
    /** Position permutations of the group: at the input grid [g], and at each nonlinearity's grid [k][g]. */
    private final int[][] inputPerm;
    private final int[][][] stepPerm;

    private double sumSigma;
    private double sumTheta;
    private boolean thetaZero;

    SliceEvaluator(SlicePlan plan, int channels, boolean vector) {
        this.plan = plan;
        this.vector = vector;
        this.channels = channels;
        int h = plan.height;
        int w = plan.width;
        int r = plan.maxRadius;
        int cap = h * w;
        // zero rows above the slice (read by SAME column sums) and room below for reads past its end
        this.base = r * w + r + 8;
        int len = base + cap + r * w + 2 * r + 8;
        this.sig = new double[len];
        this.th = new double[len];
        this.tmpS = new double[len];
        this.tmpT = new double[len];
        this.mask = new double[2 * r + 1][cap];
        this.maskView = new double[r + 1][][];
        for (int radius = 0; radius <= r; radius++) {
            maskView[radius] = Arrays.copyOfRange(mask, r - radius, r + radius + 1);
        }
        this.imgA = new double[channels][cap];
        this.imgB = new double[channels][cap];
        this.imgBg = plan.blocks() == 1 ? imgB : new double[channels][cap];
        this.imgWindowA = new double[channels][cap];
        this.imgWindowB = new double[channels][cap];
        this.factorA = new double[plan.steps.length][];
        this.factorB = new double[plan.steps.length][];
        this.windowA = new double[plan.steps.length][];
        this.windowB = new double[plan.steps.length][];
        int blocks = plan.blocks();
        this.inputPerm = new int[blocks][];
        this.stepPerm = new int[plan.steps.length][blocks][];
        for (int g = 1; g < blocks; g++) {
            inputPerm[g] = Stencil.positionPermutation(plan.group, g, h);
        }
        for (int k = 0; k < plan.steps.length; k++) {
            SlicePlan.Step s = plan.steps[k];
            if (!s.isStencil()) {
                factorA[k] = new double[s.height * s.width];
                factorB[k] = new double[s.height * s.width];
                windowA[k] = new double[s.height * s.width];
                windowB[k] = new double[s.height * s.width];
                for (int g = 1; g < blocks; g++) {
                    stepPerm[k][g] = Stencil.positionPermutation(plan.group, g, s.height);
                }
            }
        }
    }

    /** The index of the pooling layer: the engine continues after it on scalars. */
    int poolLayer() {
        return plan.poolLayer;
    }

    /** Mean of Σ over all blocks and positions after the spatial layers, i.e. the pooled NNGP. */
    double sigmaMean() {
        return sumSigma / normaliser();
    }

    double thetaMean() {
        return thetaZero ? 0 : sumTheta / normaliser();
    }

    boolean thetaZero() {
        return thetaZero;
    }

    private double normaliser() {
        double p = (double) plan.minHeight * plan.minWidth;
        return plan.blocks() * p * p;
    }

    /**
     * Runs all slices of the pair (a[i], b[j]). For a self pair pass {@code record} (and null statistics): the
     * diagonal slice runs first and stores the self-variances in it.
     */
    void run(ImageBatch a, int i, ImageBatch b, int j, SelfStats sa, SelfStats sb, SelfStats record) {
        load(a, i, imgA);
        load(b, j, imgB);
        sumSigma = 0;
        sumTheta = 0;
        thetaZero = true;
        int blocks = plan.blocks();
        if (record != null) {
            if (imgBg != imgB) {
                copyImage(imgB, imgBg);
            }
            cutImageWindows(0);
            slice(0, 0, record);
            sa = record;
            sb = record;
        }
        factorsOf(sa, factorA, 0);
        int hm = plan.minHeight;
        int wm = plan.minWidth;
        // dx outermost: the masks and factor windows depend on the column displacement only
        for (int g = 0; g < blocks; g++) {
            moveToFrame(g, sb);
            for (int dx = 1 - wm; dx < wm; dx++) {
                cutImageWindows(dx);
                cutWindows(dx);
                for (int dy = 1 - hm; dy < hm; dy++) {
                    if (record != null && g == 0 && dy == 0 && dx == 0) {
                        continue;
                    }
                    slice(dy, dx, null);
                }
            }
        }
    }

    /** imgWindowA/B[c] = the columns [ox, ox + lx) of image A and [ox + dx, ox + dx + lx) of image B (frame g). */
    private void cutImageWindows(int dx) {
        int ox = Math.max(0, -dx);
        int w = plan.width;
        int lx = w - Math.abs(dx);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < plan.height; y++) {
                System.arraycopy(imgA[c], y * w + ox, imgWindowA[c], y * lx, lx);
                System.arraycopy(imgBg[c], y * w + ox + dx, imgWindowB[c], y * lx, lx);
            }
        }
    }

    /** windowA/B[k] = the columns [ox, ox + lx) of factorA[k] and [ox + dx, ox + dx + lx) of factorB[k]. */
    private void cutWindows(int dx) {
        int ox = Math.max(0, -dx);
        for (int k = 0; k < plan.steps.length; k++) {
            SlicePlan.Step st = plan.steps[k];
            if (st.isStencil()) {
                continue;
            }
            int w = st.width;
            int lx = w - Math.abs(dx);
            double[] fa = factorA[k];
            double[] fb = factorB[k];
            double[] wa = windowA[k];
            double[] wb = windowB[k];
            for (int y = 0; y < st.height; y++) {
                System.arraycopy(fa, y * w + ox, wa, y * lx, lx);
                System.arraycopy(fb, y * w + ox + dx, wb, y * lx, lx);
            }
        }
    }

    private void load(ImageBatch x, int index, double[][] dst) {
        double[] data = x.data();
        int off = index * x.imageSize();
        int p = x.height() * x.width();
        for (int t = 0; t < p; t++) {
            for (int c = 0; c < channels; c++) {
                dst[c][t] = data[off + t * channels + c];
            }
        }
    }

    private static void copyImage(double[][] src, double[][] dst) {
        for (int c = 0; c < src.length; c++) {
            System.arraycopy(src[c], 0, dst[c], 0, src[c].length);
        }
    }

    /** The second image and its variance factors in block g's frame: position u stands for g·u. */
    private void moveToFrame(int g, SelfStats sb) {
        if (g == 0) {
            if (imgBg != imgB) {
                copyImage(imgB, imgBg);
            }
            factorsOf(sb, factorB, 0);
            return;
        }
        int[] perm = inputPerm[g];
        for (int c = 0; c < channels; c++) {
            double[] src = imgB[c];
            double[] dst = imgBg[c];
            for (int u = 0; u < perm.length; u++) {
                dst[u] = src[perm[u]];
            }
        }
        factorsOf(sb, factorB, g);
    }

    /** factor[k][u] = f(variance at step k, position u), or at g·u in block g's frame. */
    private void factorsOf(SelfStats s, double[][] factor, int g) {
        for (int k = 0; k < plan.steps.length; k++) {
            SlicePlan.Step st = plan.steps[k];
            if (st.isStencil()) {
                continue;
            }
            double[] v = s.spatial[st.layer];
            double[] f = factor[k];
            if (g == 0) {
                for (int u = 0; u < f.length; u++) {
                    f[u] = st.phi.varianceFactor(v[u]);
                }
            } else {
                int[] perm = stepPerm[k][g];
                for (int u = 0; u < f.length; u++) {
                    f[u] = st.phi.varianceFactor(v[perm[u]]);
                }
            }
        }
    }

    /** One slice through all spatial layers; adds its sums. With {@code record}, the diagonal of a self pair. */
    private void slice(int dy, int dx, SelfStats record) {
        int h = plan.height;
        int w = plan.width;
        int oy = Math.max(0, -dy);
        int ox = Math.max(0, -dx);
        int ly = h - Math.abs(dy);
        int lx = w - Math.abs(dx);
        inputKernel(oy, dy, ly, lx);
        boolean thZero = true;
        for (int k = 0; k < plan.steps.length; k++) {
            SlicePlan.Step st = plan.steps[k];
            int n = ly * lx;
            if (st.isStencil()) {
                int r = st.r;
                if (st.same) {
                    if (r > 0) {
                        ensureMask(lx);
                        SliceOps.rowsSame(sig, tmpS, base, n, r, maskView[r], vector);
                        Arrays.fill(tmpS, base + n, base + n + r * lx, 0.0);
                        SliceOps.columns(tmpS, sig, base, n, lx, -r, r, st.alpha, st.beta, null, vector);
                        if (!thZero) {
                            SliceOps.rowsSame(th, tmpT, base, n, r, maskView[r], vector);
                            Arrays.fill(tmpT, base + n, base + n + r * lx, 0.0);
                            SliceOps.columns(tmpT, th, base, n, lx, -r, r, st.alpha, 0, sig, vector);
                        }
                    } else {
                        SliceOps.columns(sig, sig, base, n, lx, 0, 0, st.alpha, st.beta, null, vector);
                        if (!thZero) {
                            SliceOps.columns(th, th, base, n, lx, 0, 0, st.alpha, 0, sig, vector);
                        }
                    }
                } else {
                    int lyo = ly - 2 * r;
                    int lxo = lx - 2 * r;
                    int no = lyo * lx;
                    SliceOps.rowsValid(sig, tmpS, base, n, r, vector);
                    SliceOps.columns(tmpS, sig, base, no, lx, 0, 2 * r, st.alpha, st.beta, null, vector);
                    if (!thZero) {
                        SliceOps.rowsValid(th, tmpT, base, n, r, vector);
                        SliceOps.columns(tmpT, th, base, no, lx, 0, 2 * r, st.alpha, 0, sig, vector);
                    }
                    if (r > 0) {
                        compact(sig, lyo, lx, lxo);
                        if (!thZero) {
                            compact(th, lyo, lx, lxo);
                        }
                    }
                    ly = lyo;
                    lx = lxo;
                    h -= 2 * r;
                    w -= 2 * r;
                }
                if (thZero) {
                    System.arraycopy(sig, base, th, base, ly * lx);
                    thZero = false;
                }
            } else {
                if (record != null) {
                    // zero displacement of the identity block: the self-variances at this layer
                    double[] v = Arrays.copyOfRange(sig, base, base + n);
                    record.spatial[st.layer] = v;
                    double[] fa = factorA[k];
                    for (int u = 0; u < n; u++) {
                        fa[u] = st.phi.varianceFactor(v[u]);
                    }
                    System.arraycopy(fa, 0, factorB[k], 0, n);
                    st.phi.mapFactors(fa, 0, fa, 0, sig, thZero ? null : th, base, n, tmpS, tmpT);
                } else {
                    st.phi.mapFactors(windowA[k], oy * lx, windowB[k], (oy + dy) * lx, sig, thZero ? null : th,
                        base, n, tmpS, tmpT);
                }
            }
        }
        int n = ly * lx;
        sumSigma += SliceOps.sum(sig, base, n, vector);
        if (!thZero) {
            sumTheta += SliceOps.sum(th, base, n, vector);
            thetaZero = false;
        }
    }

    /** K0(t, g·(t + d)) = (1/C) sum_c x_c(t) x'_c(g·(t + d)) on the slice, from the image windows. */
    private void inputKernel(int oy, int dy, int ly, int lx) {
        SliceOps.inputKernel(imgWindowA, oy * lx, imgWindowB, (oy + dy) * lx, sig, base, ly * lx, 1.0 / channels,
            vector);
    }

    /** Rows of stride lx holding lxo valid entries each, moved to stride lxo. */
    private void compact(double[] a, int rows, int lx, int lxo) {
        for (int y = 1; y < rows; y++) {
            System.arraycopy(a, base + y * lx, a, base + y * lxo, lxo);
        }
    }

    private void ensureMask(int lx) {
        if (maskWidth == lx) {
            return;
        }
        int r = plan.maxRadius;
        int n = plan.height * lx;
        for (int k = -r; k <= r; k++) {
            double[] m = mask[r + k];
            for (int x = 0; x < lx; x++) {
                m[x] = x + k >= 0 && x + k < lx ? 1.0 : 0.0;
            }
            for (int i = lx; i < n; i += lx) {
                System.arraycopy(m, 0, m, i, lx);
            }
        }
        maskWidth = lx;
    }
}
