package io.eqntk.kernel;

import io.eqntk.kernel.map.Nonlinearity;
import io.eqntk.model.Precision;
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
 *
 * <p>This class holds the geometry and the order of work; the arithmetic on slices lives in a subclass per
 * precision ({@link Float64Slices}, {@link Float32Slices}).
 */
abstract class SliceEvaluator {
    protected final SlicePlan plan;
    protected final boolean vector;
    protected final int channels;
    /** Offset of a slice's first entry in the work arrays: zero rows above it for SAME column sums. */
    protected final int base;
    /** Length of every work array: the largest slice, the margin above, and room for reads past its end. */
    protected final int length;
    /** Position permutations of the group: at the input grid [g], and at each nonlinearity's grid [k][g]. */
    private final int[][] inputPerm;
    private final int[][][] stepPerm;
    private int maskWidth = -1;

    private double sumSigma;
    private double sumTheta;
    private boolean thetaZero;
    /** Hybrid path (plan.poolK > 0): the pooled blocks [g][(T, U)]. */
    private final double[][] pooledSigma;
    private final double[][] pooledTheta;
    /** Hybrid path: the pooling of finished slices, and one slice's entries in double. */
    private final SlicePooling pooling;
    private final double[] sliceSigma;
    private final double[] sliceTheta;
    private int block;

    /** Per level of open branches: the input slice's rows and columns, and which Θ are zero (input, sum so far). */
    private final int[] branchLy;
    private final int[] branchLx;
    private final boolean[] branchThetaZero;
    private final boolean[] sumStarted;
    private final boolean[] sumThetaZero;

    /** While {@link #runPart} runs: where slice sums go (by slice number partIndex) instead of the totals. */
    private double[] partSigma;
    private double[] partTheta;
    private int partIndex;

    protected SliceEvaluator(SlicePlan plan, int channels, boolean vector) {
        this.plan = plan;
        this.vector = vector;
        this.channels = channels;
        int h = plan.height;
        int w = plan.width;
        int r = plan.maxRadius;
        this.base = r * w + r + 8;
        this.length = base + h * w + r * w + 2 * r + 8;
        int blocks = plan.blocks();
        if (plan.poolK > 0) {
            int po = (plan.minHeight / plan.poolK) * (plan.minWidth / plan.poolK);
            this.pooledSigma = new double[blocks][po * po];
            this.pooledTheta = new double[blocks][po * po];
            this.pooling = new SlicePooling(plan.poolK, plan.minHeight, plan.minWidth, blocks);
            this.sliceSigma = new double[h * w];
            this.sliceTheta = new double[h * w];
        } else {
            this.pooling = null;
            this.sliceSigma = null;
            this.sliceTheta = null;
            this.pooledSigma = null;
            this.pooledTheta = null;
        }

        this.branchLy = new int[plan.branchDepth];
        this.branchLx = new int[plan.branchDepth];
        this.branchThetaZero = new boolean[plan.branchDepth];
        this.sumStarted = new boolean[plan.branchDepth];
        this.sumThetaZero = new boolean[plan.branchDepth];
        this.inputPerm = new int[blocks][];
        this.stepPerm = new int[plan.steps.length][blocks][];
        for (int g = 1; g < blocks; g++) {
            inputPerm[g] = Stencil.positionPermutation(plan.group, g, h, w);
        }
        for (int k = 0; k < plan.steps.length; k++) {
            SlicePlan.Step s = plan.steps[k];
            if (s.isNonlinearity()) {
                for (int g = 1; g < blocks; g++) {
                    stepPerm[k][g] = Stencil.positionPermutation(plan.group, g, s.height, s.width);
                }
            }
        }
    }

    /** A workspace for {@code plan} in the given precision. */
    static SliceEvaluator create(SlicePlan plan, int channels, boolean vector, Precision precision) {
        return precision == Precision.FLOAT32 ? new Float32Slices(plan, channels, vector)
            : new Float64Slices(plan, channels, vector);
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
    final void run(ImageBatch a, int i, ImageBatch b, int j, SelfStats sa, SelfStats sb, SelfStats record) {
        prepare(a, i, b, j);
        if (record != null) {
            cutImageWindowsA(0);
            cutImageWindowsB(0, 0);
            slice(0, 0, record);
            sa = record;
            sb = record;
        }
        pairFactors(sa, sb);
        columns(1 - plan.minWidth, plan.minWidth, record);
        if (pooling != null) {
            for (int g = 0; g < plan.blocks(); g++) {
                pooling.finish(g, pooledSigma[g], pooledTheta[g], thetaZero);
            }
        }
    }

    /** Loads the pair's images, the second in every block's frame, and clears the sums. */
    private void prepare(ImageBatch a, int i, ImageBatch b, int j) {
        loadImages(a, i, b, j);
        sumSigma = 0;
        sumTheta = 0;
        thetaZero = true;
        for (int g = 0; g < plan.blocks(); g++) {
            imageToFrame(g, inputPerm[g]);
            if (pooling != null) {
                pooling.clear(g);
            }
        }
        block = 0;
    }

    /** The variance factors of both inputs (the second in every block's frame). */
    private void pairFactors(SelfStats sa, SelfStats sb) {
        setFactors(sa, 0, false);
        for (int g = 0; g < plan.blocks(); g++) {
            setFactors(sb, g, true);
        }
    }

    /** The number of column displacements dx of a pair (2 w - 1 at the smallest grid width w). */
    final int columnCount() {
        return 2 * plan.minWidth - 1;
    }

    /** The number of slices of a pair, in the order {@link #run} adds their sums: dx, then g, then dy. */
    final int sliceCount() {
        return columnCount() * plan.blocks() * (2 * plan.minHeight - 1);
    }

    /**
     * Part of a pair that is not a self pair: the slices of the column displacements with index [from, to) of
     * {@link #columnCount()}, their sums stored at their places in the pair's slice order, Σ's at
     * sigmaSums[slice] and Θ's at thetaSums[slice] (untouched when Θ is zero), instead of added. A pair cut into
     * parts, perhaps on several threads, then gives the bits of {@link #run} by {@link #meanOf} over the sums.
     */
    final void runPart(ImageBatch a, int i, ImageBatch b, int j, SelfStats sa, SelfStats sb, int from, int to,
                       double[] sigmaSums, double[] thetaSums) {
        prepare(a, i, b, j);
        pairFactors(sa, sb);
        partSigma = sigmaSums;
        partTheta = thetaSums;
        partIndex = from * plan.blocks() * (2 * plan.minHeight - 1);
        try {
            columns(from + 1 - plan.minWidth, to + 1 - plan.minWidth, null);
        } finally {
            partSigma = null;
            partTheta = null;
        }
    }

    /** The pooled mean of slice sums stored by {@link #runPart}, added in the order {@link #run} adds them. */
    final double meanOf(double[] sums) {
        double total = 0;
        for (double v : sums) {
            total += v;
        }
        return total / normaliser();
    }

    /** The slices of column displacements dx in [dxFrom, dxTo). */
    private void columns(int dxFrom, int dxTo, SelfStats record) {
        int blocks = plan.blocks();
        int hm = plan.minHeight;
        // dx outermost: the first input's windows and the masks depend on the column displacement only, so they
        // are cut once per dx; the second input's windows once per (dx, g)
        for (int dx = dxFrom; dx < dxTo; dx++) {
            cutImageWindowsA(dx);
            for (int k = 0; k < plan.steps.length; k++) {
                SlicePlan.Step st = plan.steps[k];
                if (st.isNonlinearity()) {
                    cutFactorWindowsA(k, dx, st.height, st.width);
                }
            }
            for (int g = 0; g < blocks; g++) {
                block = g;
                cutImageWindowsB(dx, g);
                for (int k = 0; k < plan.steps.length; k++) {
                    SlicePlan.Step st = plan.steps[k];
                    if (st.isNonlinearity()) {
                        cutFactorWindowsB(k, dx, g, st.height, st.width);
                    }
                }
                for (int dy = 1 - hm; dy < hm; dy++) {
                    if (record != null && g == 0 && dy == 0 && dx == 0) {
                        continue;
                    }
                    slice(dy, dx, null);
                }
            }
        }
    }

    /** Factors of every nonlinearity step from the variances in {@code s}, for the first or (in frame g) second input. */
    private void setFactors(SelfStats s, int g, boolean second) {
        for (int k = 0; k < plan.steps.length; k++) {
            SlicePlan.Step st = plan.steps[k];
            if (st.isNonlinearity()) {
                setFactors(k, st.phi, s.spatial[st.layer], g == 0 ? null : stepPerm[k][g], second, g);
            }
        }
    }

    /** One slice through all spatial layers; adds its sums. With {@code record}, the diagonal of a self pair. */
    private void slice(int dy, int dx, SelfStats record) {
        int oy = Math.max(0, -dy);
        int ly = plan.height - Math.abs(dy);
        int lx = plan.width - Math.abs(dx);
        inputKernel(oy * lx, (oy + dy) * lx, ly * lx, 1.0 / channels);
        boolean thZero = true;
        for (int k = 0; k < plan.steps.length; k++) {
            SlicePlan.Step st = plan.steps[k];
            int n = ly * lx;
            if (st.branch != null) {
                int d = st.depth;
                if (st.branch == KernelProgram.BranchStep.OPEN) {
                    keepSlice(d, n, !thZero);
                    branchLy[d] = ly;
                    branchLx[d] = lx;
                    branchThetaZero[d] = thZero;
                    sumStarted[d] = false;
                    sumThetaZero[d] = true;
                    continue;
                }
                if (st.branch == KernelProgram.BranchStep.NEXT) {
                    // the branch just finished adds its slice to the level's sum (a zero Θ adds nothing)
                    addToBranchSum(d, n, st.weight, !sumStarted[d], !thZero, sumThetaZero[d]);
                    sumStarted[d] = true;
                    sumThetaZero[d] &= thZero;
                    if (!st.afterEmptyBranch) { // an identity branch left the input in place
                        ly = branchLy[d];
                        lx = branchLx[d];
                        thZero = branchThetaZero[d];
                        restoreSlice(d, ly * lx, !thZero);
                    }
                } else {
                    // the last branch and the sum in one pass: slice ← weight · slice + sum
                    closeBranchSum(d, n, st.weight, sumStarted[d], !thZero, sumStarted[d] && !sumThetaZero[d]);
                    thZero &= !sumStarted[d] || sumThetaZero[d];
                }
                continue;
            }
            if (st.isStencil()) {
                int r = st.r;
                if (st.same) {
                    if (r > 0 && maskWidth != lx) {
                        fillMasks(lx, plan.height * lx);
                        maskWidth = lx;
                    }
                    stencilSame(r, n, lx, st.alpha, st.beta, thZero);
                } else {
                    stencilValid(r, ly, lx, st.alpha, st.beta, thZero);
                    ly -= 2 * r;
                    lx -= 2 * r;
                }
                if (thZero) {
                    copySigmaToTheta(ly * lx);
                    thZero = false;
                }
            } else if (record != null) {
                // zero displacement of the identity block: the self-variances at this layer
                double[] v = diagonal(n);
                record.spatial[st.layer] = v;
                setFactors(k, st.phi, v, null, false, 0);
                setFactors(k, st.phi, v, null, true, 0);
                mapNonlinearity(k, st.phi, -1, 0, n, thZero);
            } else {
                mapNonlinearity(k, st.phi, oy * lx, (oy + dy) * lx, n, thZero);
            }
        }
        int n = ly * lx;
        if (pooledSigma != null) {
            poolSlice(dy, dx, ly, lx, thZero); // the hybrid path pools every slice (its pairs are never cut into parts)
            return;
        }
        double sigma = sumSigma(n);
        if (partSigma != null) {
            partSigma[partIndex] = sigma;
        } else {
            sumSigma += sigma;
        }
        if (!thZero) {
            double theta = sumTheta(n);
            if (partTheta != null) {
                partTheta[partIndex] = theta;
            } else {
                sumTheta += theta;
            }
            thetaZero = false;
        }
        partIndex++;
    }

    /** Adds the finished slice (dy, dx) of block {@link #block} to the pooled kernel ({@link SlicePooling}). */
    private void poolSlice(int dy, int dx, int ly, int lx, boolean thZero) {
        copySlice(ly * lx, sliceSigma, sliceTheta, thZero);
        if (!thZero) {
            thetaZero = false;
        }
        pooling.add(block, dy, dx, ly, lx, sliceSigma, sliceTheta, thZero);
    }

    /** Hybrid path: the pooled block g's Σ, of the pooled grid (positions^2 entries). */
    double[] pooledSigma(int g) {
        return pooledSigma[g];
    }

    double[] pooledTheta(int g) {
        return pooledTheta[g];
    }

    /** The distance between factor planes of nonlinearity step k: its grid's number of positions. */
    protected final int plane(int k) {
        return plan.steps[k].height * plan.steps[k].width;
    }

    // ---------------------------------------------------------------- arithmetic, per precision

    /** Loads image i of a (first input) and j of b (second input), channel-major. */
    protected abstract void loadImages(ImageBatch a, int i, ImageBatch b, int j);

    /** The second image in block g's frame: position u holds the pixel at perm[u] (null: identity). */
    protected abstract void imageToFrame(int g, int[] perm);

    /** The first image's columns that displacement dx reads, as contiguous rows of (width - |dx|). */
    protected abstract void cutImageWindowsA(int dx);

    /** The same for the second image in block g's frame. */
    protected abstract void cutImageWindowsB(int dx, int g);

    /**
     * Variance factors f(v) of nonlinearity step k for the first input, or the second ({@code second}) read
     * at perm[u] (null: identity).
     */
    protected abstract void setFactors(int k, Nonlinearity phi, double[] variances, int[] perm, boolean second, int g);

    /** The first input's factors' columns that displacement dx reads at step k, as for the images. */
    protected abstract void cutFactorWindowsA(int k, int dx, int height, int width);

    /** The second input's factors in block g's frame, likewise. */
    protected abstract void cutFactorWindowsB(int k, int dx, int g, int height, int width);

    /** The slice's input kernel from the image windows at the given offsets, times {@code inv}. */
    protected abstract void inputKernel(int offA, int offB, int n, double inv);

    /** Masks of SAME row sums for rows of {@code lx}, over {@code n} entries. */
    protected abstract void fillMasks(int lx, int n);

    /** Σ ← alpha box_SAME(Σ) + beta and, unless Θ is zero, Θ ← alpha box_SAME(Θ) + Σ. */
    protected abstract void stencilSame(int r, int n, int lx, double alpha, double beta, boolean thetaZero);

    /** The VALID version on a slice of ly x lx, leaving (ly - 2r) x (lx - 2r) rows of stride lx - 2r. */
    protected abstract void stencilValid(int r, int ly, int lx, double alpha, double beta, boolean thetaZero);

    protected abstract void copySigmaToTheta(int n);

    /** The slice's Σ as a new double array (the diagonal of a self pair). */
    protected abstract double[] diagonal(int n);

    /**
     * The nonlinearity of step k with factor windows at offsets offA, offB; offA = -1 uses the whole factor
     * arrays from offset 0 (the diagonal slice).
     */
    protected abstract void mapNonlinearity(int k, Nonlinearity phi, int offA, int offB, int n, boolean thetaZero);

    /** Copies the slice's Σ (and Θ unless zero) into double arrays, from index 0. */
    protected abstract void copySlice(int n, double[] sOut, double[] tOut, boolean thetaZero);

    /** Keeps the slice's Σ (and Θ when {@code theta}) aside as the input of branches at level {@code depth}. */
    protected abstract void keepSlice(int depth, int n, boolean theta);

    /** Puts the kept input of level {@code depth} back into the slice. */
    protected abstract void restoreSlice(int depth, int n, boolean theta);

    /**
     * The level's branch sum ← sum + weight · slice for Σ (the sum starts at zero when {@code first}) and, when
     * {@code theta}, for Θ (starting at zero when {@code thetaFirst}).
     */
    protected abstract void addToBranchSum(int depth, int n, double weight, boolean first, boolean theta,
                                           boolean thetaFirst);

    /**
     * Σ ← weight · Σ + (the level's sum, when {@code sum}); Θ likewise where it is not zero: {@code theta} says
     * whether the slice's Θ is, {@code sumTheta} whether the sum's is.
     */
    protected abstract void closeBranchSum(int depth, int n, double weight, boolean sum, boolean theta,
                                           boolean sumTheta);

    protected abstract double sumSigma(int n);

    protected abstract double sumTheta(int n);
}
