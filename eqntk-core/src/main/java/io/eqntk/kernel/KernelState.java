package io.eqntk.kernel;

import io.eqntk.group.PointGroup;
import io.eqntk.kernel.map.Nonlinearity;
import io.eqntk.kernel.map.NormalizeMap;
import io.eqntk.model.KernelOp;
import io.eqntk.model.Padding;
import io.eqntk.model.Precision;

/**
 * The NNGP (Σ) and NTK (Θ) of one pair of inputs (x, x') at some depth of a network, with the operations the
 * layers' kernel maps are built from. One instance is a per-thread workspace: its buffers are allocated once, at
 * the largest block size, and reused for every pair, so a pair's work allocates nothing.
 *
 * <p>Three representations:
 * <ul>
 *   <li>{@link Mode#FULL}: blocks S_g(t, t') of shape [H, W, H, W], one per group element g (one block for a
 *       plain CNN map, |G| for a group map, KERNELS.md §3). Block g is stored in its element's frame,
 *       T_g(t, u) = S_g(t, g·u): since S_g's stencil reads (t + b, t' + g b), T_g's reads (t + b, u + b), so every
 *       block uses the same identity stencil ({@link Stencil#identity}), and a nonlinearity on block g reads
 *       the second input's variance at g·u. Sums (pooling) and the identity block are unaffected;</li>
 *   <li>{@link Mode#DIAGONAL}: only the diagonal t = t' of the identity block, enough below a flatten readout;</li>
 *   <li>{@link Mode#REDUCED}: scalars, after global pooling or flatten.</li>
 * </ul>
 *
 * <p>This class keeps what does not depend on the arithmetic's precision: the shape of the state, the reduced
 * scalars (always double) and the layers on them, the variances the engine sets, the position permutations. The
 * blocks and their maps are {@link Float64State}'s (written by hand) and its generated float32 twin's.
 */
abstract class KernelState {
    public enum Mode { FULL, DIAGONAL, REDUCED }

    /** A workspace computing its blocks in {@code precision}. */
    static KernelState create(Precision precision, int maxBlocks, int capacity) {
        return precision == Precision.FLOAT32 ? new Float32State(maxBlocks, capacity)
            : new Float64State(maxBlocks, capacity);
    }

    // one-entry views of the scalars, so that reduced states need no allocation per pair
    private final double[] scalarSigma = new double[1];
    private final double[] scalarTheta = new double[1];
    private final double[] scalarVar = new double[1];
    /** Position permutations of the current group on an n x n grid, cached per n. */
    private final java.util.Map<Integer, int[][]> permutations = new java.util.HashMap<>();
    private PointGroup permutationGroup;
    /** The network input's channel count (the base width of a first standard-parameterised layer). */
    protected int inputChannels;

    protected Mode mode;
    protected PointGroup group;
    protected int blocks;
    protected int height;
    protected int width;
    protected boolean thetaZero;
    protected double sigmaScalar;
    protected double thetaScalar;

    // self-variances of the two inputs at the current layer, set by the engine before a nonlinearity
    protected double[] varA;
    protected double[] varB;
    protected double varAScalar;
    protected double varBScalar;

    // ---------------------------------------------------------------- setup by the engine

    /** K0(t, t') = (1/C) sum_c x_c(t) x'_c(t'), Θ0 = 0; full blocks or the diagonal only. */
    public abstract void initInput(double[] x, int xOff, double[] xp, int xpOff, int h, int w, int channels,
                                   boolean diagonalOnly);

    /**
     * The input kernel and a first strided stencil (a conv or lift with stride > 1) in one step, on full blocks,
     * without ever forming the input block (docs/STRIDES.md).
     */
    public abstract void initStridedStencil(double[] x, int xOff, double[] xp, int xpOff, int h, int w,
                                            int channels, PointGroup outGroup, KernelOp.AffineStencil op);

    /**
     * Full blocks computed elsewhere (the hybrid path's pooled slices): {@code pooled}'s block g of Σ (and of Θ
     * unless it is zero), in its element's frame, on an h x w grid.
     */
    abstract void setFull(SliceEvaluator pooled, int blockCount, PointGroup grp, int h, int w, boolean thetaIsZero);

    /** A pooled state (after gap or gpool) computed elsewhere, e.g. by displacement slices. */
    void setReduced(double sigmaValue, double thetaValue, boolean thetaIsZero) {
        this.mode = Mode.REDUCED;
        this.group = null;
        this.blocks = 1;
        this.sigmaScalar = sigmaValue;
        this.thetaScalar = thetaValue;
        this.thetaZero = thetaIsZero;
    }

    public void setVariances(double[] a, double[] b) {
        this.varA = a;
        this.varB = b;
    }

    public void setScalarVariances(double a, double b) {
        this.varAScalar = a;
        this.varBScalar = b;
    }

    /**
     * The self-variances S_e(x, x)(t, t) read off the identity block's diagonal (for a self pair x = x'),
     * a new array; or null in reduced mode (then use {@link #sigmaScalar()}).
     */
    public abstract double[] identityDiagonal();

    // ---------------------------------------------------------------- accessors

    public Mode mode() {
        return mode;
    }

    public PointGroup group() {
        return group;
    }

    public double sigmaScalar() {
        return sigmaScalar;
    }

    public double thetaScalar() {
        return thetaScalar;
    }

    protected final int blockLength() {
        int p = height * width;
        return mode == Mode.FULL ? p * p : p;
    }

    // ---------------------------------------------------------------- kernel maps

    /**
     * A convolution-type affine layer (KERNELS.md §2-3): for each output block g,
     * Σ_g ← W²/q² Σ_b P_src(t + b, t' + g b) + b², Θ_g ← W²/q² Σ_b Θ_src(...) + Σ_g, where src = g when the
     * input holds |G| blocks (group convolution) and src = 0 when it holds one (convolution, lifting).
     *
     * @param outGroup the group of the output map (C1 for an ordinary convolution)
     */
    public abstract void stencil(PointGroup outGroup, int q, Padding pad, double wStd, double bStd);

    /**
     * A stencil with a stride or the standard parameterisation ({@link KernelOp.AffineStencil}); the stride-1
     * NTK case is {@link #stencil}. In the element frames the strided stencil is again the same for every block
     * (docs/STRIDES.md): T_g(o, u) = S_g(o, g·u) reads T_g(c(o) + b, c(u) + b), c the subsampling, because every
     * element maps the subsampled grid onto itself.
     */
    public abstract void affineStencil(PointGroup outGroup, KernelOp.AffineStencil op);

    /**
     * Average pooling with a k x k window and a stride, SAME or VALID ({@link io.eqntk.model.Subsampling}, taps in
     * the padding count as zeros), on every block for Σ and Θ alike.
     */
    public abstract void windowPool(int k, int stride, Padding pad);

    /** Average pooling over k x k cells with stride k, on every block, for Σ and Θ alike. */
    public abstract void avgPool(int k);

    /** An entrywise nonlinearity on every block, with the variances set by the engine. */
    public abstract void pointwise(Nonlinearity phi);

    /** {@link #pointwise} on a reduced state. */
    protected final void reducedPointwise(Nonlinearity phi) {
        scalarSigma[0] = sigmaScalar;
        scalarTheta[0] = thetaScalar;
        scalarVar[0] = varBScalar;
        phi.mapRow(varAScalar, scalarVar, 0, scalarSigma, thetaZero ? null : scalarTheta, 0, 1);
        sigmaScalar = scalarSigma[0];
        thetaScalar = thetaZero ? 0 : scalarTheta[0];
    }

    /**
     * Layer normalisation over all positions and group elements: Σ, Θ ← · / sqrt(v v') with v, v' the means of the
     * two inputs' self-variances set by the engine (on a group map the identity block's diagonal holds every
     * element's variances, permuted); on a reduced state the scalar variances. A zero mean variance gives 0.
     */
    public abstract void normalizeAll();

    /** The factor of {@link #normalizeAll}: from the scalar variances on a reduced state, else the spatial ones. */
    protected final double normalizeFactor() {
        if (mode == Mode.REDUCED) {
            return NormalizeMap.factor(varAScalar) * NormalizeMap.factor(varBScalar);
        }
        int p = height * width;
        return NormalizeMap.factor(mean(varA, p)) * NormalizeMap.factor(mean(varB, p));
    }

    private static double mean(double[] a, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[i];
        }
        return s / len;
    }

    /** A dense layer in the standard parameterisation: Σ ← W² Σ + b², Θ ← W² Θ + n Σ_old + [bias]. */
    public void standardDense(KernelOp.StandardDense op) {
        requireMode("dense", Mode.REDUCED);
        double w2 = op.wStd() * op.wStd();
        double before = sigmaScalar;
        sigmaScalar = w2 * sigmaScalar + op.bStd() * op.bStd();
        thetaScalar = (thetaZero ? 0 : w2 * thetaScalar) + op.baseWidth() * before + (op.bias() ? 1 : 0);
        thetaZero = false;
    }

    /** Dense layer on a reduced state: Σ ← W² Σ + b², Θ ← W² Θ + Σ_new. */
    public void dense(double wStd, double bStd) {
        requireMode("dense", Mode.REDUCED);
        double w2 = wStd * wStd;
        sigmaScalar = w2 * sigmaScalar + bStd * bStd;
        thetaScalar = (thetaZero ? 0 : w2 * thetaScalar) + sigmaScalar;
        thetaZero = false;
    }

    /** Global average pooling of a plain map: the mean over all (t, t'). */
    public abstract void globalMean();

    /** Group pooling: (1/|G|) sum_g mean_{t,t'} S_g(t, t'). */
    public abstract void groupMean();

    /** Flatten (then a dense readout): the mean over the diagonal t = t' of the identity block. */
    public abstract void flattenMean();

    // ---------------------------------------------------------------- branches

    /** Starts branches on the current state: keeps a copy to restore for each branch. */
    abstract void openBranches();

    /** Adds the finished branch's kernel, times {@code weight}, to the combination and restores the input. */
    abstract void nextBranch(double weight);

    /** Adds the last branch's kernel, times {@code weight}; the combination becomes the state. */
    abstract void closeBranches(double weight);

    /** The shape and scalars of a state, as a branch frame keeps them (its blocks are the subclass's). */
    static class Header {
        Mode mode;
        PointGroup group;
        int blocks;
        int height;
        int width;
        boolean thetaZero;
        double sigmaScalar;
        double thetaScalar;
    }

    protected final void saveHeader(Header s) {
        s.mode = mode;
        s.group = group;
        s.blocks = blocks;
        s.height = height;
        s.width = width;
        s.thetaZero = thetaZero;
        s.sigmaScalar = sigmaScalar;
        s.thetaScalar = thetaScalar;
    }

    protected final void restoreHeader(Header s) {
        mode = s.mode;
        group = s.group;
        blocks = s.blocks;
        height = s.height;
        width = s.width;
        thetaZero = s.thetaZero;
        sigmaScalar = s.sigmaScalar;
        thetaScalar = s.thetaScalar;
    }

    /** Branches must end in the state shape the first one ended in. */
    protected final void requireSameShape(Header sum) {
        if (sum.mode != mode || sum.blocks != blocks || sum.height != height || sum.width != width) {
            throw new IllegalStateException("branches end in different states: " + sum.mode + " " + sum.blocks + "x"
                + sum.height + "x" + sum.width + " and " + mode + " " + blocks + "x" + height + "x" + width);
        }
    }

    // ---------------------------------------------------------------- shared helpers

    /** perm[u] = index of g·u on the h x w grid, for the current group (cached; allocated once per size). */
    protected final int[] permutation(PointGroup grp, int g, int h, int w) {
        if (grp != permutationGroup) {
            permutations.clear();
            permutationGroup = grp;
        }
        int key = h * PERMUTATION_KEY + w;
        int[][] all = permutations.get(key);
        if (all == null) {
            all = new int[grp.order()][];
            for (int e = 0; e < grp.order(); e++) {
                all[e] = Stencil.positionPermutation(grp, e, h, w);
            }
            permutations.put(key, all);
        }
        return all[g];
    }

    /** Grid sides stay far below this (Limits.MAX_IMAGE_SIDE), so h * KEY + w names the grid. */
    private static final int PERMUTATION_KEY = 1 << 15;

    /** The state after a stencil wrote {@code outBlocks} blocks of the ho x wo grid in {@code outGroup}'s frames. */
    protected final void stencilOutput(int outBlocks, PointGroup outGroup, int ho, int wo) {
        blocks = outBlocks;
        thetaZero = false;
        group = outGroup.order() == 1 ? null : outGroup;
        height = ho;
        width = wo;
    }

    protected final void requireMode(String what, Mode... allowed) {
        for (Mode m : allowed) {
            if (m == mode) {
                return;
            }
        }
        throw new IllegalStateException(what + " cannot act on a " + mode + " kernel state");
    }
}
