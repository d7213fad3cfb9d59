// float32 twin: SliceOps32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel;

/**
 * The flat loops of the displacement-slice path: separable box sums over a slice stored row-major with row
 * stride {@code lx}, starting at {@code base} of an array with zero margins. Scalar versions here; the vector
 * versions ({@link VectorSliceOps}) compute the same sums in the same order and are tested against these.
 */
final class SliceOps {
    private SliceOps() {
    }

    /**
     * SAME rows: out[i] = in[i] + sum_{k=1..r} (mask[r-k][i] in[i-k] + mask[r+k][i] in[i+k]) for i in [0, n),
     * where mask[r+k][i] is 1 when column (i mod lx) + k lies inside the row, else 0.
     */
    static void rowsSame(double[] in, double[] out, int base, int n, int r, double[][] mask, boolean vector) {
        int done = vector ? VectorSliceOps.rowsSame(in, out, base, 0, n, r, mask) : 0;
        if (vector && overlapTail(done, n, VectorSliceOps.LANES, in != out)) {
            done = VectorSliceOps.rowsSame(in, out, base, n - VectorSliceOps.LANES, n, r, mask);
        }
        for (int i = done; i < n; i++) {
            int a = base + i;
            double v = in[a];
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
    static boolean rowsSamePair(double[] inS, double[] outS, double[] inT, double[] outT, int base, int n, double[][] mask,
                                boolean vector) {
        if (!vector || n < VectorSliceOps.LANES) {
            return false;
        }
        if (VectorSliceOps.rowsSamePair(inS, outS, inT, outT, base, 0, n, mask) < n) {
            VectorSliceOps.rowsSamePair(inS, outS, inT, outT, base, n - VectorSliceOps.LANES, n, mask);
        }
        return true;
    }

    static boolean rowsValidPair(double[] inS, double[] outS, double[] inT, double[] outT, int base, int n, boolean vector) {
        if (!vector || n < VectorSliceOps.LANES) {
            return false;
        }
        if (VectorSliceOps.rowsValidPair(inS, outS, inT, outT, base, 0, n) < n) {
            VectorSliceOps.rowsValidPair(inS, outS, inT, outT, base, n - VectorSliceOps.LANES, n);
        }
        return true;
    }

    static boolean columnsPair(double[] inS, double[] outS, double[] inT, double[] outT, int base, int n, int lx, int lo,
                               double alpha, double beta, boolean vector) {
        if (!vector || n < VectorSliceOps.LANES) {
            return false;
        }
        if (VectorSliceOps.columnsPair(inS, outS, inT, outT, base, 0, n, lx, lo, alpha, beta) < n) {
            VectorSliceOps.columnsPair(inS, outS, inT, outT, base, n - VectorSliceOps.LANES, n, lx, lo, alpha, beta);
        }
        return true;
    }

    /** VALID rows: out[i] = sum_{k=0..2r} in[i+k] for i in [0, n) (the last 2r columns of a row are unused). */
    static void rowsValid(double[] in, double[] out, int base, int n, int r, boolean vector) {
        int done = vector ? VectorSliceOps.rowsValid(in, out, base, 0, n, r) : 0;
        if (vector && overlapTail(done, n, VectorSliceOps.LANES, in != out)) {
            done = VectorSliceOps.rowsValid(in, out, base, n - VectorSliceOps.LANES, n, r);
        }
        for (int i = done; i < n; i++) {
            int a = base + i;
            double v = in[a];
            for (int k = 1; k <= 2 * r; k++) {
                v += in[a + k];
            }
            out[a] = v;
        }
    }

    /**
     * Columns, with the affine finish: out[i] = alpha * sum_{k=lo..hi} in[i + k lx] + (add == null ? beta :
     * add[i]) for i in [0, n). SAME uses lo = -r, hi = r (the rows above and below the slice must be zero);
     * VALID uses lo = 0, hi = 2r.
     */
    static void columns(double[] in, double[] out, int base, int n, int lx, int lo, int hi, double alpha,
                        double beta, double[] add, boolean vector) {
        int done = vector ? VectorSliceOps.columns(in, out, base, 0, n, lx, lo, hi, alpha, beta, add) : 0;
        if (vector && overlapTail(done, n, VectorSliceOps.LANES, in != out)) {
            done = VectorSliceOps.columns(in, out, base, n - VectorSliceOps.LANES, n, lx, lo, hi, alpha, beta, add);
        }
        for (int i = done; i < n; i++) {
            int a = base + i;
            double v = in[a + lo * lx];
            for (int k = lo + 1; k <= hi; k++) {
                v += in[a + k * lx];
            }
            out[a] = Math.fma(alpha, v, add == null ? beta : add[a]);
        }
    }

    /** out[base + i] = (sum_c a[c][offA + i] b[c][offB + i]) * inv for i in [0, n): the input kernel K0. */
    static void inputKernel(double[][] a, int offA, double[][] b, int offB, double[] out, int base, int n,
                            double inv, boolean vector) {
        int done = vector ? VectorSliceOps.inputKernel(a, offA, b, offB, out, base, 0, n, inv) : 0;
        if (vector && overlapTail(done, n, VectorSliceOps.LANES, true)) {
            done = VectorSliceOps.inputKernel(a, offA, b, offB, out, base, n - VectorSliceOps.LANES, n, inv);
        }
        for (int i = done; i < n; i++) {
            double acc = a[0][offA + i] * b[0][offB + i];
            for (int c = 1; c < a.length; c++) {
                acc += a[c][offA + i] * b[c][offB + i];
            }
            out[base + i] = acc * inv;
        }
    }

    /**
     * Whether to finish a vector loop by one more vector ending at n, overlapping entries already done, instead
     * of a scalar tail: possible when the output is not an input (the overlap then recomputes the same values,
     * since the vector and scalar loops do the same operations) and the slice holds at least one vector.
     */
    static boolean overlapTail(int done, int n, int lanes, boolean outOfPlace) {
        return outOfPlace && done < n && n >= lanes;
    }

    /** Sum of a[base .. base + n), in 64 bits in either precision (float32 vectors add 32-bit partial sums). */
    static double sum( // float32 keeps double
        double[] a, int base, int n, boolean vector, double[] lanes) {
        return vector && n >= VectorSliceOps.LANES ? VectorSliceOps.sum(a, base, n, lanes) : scalarSum(a, base, n);
    }

    static double scalarSum( // float32 keeps double
        double[] a, int base, int n) {
        double s = 0; // float32 keeps double
        for (int i = base; i < base + n; i++) {
            s += a[i];
        }
        return s;
    }

    /**
     * The masks of SAME row sums for rows of lx entries over n entries: mask[r + k][i] = 1 when column
     * (i mod lx) + k lies inside the row, else 0, for |k| &lt;= r.
     */
    static void fillMasks(double[][] mask, int r, int lx, int n) {
        for (int k = -r; k <= r; k++) {
            double[] m = mask[r + k];
            for (int x = 0; x < lx; x++) {
                m[x] = x + k >= 0 && x + k < lx ? 1.0 : 0.0;
            }
            for (int i = lx; i < n; i += lx) {
                System.arraycopy(m, 0, m, i, lx);
            }
        }
    }

    /** Rows up to this long are copied by a plain loop: a System.arraycopy call costs more for them. */
    private static final int SHORT_ROW = 16;

    /**
     * dst rows of lx entries = the columns [ox, ox + lx) of src's rows of {@code width}, for {@code rows} rows, both
     * from offset {@code at} (typed per precision: System.arraycopy on an Object runs a slower, type-checking copy,
     * which showed in profiles of small grids). The windows of displacement dx are columns [max(0, -dx), ...) of
     * the first input and [max(0, -dx) + dx, ...) of the second.
     */
    static void cutColumns(double[] src, int width, int ox, double[] dst, int lx, int rows, int at) {
        if (lx <= SHORT_ROW) {
            for (int y = 0; y < rows; y++) {
                int from = at + y * width + ox;
                int to = at + y * lx;
                for (int x = 0; x < lx; x++) {
                    dst[to + x] = src[from + x];
                }
            }
            return;
        }
        for (int y = 0; y < rows; y++) {
            System.arraycopy(src, at + y * width + ox, dst, at + y * lx, lx);
        }
    }

    /** Rows of stride lx from {@code base} holding lxo valid entries each, moved to stride lxo. */
    static void compactRows(double[] a, int base, int rows, int lx, int lxo) {
        for (int y = 1; y < rows; y++) {
            System.arraycopy(a, base + y * lx, a, base + y * lxo, lxo);
        }
    }
}
