// float32 twin: Float32Lanes, generated from this file by eqntk-core/src/build/PrecisionTwins.java
// (twice the vector lanes, so twice the pairs at once; lines marked "float32 keeps double" keep their doubles)
package io.eqntk.kernel;

import io.eqntk.kernel.map.Nonlinearity;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The arithmetic of {@link SliceEvaluator} for one pair per vector lane ({@link SliceEvaluator#runLanes}): the
 * layout of {@link Float64Slices} with every entry widened to one vector, entry e of pair l at index e L + l
 * ({@link Float64Layout} with stride L).
 * On small grids a slice is a few entries long, so the one-pair loops run mostly as tails, calls and copies; here
 * every loop runs over whole vectors whatever the slice's length, and the geometry is worked out once for L pairs.
 *
 * <p>Each entry gets the operations of {@link Float64Slices} on the vector path in the same order (the box sums,
 * the input kernel and the maps are per entry; the slice sums follow {@link VectorSliceOps#sum}'s order), so a
 * lane's kernels are the bits of that pair run alone; {@code LanePathTest} checks it. Only loaded when the
 * Vector API is enabled.
 */
final class Float64Lanes extends Float64Layout {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Pairs at once: the entries of one vector. */
    static final int L = S.length();

    /** The partial sums of every lane, and each lane's sum of a slice, for {@link #addLaneSums}. */
    private final double[] partial = new double[VectorSliceOps.LANES * L];
    private final double[] sliceSum = new double[L]; // float32 keeps double

    Float64Lanes(SlicePlan plan, int channels) {
        super(plan, channels, true, L);
    }

    @Override
    protected void inputKernel(int offA, int offB, int n, double inv64) { // float32 keeps double
        // acc = a0 b0, acc += a_c b_c, then acc inv, as SliceOps.inputKernel per entry; beyond 3 channels channel
        // by channel through the slice (a vector carried through a channel loop is boxed by the JDK 17 JIT)
        double inv = (double) inv64;
        int o = base * L;
        if (channels == 1 || channels == 3) {
            // grey and RGB in one pass
            inputKernelOnePass(offA * L, offB * L, o, n * L, inv);
            return;
        }
        double[] a0 = imgWindowA[0];
        double[] b0 = imgWindowB[0];
        for (int e = 0; e < n * L; e += L) {
            DoubleVector.fromArray(S, a0, offA * L + e).mul(DoubleVector.fromArray(S, b0, offB * L + e))
                .intoArray(sig, o + e);
        }
        for (int c = 1; c < channels; c++) {
            double[] ac = imgWindowA[c];
            double[] bc = imgWindowB[c];
            for (int e = 0; e < n * L; e += L) {
                DoubleVector.fromArray(S, sig, o + e)
                    .add(DoubleVector.fromArray(S, ac, offA * L + e).mul(DoubleVector.fromArray(S, bc, offB * L + e)))
                    .intoArray(sig, o + e);
            }
        }
        for (int e = 0; e < n * L; e += L) {
            DoubleVector.fromArray(S, sig, o + e).mul(inv).intoArray(sig, o + e);
        }
    }

    /** The input kernel of 1 or 3 channels in one pass over the slice (the same operations per entry). */
    private void inputKernelOnePass(int a, int b, int o, int len, double inv) {
        double[] a0 = imgWindowA[0];
        double[] b0 = imgWindowB[0];
        if (channels == 1) {
            for (int e = 0; e < len; e += L) {
                DoubleVector.fromArray(S, a0, a + e).mul(DoubleVector.fromArray(S, b0, b + e)).mul(inv)
                    .intoArray(sig, o + e);
            }
            return;
        }
        double[] a1 = imgWindowA[1];
        double[] b1 = imgWindowB[1];
        double[] a2 = imgWindowA[2];
        double[] b2 = imgWindowB[2];
        for (int e = 0; e < len; e += L) {
            DoubleVector.fromArray(S, a0, a + e).mul(DoubleVector.fromArray(S, b0, b + e))
                .add(DoubleVector.fromArray(S, a1, a + e).mul(DoubleVector.fromArray(S, b1, b + e)))
                .add(DoubleVector.fromArray(S, a2, a + e).mul(DoubleVector.fromArray(S, b2, b + e)))
                .mul(inv).intoArray(sig, o + e);
        }
    }

    @Override
    protected void stencilSame(int r, int n, int lx, double alpha64, double beta64, // float32 keeps double
                               boolean thetaZero) {
        double alpha = (double) alpha64;
        double beta = (double) beta64;
        if (r == 0) {
            columns(sig, sig, n, lx, 0, 0, alpha, beta, null);
            if (!thetaZero) {
                columns(th, th, n, lx, 0, 0, alpha, 0, sig);
            }
            return;
        }
        rowsSame(sig, tmpS, n, r);
        Arrays.fill(tmpS, (base + n) * L, (base + n + r * lx) * L, 0.0);
        columns(tmpS, sig, n, lx, -r, r, alpha, beta, null);
        if (!thetaZero) {
            rowsSame(th, tmpT, n, r);
            Arrays.fill(tmpT, (base + n) * L, (base + n + r * lx) * L, 0.0);
            columns(tmpT, th, n, lx, -r, r, alpha, 0, sig);
        }
    }

    @Override
    protected void stencilValid(int r, int ly, int lx, double alpha64, double beta64, // float32 keeps double
                                boolean thetaZero) {
        double alpha = (double) alpha64;
        double beta = (double) beta64;
        int lyo = ly - 2 * r;
        int lxo = lx - 2 * r;
        // the kept entries only, written compact (rows of lxo): the row sums of the last 2r columns, which the
        // one-pair loops compute and then drop, are not formed
        rowsValid(sig, tmpS, ly, lx, lxo, r);
        columnsValid(tmpS, sig, lyo, lx, lxo, r, alpha, beta, null);
        if (!thetaZero) {
            rowsValid(th, tmpT, ly, lx, lxo, r);
            columnsValid(tmpT, th, lyo, lx, lxo, r, alpha, 0, sig);
        }
    }

    /** SAME rows, as SliceOps.rowsSame per entry: v = in; v = fma(mask, in[-k], v); v = fma(mask, in[+k], v). */
    private void rowsSame(double[] in, double[] out, int n, int r) {
        int m = plan.maxRadius; // mask[m + k] is the mask of offset k
        if (r == 1) {
            // spelled out: a vector carried through the short loop over k is boxed by the JIT
            double[] left = mask[m - 1];
            double[] right = mask[m + 1];
            for (int i = 0; i < n; i++) {
                int a = (base + i) * L;
                DoubleVector v = DoubleVector.fromArray(S, in, a);
                v = DoubleVector.broadcast(S, left[i]).fma(DoubleVector.fromArray(S, in, a - L), v);
                DoubleVector.broadcast(S, right[i]).fma(DoubleVector.fromArray(S, in, a + L), v).intoArray(out, a);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int a = (base + i) * L;
            DoubleVector v = DoubleVector.fromArray(S, in, a);
            for (int k = 1; k <= r; k++) {
                v = DoubleVector.broadcast(S, mask[m - k][i]).fma(DoubleVector.fromArray(S, in, a - k * L), v);
                v = DoubleVector.broadcast(S, mask[m + k][i]).fma(DoubleVector.fromArray(S, in, a + k * L), v);
            }
            v.intoArray(out, a);
        }
    }

    /** VALID rows of the kept columns: out[y lx + x] = in[y lx + x] + ... + in[y lx + x + 2r], x &lt; lxo. */
    private void rowsValid(double[] in, double[] out, int ly, int lx, int lxo, int r) {
        if (r == 1) {
            for (int y = 0; y < ly; y++) {
                for (int x = 0; x < lxo; x++) {
                    int a = (base + y * lx + x) * L;
                    DoubleVector.fromArray(S, in, a).add(DoubleVector.fromArray(S, in, a + L))
                        .add(DoubleVector.fromArray(S, in, a + 2 * L)).intoArray(out, a);
                }
            }
            return;
        }
        for (int y = 0; y < ly; y++) {
            for (int x = 0; x < lxo; x++) {
                int a = (base + y * lx + x) * L;
                DoubleVector v = DoubleVector.fromArray(S, in, a);
                for (int k = 1; k <= 2 * r; k++) {
                    v = v.add(DoubleVector.fromArray(S, in, a + k * L));
                }
                v.intoArray(out, a);
            }
        }
    }

    /**
     * VALID columns into compact rows: out[y lxo + x] = fma(alpha, in[y lx + x] + ... + in[(y + 2r) lx + x],
     * add == null ? beta : add[y lxo + x]).
     */
    private void columnsValid(double[] in, double[] out, int lyo, int lx, int lxo, int r, double alpha, double beta,
                              double[] add) {
        DoubleVector al = DoubleVector.broadcast(S, alpha);
        DoubleVector b = DoubleVector.broadcast(S, beta);
        if (r == 1) {
            int row = lx * L;
            for (int y = 0; y < lyo; y++) {
                for (int x = 0; x < lxo; x++) {
                    int a = (base + y * lx + x) * L;
                    int o = (base + y * lxo + x) * L;
                    DoubleVector.fromArray(S, in, a).add(DoubleVector.fromArray(S, in, a + row))
                        .add(DoubleVector.fromArray(S, in, a + 2 * row))
                        .fma(al, add == null ? b : DoubleVector.fromArray(S, add, o)).intoArray(out, o);
                }
            }
            return;
        }
        for (int y = 0; y < lyo; y++) {
            for (int x = 0; x < lxo; x++) {
                int a = (base + y * lx + x) * L;
                DoubleVector v = DoubleVector.fromArray(S, in, a);
                for (int k = 1; k <= 2 * r; k++) {
                    v = v.add(DoubleVector.fromArray(S, in, a + k * lx * L));
                }
                int o = (base + y * lxo + x) * L;
                v.fma(al, add == null ? b : DoubleVector.fromArray(S, add, o)).intoArray(out, o);
            }
        }
    }

    /** SAME columns, as SliceOps.columns: out[i] = fma(alpha, in[i + lo lx] + ... + in[i + hi lx], beta or add[i]). */
    private void columns(double[] in, double[] out, int n, int lx, int lo, int hi, double alpha, double beta,
                         double[] add) {
        DoubleVector al = DoubleVector.broadcast(S, alpha);
        DoubleVector b = DoubleVector.broadcast(S, beta);
        if (hi == lo + 2) {
            int row = lx * L;
            for (int i = 0; i < n; i++) {
                int a = (base + i) * L;
                DoubleVector.fromArray(S, in, a + lo * row).add(DoubleVector.fromArray(S, in, a + (lo + 1) * row))
                    .add(DoubleVector.fromArray(S, in, a + hi * row))
                    .fma(al, add == null ? b : DoubleVector.fromArray(S, add, a)).intoArray(out, a);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int a = (base + i) * L;
            DoubleVector v = DoubleVector.fromArray(S, in, a + lo * lx * L);
            for (int k = lo + 1; k <= hi; k++) {
                v = v.add(DoubleVector.fromArray(S, in, a + k * lx * L));
            }
            v.fma(al, add == null ? b : DoubleVector.fromArray(S, add, a)).intoArray(out, a);
        }
    }

    @Override
    protected double[] diagonal(int n) { // float32 keeps double
        throw new UnsupportedOperationException("lanes run no self pairs");
    }

    @Override
    protected void mapNonlinearity(int k, Nonlinearity phi, int offA, int offB, int n, boolean thetaZero) {
        // an entrywise map: the lanes are just more entries, with factor planes L times as far apart
        phi.mapFactors(windowA[k], offA * L, windowB[k], offB * L, plane(k) * L, sig, thetaZero ? null : th,
            base * L, n * L, tmpS, tmpT);
    }

    @Override
    protected double sumSigma(int n) { // float32 keeps double
        throw new UnsupportedOperationException("lanes add their sums by addLaneSums");
    }

    @Override
    protected double sumTheta(int n) { // float32 keeps double
        throw new UnsupportedOperationException("lanes add their sums by addLaneSums");
    }

    @Override
    protected void addLaneSums(int n, boolean theta, double[] sigma, double[] thetaSums) { // float32 keeps double
        laneSums(sig, n, sigma);
        if (theta) {
            laneSums(th, n, thetaSums);
        }
    }

    /**
     * Adds each lane's sum of the slice to totals[lane], in {@link VectorSliceOps#sum}'s order: partial sums of
     * the entries i = k mod V (V its vector length) below the last whole vector, then the V partial sums in
     * order, then the rest one by one, in 64 bits. Below one vector that is the plain sum from zero, which is
     * what {@link SliceOps#sum} adds there too (adding zero partial sums to zero changes nothing).
     */
    private void laneSums(double[] x, int n,
                          double[] totals) { // float32 keeps double
        int v = VectorSliceOps.LANES;
        int bound = n - n % v;
        Arrays.fill(partial, 0, v * L, 0.0);
        for (int i = 0; i < bound; i++) {
            // partial sum i mod v of every lane, kept in an array (a vector carried through a loop is boxed)
            int k = (i % v) * L;
            DoubleVector.fromArray(S, partial, k).add(DoubleVector.fromArray(S, x, (base + i) * L))
                .intoArray(partial, k);
        }
        Arrays.fill(sliceSum, 0);
        for (int k = 0; k < v; k++) {
            for (int l = 0; l < L; l++) {
                sliceSum[l] += partial[k * L + l];
            }
        }
        for (int i = bound; i < n; i++) {
            int a = (base + i) * L;
            for (int l = 0; l < L; l++) {
                sliceSum[l] += x[a + l];
            }
        }
        for (int l = 0; l < L; l++) {
            totals[l] += sliceSum[l];
        }
    }
}
