package io.eqntk.kernel;

import io.eqntk.kernel.map.Nonlinearity;
import io.eqntk.kernel.map.NormalizeMap;
import io.eqntk.model.KernelOp;
import io.eqntk.model.Padding;
import io.eqntk.model.Parameterization;
import io.eqntk.model.Subsampling;
import io.eqntk.group.PointGroup;

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
 */
final class KernelState {
    public enum Mode { FULL, DIAGONAL, REDUCED }

    private final double[][] sigma;
    private final double[][] theta;
    private double[] spare;
    private double[] spareTheta;
    private final double[] scratch;
    private double[] slab;
    // variance factors f(var) of the nonlinearities' two inputs, one per position (allocated on first use)
    private double[] factorA;
    private double[] factorB;
    // one-entry views of the scalars, so that reduced states need no allocation per pair
    private final double[] scalarSigma = new double[1];
    private final double[] scalarTheta = new double[1];
    private final double[] scalarVar = new double[1];
    /** Position permutations of the current group on an n x n grid, cached per n. */
    private final java.util.Map<Integer, int[][]> permutations = new java.util.HashMap<>();
    private PointGroup permutationGroup;
    /** The network input's channel count (the base width of a first standard-parameterised layer). */
    private int inputChannels;
    /** The NTK addend of a standard-parameterised stencil (allocated on first use). */
    private double[] addend;
    /** Patch matrices of the two images for a strided first layer (allocated on first use). */
    private double[] patchA;
    private double[] patchB;
    /** The vector patch product's transposed patch matrix. */
    private double[] patchScratch;

    private Mode mode;
    private PointGroup group;
    private int blocks;
    private int height;
    private int width;
    private boolean thetaZero;
    private double sigmaScalar;
    private double thetaScalar;

    // self-variances of the two inputs at the current layer, set by the engine before a nonlinearity
    private double[] varA;
    private double[] varB;
    private double varAScalar;
    private double varBScalar;

    /**
     * @param maxBlocks the largest number of blocks any layer holds (|G|, or 1)
     * @param capacity  the largest block length (positions^2 in full mode)
     */
    public KernelState(int maxBlocks, int capacity) {
        this.sigma = new double[maxBlocks][capacity];
        this.theta = new double[maxBlocks][capacity];
        this.spare = new double[capacity];
        this.spareTheta = new double[capacity];
        this.scratch = new double[capacity];
        this.slab = new double[(int) Math.ceil(Math.sqrt(capacity))];
    }

    // ---------------------------------------------------------------- setup by the engine

    /** K0(t, t') = (1/C) sum_c x_c(t) x'_c(t'), Θ0 = 0; full blocks or the diagonal only. */
    public void initInput(double[] x, int xOff, double[] xp, int xpOff, int h, int w, int channels,
                          boolean diagonalOnly) {
        this.mode = diagonalOnly ? Mode.DIAGONAL : Mode.FULL;
        this.group = null;
        this.blocks = 1;
        this.height = h;
        this.width = w;
        this.thetaZero = true;
        this.inputChannels = channels;
        int p = h * w;
        double inv = 1.0 / channels;
        double[] s = sigma[0];
        if (diagonalOnly) {
            mode = Mode.DIAGONAL;
            for (int t = 0; t < p; t++) {
                double acc = 0;
                for (int c = 0; c < channels; c++) {
                    acc += x[xOff + t * channels + c] * xp[xpOff + t * channels + c];
                }
                s[t] = acc * inv;
            }
        } else {
            mode = Mode.FULL;
            for (int t = 0; t < p; t++) {
                int row = t * p;
                int xo = xOff + t * channels;
                for (int u = 0; u < p; u++) {
                    int yo = xpOff + u * channels;
                    double acc = 0;
                    for (int c = 0; c < channels; c++) {
                        acc += x[xo + c] * xp[yo + c];
                    }
                    s[row + u] = acc * inv;
                }
            }
        }
    }

    /** A pooled state (after gap or gpool) computed elsewhere, e.g. by displacement slices. */
    void setReduced(double sigmaValue, double thetaValue, boolean thetaIsZero) {
        this.mode = Mode.REDUCED;
        this.group = null;
        this.blocks = 1;
        this.sigmaScalar = sigmaValue;
        this.thetaScalar = thetaValue;
        this.thetaZero = thetaIsZero;
    }

    /**
     * Full blocks computed elsewhere (the hybrid path's pooled slices): {@code pooled}'s block g of Σ (and of Θ
     * unless it is zero), in its element's frame, on an h x w grid.
     */
    void setFull(SliceEvaluator pooled, int blockCount, PointGroup grp, int h, int w, boolean thetaIsZero) {
        this.mode = Mode.FULL;
        this.group = grp == null || grp.order() == 1 ? null : grp;
        this.blocks = blockCount;
        this.height = h;
        this.width = w;
        this.thetaZero = thetaIsZero;
        int len = h * w * h * w;
        for (int g = 0; g < blockCount; g++) {
            System.arraycopy(pooled.pooledSigma(g), 0, sigma[g], 0, len);
            if (!thetaIsZero) {
                System.arraycopy(pooled.pooledTheta(g), 0, theta[g], 0, len);
            }
        }
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
    public double[] identityDiagonal() {
        if (mode == Mode.REDUCED) {
            return null;
        }
        int p = height * width;
        double[] d = new double[p];
        double[] s = sigma[0];
        if (mode == Mode.DIAGONAL) {
            System.arraycopy(s, 0, d, 0, p);
        } else {
            for (int t = 0; t < p; t++) {
                d[t] = s[t * p + t];
            }
        }
        return d;
    }

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

    private int blockLength() {
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
    public void stencil(PointGroup outGroup, int q, Padding pad, double wStd, double bStd) {
        requireMode("a convolution", Mode.FULL, Mode.DIAGONAL);
        double alpha = wStd * wStd / (q * q);
        double beta = bStd * bStd;
        int h = height;
        int w = width;
        int ho = pad.outputSize(h, q);
        int wo = pad.outputSize(w, q);
        if (mode == Mode.DIAGONAL) {
            // only the identity block is carried; its stencil uses offset b in both slots
            Stencil.diagonal(sigma[0], h, w, q, pad, scratch, spare, alpha, beta, null);
            if (thetaZero) {
                System.arraycopy(spare, 0, spareTheta, 0, ho * wo);
            } else {
                Stencil.diagonal(theta[0], h, w, q, pad, scratch, spareTheta, alpha, 0, spare);
            }
            swapSigma(0);
            double[] t = spareTheta;
            spareTheta = theta[0];
            theta[0] = t;
            thetaZero = false;
        } else {
            int outBlocks = outGroup.order();
            boolean fromSingle = blocks == 1;
            if (!fromSingle && blocks != outBlocks) {
                throw new IllegalStateException("block count " + blocks + " does not match group " + outGroup);
            }
            int p = h * w;
            if (slab.length < Stencil.slabSize(h, w, q, pad)) {
                slab = new double[Stencil.slabSize(h, w, q, pad)];
            }
            // Blocks live in their element's frame, T_g(t, u) = S_g(t, g·u): there every stencil is the identity
            // one. A lifting layer moves its single input block into each frame; later layers keep the frames.
            // From a single block every output reads block 0: fill g = last..0, so block 0 is replaced last.
            for (int g = outBlocks - 1; g >= 0; g--) {
                double[] srcS = fromSingle ? sigma[0] : sigma[g];
                if (fromSingle && g != 0) {
                    Stencil.permuteSecondSlot(srcS, p, permutation(outGroup, g, h, w), scratch);
                    srcS = scratch;
                }
                Stencil.identity(srcS, h, w, q, pad, slab, spare, alpha, beta, null);
                if (thetaZero) {
                    System.arraycopy(spare, 0, spareTheta, 0, ho * wo * ho * wo);
                } else {
                    double[] srcT = fromSingle ? theta[0] : theta[g];
                    if (fromSingle && g != 0) {
                        Stencil.permuteSecondSlot(srcT, p, permutation(outGroup, g, h, w), scratch);
                        srcT = scratch;
                    }
                    Stencil.identity(srcT, h, w, q, pad, slab, spareTheta, alpha, 0, spare);
                }
                swapStencilOutputs(g);
            }
            blocks = outBlocks;
            thetaZero = false;
        }
        group = outGroup.order() == 1 ? null : outGroup;
        height = ho;
        width = wo;
    }

    /** perm[u] = index of g·u on the h x w grid, for the current group (cached; allocated once per size). */
    private int[] permutation(PointGroup grp, int g, int h, int w) {
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

    // ---------------------------------------------------------------- strides and the standard parameterisation

    /**
     * A stencil with a stride or the standard parameterisation ({@link KernelOp.AffineStencil}); the stride-1
     * NTK case is {@link #stencil}. In the element frames the strided stencil is again the same for every block
     * (docs/STRIDES.md): T_g(o, u) = S_g(o, g·u) reads T_g(c(o) + b, c(u) + b), c the subsampling, because every
     * element maps the subsampled grid onto itself.
     */
    public void affineStencil(PointGroup outGroup, KernelOp.AffineStencil op) {
        requireMode("a convolution", Mode.FULL, Mode.DIAGONAL);
        int q = op.q();
        Padding pad = op.padding();
        double alpha = op.alpha();
        double beta = op.bStd() * op.bStd();
        int h = height;
        int w = width;
        Subsampling rows = new Subsampling(h, q, op.stride(), pad == Padding.SAME);
        Subsampling cols = new Subsampling(w, q, op.stride(), pad == Padding.SAME);
        int ho = op.stride() == 1 ? pad.outputSize(h, q) : rows.outputs();
        int wo = op.stride() == 1 ? pad.outputSize(w, q) : cols.outputs();
        boolean standard = op.param() == Parameterization.STANDARD;
        boolean fromSingle = blocks == 1;
        int outBlocks = mode == Mode.DIAGONAL ? 1 : outGroup.order();
        // the input's group copies: |G| for a gconv on a group map (also on the diagonal path, which holds one block)
        int groupIn = op.lift() == null && group != null ? group.order() : 1;
        // standard: Θ ← W² A(Θ) + fanIn A(P) + [bias], with fanIn A(P) = (fanIn / W²)(Σ_new - b²)
        double fanIn = (double) (op.baseWidth() == 0 ? inputChannels : op.baseWidth()) * groupIn * q * q;
        double ratio = fanIn / (op.wStd() * op.wStd());
        double shift = (op.bias() ? 1 : 0) - ratio * beta;
        int len = mode == Mode.DIAGONAL ? ho * wo : ho * wo * ho * wo;
        if (standard && (addend == null || addend.length < len)) {
            addend = new double[Math.max(len, spare.length)];
        }
        if (mode == Mode.FULL && !fromSingle && blocks != outBlocks) {
            throw new IllegalStateException("block count " + blocks + " does not match group " + outGroup);
        }
        if (slab.length < Stencil.slabSize(h, w, q, pad)) {
            slab = new double[Stencil.slabSize(h, w, q, pad)];
        }
        int p = h * w;
        for (int g = outBlocks - 1; g >= 0; g--) {
            double[] srcS = fromSingle ? sigma[0] : sigma[g];
            if (mode == Mode.FULL && fromSingle && g != 0) {
                Stencil.permuteSecondSlot(srcS, p, permutation(outGroup, g, h, w), scratch);
                srcS = scratch;
            }
            applyStencil(srcS, h, w, q, pad, op.stride(), rows, cols, spare, alpha, beta, null);
            double[] thetaAddend = spare;
            if (standard) {
                for (int i = 0; i < len; i++) {
                    addend[i] = ratio * spare[i] + shift;
                }
                thetaAddend = addend;
            }
            if (thetaZero) {
                System.arraycopy(thetaAddend, 0, spareTheta, 0, len);
            } else {
                double[] srcT = fromSingle ? theta[0] : theta[g];
                if (mode == Mode.FULL && fromSingle && g != 0) {
                    Stencil.permuteSecondSlot(srcT, p, permutation(outGroup, g, h, w), scratch);
                    srcT = scratch;
                }
                applyStencil(srcT, h, w, q, pad, op.stride(), rows, cols, spareTheta, alpha, 0, thetaAddend);
            }
            swapStencilOutputs(g);
        }
        stencilOutput(outBlocks, outGroup, ho, wo);
    }

    /** The state after a stencil wrote {@code outBlocks} blocks of the ho x wo grid in {@code outGroup}'s frames. */
    private void stencilOutput(int outBlocks, PointGroup outGroup, int ho, int wo) {
        blocks = outBlocks;
        thetaZero = false;
        group = outGroup.order() == 1 ? null : outGroup;
        height = ho;
        width = wo;
    }

    /**
     * The input kernel and a first strided stencil (a conv or lift with stride > 1) in one step, on full blocks,
     * without ever forming the input block: in element frame g the output is
     * {@code T_g(o, u) = alpha/C sum_{taps e} x(c(o) + e) · x'(g·(c(u) + e)) + beta} (docs/STRIDES.md), a product
     * of the two images' patch matrices, [outputs, q² C] each: (h w / s²)² q² C work instead of the (h w)² C of
     * the input block and its stencil.
     */
    public void initStridedStencil(double[] x, int xOff, double[] xp, int xpOff, int h, int w, int channels,
                                   PointGroup outGroup, KernelOp.AffineStencil op) {
        int q = op.q();
        boolean same = op.padding() == Padding.SAME;
        Subsampling rows = new Subsampling(h, q, op.stride(), same);
        Subsampling cols = new Subsampling(w, q, op.stride(), same);
        int ho = rows.outputs();
        int wo = cols.outputs();
        int po = ho * wo;
        int width = q * q * channels;
        int outBlocks = outGroup.order();
        if (patchA == null || patchA.length < po * width) {
            patchA = new double[po * width];
            patchB = new double[po * width];
        }
        double[] a = patchA;
        double[] b = patchB;
        patches(x, xOff, h, w, channels, q, rows, cols, null, a);
        double alpha = op.alpha() / channels;
        double beta = op.bStd() * op.bStd();
        double fanIn = (double) (op.baseWidth() == 0 ? channels : op.baseWidth()) * q * q;
        double ratio = fanIn / (op.wStd() * op.wStd());
        double shift = (op.bias() ? 1 : 0) - ratio * beta;
        boolean standard = op.param() == Parameterization.STANDARD;
        for (int g = 0; g < outBlocks; g++) {
            patches(xp, xpOff, h, w, channels, q, rows, cols, g == 0 ? null : permutation(outGroup, g, h, w), b);
            double[] sg = sigma[g];
            double[] tg = theta[g];
            patchScratch = PatchProducts.product(a, b, po, width, sg, patchScratch);
            for (int t = 0; t < po * po; t++) {
                double sv = alpha * sg[t] + beta;
                sg[t] = sv;
                tg[t] = standard ? ratio * sv + shift : sv;
            }
        }
        this.mode = Mode.FULL;
        stencilOutput(outBlocks, outGroup, ho, wo);
        this.inputChannels = channels;
    }

    /**
     * Patch matrix [outputs, q² C] of an image: row o holds the values at the taps start(o) + e (zero outside), read
     * at perm[position] when perm is given (the image seen in element g's frame).
     */
    private static void patches(double[] x, int off, int h, int w, int channels, int q, Subsampling rows,
                                Subsampling cols, int[] perm, double[] out) {
        int wo = cols.outputs();
        int width = q * q * channels;
        for (int oi = 0; oi < rows.outputs(); oi++) {
            for (int oj = 0; oj < wo; oj++) {
                int row = (oi * wo + oj) * width;
                for (int ta = 0; ta < q; ta++) {
                    int i = rows.start(oi) + ta;
                    for (int tb = 0; tb < q; tb++) {
                        int j = cols.start(oj) + tb;
                        int dst = row + (ta * q + tb) * channels;
                        if (i < 0 || i >= h || j < 0 || j >= w) {
                            java.util.Arrays.fill(out, dst, dst + channels, 0.0);
                        } else {
                            int pos = perm == null ? i * w + j : perm[i * w + j];
                            System.arraycopy(x, off + pos * channels, out, dst, channels);
                        }
                    }
                }
            }
        }
    }

    /** One block's stencil (full or diagonal), stride 1 by the original routines, else the strided ones. */
    private void applyStencil(double[] in, int h, int w, int q, Padding pad, int stride, Subsampling rows,
                              Subsampling cols, double[] out, double alpha, double beta, double[] add) {
        if (mode == Mode.DIAGONAL) {
            if (stride == 1) {
                Stencil.diagonal(in, h, w, q, pad, scratch, out, alpha, beta, add);
            } else {
                Stencil.diagonalStrided(in, w, q, rows, cols, out, alpha, beta, add);
            }
        } else if (stride == 1) {
            Stencil.identity(in, h, w, q, pad, slab, out, alpha, beta, add);
        } else {
            Stencil.strided(in, h, w, q, rows, cols, slab, out, alpha, beta, add);
        }
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

    /**
     * Average pooling with a k x k window and a stride, SAME or VALID ({@link Subsampling}, taps in the padding
     * count as zeros), on every block for Σ and Θ alike: separably, first the row pair, then the column pair.
     */
    public void windowPool(int k, int stride, Padding pad) {
        requireMode("avgpool", Mode.FULL);
        int h = height;
        int w = width;
        Subsampling rows = new Subsampling(h, k, stride, pad == Padding.SAME);
        Subsampling cols = new Subsampling(w, k, stride, pad == Padding.SAME);
        int ho = rows.outputs();
        int wo = cols.outputs();
        double scale = 1.0 / ((double) k * k * k * k);
        for (int g = 0; g < blocks; g++) {
            Stencil.windowPool(sigma[g], h, w, k, rows, cols, scratch, spare, scale);
            swapSigma(g);
            if (!thetaZero) {
                Stencil.windowPool(theta[g], h, w, k, rows, cols, scratch, spare, scale);
                swapTheta(g);
            }
        }
        height = ho;
        width = wo;
    }

    private void swapSigma(int g) {
        double[] done = spare;
        spare = sigma[g];
        sigma[g] = done;
    }

    /** Block g becomes a stencil's outputs (spare, spareTheta); its old arrays become the spares. */
    private void swapStencilOutputs(int g) {
        swapSigma(g);
        double[] done = spareTheta;
        spareTheta = theta[g];
        theta[g] = done;
    }

    private void swapTheta(int g) {
        double[] done = spare;
        spare = theta[g];
        theta[g] = done;
    }

    /** Dense layer on a reduced state: Σ ← W² Σ + b², Θ ← W² Θ + Σ_new. */
    public void dense(double wStd, double bStd) {
        requireMode("dense", Mode.REDUCED);
        double w2 = wStd * wStd;
        sigmaScalar = w2 * sigmaScalar + bStd * bStd;
        thetaScalar = (thetaZero ? 0 : w2 * thetaScalar) + sigmaScalar;
        thetaZero = false;
    }

    /** An entrywise nonlinearity on every block, with the variances set by the engine. */
    public void pointwise(Nonlinearity phi) {
        double[] thRow;
        switch (mode) {
            case REDUCED: {
                scalarSigma[0] = sigmaScalar;
                scalarTheta[0] = thetaScalar;
                scalarVar[0] = varBScalar;
                phi.mapRow(varAScalar, scalarVar, 0, scalarSigma, thetaZero ? null : scalarTheta, 0, 1);
                sigmaScalar = scalarSigma[0];
                thetaScalar = thetaZero ? 0 : scalarTheta[0];
                return;
            }
            case DIAGONAL: {
                // entry t pairs varA[t] with varB[t]: one vector map over factor arrays (same arithmetic as rows)
                int p = height * width;
                ensureFactors(p * phi.factorPlanes());
                for (int plane = 0; plane < phi.factorPlanes(); plane++) {
                    for (int t = 0; t < p; t++) {
                        factorA[plane * p + t] = phi.varianceFactor(varA[t], plane);
                        factorB[plane * p + t] = phi.varianceFactor(varB[t], plane);
                    }
                }
                phi.mapFactors(factorA, 0, factorB, 0, p, sigma[0], thetaZero ? null : theta[0], 0, p, scratch,
                    spare);
                return;
            }
            default: {
                int p = height * width;
                int planes = phi.factorPlanes();
                ensureFactors(p * planes);
                for (int g = 0; g < blocks; g++) {
                    double[] s = sigma[g];
                    thRow = thetaZero ? null : theta[g];
                    // in block g's frame the second input's position u stands for g·u
                    int[] perm = g == 0 ? null : permutation(group, g, height, width);
                    for (int plane = 0; plane < planes; plane++) {
                        for (int u = 0; u < p; u++) {
                            factorB[plane * p + u] = phi.varianceFactor(varB[perm == null ? u : perm[u]], plane);
                        }
                    }
                    // row t: varA[t]'s factors against the row of factors, one vector map (as mapRow computes)
                    for (int t = 0; t < p; t++) {
                        for (int plane = 0; plane < planes; plane++) {
                            double f = phi.varianceFactor(varA[t], plane);
                            java.util.Arrays.fill(factorA, plane * p, (plane + 1) * p, f);
                        }
                        phi.mapFactors(factorA, 0, factorB, 0, p, s, thRow, t * p, p, scratch, spare);
                    }
                }
            }
        }
    }

    /**
     * Layer normalisation over all positions and group elements: Σ, Θ ← · / sqrt(v v') with v, v' the means of the
     * two inputs' self-variances set by the engine (on a group map the identity block's diagonal holds every
     * element's variances, permuted); on a reduced state the scalar variances. A zero mean variance gives 0.
     */
    public void normalizeAll() {
        if (mode == Mode.REDUCED) {
            double f = NormalizeMap.factor(varAScalar) * NormalizeMap.factor(varBScalar);
            sigmaScalar *= f;
            thetaScalar *= f;
            return;
        }
        int p = height * width;
        double f = NormalizeMap.factor(mean(varA, p)) * NormalizeMap.factor(mean(varB, p));
        int len = blockLength();
        for (int g = 0; g < blocks; g++) {
            for (int i = 0; i < len; i++) {
                sigma[g][i] *= f;
            }
            if (!thetaZero) {
                for (int i = 0; i < len; i++) {
                    theta[g][i] *= f;
                }
            }
        }
    }

    private void ensureFactors(int positions) {
        if (factorA == null || factorA.length < positions) {
            factorA = new double[positions];
            factorB = new double[positions];
        }
    }

    /** Average pooling over k x k cells with stride k, on every block, for Σ and Θ alike. */
    public void avgPool(int k) {
        requireMode("avgpool", Mode.FULL);
        int h = height;
        int w = width;
        int ho = h / k;
        int wo = w / k;
        double scale = 1.0 / ((double) k * k * k * k);
        for (int g = 0; g < blocks; g++) {
            poolBlock(sigma[g], h, w, k, ho, wo, scale);
            swapSigma(g);
            if (!thetaZero) {
                poolBlock(theta[g], h, w, k, ho, wo, scale);
                swapTheta(g);
            }
        }
        height = ho;
        width = wo;
    }

    private void poolBlock(double[] in, int h, int w, int k, int ho, int wo, double scale) {
        int p = h * w;
        int po = ho * wo;
        java.util.Arrays.fill(spare, 0, po * po, 0.0);
        for (int i = 0; i < ho * k; i++) {
            for (int j = 0; j < wo * k; j++) {
                int outRow = ((i / k) * wo + j / k) * po;
                int inRow = (i * w + j) * p;
                for (int ip = 0; ip < ho * k; ip++) {
                    int o = outRow + (ip / k) * wo;
                    int in0 = inRow + ip * w;
                    for (int jp = 0; jp < wo * k; jp++) {
                        spare[o + jp / k] += in[in0 + jp];
                    }
                }
            }
        }
        for (int i = 0; i < po * po; i++) {
            spare[i] *= scale;
        }
    }

    /** Global average pooling of a plain map: the mean over all (t, t'). */
    public void globalMean() {
        requireMode("global average pooling", Mode.FULL);
        int len = blockLength();
        sigmaScalar = mean(sigma[0], len);
        thetaScalar = thetaZero ? 0 : mean(theta[0], len);
        mode = Mode.REDUCED;
    }

    /** Group pooling: (1/|G|) sum_g mean_{t,t'} S_g(t, t'). */
    public void groupMean() {
        requireMode("group pooling", Mode.FULL);
        int len = blockLength();
        double s = 0;
        double th = 0;
        for (int g = 0; g < blocks; g++) {
            s += mean(sigma[g], len);
            th += thetaZero ? 0 : mean(theta[g], len);
        }
        sigmaScalar = s / blocks;
        thetaScalar = th / blocks;
        group = null;
        mode = Mode.REDUCED;
    }

    /** Flatten (then a dense readout): the mean over the diagonal t = t' of the identity block. */
    public void flattenMean() {
        requireMode("flatten", Mode.FULL, Mode.DIAGONAL);
        int p = height * width;
        double s = 0;
        double th = 0;
        double[] sg = sigma[0];
        double[] tg = theta[0];
        int step = mode == Mode.FULL ? p + 1 : 1;
        for (int t = 0; t < p; t++) {
            s += sg[t * step];
            th += thetaZero ? 0 : tg[t * step];
        }
        sigmaScalar = s / p;
        thetaScalar = th / p;
        group = null;
        mode = Mode.REDUCED;
    }

    private static double mean(double[] a, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[i];
        }
        return s / len;
    }

    // ---------------------------------------------------------------- branches

    /** A copy of a state: the input of open branches, or the weighted sum of the branches done so far. */
    private static final class Snapshot {
        double[][] sigma = new double[0][];
        double[][] theta = new double[0][];
        Mode mode;
        PointGroup group;
        int blocks;
        int height;
        int width;
        boolean thetaZero;
        double sigmaScalar;
        double thetaScalar;

        /** Room for {@code blocks} blocks of {@code len} entries (grown once, then reused for every pair). */
        void ensure(int blocks, int len) {
            if (sigma.length < blocks) {
                sigma = java.util.Arrays.copyOf(sigma, blocks);
                theta = java.util.Arrays.copyOf(theta, blocks);
            }
            for (int g = 0; g < blocks; g++) {
                if (sigma[g] == null || sigma[g].length < len) {
                    sigma[g] = new double[len];
                    theta[g] = new double[len];
                }
            }
        }
    }

    /** One level of open branches. */
    private static final class BranchFrame {
        final Snapshot input = new Snapshot();
        final Snapshot sum = new Snapshot();
        boolean started;
    }

    private final java.util.List<BranchFrame> frames = new java.util.ArrayList<>();
    private int openFrames;

    /** Starts branches on the current state: keeps a copy to restore for each branch. */
    void openBranches() {
        if (openFrames == frames.size()) {
            frames.add(new BranchFrame());
        }
        BranchFrame f = frames.get(openFrames++);
        f.started = false;
        copyInto(f.input);
    }

    /** Adds the finished branch's kernel, times {@code weight}, to the combination and restores the input. */
    void nextBranch(double weight) {
        BranchFrame f = frames.get(openFrames - 1);
        accumulate(f, weight);
        restore(f.input);
    }

    /** Adds the last branch's kernel, times {@code weight}; the combination becomes the state. */
    void closeBranches(double weight) {
        BranchFrame f = frames.get(--openFrames);
        accumulate(f, weight);
        restore(f.sum);
    }

    private int stateLength() {
        return mode == Mode.REDUCED ? 0 : blockLength();
    }

    private void copyInto(Snapshot s) {
        int len = stateLength();
        s.ensure(blocks, len);
        for (int g = 0; g < blocks && len > 0; g++) {
            System.arraycopy(sigma[g], 0, s.sigma[g], 0, len);
            if (!thetaZero) {
                System.arraycopy(theta[g], 0, s.theta[g], 0, len);
            }
        }
        s.mode = mode;
        s.group = group;
        s.blocks = blocks;
        s.height = height;
        s.width = width;
        s.thetaZero = thetaZero;
        s.sigmaScalar = sigmaScalar;
        s.thetaScalar = thetaScalar;
    }

    private void restore(Snapshot s) {
        mode = s.mode;
        group = s.group;
        blocks = s.blocks;
        height = s.height;
        width = s.width;
        thetaZero = s.thetaZero;
        sigmaScalar = s.sigmaScalar;
        thetaScalar = s.thetaScalar;
        int len = stateLength();
        for (int g = 0; g < blocks && len > 0; g++) {
            System.arraycopy(s.sigma[g], 0, sigma[g], 0, len);
            if (!thetaZero) {
                System.arraycopy(s.theta[g], 0, theta[g], 0, len);
            }
        }
    }

    /** sum ← sum + weight · state (the first branch sets it); a zero Θ adds nothing. */
    private void accumulate(BranchFrame f, double weight) {
        Snapshot sum = f.sum;
        int len = stateLength();
        if (!f.started) {
            copyInto(sum);
            sum.thetaZero = true;
            sum.sigmaScalar = 0;
            sum.thetaScalar = 0;
            for (int g = 0; g < blocks; g++) {
                java.util.Arrays.fill(sum.sigma[g], 0, len, 0.0);
            }
            f.started = true;
        } else if (sum.mode != mode || sum.blocks != blocks || sum.height != height || sum.width != width) {
            throw new IllegalStateException("branches end in different states: " + sum.mode + " " + sum.blocks + "x"
                + sum.height + "x" + sum.width + " and " + mode + " " + blocks + "x" + height + "x" + width);
        }
        sum.sigmaScalar += weight * sigmaScalar;
        if (!thetaZero) {
            sum.thetaScalar += weight * thetaScalar;
        }
        for (int g = 0; g < blocks; g++) {
            double[] ss = sum.sigma[g];
            double[] cs = sigma[g];
            for (int i = 0; i < len; i++) {
                ss[i] += weight * cs[i];
            }
            if (!thetaZero) {
                double[] st = sum.theta[g];
                double[] ct = theta[g];
                if (sum.thetaZero) {
                    for (int i = 0; i < len; i++) {
                        st[i] = weight * ct[i];
                    }
                } else {
                    for (int i = 0; i < len; i++) {
                        st[i] += weight * ct[i];
                    }
                }
            }
        }
        sum.thetaZero &= thetaZero;
    }

    private void requireMode(String what, Mode... allowed) {
        for (Mode m : allowed) {
            if (m == mode) {
                return;
            }
        }
        throw new IllegalStateException(what + " cannot act on a " + mode + " kernel state");
    }

}
