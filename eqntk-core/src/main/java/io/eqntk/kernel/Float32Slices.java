package io.eqntk.kernel;

import java.util.Arrays;

/**
 * The arithmetic of {@link SliceEvaluator} in single precision ({@link SliceOps32}): twice the vector lanes of
 * {@link Float64Slices}. Self-variances are recorded, and slice sums accumulated, in double.
 */
final class Float32Slices extends SliceEvaluator {
    private final float[] sig;
    private final float[] th;
    private final float[] tmpS;
    private final float[] tmpT;
    /** One vector's lanes, for fixed-order sums. */
    private final float[] lanes = new float[16];
    /** mask[R + k][i] = 1 when column (i mod lx) + k lies in a row of lx entries, R the largest radius. */
    private final float[][] mask;
    /** maskView[r] = mask[R - r .. R + r], the masks a stencil of radius r reads. */
    private final float[][][] maskView;
    /** Images channel-major, [c][position]; imgBg[g] is the second image moved into block g's frame. */
    private final float[][] imgA;
    private final float[][] imgB;
    private final float[][][] imgBg;
    private final float[][] imgWindowA;
    private final float[][] imgWindowB;
    /**
     * Variance factors per nonlinearity step (null for stencils): [k] of the first input, [g][k] of the second in
     * block g's frame; and their column windows.
     */
    private final float[][] factorA;
    private final float[][][] factorB;
    private final float[][] windowA;
    private final float[][] windowB;

    Float32Slices(SlicePlan plan, int channels, boolean vector) {
        super(plan, channels, vector);
        int cap = plan.height * plan.width;
        int r = plan.maxRadius;
        sig = new float[length];
        th = new float[length];
        tmpS = new float[length];
        tmpT = new float[length];
        mask = new float[2 * r + 1][cap];
        maskView = new float[r + 1][][];
        for (int radius = 0; radius <= r; radius++) {
            maskView[radius] = Arrays.copyOfRange(mask, r - radius, r + radius + 1);
        }
        imgA = new float[channels][cap];
        imgB = new float[channels][cap];
        imgBg = new float[plan.blocks()][channels][cap];
        imgWindowA = new float[channels][cap];
        imgWindowB = new float[channels][cap];
        int steps = plan.steps.length;
        factorA = new float[steps][];
        factorB = new float[plan.blocks()][steps][];
        windowA = new float[steps][];
        windowB = new float[steps][];
        for (int k = 0; k < steps; k++) {
            SlicePlan.Step s = plan.steps[k];
            if (!s.isStencil()) {
                // room for one vector past the last plane: short maps run as whole vectors
                int p = s.height * s.width * s.phi.factorPlanes() + 16;
                factorA[k] = new float[p];
                for (int g = 0; g < plan.blocks(); g++) {
                    factorB[g][k] = new float[p];
                }
                windowA[k] = new float[p];
                windowB[k] = new float[p];
            }
        }
    }

    @Override
    protected void loadImages(ImageBatch a, int i, ImageBatch b, int j) {
        load(a, i, imgA);
        load(b, j, imgB);
    }

    private void load(ImageBatch x, int index, float[][] dst) {
        double[] data = x.data();
        int off = index * x.imageSize();
        int p = x.height() * x.width();
        for (int t = 0; t < p; t++) {
            for (int c = 0; c < channels; c++) {
                dst[c][t] = (float) data[off + t * channels + c];
            }
        }
    }

    @Override
    protected void imageToFrame(int g, int[] perm) {
        for (int c = 0; c < channels; c++) {
            float[] src = imgB[c];
            float[] dst = imgBg[g][c];
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
            cutColumns(imgA[c], plan.width, ox, imgWindowA[c], plan.width - Math.abs(dx), plan.height, 0);
        }
    }

    @Override
    protected void cutImageWindowsB(int dx, int g) {
        int ox = Math.max(0, -dx) + dx;
        for (int c = 0; c < channels; c++) {
            cutColumns(imgBg[g][c], plan.width, ox, imgWindowB[c], plan.width - Math.abs(dx), plan.height, 0);
        }
    }

    @Override
    protected void setFactors(int k, Nonlinearity phi, double[] variances, int[] perm, boolean second, int g) {
        float[] f = second ? factorB[g][k] : factorA[k];
        int p = plane(k);
        for (int plane = 0; plane < phi.factorPlanes(); plane++) {
            for (int u = 0; u < p; u++) {
                f[plane * p + u] = (float) phi.varianceFactor(variances[perm == null ? u : perm[u]], plane);
            }
        }
    }

    @Override
    protected void cutFactorWindowsA(int k, int dx, int height, int width) {
        int p = height * width;
        for (int plane = 0; plane < plan.steps[k].phi.factorPlanes(); plane++) {
            cutColumns(factorA[k], width, Math.max(0, -dx), windowA[k], width - Math.abs(dx), height, plane * p);
        }
    }

    @Override
    protected void cutFactorWindowsB(int k, int dx, int g, int height, int width) {
        int p = height * width;
        for (int plane = 0; plane < plan.steps[k].phi.factorPlanes(); plane++) {
            cutColumns(factorB[g][k], width, Math.max(0, -dx) + dx, windowB[k], width - Math.abs(dx), height,
                plane * p);
        }
    }

    @Override
    protected void inputKernel(int offA, int offB, int n, double inv) {
        SliceOps32.inputKernel(imgWindowA, offA, imgWindowB, offB, sig, base, n, (float) inv, vector);
    }

    @Override
    protected void fillMasks(int lx, int n) {
        int r = plan.maxRadius;
        for (int k = -r; k <= r; k++) {
            float[] m = mask[r + k];
            for (int x = 0; x < lx; x++) {
                m[x] = x + k >= 0 && x + k < lx ? 1f : 0f;
            }
            for (int i = lx; i < n; i += lx) {
                System.arraycopy(m, 0, m, i, lx);
            }
        }
    }

    @Override
    protected void stencilSame(int r, int n, int lx, double alpha64, double beta64, boolean thetaZero) {
        float alpha = (float) alpha64;
        float beta = (float) beta64;
        if (r == 0) {
            SliceOps32.columns(sig, sig, base, n, lx, 0, 0, alpha, beta, null, vector);
            if (!thetaZero) {
                SliceOps32.columns(th, th, base, n, lx, 0, 0, alpha, 0, sig, vector);
            }
            return;
        }
        if (r == 1 && !thetaZero && SliceOps32.rowsSamePair(sig, tmpS, th, tmpT, base, n, maskView[r], vector)) {
            // Σ and Θ through fused loops (the same operations per entry)
            Arrays.fill(tmpS, base + n, base + n + lx, 0f);
            Arrays.fill(tmpT, base + n, base + n + lx, 0f);
            SliceOps32.columnsPair(tmpS, sig, tmpT, th, base, n, lx, -1, alpha, beta, vector);
            return;
        }
        SliceOps32.rowsSame(sig, tmpS, base, n, r, maskView[r], vector);
        Arrays.fill(tmpS, base + n, base + n + r * lx, 0f);
        SliceOps32.columns(tmpS, sig, base, n, lx, -r, r, alpha, beta, null, vector);
        if (!thetaZero) {
            SliceOps32.rowsSame(th, tmpT, base, n, r, maskView[r], vector);
            Arrays.fill(tmpT, base + n, base + n + r * lx, 0f);
            SliceOps32.columns(tmpT, th, base, n, lx, -r, r, alpha, 0, sig, vector);
        }
    }

    @Override
    protected void stencilValid(int r, int ly, int lx, double alpha64, double beta64, boolean thetaZero) {
        float alpha = (float) alpha64;
        float beta = (float) beta64;
        int lyo = ly - 2 * r;
        int lxo = lx - 2 * r;
        int n = ly * lx;
        int no = lyo * lx;
        if (r == 1 && !thetaZero && SliceOps32.rowsValidPair(sig, tmpS, th, tmpT, base, n, vector)
            && SliceOps32.columnsPair(tmpS, sig, tmpT, th, base, no, lx, 0, alpha, beta, vector)) {
            compactRows(sig, base, lyo, lx, lxo);
            compactRows(th, base, lyo, lx, lxo);
            return;
        }
        SliceOps32.rowsValid(sig, tmpS, base, n, r, vector);
        SliceOps32.columns(tmpS, sig, base, no, lx, 0, 2 * r, alpha, beta, null, vector);
        if (!thetaZero) {
            SliceOps32.rowsValid(th, tmpT, base, n, r, vector);
            SliceOps32.columns(tmpT, th, base, no, lx, 0, 2 * r, alpha, 0, sig, vector);
        }
        if (r > 0) {
            compactRows(sig, base, lyo, lx, lxo);
            if (!thetaZero) {
                compactRows(th, base, lyo, lx, lxo);
            }
        }
    }

    @Override
    protected void copySigmaToTheta(int n) {
        System.arraycopy(sig, base, th, base, n);
    }

    @Override
    protected double[] diagonal(int n) {
        double[] d = new double[n];
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
    protected double sumSigma(int n) {
        return SliceOps32.sum(sig, base, n, vector, lanes);
    }

    @Override
    protected double sumTheta(int n) {
        return SliceOps32.sum(th, base, n, vector, lanes);
    }
}
