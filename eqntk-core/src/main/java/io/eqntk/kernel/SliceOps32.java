package io.eqntk.kernel;

/**
 * {@link SliceOps} in float arithmetic for the float32 slice path: the same loops on float arrays, scalar here and
 * vectorised in {@link VectorSliceOps32} (identical results). Sums accumulate in double.
 */
final class SliceOps32 {
    private SliceOps32() {
    }

    static void rowsSame(float[] in, float[] out, int base, int n, int r, float[][] mask, boolean vector) {
        int done = vector ? VectorSliceOps32.rowsSame(in, out, base, 0, n, r, mask) : 0;
        if (vector && SliceOps.overlapTail(done, n, VectorSliceOps32.LANES, in != out)) {
            done = VectorSliceOps32.rowsSame(in, out, base, n - VectorSliceOps32.LANES, n, r, mask);
        }
        for (int i = done; i < n; i++) {
            int a = base + i;
            float v = in[a];
            for (int k = 1; k <= r; k++) {
                v = Math.fma(mask[r - k][i], in[a - k], v);
                v = Math.fma(mask[r + k][i], in[a + k], v);
            }
            out[a] = v;
        }
    }

    /**
     * The box sums of Σ and Θ (radius 1, in and out arrays distinct) in fused vector loops when the slice holds a
     * vector: returns false, having done nothing, otherwise (the caller then runs the separate passes).
     */
    static boolean rowsSamePair(float[] inS, float[] outS, float[] inT, float[] outT, int base, int n, float[][] mask,
                                boolean vector) {
        if (!vector || n < VectorSliceOps32.LANES) {
            return false;
        }
        if (VectorSliceOps32.rowsSamePair(inS, outS, inT, outT, base, 0, n, mask) < n) {
            VectorSliceOps32.rowsSamePair(inS, outS, inT, outT, base, n - VectorSliceOps32.LANES, n, mask);
        }
        return true;
    }

    static boolean rowsValidPair(float[] inS, float[] outS, float[] inT, float[] outT, int base, int n, boolean vector) {
        if (!vector || n < VectorSliceOps32.LANES) {
            return false;
        }
        if (VectorSliceOps32.rowsValidPair(inS, outS, inT, outT, base, 0, n) < n) {
            VectorSliceOps32.rowsValidPair(inS, outS, inT, outT, base, n - VectorSliceOps32.LANES, n);
        }
        return true;
    }

    static boolean columnsPair(float[] inS, float[] outS, float[] inT, float[] outT, int base, int n, int lx, int lo,
                               float alpha, float beta, boolean vector) {
        if (!vector || n < VectorSliceOps32.LANES) {
            return false;
        }
        if (VectorSliceOps32.columnsPair(inS, outS, inT, outT, base, 0, n, lx, lo, alpha, beta) < n) {
            VectorSliceOps32.columnsPair(inS, outS, inT, outT, base, n - VectorSliceOps32.LANES, n, lx, lo, alpha, beta);
        }
        return true;
    }

    static void rowsValid(float[] in, float[] out, int base, int n, int r, boolean vector) {
        int done = vector ? VectorSliceOps32.rowsValid(in, out, base, 0, n, r) : 0;
        if (vector && SliceOps.overlapTail(done, n, VectorSliceOps32.LANES, in != out)) {
            done = VectorSliceOps32.rowsValid(in, out, base, n - VectorSliceOps32.LANES, n, r);
        }
        for (int i = done; i < n; i++) {
            int a = base + i;
            float v = in[a];
            for (int k = 1; k <= 2 * r; k++) {
                v += in[a + k];
            }
            out[a] = v;
        }
    }

    static void columns(float[] in, float[] out, int base, int n, int lx, int lo, int hi, float alpha, float beta,
                        float[] add, boolean vector) {
        int done = vector ? VectorSliceOps32.columns(in, out, base, 0, n, lx, lo, hi, alpha, beta, add) : 0;
        if (vector && SliceOps.overlapTail(done, n, VectorSliceOps32.LANES, in != out)) {
            done = VectorSliceOps32.columns(in, out, base, n - VectorSliceOps32.LANES, n, lx, lo, hi, alpha, beta, add);
        }
        for (int i = done; i < n; i++) {
            int a = base + i;
            float v = in[a + lo * lx];
            for (int k = lo + 1; k <= hi; k++) {
                v += in[a + k * lx];
            }
            out[a] = Math.fma(alpha, v, add == null ? beta : add[a]);
        }
    }

    static void inputKernel(float[][] a, int offA, float[][] b, int offB, float[] out, int base, int n, float inv,
                            boolean vector) {
        int done = vector ? VectorSliceOps32.inputKernel(a, offA, b, offB, out, base, 0, n, inv) : 0;
        if (vector && SliceOps.overlapTail(done, n, VectorSliceOps32.LANES, true)) {
            done = VectorSliceOps32.inputKernel(a, offA, b, offB, out, base, n - VectorSliceOps32.LANES, n, inv);
        }
        for (int i = done; i < n; i++) {
            float acc = a[0][offA + i] * b[0][offB + i];
            for (int c = 1; c < a.length; c++) {
                acc += a[c][offA + i] * b[c][offB + i];
            }
            out[base + i] = acc * inv;
        }
    }

    /** Sum of a[base .. base + n): float lanes with the Vector API, else in double. */
    static double sum(float[] a, int base, int n, boolean vector, float[] lanes) {
        return vector && n >= VectorSliceOps32.LANES ? VectorSliceOps32.sum(a, base, n, lanes) : scalarSum(a, base, n);
    }

    static double scalarSum(float[] a, int base, int n) {
        double s = 0;
        for (int i = base; i < base + n; i++) {
            s += a[i];
        }
        return s;
    }
}
