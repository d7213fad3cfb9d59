package io.eqntk.kernel;

import io.eqntk.arch.Padding;
import io.eqntk.group.PointGroup;

/**
 * Stencils of convolution, lifting convolution and group convolution (KERNELS.md §3): the sum
 * {@code out(t, t') = sum_{b in F} in(t + b, t' + g b)} over a q x q filter of centred offsets b, on a block laid
 * out as [H, W, H, W] (first input's position, then the second's), row-major.
 *
 * <p>The engine keeps block g in its element's frame (see {@link KernelState}), where this sum becomes the
 * identity-element stencil {@link #identity} for every layer and every g: one fused, cache-friendly routine
 * serves all three layer kinds. {@link #full} computes the sum with the offset g·b in the second slot directly;
 * it is the reference the fast path is tested against. Group elements are signed permutations, so each offset
 * component moves exactly one axis of each slot and both routines are separable: 2q adds per entry, not q^2.
 */
public final class Stencil {
    private Stencil() {
    }

    /**
     * Applies the stencil for group element {@code g} of {@code group} to a full block of side lengths
     * (h, w) per slot. {@code scratch} must hold the intermediate block; {@code out} receives the result of
     * side lengths (pad.outputSize(h, q), pad.outputSize(w, q)).
     */
    public static void full(double[] in, int h, int w, PointGroup group, int g, int q, Padding pad,
                            double[] scratch, double[] out) {
        int[] m = group.matrix(g);
        boolean rowToRow = m[0] != 0;
        // Pass 1: first slot's row offset b1 pairs with the second slot's axis it lands on.
        int axis1 = rowToRow ? 2 : 3;
        int sign1 = rowToRow ? m[0] : m[2];
        int axis2 = rowToRow ? 3 : 2;
        int sign2 = rowToRow ? m[3] : m[1];
        int[] dims = {h, w, h, w};
        int[] mid = pass(in, dims, 0, axis1, sign1, q, pad, scratch);
        pass(scratch, mid, 1, axis2, sign2, q, pad, out);
    }

    /**
     * One separable pass: out[.., oa, .., ob, ..] = sum_{k=-r..r} in[.., oa+off+k, .., ob+off+sign*k, ..] where
     * axis a is 0 or 1 (first slot) and axis b is 2 or 3 (second slot). Returns the output dimensions.
     *
     * <p>The innermost loop always runs along axis 3, which is contiguous in both arrays (shifted by sign*k when
     * axis 3 is the paired axis), so it is a plain vectorisable row add.
     */
    static int[] pass(double[] in, int[] dims, int a, int b, int sign, int q, Padding pad, double[] out) {
        int r = (q - 1) / 2;
        int off = pad.offset(q);
        boolean circular = pad == Padding.CIRCULAR;
        int[] outDims = dims.clone();
        outDims[a] = pad.outputSize(dims[a], q);
        outDims[b] = pad.outputSize(dims[b], q);
        int[] st = strides(dims);
        int[] ost = strides(outDims);
        int n0 = outDims[0];
        int n1 = outDims[1];
        int n2 = outDims[2];
        int n3 = outDims[3];
        int d3 = dims[3];
        int na = dims[a];
        int[] o = new int[3];
        for (o[0] = 0; o[0] < n0; o[0]++) {
            for (o[1] = 0; o[1] < n1; o[1]++) {
                for (o[2] = 0; o[2] < n2; o[2]++) {
                    int oRow = o[0] * ost[0] + o[1] * ost[1] + o[2] * ost[2];
                    java.util.Arrays.fill(out, oRow, oRow + n3, 0.0);
                    for (int k = -r; k <= r; k++) {
                        int ca = o[a] + off + k;
                        if (circular) {
                            ca = Math.floorMod(ca, na);
                        } else if (ca < 0 || ca >= na) {
                            continue;
                        }
                        int c2 = o[2];
                        if (b == 2) {
                            c2 = o[2] + off + sign * k;
                            if (circular) {
                                c2 = Math.floorMod(c2, dims[2]);
                            } else if (c2 < 0 || c2 >= dims[2]) {
                                continue;
                            }
                        }
                        int iRow = (a == 0 ? ca * st[0] + o[1] * st[1] : o[0] * st[0] + ca * st[1]) + c2 * st[2];
                        if (b == 3) {
                            addShiftedRow(out, oRow, n3, in, iRow, d3, off + sign * k, circular);
                        } else {
                            addRow(out, oRow, in, iRow, n3);
                        }
                    }
                }
            }
        }
        return outDims;
    }

    /**
     * out[o + x] += in[i + x + shift] for x in [0, len), where the source row has srcLen entries: entries past
     * either end are zero, or wrap around (circular; o + shift wraps at most once, so two straight segments).
     */
    private static void addShiftedRow(double[] out, int o, int len, double[] in, int i, int srcLen, int shift,
                                      boolean circular) {
        if (circular) {
            int s = Math.floorMod(shift, srcLen);
            int split = srcLen - s;
            addRow(out, o, in, i + s, Math.min(split, len));
            if (split < len) {
                addRow(out, o + split, in, i, len - split);
            }
        } else {
            int lo = Math.max(0, -shift);
            int hi = Math.min(len, srcLen - shift);
            if (lo < hi) {
                addRow(out, o + lo, in, i + lo + shift, hi - lo);
            }
        }
    }

    /** out = alpha * out + (addend == null ? beta : addend) on one row. */
    private static void finishRow(double[] out, int o, int len, double alpha, double beta, double[] addend) {
        if (addend == null) {
            for (int x = 0; x < len; x++) {
                out[o + x] = alpha * out[o + x] + beta;
            }
        } else {
            for (int x = 0; x < len; x++) {
                out[o + x] = alpha * out[o + x] + addend[o + x];
            }
        }
    }

    private static void addRow(double[] out, int o, double[] in, int i, int len) {
        for (int x = 0; x < len; x++) {
            out[o + x] += in[i + x];
        }
    }

    /**
     * The identity-element stencil fused with the affine update, for a block [h, w, h, w]:
     * {@code out(t, t') = alpha * sum_{b in F} in(t + b, t' + b) + (addend == null ? beta : addend(t, t'))}.
     *
     * <p>Works slab by slab: for each output pair of rows (oi, oi') the row offsets are summed into a w x w
     * slab that stays in L1 cache, then the column offsets are applied along its rows, and the result is
     * written once. Every inner loop is a contiguous row operation.
     *
     * @param slab scratch of at least w * w entries
     */
    public static void identity(double[] in, int h, int w, int q, Padding pad, double[] slab, double[] out,
                                double alpha, double beta, double[] addend) {
        int r = (q - 1) / 2;
        int off = pad.offset(q);
        boolean circular = pad == Padding.CIRCULAR;
        int ho = pad.outputSize(h, q);
        int wo = pad.outputSize(w, q);
        int ww = w * w;
        for (int oi = 0; oi < ho; oi++) {
            for (int oi2 = 0; oi2 < ho; oi2++) {
                java.util.Arrays.fill(slab, 0, ww, 0.0);
                for (int k = -r; k <= r; k++) {
                    int ii = oi + off + k;
                    int ii2 = oi2 + off + k;
                    if (circular) {
                        ii = Math.floorMod(ii, h);
                        ii2 = Math.floorMod(ii2, h);
                    } else if (ii < 0 || ii >= h || ii2 < 0 || ii2 >= h) {
                        continue;
                    }
                    for (int j = 0; j < w; j++) {
                        addRow(slab, j * w, in, ((ii * w + j) * h + ii2) * w, w);
                    }
                }
                for (int oj = 0; oj < wo; oj++) {
                    int oRow = ((oi * wo + oj) * ho + oi2) * wo;
                    java.util.Arrays.fill(out, oRow, oRow + wo, 0.0);
                    for (int k = -r; k <= r; k++) {
                        int jj = oj + off + k;
                        if (circular) {
                            jj = Math.floorMod(jj, w);
                        } else if (jj < 0 || jj >= w) {
                            continue;
                        }
                        addShiftedRow(out, oRow, wo, slab, jj * w, w, off + k, circular);
                    }
                    finishRow(out, oRow, wo, alpha, beta, addend);
                }
            }
        }
    }

    /**
     * The permutation of grid positions of an n x n grid under group element g: {@code perm[u]} is the index of
     * g·u (acting on centred coordinates).
     */
    public static int[] positionPermutation(PointGroup group, int g, int n) {
        int[] perm = new int[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int di = 2 * i - (n - 1);
                int dj = 2 * j - (n - 1);
                int si = (group.actRow(g, di, dj) + (n - 1)) / 2;
                int sj = (group.actCol(g, di, dj) + (n - 1)) / 2;
                perm[i * n + j] = si * n + sj;
            }
        }
        return perm;
    }

    /** out(t, u) = in(t, perm[u]) for a block of p x p entries. */
    public static void permuteSecondSlot(double[] in, int p, int[] perm, double[] out) {
        for (int t = 0; t < p; t++) {
            int row = t * p;
            for (int u = 0; u < p; u++) {
                out[row + u] = in[row + perm[u]];
            }
        }
    }

    private static int[] strides(int[] d) {
        return new int[] {d[1] * d[2] * d[3], d[2] * d[3], d[3], 1};
    }

    /**
     * The stencil on the diagonal t = t' of the identity block (a vector over positions [h, w]), fused with the
     * affine update as in {@link #identity}: the diagonal of a convolution's output depends only on the diagonal
     * of its input.
     */
    public static void diagonal(double[] in, int h, int w, int q, Padding pad, double[] scratch, double[] out,
                                double alpha, double beta, double[] addend) {
        int r = (q - 1) / 2;
        int off = pad.offset(q);
        boolean circular = pad == Padding.CIRCULAR;
        int ho = pad.outputSize(h, q);
        int wo = pad.outputSize(w, q);
        // rows: scratch[ho][w] sums the row offsets, then the column offsets shift along each row
        for (int oi = 0; oi < ho; oi++) {
            java.util.Arrays.fill(scratch, oi * w, oi * w + w, 0.0);
            for (int k = -r; k <= r; k++) {
                int ii = oi + off + k;
                if (circular) {
                    ii = Math.floorMod(ii, h);
                } else if (ii < 0 || ii >= h) {
                    continue;
                }
                addRow(scratch, oi * w, in, ii * w, w);
            }
        }
        for (int oi = 0; oi < ho; oi++) {
            java.util.Arrays.fill(out, oi * wo, oi * wo + wo, 0.0);
            for (int k = -r; k <= r; k++) {
                addShiftedRow(out, oi * wo, wo, scratch, oi * w, w, off + k, circular);
            }
            finishRow(out, oi * wo, wo, alpha, beta, addend);
        }
    }
}
