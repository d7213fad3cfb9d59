// float32 twin: Float32Slices, generated from this file by eqntk-core/src/build/PrecisionTwins.java
// (twice the vector lanes; lines marked "float32 keeps double" keep their doubles there, and the casts that are
// redundant here mark where it rounds)
package io.eqntk.kernel;

import io.eqntk.kernel.map.Nonlinearity;
import java.util.Arrays;

/**
 * The arithmetic of {@link SliceEvaluator} in double precision, scalar or with the Vector API ({@link SliceOps}),
 * one pair at a time (the work arrays and what the layouts share: {@link Float64Layout}). Self-variances are
 * recorded, and slice sums added, in 64 bits in either precision.
 */
final class Float64Slices extends Float64Layout {
    /** One vector's lanes, for fixed-order sums. */
    private final double[] lanes = new double[16];
    /** maskView[r] = mask[R - r .. R + r], the masks a stencil of radius r reads. */
    private final double[][][] maskView;

    Float64Slices(SlicePlan plan, int channels, boolean vector) {
        super(plan, channels, vector, 1);
        int r = plan.maxRadius;
        maskView = new double[r + 1][][];
        for (int radius = 0; radius <= r; radius++) {
            maskView[radius] = Arrays.copyOfRange(mask, r - radius, r + radius + 1);
        }
    }

    @Override
    protected void inputKernel(int offA, int offB, int n, double inv) { // float32 keeps double
        SliceOps.inputKernel(imgWindowA, offA, imgWindowB, offB, sig, base, n, (double) inv, vector);
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
    protected double sumSigma(int n) { // float32 keeps double
        return SliceOps.sum(sig, base, n, vector, lanes);
    }

    @Override
    protected double sumTheta(int n) { // float32 keeps double
        return SliceOps.sum(th, base, n, vector, lanes);
    }
}
