package io.eqntk.kernel;

import io.eqntk.kernel.map.Nonlinearity;
import io.eqntk.model.Precision;
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
    /** Hybrid path (plan.poolK > 0): the pooled blocks [lane][g][(T, U)]. */
    private final double[][][] pooledSigma;
    private final double[][][] pooledTheta;
    /** Hybrid path: the pooling of finished slices (of every lane), which sums their rows here ({@link #poolRows}). */
    private final SlicePooling pooling;
    private final SlicePooling.Rows rows = this::poolRows;
    /** Pooling by k = 2: the finished slice in double and its sums of neighbours, for Σ and Θ. */
    private final double[][] pairSums;
    private int block;
    /**
     * Hybrid path, a stage after the first pooling: the previous stage's pooled slices, this stage's input, and
     * whether their Θ is zero; and the stage after this one's pooling (null: full blocks take over).
     */
    private SlicePooling source;
    private boolean sourceThetaZero;
    private SliceEvaluator nextStage;
    /** False while half 0 of a self pair runs its diagonal slice for the variances only ({@link #runHalf}). */
    private boolean poolsDiagonal = true;

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

    /** Pairs run at once, one per vector lane ({@link #runLanes}); 1 for the one-pair evaluators. */
    protected final int pairLanes;
    /** While {@link #runLanes} loads its pairs: the lane that the loads and factors are for. */
    protected int lane;
    /** {@link #runLanes}: each lane's sums of its slices. */
    private final double[] laneSigma;
    private final double[] laneTheta;

    protected SliceEvaluator(SlicePlan plan, int channels, boolean vector) {
        this(plan, channels, vector, 1);
    }

    protected SliceEvaluator(SlicePlan plan, int channels, boolean vector, int lanes) {
        this.plan = plan;
        this.vector = vector;
        this.channels = channels;
        this.pairLanes = lanes;
        this.laneSigma = new double[lanes];
        this.laneTheta = new double[lanes];
        int h = plan.height;
        int w = plan.width;
        int r = plan.maxRadius;
        this.base = r * w + r + 8;
        this.length = base + h * w + r * w + 2 * r + 8;
        int blocks = plan.blocks();
        if (plan.poolK > 0) {
            int po = (plan.minHeight / plan.poolK) * (plan.minWidth / plan.poolK);
            this.pooledSigma = new double[lanes][blocks][po * po];
            this.pooledTheta = new double[lanes][blocks][po * po];
            this.pooling = new SlicePooling(plan.poolK, plan.minHeight, plan.minWidth, blocks, lanes);
            this.pairSums = plan.poolK == 2 ? new double[2][h * w * lanes] : null;
        } else {
            this.pooling = null;
            this.pairSums = null;
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
        SliceEvaluator e = precision == Precision.FLOAT32 ? new Float32Slices(plan, channels, vector)
            : new Float64Slices(plan, channels, vector);
        if (plan.next != null) {
            e.nextStage = create(plan.next, 1, vector, precision);
        }
        return e;
    }

    /**
     * A workspace that runs {@link #laneCount()} pairs at once, one per vector lane, or null where the plan has
     * none: small grids on the vector path, where slices are a few entries long and the one-pair evaluators spend
     * more on calls, tails and copies than on arithmetic. On the hybrid path every stage runs in lanes, and so does
     * the pooling ({@link SlicePooling} with lanes).
     */
    static SliceEvaluator createLanes(SlicePlan plan, int channels, boolean vector, Precision precision) {
        if (laneCount(plan, vector, precision) == 1) {
            return null;
        }
        SliceEvaluator e = precision == Precision.FLOAT32 ? new Float32Lanes(plan, channels)
            : new Float64Lanes(plan, channels);
        if (plan.next != null) {
            // the hybrid path's later stages run on the pooled, smaller grids
            e.nextStage = createLanes(plan.next, 1, true, precision);
        }
        return e;
    }

    /**
     * The pairs a lane workspace for {@code plan} would run at once ({@link #createLanes}), or 1 where it has none;
     * allocates nothing.
     */
    static int laneCount(SlicePlan plan, boolean vector, Precision precision) {
        if (!vector || plan.height * plan.width > LANES_UP_TO) {
            return 1;
        }
        int lanes = precision == Precision.FLOAT32 ? Float32Lanes.L : Float64Lanes.L;
        return lanes * poolingBytes(plan) > LANE_POOLINGS_UP_TO ? 1 : lanes;
    }

    /**
     * The largest grid (positions) given a lane workspace. Measured (BENCHMARKS.md, "Pairs in vector lanes"): at 8x8
     * and 16x16 the lanes are 2-3x faster, at 32x32 1.1-1.8x (nt21, the paper networks, Myrtle-5); larger grids are
     * not measured, and a lane workspace grows with L times the grid.
     */
    static final int LANES_UP_TO = 1024;

    /**
     * The most memory the lanes' poolings may take per thread, all stages together: room for Myrtle-5's D4 network
     * at 32x32 in float32 (8 blocks, 17 MiB per pair, 136 MiB in 8 lanes), measured 1.35x faster in lanes
     * (BENCHMARKS.md, "Pairs in vector lanes"). Beyond it, one pair at a time keeps to the memory a pair needs.
     */
    static final long LANE_POOLINGS_UP_TO = 160L << 20;

    /**
     * Bytes of the poolings of one pair on the hybrid path, all stages: per block two sets of pooled Σ and Θ, (mh
     * mw)² entries of 8 bytes for a pooled grid of mh x mw.
     */
    private static long poolingBytes(SlicePlan plan) {
        long bytes = 0;
        for (SlicePlan s = plan; s != null; s = s.next) {
            if (s.poolK > 0) {
                long cells = (long) (s.minHeight / s.poolK) * (s.minWidth / s.poolK);
                bytes += 4L * s.blocks() * cells * cells * 8;
            }
        }
        return bytes;
    }

    /** How many pairs {@link #runLanes} takes. */
    final int laneCount() {
        return pairLanes;
    }

    /**
     * Runs {@link #laneCount()} pairs (a[l][i[l]], b[l][j[l]]), none a self pair, all slices at once with pair l in
     * vector lane l: every entry gets the operations, in the order, that {@link #run} gives it, so each lane's
     * {@link #laneSigmaMean} and {@link #laneThetaMean} are the bits of {@link #sigmaMean} and {@link #thetaMean}
     * after {@code run} on that pair.
     */
    final void runLanes(ImageBatch[] a, int[] i, ImageBatch[] b, int[] j, SelfStats[] sa, SelfStats[] sb) {
        for (int l = 0; l < pairLanes; l++) {
            lane = l;
            loadImages(a[l], i[l], b[l], j[l]);
            for (int g = 0; g < plan.blocks(); g++) {
                imageToFrame(g, inputPerm[g]);
            }
        }
        lane = 0;
        clearSums();
        runSlices(sa, sb, null, -1);
    }

    /** Which lane's pooled blocks {@link #pooledSigma} and {@link #pooledTheta} give (0 for one pair). */
    final void readLane(int l) {
        lane = l;
    }

    double laneSigmaMean(int l) {
        return laneSigma[l] / normaliser();
    }

    double laneThetaMean(int l) {
        return thetaZero ? 0 : laneTheta[l] / normaliser();
    }

    /** The last stage of the hybrid path's chain (this one when there is none): its pooled blocks end the slices. */
    SliceEvaluator lastStage() {
        return nextStage == null ? this : nextStage.lastStage();
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
        runSlices(one(sa), one(sb), record, -1);
    }

    /** One pair's statistics as the lanes' array of {@link #runSlices}. */
    private static SelfStats[] one(SelfStats s) {
        return new SelfStats[] {s};
    }

    /**
     * Hybrid path: one half of the first stage's slices of the pair (a[i], b[j]), the column displacements dx &lt; 0
     * ({@code half} 0) or dx &gt;= 0 (1), their pooled sums left in the pooling's set {@code half}
     * ({@link #halfSums}, {@link #thetaZero()}); {@link #finishHalves} on both halves' sums then gives the bits of
     * {@link #run}. A self pair passes {@code record}: half 1 pools the diagonal slice and records the variances,
     * half 0 computes them for itself.
     */
    final void runHalf(ImageBatch a, int i, ImageBatch b, int j, SelfStats sa, SelfStats sb, SelfStats record,
                       int half) {
        prepare(a, i, b, j);
        runSlices(one(sa), one(sb), record, half);
    }

    /** A copy of the pooled sums of Σ (or Θ) of the half last run by {@link #runHalf}, [block][entry]. */
    double[][] halfSums(int half, boolean ofTheta) {
        return pooling.copyOf(half, ofTheta);
    }

    /**
     * Hybrid path: the pair whose halves' sums are {@code sigma[half]}, {@code theta[half]} (Θ zero when
     * {@code thZero}), from any workers, continued as {@link #run} continues after its first stage.
     */
    final void finishHalves(double[][][] sigma, double[][][] theta, boolean thZero, SelfStats sa, SelfStats sb,
                            SelfStats record) {
        pooling.addHalves(sigma[0], sigma[1], theta[0], theta[1]);
        thetaZero = thZero;
        afterPooling(one(record != null ? record : sa), one(record != null ? record : sb), record);
    }

    /**
     * The slices of the pair (or the lanes' pairs, with their statistics sa[l], sb[l]) loaded by {@link #prepare},
     * {@link #runLanes} or {@link #runStage}, then the next stage's. A stage that
     * pools adds the halves dx &lt; 0 and dx &gt;= 0 of its column displacements apart and then together (the diagonal
     * slice of a self pair first, in the second half); {@code half} 0 or 1 runs that half only (-1: both).
     */
    private void runSlices(SelfStats[] sa, SelfStats[] sb, SelfStats record, int half) {
        if (record != null) {
            if (source == null) {
                cutImageWindowsA(0);
                cutImageWindowsB(0, 0);
            }
            if (pooling != null) {
                pooling.select(1);
            }
            // half 0 needs the diagonal's variances but neither pools nor records them
            SelfStats own = half == 0 ? new SelfStats(record.spatial.length) : record;
            poolsDiagonal = half != 0;
            slice(0, 0, own);
            poolsDiagonal = true;
            record = own;
            sa = one(own);
            sb = sa;
        }
        pairFactors(sa, sb);
        if (pooling == null) {
            columns(1 - plan.minWidth, plan.minWidth, record);
            return;
        }
        int c = columnCount() / 2 + 1 - plan.minWidth;
        if (half != 1) {
            pooling.select(0);
            columns(1 - plan.minWidth, c, record);
        }
        if (half != 0) {
            pooling.select(1);
            columns(c, plan.minWidth, record);
        }
        if (half < 0) {
            pooling.addHalves();
            afterPooling(sa, sb, record);
        }
    }

    /** After a stage's pooling: the next stage, or the pooled blocks laid out for the full-block path. */
    private void afterPooling(SelfStats[] sa, SelfStats[] sb, SelfStats record) {
        if (nextStage != null) {
            nextStage.runStage(pooling, thetaZero, sa, sb, record);
        } else if (pooling != null) {
            for (int l = 0; l < pairLanes; l++) {
                for (int g = 0; g < plan.blocks(); g++) {
                    pooling.finish(g, l, pooledSigma[l][g], pooledTheta[l][g], thetaZero);
                }
            }
        }
    }

    /**
     * A stage after a pooling: its slices start as the previous stage's pooled slices ({@code input}, Θ zero when
     * {@code inputThetaZero}) instead of the images' kernel.
     */
    private void runStage(SlicePooling input, boolean inputThetaZero, SelfStats[] sa, SelfStats[] sb,
                          SelfStats record) {
        source = input;
        sourceThetaZero = inputThetaZero;
        clearSums();
        runSlices(sa, sb, record, -1);
    }

    /** Loads the pair's images, the second in every block's frame, and clears the sums. */
    private void prepare(ImageBatch a, int i, ImageBatch b, int j) {
        loadImages(a, i, b, j);
        for (int g = 0; g < plan.blocks(); g++) {
            imageToFrame(g, inputPerm[g]);
        }
        clearSums();
    }

    private void clearSums() {
        sumSigma = 0;
        sumTheta = 0;
        thetaZero = true;
        Arrays.fill(laneSigma, 0);
        Arrays.fill(laneTheta, 0);
        if (pooling != null) {
            for (int g = 0; g < plan.blocks(); g++) {
                pooling.clear(g);
            }
        }
        block = 0;
    }

    /** The variance factors of both inputs of every lane (the second in every block's frame). */
    private void pairFactors(SelfStats[] sa, SelfStats[] sb) {
        for (int l = 0; l < pairLanes; l++) {
            lane = l;
            setFactors(sa[l], 0, false);
            for (int g = 0; g < plan.blocks(); g++) {
                setFactors(sb[l], g, true);
            }
        }
        lane = 0;
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
        pairFactors(one(sa), one(sb));
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
            if (source == null) {
                cutImageWindowsA(dx);
            }
            for (int k = 0; k < plan.steps.length; k++) {
                SlicePlan.Step st = plan.steps[k];
                if (st.isNonlinearity()) {
                    cutFactorWindowsA(k, dx, st.height, st.width);
                }
            }
            for (int g = 0; g < blocks; g++) {
                block = g;
                if (source == null) {
                    cutImageWindowsB(dx, g);
                }
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
        boolean thZero = true;
        if (source == null) {
            inputKernel(oy * lx, (oy + dy) * lx, ly * lx, 1.0 / channels);
        } else {
            thZero = sourceThetaZero;
            loadSlice(block, dy, dx, ly * lx, thZero);
        }
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
        if (pooling != null) {
            if (poolsDiagonal) {
                poolSlice(dy, dx, ly, lx, thZero); // the hybrid path pools slices (its pairs are cut by runHalf)
            }
            return;
        }
        if (pairLanes > 1) {
            addLaneSums(n, !thZero, laneSigma, laneTheta);
            thetaZero &= thZero;
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

    /** The previous stage's pooled slice (dy, dx) of block g, scaled, as this slice's input (n entries). */
    private void loadSlice(int g, int dy, int dx, int n, boolean thZero) {
        loadSlice(source.sigma(g), source.theta(g), source.sliceOffset(dy, dx), n, source.scale(), thZero);
    }

    /** Adds the finished slice (dy, dx) of block {@link #block} to the pooled kernel ({@link SlicePooling}). */
    private void poolSlice(int dy, int dx, int ly, int lx, boolean thZero) {
        if (!thZero) {
            thetaZero = false;
        }
        if (pairSums != null) {
            // an even dx pools pairs of columns of the slice, an odd one single columns into two targets
            double[][] p = pairSums;
            boolean even = (dx & 1) == 0;
            pairSums(false, ly * lx, even, p[0]);
            if (!thZero) {
                pairSums(true, ly * lx, even, p[1]);
            }
            pooling.addPairs(block, dy, dx, lx, p[0], p[1], thZero);
            return;
        }
        pooling.add(block, dy, dx, ly, lx, rows, thZero);
    }

    /** Hybrid path: the pooled block g's Σ, of the pooled grid (positions^2 entries), of lane {@link #readLane}. */
    double[] pooledSigma(int g) {
        return pooledSigma[lane][g];
    }

    double[] pooledTheta(int g) {
        return pooledTheta[lane][g];
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

    /** The slice's Σ ← scale · s[off ..], and Θ ← scale · t[off ..] unless it is zero, n entries. */
    protected abstract void loadSlice(double[] s, double[] t, int off, int n, double scale, boolean thetaZero);

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

    /**
     * The slice's Σ (or Θ when {@code theta}) in double, d[i], or with {@code neighbours} the sums of neighbours
     * d[i] + d[i + 1] (i &lt; n - 1), into {@code out}.
     */
    protected abstract void pairSums(boolean theta, int n, boolean neighbours, double[] out);

    /**
     * The pooling's row pass on the slice's Σ (or Θ when {@code theta}), in double: row[dst + c] = the sum over
     * b &lt; count of entry src + b lx + c, for c &lt; lx, added in the order of b.
     */
    protected abstract void poolRows(boolean theta, int src, int count, int lx, double[] row, int dst);

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

    /**
     * Lane evaluators: adds each lane's sum of the slice's Σ (and, when {@code theta}, Θ), in the order of
     * {@link #sumSigma}, to sigma[lane] (theta[lane]).
     */
    protected void addLaneSums(int n, boolean theta, double[] sigma, double[] thetaSums) {
        throw new UnsupportedOperationException("one pair at a time");
    }

    protected abstract double sumTheta(int n);
}
