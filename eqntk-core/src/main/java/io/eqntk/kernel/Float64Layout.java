// float32 twin: Float32Layout, generated from this file by eqntk-core/src/build/PrecisionTwins.java
// (lines marked "float32 keeps double" keep their doubles there)
package io.eqntk.kernel;

import io.eqntk.kernel.map.Nonlinearity;

/**
 * The work arrays of the double-precision slice evaluators and what they do alike: the images, the variance
 * factors and their column windows, the branches' kept slices and sums. Entry e of lane l lives at e S + l, S the
 * {@code stride}: 1 for one pair at a time ({@link Float64Slices}), the lanes for {@link Float64Lanes}; one pair
 * works in lane 0.
 */
abstract class Float64Layout extends SliceEvaluator {
    /** Entries apart of one lane: 1, or the pairs at once. */
    protected final int stride;
    protected final double[] sig;
    protected final double[] th;
    protected final double[] tmpS;
    protected final double[] tmpT;
    /** mask[R + k][i] = 1 when column (i mod lx) + k lies in a row of lx entries, R the largest radius. */
    protected final double[][] mask;
    /** Images channel-major, [c][position]; imgBg[g] is the second image moved into block g's frame. */
    protected final double[][] imgA;
    protected final double[][] imgB;
    protected final double[][][] imgBg;
    protected final double[][] imgWindowA;
    protected final double[][] imgWindowB;
    /**
     * Variance factors per nonlinearity step (null for stencils): [k] of the first input, [g][k] of the second in
     * block g's frame; and their column windows.
     */
    protected final double[][] factorA;
    protected final double[][][] factorB;
    protected final double[][] windowA;
    protected final double[][] windowB;
    /** Per level of open branches: the kept input slice [depth][entry] and the branches' sum, for Σ and Θ. */
    private final double[][] branchInS;
    private final double[][] branchInT;
    private final double[][] branchSumS;
    private final double[][] branchSumT;

    protected Float64Layout(SlicePlan plan, int channels, boolean vector, int lanes) {
        super(plan, channels, vector, lanes);
        int s = lanes;
        this.stride = s;
        int cap = plan.height * plan.width;
        int r = plan.maxRadius;
        sig = new double[length * s];
        th = new double[length * s];
        tmpS = new double[length * s];
        tmpT = new double[length * s];
        mask = new double[2 * r + 1][cap];
        imgA = new double[channels][cap * s];
        imgB = new double[channels][cap * s];
        imgBg = new double[plan.blocks()][channels][cap * s];
        imgWindowA = new double[channels][cap * s];
        imgWindowB = new double[channels][cap * s];
        int depth = plan.branchDepth;
        branchInS = new double[depth][length * s];
        branchInT = new double[depth][length * s];
        branchSumS = new double[depth][length * s];
        branchSumT = new double[depth][length * s];
        int steps = plan.steps.length;
        factorA = new double[steps][];
        factorB = new double[plan.blocks()][steps][];
        windowA = new double[steps][];
        windowB = new double[steps][];
        for (int k = 0; k < steps; k++) {
            SlicePlan.Step st = plan.steps[k];
            if (st.isNonlinearity()) {
                // room for one vector past the last plane: short maps run as whole vectors
                int p = st.height * st.width * st.phi.factorPlanes() * s + 16;
                factorA[k] = new double[p];
                for (int g = 0; g < plan.blocks(); g++) {
                    factorB[g][k] = new double[p];
                }
                windowA[k] = new double[p];
                windowB[k] = new double[p];
            }
        }
    }

    @Override
    protected final void loadImages(ImageBatch a, int i, ImageBatch b, int j) {
        load(a, i, imgA);
        load(b, j, imgB);
    }

    private void load(ImageBatch x, int index, double[][] dst) {
        double[] data = x.data(); // float32 keeps double
        int off = index * x.imageSize();
        int p = x.height() * x.width();
        for (int t = 0; t < p; t++) {
            for (int c = 0; c < channels; c++) {
                dst[c][t * stride + lane] = (double) data[off + t * channels + c];
            }
        }
    }

    @Override
    protected final void imageToFrame(int g, int[] perm) {
        for (int c = 0; c < channels; c++) {
            double[] src = imgB[c];
            double[] dst = imgBg[g][c];
            if (perm == null && stride == 1) {
                System.arraycopy(src, 0, dst, 0, src.length);
                continue;
            }
            int p = src.length / stride;
            for (int u = 0; u < p; u++) {
                dst[u * stride + lane] = src[(perm == null ? u : perm[u]) * stride + lane];
            }
        }
    }

    /**
     * dst rows of lx entries = the columns [ox, ox + lx) of src's rows of {@code width}, from entry {@code at}
     * (all lanes).
     */
    private void cutColumns(double[] src, int width, int ox, double[] dst, int lx, int rows, int at) {
        if (stride == 1) {
            SliceOps.cutColumns(src, width, ox, dst, lx, rows, at);
            return;
        }
        for (int y = 0; y < rows; y++) {
            System.arraycopy(src, (at + y * width + ox) * stride, dst, (at + y * lx) * stride, lx * stride);
        }
    }

    @Override
    protected final void cutImageWindowsA(int dx) {
        int ox = Math.max(0, -dx);
        for (int c = 0; c < channels; c++) {
            cutColumns(imgA[c], plan.width, ox, imgWindowA[c], plan.width - Math.abs(dx), plan.height, 0);
        }
    }

    @Override
    protected final void cutImageWindowsB(int dx, int g) {
        int ox = Math.max(0, -dx) + dx;
        for (int c = 0; c < channels; c++) {
            cutColumns(imgBg[g][c], plan.width, ox, imgWindowB[c], plan.width - Math.abs(dx), plan.height, 0);
        }
    }

    @Override
    protected final void setFactors(int k, Nonlinearity phi,
                                    double[] variances, int[] perm, boolean second, int g) { // float32 keeps double
        double[] f = second ? factorB[g][k] : factorA[k];
        int p = plane(k);
        for (int plane = 0; plane < phi.factorPlanes(); plane++) {
            for (int u = 0; u < p; u++) {
                f[(plane * p + u) * stride + lane] =
                    (double) phi.varianceFactor(variances[perm == null ? u : perm[u]], plane);
            }
        }
    }

    @Override
    protected final void cutFactorWindowsA(int k, int dx, int height, int width) {
        int p = height * width;
        for (int plane = 0; plane < plan.steps[k].phi.factorPlanes(); plane++) {
            cutColumns(factorA[k], width, Math.max(0, -dx), windowA[k], width - Math.abs(dx), height, plane * p);
        }
    }

    @Override
    protected final void cutFactorWindowsB(int k, int dx, int g, int height, int width) {
        int p = height * width;
        for (int plane = 0; plane < plan.steps[k].phi.factorPlanes(); plane++) {
            cutColumns(factorB[g][k], width, Math.max(0, -dx) + dx, windowB[k], width - Math.abs(dx), height,
                plane * p);
        }
    }

    @Override
    protected final void loadSlice(double[] s, double[] t, int off, int n, double scale, // float32 keeps double
                                   boolean thetaZero) {
        // the pooled slice of every lane (the pooling keeps the lane layout)
        int o = base * stride;
        int from = off * stride;
        for (int e = 0; e < n * stride; e++) {
            sig[o + e] = (double) (scale * s[from + e]);
        }
        if (!thetaZero) {
            for (int e = 0; e < n * stride; e++) {
                th[o + e] = (double) (scale * t[from + e]);
            }
        }
    }

    @Override
    protected final void pairSums(boolean theta, int n, boolean neighbours, double[] out) { // float32 keeps double
        // every lane's entries, laid out as the slice's
        double[] x = theta ? th : sig;
        int a = base * stride;
        if (neighbours) {
            for (int e = 0; e < (n - 1) * stride; e++) {
                out[e] = (double) x[a + e] + (double) x[a + stride + e]; // float32 keeps double
            }
        } else {
            for (int e = 0; e < n * stride; e++) {
                out[e] = x[a + e];
            }
        }
    }

    @Override
    protected final void poolRows(boolean theta, int src, int count, int lx, double[] row, // float32 keeps double
                                  int dst) {
        // every lane's rows (the pooling's row buffer has the slice's layout)
        double[] x = theta ? th : sig;
        int from = (base + src) * stride;
        int to = dst * stride;
        for (int e = 0; e < lx * stride; e++) {
            row[to + e] = (double) x[from + e];
        }
        for (int b = 1; b < count; b++) {
            from += lx * stride;
            for (int e = 0; e < lx * stride; e++) {
                row[to + e] += (double) x[from + e];
            }
        }
    }

    @Override
    protected final void fillMasks(int lx, int n) {
        SliceOps.fillMasks(mask, plan.maxRadius, lx, n);
    }

    @Override
    protected final void copySigmaToTheta(int n) {
        System.arraycopy(sig, base * stride, th, base * stride, n * stride);
    }

    @Override
    protected final void keepSlice(int depth, int n, boolean theta) {
        System.arraycopy(sig, base * stride, branchInS[depth], base * stride, n * stride);
        if (theta) {
            System.arraycopy(th, base * stride, branchInT[depth], base * stride, n * stride);
        }
    }

    @Override
    protected final void restoreSlice(int depth, int n, boolean theta) {
        System.arraycopy(branchInS[depth], base * stride, sig, base * stride, n * stride);
        if (theta) {
            System.arraycopy(branchInT[depth], base * stride, th, base * stride, n * stride);
        }
    }

    @Override
    protected final void addToBranchSum(int depth, int n, double weight64, boolean first, // float32 keeps double
                                        boolean theta, boolean thetaFirst) {
        double weight = (double) weight64;
        addScaled(sig, branchSumS[depth], n, weight, first);
        if (theta) {
            addScaled(th, branchSumT[depth], n, weight, thetaFirst);
        }
    }

    /** sum[i] = (first ? 0 : sum[i]) + weight * x[i] over the slice's entries (all lanes). */
    private void addScaled(double[] x, double[] sum, int n, double weight, boolean first) {
        int from = base * stride;
        int to = (base + n) * stride;
        if (first) {
            for (int i = from; i < to; i++) {
                sum[i] = weight * x[i];
            }
        } else {
            for (int i = from; i < to; i++) {
                sum[i] += weight * x[i];
            }
        }
    }

    @Override
    protected final void closeBranchSum(int depth, int n, double weight64, boolean sum, // float32 keeps double
                                        boolean theta, boolean sumTheta) {
        double weight = (double) weight64;
        closeInto(sig, sum ? branchSumS[depth] : null, n, weight);
        if (theta) {
            closeInto(th, sumTheta ? branchSumT[depth] : null, n, weight);
        } else if (sumTheta) {
            System.arraycopy(branchSumT[depth], base * stride, th, base * stride, n * stride);
        }
    }

    /** x[i] = weight * x[i] + (sum == null ? 0 : sum[i]) over the slice's entries (all lanes). */
    private void closeInto(double[] x, double[] sum, int n, double weight) {
        int from = base * stride;
        int to = (base + n) * stride;
        if (sum == null) {
            if (weight != 1) {
                for (int i = from; i < to; i++) {
                    x[i] *= weight;
                }
            }
        } else {
            for (int i = from; i < to; i++) {
                x[i] = weight * x[i] + sum[i];
            }
        }
    }
}
