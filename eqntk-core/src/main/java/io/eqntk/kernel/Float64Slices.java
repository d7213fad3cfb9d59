// float32 twin: Float32Slices, generated from this file by eqntk-core/src/build/PrecisionTwins.java
// (twice the vector lanes; lines marked "float32 keeps double" keep their doubles there, and the casts that are
// redundant here mark where it rounds)
package io.eqntk.kernel;

import io.eqntk.kernel.map.Nonlinearity;
import java.util.Arrays;

/**
 * The arithmetic of {@link SliceEvaluator} in double precision, scalar or with the Vector API ({@link SliceOps}).
 * Self-variances are recorded, and slice sums added, in 64 bits in either precision.
 */
final class Float64Slices extends SliceEvaluator {
    private final double[] sig;
    private final double[] th;
    private final double[] tmpS;
    private final double[] tmpT;
    /** One vector's lanes, for fixed-order sums. */
    private final double[] lanes = new double[16];
    /** mask[R + k][i] = 1 when column (i mod lx) + k lies in a row of lx entries, R the largest radius. */
    private final double[][] mask;
    /** maskView[r] = mask[R - r .. R + r], the masks a stencil of radius r reads. */
    private final double[][][] maskView;
    /** Images channel-major, [c][position]; imgBg[g] is the second image moved into block g's frame. */
    private final double[][] imgA;
    private final double[][] imgB;
    private final double[][][] imgBg;
    private final double[][] imgWindowA;
    private final double[][] imgWindowB;
    /**
     * Variance factors per nonlinearity step (null for stencils): [k] of the first input, [g][k] of the second in
     * block g's frame; and their column windows.
     */
    private final double[][] factorA;
    private final double[][][] factorB;
    private final double[][] windowA;
    private final double[][] windowB;
    /** Per level of open branches: the kept input slice [depth][entry] and the branches' sum, for Σ and Θ. */
    private final double[][] branchInS;
    private final double[][] branchInT;
    private final double[][] branchSumS;
    private final double[][] branchSumT;

    Float64Slices(SlicePlan plan, int channels, boolean vector) {
        super(plan, channels, vector);
        int cap = plan.height * plan.width;
        int r = plan.maxRadius;
        sig = new double[length];
        th = new double[length];
        tmpS = new double[length];
        tmpT = new double[length];
        mask = new double[2 * r + 1][cap];
        maskView = new double[r + 1][][];
        for (int radius = 0; radius <= r; radius++) {
            maskView[radius] = Arrays.copyOfRange(mask, r - radius, r + radius + 1);
        }
        imgA = new double[channels][cap];
        imgB = new double[channels][cap];
        imgBg = new double[plan.blocks()][channels][cap];
        imgWindowA = new double[channels][cap];
        imgWindowB = new double[channels][cap];
        int depth = plan.branchDepth;
        branchInS = new double[depth][length];
        branchInT = new double[depth][length];
        branchSumS = new double[depth][length];
        branchSumT = new double[depth][length];
        int steps = plan.steps.length;
        factorA = new double[steps][];
        factorB = new double[plan.blocks()][steps][];
        windowA = new double[steps][];
        windowB = new double[steps][];
        for (int k = 0; k < steps; k++) {
            SlicePlan.Step s = plan.steps[k];
            if (s.isNonlinearity()) {
                // room for one vector past the last plane: short maps run as whole vectors
                int p = s.height * s.width * s.phi.factorPlanes() + 16;
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
    protected void loadImages(ImageBatch a, int i, ImageBatch b, int j) {
        load(a, i, imgA);
        load(b, j, imgB);
    }

    private void load(ImageBatch x, int index, double[][] dst) {
        double[] data = x.data(); // float32 keeps double
        int off = index * x.imageSize();
        int p = x.height() * x.width();
        for (int t = 0; t < p; t++) {
            for (int c = 0; c < channels; c++) {
                dst[c][t] = (double) data[off + t * channels + c];
            }
        }
    }

    @Override
    protected void imageToFrame(int g, int[] perm) {
        for (int c = 0; c < channels; c++) {
            double[] src = imgB[c];
            double[] dst = imgBg[g][c];
            if (perm == null) {
                System.arraycopy(src, 0, dst, 0, src.length);
            } else {
                for (int u = 0; u < perm.length; u++) {
                    dst[u] = src[perm[u]];
                }
            }
        }
    }

    @Override
    protected void cutImageWindowsA(int dx) {
        int ox = Math.max(0, -dx);
        for (int c = 0; c < channels; c++) {
            SliceOps.cutColumns(imgA[c], plan.width, ox, imgWindowA[c], plan.width - Math.abs(dx), plan.height, 0);
        }
    }

    @Override
    protected void cutImageWindowsB(int dx, int g) {
        int ox = Math.max(0, -dx) + dx;
        for (int c = 0; c < channels; c++) {
            SliceOps.cutColumns(imgBg[g][c], plan.width, ox, imgWindowB[c], plan.width - Math.abs(dx), plan.height, 0);
        }
    }

    @Override
    protected void setFactors(int k, Nonlinearity phi,
                              double[] variances, int[] perm, boolean second, int g) { // float32 keeps double
        double[] f = second ? factorB[g][k] : factorA[k];
        int p = plane(k);
        for (int plane = 0; plane < phi.factorPlanes(); plane++) {
            for (int u = 0; u < p; u++) {
                f[plane * p + u] = (double) phi.varianceFactor(variances[perm == null ? u : perm[u]], plane);
            }
        }
    }

    @Override
    protected void cutFactorWindowsA(int k, int dx, int height, int width) {
        int p = height * width;
        for (int plane = 0; plane < plan.steps[k].phi.factorPlanes(); plane++) {
            SliceOps.cutColumns(factorA[k], width, Math.max(0, -dx), windowA[k], width - Math.abs(dx), height, plane * p);
        }
    }

    @Override
    protected void cutFactorWindowsB(int k, int dx, int g, int height, int width) {
        int p = height * width;
        for (int plane = 0; plane < plan.steps[k].phi.factorPlanes(); plane++) {
            SliceOps.cutColumns(factorB[g][k], width, Math.max(0, -dx) + dx, windowB[k], width - Math.abs(dx), height,
                plane * p);
        }
    }

    @Override
    protected void inputKernel(int offA, int offB, int n, double inv) { // float32 keeps double
        SliceOps.inputKernel(imgWindowA, offA, imgWindowB, offB, sig, base, n, (double) inv, vector);
    }

    @Override
    protected void loadSlice(double[] s, double[] t, int off, int n, double scale, // float32 keeps double
                             boolean thetaZero) {
        for (int i = 0; i < n; i++) {
            sig[base + i] = (double) (scale * s[off + i]);
        }
        if (!thetaZero) {
            for (int i = 0; i < n; i++) {
                th[base + i] = (double) (scale * t[off + i]);
            }
        }
    }

    @Override
    protected void fillMasks(int lx, int n) {
        SliceOps.fillMasks(mask, plan.maxRadius, lx, n);
    }

    @Override
    protected void stencilSame(int r, int n, int lx, double alpha64, double beta64, // float32 keeps double
                               boolean thetaZero) {
        // (the float32 twin rounds the weights here, once per stencil)
        double alpha = (double) alpha64;
        double beta = (double) beta64;
        if (r == 0) {
            SliceOps.columns(sig, sig, base, n, lx, 0, 0, alpha, beta, null, vector);
            if (!thetaZero) {
                SliceOps.columns(th, th, base, n, lx, 0, 0, alpha, 0, sig, vector);
            }
            return;
        }
        if (r == 1 && !thetaZero && SliceOps.rowsSamePair(sig, tmpS, th, tmpT, base, n, maskView[r], vector)) {
            // Σ and Θ through fused loops (the same operations per entry)
            Arrays.fill(tmpS, base + n, base + n + lx, 0.0);
            Arrays.fill(tmpT, base + n, base + n + lx, 0.0);
            SliceOps.columnsPair(tmpS, sig, tmpT, th, base, n, lx, -1, alpha, beta, vector);
            return;
        }
        SliceOps.rowsSame(sig, tmpS, base, n, r, maskView[r], vector);
        Arrays.fill(tmpS, base + n, base + n + r * lx, 0.0);
        SliceOps.columns(tmpS, sig, base, n, lx, -r, r, alpha, beta, null, vector);
        if (!thetaZero) {
            SliceOps.rowsSame(th, tmpT, base, n, r, maskView[r], vector);
            Arrays.fill(tmpT, base + n, base + n + r * lx, 0.0);
            SliceOps.columns(tmpT, th, base, n, lx, -r, r, alpha, 0, sig, vector);
        }
    }

    @Override
    protected void stencilValid(int r, int ly, int lx, double alpha64, double beta64, // float32 keeps double
                                boolean thetaZero) {
        double alpha = (double) alpha64;
        double beta = (double) beta64;
        int lyo = ly - 2 * r;
        int lxo = lx - 2 * r;
        int n = ly * lx;
        int no = lyo * lx;
        if (r == 1 && !thetaZero && SliceOps.rowsValidPair(sig, tmpS, th, tmpT, base, n, vector)
            && SliceOps.columnsPair(tmpS, sig, tmpT, th, base, no, lx, 0, alpha, beta, vector)) {
            SliceOps.compactRows(sig, base, lyo, lx, lxo);
            SliceOps.compactRows(th, base, lyo, lx, lxo);
            return;
        }
        SliceOps.rowsValid(sig, tmpS, base, n, r, vector);
        SliceOps.columns(tmpS, sig, base, no, lx, 0, 2 * r, alpha, beta, null, vector);
        if (!thetaZero) {
            SliceOps.rowsValid(th, tmpT, base, n, r, vector);
            SliceOps.columns(tmpT, th, base, no, lx, 0, 2 * r, alpha, 0, sig, vector);
        }
        if (r > 0) {
            SliceOps.compactRows(sig, base, lyo, lx, lxo);
            if (!thetaZero) {
                SliceOps.compactRows(th, base, lyo, lx, lxo);
            }
        }
    }

    @Override
    protected void copySigmaToTheta(int n) {
        System.arraycopy(sig, base, th, base, n);
    }

    @Override
    protected double[] diagonal(int n) { // float32 keeps double
        double[] d = new double[n]; // float32 keeps double
        for (int i = 0; i < n; i++) {
            d[i] = sig[base + i];
        }
        return d;
    }

    @Override
    protected void mapNonlinearity(int k, Nonlinearity phi, int offA, int offB, int n, boolean thetaZero) {
        if (offA < 0) {
            phi.mapFactors(factorA[k], 0, factorB[0][k], 0, plane(k), sig, thetaZero ? null : th, base, n, tmpS, tmpT);
        } else {
            phi.mapFactors(windowA[k], offA, windowB[k], offB, plane(k), sig, thetaZero ? null : th, base, n, tmpS,
                tmpT);
        }
    }

    @Override
    protected void pairSums(boolean theta, int n, boolean neighbours, double[] out) { // float32 keeps double
        double[] x = theta ? th : sig;
        if (neighbours) {
            for (int i = base; i < base + n - 1; i++) {
                out[i - base] = (double) x[i] + (double) x[i + 1]; // float32 keeps double
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = x[base + i];
            }
        }
    }

    @Override
    protected void poolRows(boolean theta, int src, int count, int lx, double[] row, int dst) { // float32 keeps double
        double[] x = theta ? th : sig;
        int from = base + src;
        for (int c = 0; c < lx; c++) {
            row[dst + c] = (double) x[from + c];
        }
        for (int b = 1; b < count; b++) {
            from += lx;
            for (int c = 0; c < lx; c++) {
                row[dst + c] += (double) x[from + c];
            }
        }
    }

    @Override
    protected void keepSlice(int depth, int n, boolean theta) {
        System.arraycopy(sig, base, branchInS[depth], base, n);
        if (theta) {
            System.arraycopy(th, base, branchInT[depth], base, n);
        }
    }

    @Override
    protected void restoreSlice(int depth, int n, boolean theta) {
        System.arraycopy(branchInS[depth], base, sig, base, n);
        if (theta) {
            System.arraycopy(branchInT[depth], base, th, base, n);
        }
    }

    @Override
    protected void addToBranchSum(int depth, int n, double weight64, boolean first, // float32 keeps double
                                  boolean theta, boolean thetaFirst) {
        double weight = (double) weight64;
        addScaled(sig, branchSumS[depth], n, weight, first);
        if (theta) {
            addScaled(th, branchSumT[depth], n, weight, thetaFirst);
        }
    }

    /** sum[base + i] = (first ? 0 : sum[base + i]) + weight * x[base + i]. */
    private void addScaled(double[] x, double[] sum, int n, double weight, boolean first) {
        if (first) {
            for (int i = base; i < base + n; i++) {
                sum[i] = weight * x[i];
            }
        } else {
            for (int i = base; i < base + n; i++) {
                sum[i] += weight * x[i];
            }
        }
    }

    @Override
    protected void closeBranchSum(int depth, int n, double weight64, boolean sum, // float32 keeps double
                                  boolean theta, boolean sumTheta) {
        double weight = (double) weight64;
        closeInto(sig, sum ? branchSumS[depth] : null, n, weight);
        if (theta) {
            closeInto(th, sumTheta ? branchSumT[depth] : null, n, weight);
        } else if (sumTheta) {
            System.arraycopy(branchSumT[depth], base, th, base, n);
        }
    }

    /** x[base + i] = weight * x[base + i] + (sum == null ? 0 : sum[base + i]). */
    private void closeInto(double[] x, double[] sum, int n, double weight) {
        if (sum == null) {
            if (weight != 1) {
                for (int i = base; i < base + n; i++) {
                    x[i] *= weight;
                }
            }
        } else {
            for (int i = base; i < base + n; i++) {
                x[i] = weight * x[i] + sum[i];
            }
        }
    }

    @Override
    protected double sumSigma(int n) { // float32 keeps double
        return SliceOps.sum(sig, base, n, vector, lanes);
    }

    @Override
    protected double sumTheta(int n) { // float32 keeps double
        return SliceOps.sum(th, base, n, vector, lanes);
    }
}
