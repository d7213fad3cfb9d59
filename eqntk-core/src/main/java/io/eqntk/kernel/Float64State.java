// float32 twin: Float32State, generated from this file by eqntk-core/src/build/PrecisionTwins.java
// (lines marked "float32 keeps double" keep their doubles there: the engine's API, the reduced scalars and the
// means, summed in double; the casts that are redundant here mark where the twin rounds)
package io.eqntk.kernel;

import io.eqntk.group.PointGroup;
import io.eqntk.kernel.map.Nonlinearity;
import io.eqntk.model.KernelOp;
import io.eqntk.model.Padding;
import io.eqntk.model.Parameterization;
import io.eqntk.model.Subsampling;

/**
 * {@link KernelState}'s full blocks and diagonals in double precision, with the stencils of {@link Stencil}.
 */
final class Float64State extends KernelState {
    private final double[][] sigma;
    private final double[][] theta;
    private double[] spare;
    private double[] spareTheta;
    private final double[] scratch;
    private double[] slab;
    // variance factors f(var) of the nonlinearities' two inputs, one per position (allocated on first use)
    private double[] factorA;
    private double[] factorB;
    /** The NTK addend of a standard-parameterised stencil (allocated on first use). */
    private double[] addend;
    /** Patch matrices of the two images for a strided first layer (allocated on first use). */
    private double[] patchA;
    private double[] patchB;
    /** The vector patch product's transposed patch matrix. */
    private double[] patchScratch;
    /** The sums of {@link #avgPool} (allocated on first use). */
    private double[] poolSums; // float32 keeps double

    /**
     * @param maxBlocks the largest number of blocks any layer holds (|G|, or 1)
     * @param capacity  the largest block length (positions^2 in full mode)
     */
    Float64State(int maxBlocks, int capacity) {
        this.sigma = new double[maxBlocks][capacity];
        this.theta = new double[maxBlocks][capacity];
        this.spare = new double[capacity];
        this.spareTheta = new double[capacity];
        this.scratch = new double[capacity];
        this.slab = new double[(int) Math.ceil(Math.sqrt(capacity))];
    }

    // ---------------------------------------------------------------- setup by the engine

    @Override
    public void initInput(double[] x, int xOff, double[] xp, int xpOff, int h, int w, int channels, // float32 keeps double
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
            for (int t = 0; t < p; t++) {
                double acc = 0;
                for (int c = 0; c < channels; c++) {
                    acc += (double) x[xOff + t * channels + c] * (double) xp[xpOff + t * channels + c];
                }
                s[t] = acc * inv;
            }
        } else {
            for (int t = 0; t < p; t++) {
                int row = t * p;
                int xo = xOff + t * channels;
                for (int u = 0; u < p; u++) {
                    int yo = xpOff + u * channels;
                    double acc = 0;
                    for (int c = 0; c < channels; c++) {
                        acc += (double) x[xo + c] * (double) xp[yo + c];
                    }
                    s[row + u] = acc * inv;
                }
            }
        }
    }

    @Override
    void setFull(SliceEvaluator pooled, int blockCount, PointGroup grp, int h, int w, boolean thetaIsZero) {
        this.mode = Mode.FULL;
        this.group = grp == null || grp.order() == 1 ? null : grp;
        this.blocks = blockCount;
        this.height = h;
        this.width = w;
        this.thetaZero = thetaIsZero;
        int len = h * w * h * w;
        for (int g = 0; g < blockCount; g++) {
            copyPooled(pooled.pooledSigma(g), sigma[g], len);
            if (!thetaIsZero) {
                copyPooled(pooled.pooledTheta(g), theta[g], len);
            }
        }
    }

    /** The pooled sums (kept in double by either precision's pooling) into a block. */
    private static void copyPooled(double[] from, // float32 keeps double
                                   double[] to, int len) {
        for (int i = 0; i < len; i++) {
            to[i] = (double) from[i];
        }
    }

    @Override
    public double[] identityDiagonal() { // float32 keeps double
        if (mode == Mode.REDUCED) {
            return null;
        }
        int p = height * width;
        double[] d = new double[p]; // float32 keeps double
        double[] s = sigma[0];
        int step = mode == Mode.DIAGONAL ? 1 : p + 1;
        for (int t = 0; t < p; t++) {
            d[t] = s[t * step];
        }
        return d;
    }

    // ---------------------------------------------------------------- kernel maps

    @Override
    public void stencil(PointGroup outGroup, int q, Padding pad, double wStd, double bStd) { // float32 keeps double
        requireMode("a convolution", Mode.FULL, Mode.DIAGONAL);
        double alpha = (double) (wStd * wStd / (q * q));
        double beta = (double) (bStd * bStd);
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
            swapStencilOutputs(0);
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
        }
        // the diagonal path carries the identity block alone
        stencilOutput(mode == Mode.DIAGONAL ? 1 : outGroup.order(), outGroup, ho, wo);
    }

    // ---------------------------------------------------------------- strides and the standard parameterisation

    @Override
    public void affineStencil(PointGroup outGroup, KernelOp.AffineStencil op) {
        requireMode("a convolution", Mode.FULL, Mode.DIAGONAL);
        int q = op.q();
        Padding pad = op.padding();
        double alpha = (double) op.alpha();
        double beta64 = op.bStd() * op.bStd(); // float32 keeps double
        double beta = (double) beta64;
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
        double fanIn = (double) (op.baseWidth() == 0 ? inputChannels : op.baseWidth()) * groupIn * q * q; // float32 keeps double
        double ratio64 = fanIn / (op.wStd() * op.wStd()); // float32 keeps double
        double ratio = (double) ratio64;
        double shift = (double) ((op.bias() ? 1 : 0) - ratio64 * beta64);
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

    /**
     * In element frame g the output is
     * {@code T_g(o, u) = alpha/C sum_{taps e} x(c(o) + e) · x'(g·(c(u) + e)) + beta} (docs/STRIDES.md), a product
     * of the two images' patch matrices, [outputs, q² C] each: (h w / s²)² q² C work instead of the (h w)² C of
     * the input block and its stencil.
     */
    @Override
    public void initStridedStencil(double[] x, int xOff, double[] xp, int xpOff, int h, int w, int channels, // float32 keeps double
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
        double alpha = (double) (op.alpha() / channels);
        double beta64 = op.bStd() * op.bStd(); // float32 keeps double
        double beta = (double) beta64;
        double fanIn = (double) (op.baseWidth() == 0 ? channels : op.baseWidth()) * q * q; // float32 keeps double
        double ratio64 = fanIn / (op.wStd() * op.wStd()); // float32 keeps double
        double ratio = (double) ratio64;
        double shift = (double) ((op.bias() ? 1 : 0) - ratio64 * beta64);
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
    private static void patches(double[] x, int off, int h, int w, int channels, int q, // float32 keeps double
                                Subsampling rows, Subsampling cols, int[] perm, double[] out) {
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
                            int src = off + (perm == null ? i * w + j : perm[i * w + j]) * channels;
                            for (int c = 0; c < channels; c++) {
                                out[dst + c] = (double) x[src + c];
                            }
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

    @Override
    public void windowPool(int k, int stride, Padding pad) {
        requireMode("avgpool", Mode.FULL);
        int h = height;
        int w = width;
        Subsampling rows = new Subsampling(h, k, stride, pad == Padding.SAME);
        Subsampling cols = new Subsampling(w, k, stride, pad == Padding.SAME);
        int ho = rows.outputs();
        int wo = cols.outputs();
        double scale = (double) (1.0 / ((double) k * k * k * k)); // the twin rounds 1 / k⁴ once
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

    @Override
    public void pointwise(Nonlinearity phi) {
        switch (mode) {
            case REDUCED: {
                reducedPointwise(phi);
                return;
            }
            case DIAGONAL: {
                // entry t pairs varA[t] with varB[t]: one vector map over factor arrays (same arithmetic as rows)
                int p = height * width;
                ensureFactors(p * phi.factorPlanes());
                for (int plane = 0; plane < phi.factorPlanes(); plane++) {
                    for (int t = 0; t < p; t++) {
                        factorA[plane * p + t] = (double) phi.varianceFactor(varA[t], plane);
                        factorB[plane * p + t] = (double) phi.varianceFactor(varB[t], plane);
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
                    double[] thRow = thetaZero ? null : theta[g];
                    // in block g's frame the second input's position u stands for g·u
                    int[] perm = g == 0 ? null : permutation(group, g, height, width);
                    for (int plane = 0; plane < planes; plane++) {
                        for (int u = 0; u < p; u++) {
                            factorB[plane * p + u] =
                                (double) phi.varianceFactor(varB[perm == null ? u : perm[u]], plane);
                        }
                    }
                    // row t: varA[t]'s factors against the row of factors, one vector map (as mapRow computes)
                    for (int t = 0; t < p; t++) {
                        for (int plane = 0; plane < planes; plane++) {
                            double f = (double) phi.varianceFactor(varA[t], plane);
                            java.util.Arrays.fill(factorA, plane * p, (plane + 1) * p, f);
                        }
                        phi.mapFactors(factorA, 0, factorB, 0, p, s, thRow, t * p, p, scratch, spare);
                    }
                }
            }
        }
    }

    @Override
    public void normalizeAll() {
        double f64 = normalizeFactor(); // float32 keeps double
        if (mode == Mode.REDUCED) {
            sigmaScalar *= f64;
            thetaScalar *= f64;
            return;
        }
        double f = (double) f64;
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

    @Override
    public void avgPool(int k) {
        requireMode("avgpool", Mode.FULL);
        int h = height;
        int w = width;
        int ho = h / k;
        int wo = w / k;
        double scale = (double) (1.0 / ((double) k * k * k * k)); // the twin rounds 1 / k⁴ once
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

    /**
     * One block's pooling into spare; the sums (k⁴ terms each, all of the block for a pooling to one cell) are kept
     * in double in either precision, so that the float32 twin rounds once per output entry.
     */
    private void poolBlock(double[] in, int h, int w, int k, int ho, int wo, double scale) {
        int p = h * w;
        int po = ho * wo;
        if (poolSums == null || poolSums.length < po * po) {
            poolSums = new double[po * po]; // float32 keeps double
        }
        double[] sums = poolSums; // float32 keeps double
        java.util.Arrays.fill(sums, 0, po * po, 0.0);
        for (int i = 0; i < ho * k; i++) {
            for (int j = 0; j < wo * k; j++) {
                int outRow = ((i / k) * wo + j / k) * po;
                int inRow = (i * w + j) * p;
                for (int ip = 0; ip < ho * k; ip++) {
                    int o = outRow + (ip / k) * wo;
                    int in0 = inRow + ip * w;
                    for (int jp = 0; jp < wo * k; jp++) {
                        sums[o + jp / k] += in[in0 + jp];
                    }
                }
            }
        }
        for (int i = 0; i < po * po; i++) {
            spare[i] = (double) (sums[i] * scale);
        }
    }

    @Override
    public void globalMean() {
        requireMode("global average pooling", Mode.FULL);
        int len = blockLength();
        sigmaScalar = mean(sigma[0], len);
        thetaScalar = thetaZero ? 0 : mean(theta[0], len);
        mode = Mode.REDUCED;
    }

    @Override
    public void groupMean() {
        requireMode("group pooling", Mode.FULL);
        int len = blockLength();
        double s = 0; // float32 keeps double
        double th = 0; // float32 keeps double
        for (int g = 0; g < blocks; g++) {
            s += mean(sigma[g], len);
            th += thetaZero ? 0 : mean(theta[g], len);
        }
        sigmaScalar = s / blocks;
        thetaScalar = th / blocks;
        group = null;
        mode = Mode.REDUCED;
    }

    @Override
    public void flattenMean() {
        requireMode("flatten", Mode.FULL, Mode.DIAGONAL);
        int p = height * width;
        double s = 0; // float32 keeps double
        double th = 0; // float32 keeps double
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

    /** The mean of a block's first len entries, summed in double (in either precision). */
    private static double mean( // float32 keeps double
                               double[] a, int len) {
        double s = 0; // float32 keeps double
        for (int i = 0; i < len; i++) {
            s += a[i];
        }
        return s / len;
    }

    // ---------------------------------------------------------------- branches

    /** A copy of a state: the input of open branches, or the weighted sum of the branches done so far. */
    private static final class Snapshot extends Header {
        double[][] sigma = new double[0][];
        double[][] theta = new double[0][];

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

    @Override
    void openBranches() {
        if (openFrames == frames.size()) {
            frames.add(new BranchFrame());
        }
        BranchFrame f = frames.get(openFrames++);
        f.started = false;
        copyInto(f.input);
    }

    @Override
    void nextBranch(double weight) { // float32 keeps double
        BranchFrame f = frames.get(openFrames - 1);
        accumulate(f, weight);
        restore(f.input);
    }

    @Override
    void closeBranches(double weight) { // float32 keeps double
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
        saveHeader(s);
    }

    private void restore(Snapshot s) {
        restoreHeader(s);
        int len = stateLength();
        for (int g = 0; g < blocks && len > 0; g++) {
            System.arraycopy(s.sigma[g], 0, sigma[g], 0, len);
            if (!thetaZero) {
                System.arraycopy(s.theta[g], 0, theta[g], 0, len);
            }
        }
    }

    /** sum ← sum + weight · state (the first branch sets it); a zero Θ adds nothing. */
    private void accumulate(BranchFrame f, double weight64) { // float32 keeps double
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
        } else {
            requireSameShape(sum);
        }
        sum.sigmaScalar += weight64 * sigmaScalar;
        if (!thetaZero) {
            sum.thetaScalar += weight64 * thetaScalar;
        }
        double weight = (double) weight64;
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
}
