// float32 twin: Stencil32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel;

import io.eqntk.kernel.map.VectorSupport;
import io.eqntk.model.Padding;
import io.eqntk.model.Subsampling;
import io.eqntk.group.PointGroup;

/**
 * Stencils of convolution, lifting convolution and group convolution (KERNELS.md §3): the sum
 * {@code out(t, t') = sum_{b in F} in(t + b, t' + g b)} over a q x q filter of centred offsets b, on a block laid
 * out as [H, W, H, W] (first input's position, then the second's), row-major.
 *
 * <p>The engine keeps block g in its element's frame (see {@link KernelState}), where this sum becomes the
 * identity-element stencil {@link #identity} for every layer and every g: one fused, cache-friendly routine
 * serves all three layer kinds (the tests' FullStencil computes the sum with the offset g·b in the second slot
 * directly: the reference the fast path is tested against). Group elements are signed permutations, so each offset
 * component moves exactly one axis of each slot and both routines are separable: 2q adds per entry, not q^2.
 */
final class Stencil {
    private Stencil() {
    }

    /**
     * out[o + x] += in[i + x + shift] for x in [0, len), where the source row has srcLen entries: entries past
     * either end are zero, or wrap around (circular; o + shift wraps at most once, so two straight segments).
     */
    static void addShiftedRow(double[] out, int o, int len, double[] in, int i, int srcLen, int shift,
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

    static void addRow(double[] out, int o, double[] in, int i, int len) {
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
        if (pad != Padding.CIRCULAR && slab.length >= slabSize(h, w, q, pad)) {
            identityLongRows(in, h, w, q, pad, slab, out, alpha, beta, addend);
            return;
        }
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
     * Scratch that {@link #identity} wants for an h x w block: w ho w entries for {@link #identityLongRows} (all but
     * circular padding; it works with w * w, by the slab routine, 2.5-3x slower at 12x12 to 32x32: rows of w entries
     * are too short for the vector loops).
     */
    static int slabSize(int h, int w, int q, Padding pad) {
        // SAME keeps a margin of (q - 1) / 2 entries on both sides for the shifted vector reads of the column pass
        return pad != Padding.CIRCULAR ? w * pad.outputSize(h, q) * w + (q - 1) : w * w;
    }

    /**
     * {@link #identity} on long rows (not circular): per output row oi of the first slot, the row offsets are
     * summed for all second-slot rows oi' at once into a slab [j][oi'][j'], so that each sum runs over up to
     * ho * w contiguous entries instead of w, and each slab entry is written once ({@link #sumRows}: the plane is cut
     * into pieces with the same offsets inside the grid). Under SAME (w = wo) the column offsets then run over whole
     * planes [oi'][j'] too, with a mask per offset that leaves out the terms whose column falls outside the grid, and
     * the affine finish, in one write ({@link VectorStencil#maskedPlaneSum}; larger filters add plane by plane).
     * Every entry receives the same terms in the same order as in {@link #identity} (offsets k in increasing order,
     * from +0), so both give the same bits.
     */
    private static void identityLongRows(double[] in, int h, int w, int q, Padding pad, double[] slab,
                                         double[] out, double alpha, double beta, double[] addend) {
        int r = (q - 1) / 2;
        int off = pad.offset(q);
        int ho = pad.outputSize(h, q);
        int wo = pad.outputSize(w, q);
        int plane = ho * w;
        boolean planes = pad == Padding.SAME && VectorSupport.ENABLED && plane >= VectorSupport.MIN_LENGTH;
        // the slab's planes start after a margin of r entries (read, never used, by the shifted plane adds)
        int m = planes ? r : 0;
        boolean[][] masks = planes ? columnMasks(w, plane, r) : null;
        boolean[][] planeMasks = new boolean[2 * r + 1][];
        // per row offset k: the plane range [lo, hi) of second-slot rows inside the grid, and its source at j = 0
        int[] lo = new int[2 * r + 1];
        int[] hi = new int[2 * r + 1];
        int[] base = new int[2 * r + 1];
        int[] src = new int[2 * r + 1];
        int[] cut = new int[4 * r + 4];
        for (int oi = 0; oi < ho; oi++) {
            int count = 0;
            for (int k = -r; k <= r; k++) {
                int ii = oi + off + k;
                int first = Math.max(0, -off - k);
                int end = Math.min(ho, h - off - k);
                if (ii >= 0 && ii < h && first < end) {
                    lo[count] = first * w;
                    hi[count] = end * w;
                    base[count] = (ii * w * h + off + k) * w;
                    count++;
                }
            }
            java.util.Arrays.fill(slab, 0, m, 0.0);
            java.util.Arrays.fill(slab, m + w * plane, w * plane + 2 * m, 0.0);
            // the plane splits into pieces on which the same offsets are inside the grid; each piece is written once
            int cuts = pieces(lo, hi, count, plane, cut);
            for (int c = 0; c + 1 < cuts; c++) {
                int from = cut[c];
                int n = cut[c + 1] - from;
                int terms = 0;
                for (int t = 0; t < count; t++) {
                    if (lo[t] <= from && from + n <= hi[t]) {
                        src[terms++] = base[t] + from;
                    }
                }
                for (int j = 0; j < w; j++) {
                    sumRows(slab, m + j * plane + from, n, in, src, terms, j * h * w);
                }
            }
            for (int oj = 0; oj < wo; oj++) {
                if (planes) {
                    int terms = 0;
                    for (int k = -r; k <= r; k++) {
                        int jj = oj + off + k;
                        if (jj >= 0 && jj < w) {
                            src[terms] = m + jj * plane + off + k;
                            planeMasks[terms++] = masks[k + r];
                        }
                    }
                    int o = (oi * wo + oj) * ho * wo;
                    if (terms == 2 || terms == 3) {
                        VectorStencil.maskedPlaneSum(out, o, plane, slab, src, planeMasks, terms, alpha, beta, addend);
                    } else {
                        java.util.Arrays.fill(out, o, o + plane, 0.0);
                        for (int t = 0; t < terms; t++) {
                            VectorStencil.addMaskedPlane(out, o, plane, slab, src[t], planeMasks[t]);
                        }
                        finishRow(out, o, plane, alpha, beta, addend);
                    }
                    continue;
                }
                for (int oi2 = 0; oi2 < ho; oi2++) {
                    int oRow = ((oi * wo + oj) * ho + oi2) * wo;
                    java.util.Arrays.fill(out, oRow, oRow + wo, 0.0);
                    for (int k = -r; k <= r; k++) {
                        int jj = oj + off + k;
                        if (jj < 0 || jj >= w) {
                            continue;
                        }
                        addShiftedRow(out, oRow, wo, slab, m + jj * plane + oi2 * w, w, off + k, false);
                    }
                    finishRow(out, oRow, wo, alpha, beta, addend);
                }
            }
        }
    }

    /**
     * The sorted, distinct bounds of the ranges [lo[t], hi[t]) and of [0, plane) into {@code cut}; returns how many.
     * Between two neighbouring bounds every range either holds the whole piece or none of it.
     */
    private static int pieces(int[] lo, int[] hi, int count, int plane, int[] cut) {
        int n = 0;
        cut[n++] = 0;
        cut[n++] = plane;
        for (int t = 0; t < count; t++) {
            cut[n++] = lo[t];
            cut[n++] = hi[t];
        }
        java.util.Arrays.sort(cut, 0, n);
        int distinct = 1;
        for (int i = 1; i < n; i++) {
            if (cut[i] != cut[distinct - 1]) {
                cut[distinct++] = cut[i];
            }
        }
        return distinct;
    }

    /**
     * out[o + x] = ((0 + in[src[0] + shift + x]) + in[src[1] + shift + x]) + ... for x in [0, n): the terms in
     * order from +0, as filling with zeros and adding row by row gives them (+0 first keeps a -0 term's sign as
     * those adds do), in one pass.
     */
    static void sumRows(double[] out, int o, int n, double[] in, int[] src, int terms, int shift) {
        switch (terms) {
            case 0:
                java.util.Arrays.fill(out, o, o + n, 0.0);
                break;
            case 1: {
                int a = src[0] + shift;
                for (int x = 0; x < n; x++) {
                    out[o + x] = 0.0 + in[a + x];
                }
                break;
            }
            case 2: {
                int a = src[0] + shift;
                int b = src[1] + shift;
                for (int x = 0; x < n; x++) {
                    out[o + x] = (0.0 + in[a + x]) + in[b + x];
                }
                break;
            }
            case 3: {
                int a = src[0] + shift;
                int b = src[1] + shift;
                int c = src[2] + shift;
                for (int x = 0; x < n; x++) {
                    out[o + x] = ((0.0 + in[a + x]) + in[b + x]) + in[c + x];
                }
                break;
            }
            default:
                java.util.Arrays.fill(out, o, o + n, 0.0);
                for (int t = 0; t < terms; t++) {
                    addRow(out, o, in, src[t] + shift, n);
                }
        }
    }

    /** The column masks by grid and radius, built once: identity runs per block, layer and pair. */
    private static final java.util.concurrent.ConcurrentHashMap<MaskKey, boolean[][]> COLUMN_MASKS =
        new java.util.concurrent.ConcurrentHashMap<>();

    private record MaskKey(int w, int plane, int r) {
    }

    /** masks[k + r][x]: whether column x % w + k of a SAME plane (offset 0) lies inside the grid (shared, read only). */
    private static boolean[][] columnMasks(int w, int plane, int r) {
        return COLUMN_MASKS.computeIfAbsent(new MaskKey(w, plane, r), unused -> buildColumnMasks(w, plane, r));
    }

    private static boolean[][] buildColumnMasks(int w, int plane, int r) {
        boolean[][] masks = new boolean[2 * r + 1][plane];
        for (int k = -r; k <= r; k++) {
            for (int x = 0; x < plane; x++) {
                int col = x % w + k;
                masks[k + r][x] = col >= 0 && col < w;
            }
        }
        return masks;
    }

    /**
     * The permutation of grid positions of an n x n grid under group element g: {@code perm[u]} is the index of
     * g·u (acting on centred coordinates).
     */
    public static int[] positionPermutation(PointGroup group, int g, int n) {
        return positionPermutation(group, g, n, n);
    }

    /**
     * The same on an h x w grid; g must map the rectangle onto itself (no 90-degree rotation unless h = w).
     */
    public static int[] positionPermutation(PointGroup group, int g, int h, int w) {
        int[] perm = new int[h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int di = 2 * i - (h - 1);
                int dj = 2 * j - (w - 1);
                int si = (group.actRow(g, di, dj) + (h - 1)) / 2;
                int sj = (group.actCol(g, di, dj) + (w - 1)) / 2;
                perm[i * w + j] = si * w + sj;
            }
        }
        return perm;
    }

    /**
     * The strided identity-element stencil fused with the affine update, for a block [h, w, h, w] (SAME or VALID):
     * {@code out(o, o') = alpha * sum_{a, b in [0, q)} in(rs(oi) + a, cs(oj) + b; rs(oi') + a, cs(oj') + b)
     * + (addend == null ? beta : addend(o, o'))}, rs / cs the window starts of {@code rows} / {@code cols}, reads
     * outside the grid zero. Same slab scheme as {@link #identity}: the row taps into a w x w slab, then the
     * column taps, each output row written once.
     */
    public static void strided(double[] in, int h, int w, int q, Subsampling rows, Subsampling cols, double[] slab,
                               double[] out, double alpha, double beta, double[] addend) {
        int ho = rows.outputs();
        int wo = cols.outputs();
        int ww = w * w;
        for (int oi = 0; oi < ho; oi++) {
            for (int oi2 = 0; oi2 < ho; oi2++) {
                java.util.Arrays.fill(slab, 0, ww, 0.0);
                for (int a = 0; a < q; a++) {
                    int ii = rows.start(oi) + a;
                    int ii2 = rows.start(oi2) + a;
                    if (ii < 0 || ii >= h || ii2 < 0 || ii2 >= h) {
                        continue;
                    }
                    for (int j = 0; j < w; j++) {
                        addRow(slab, j * w, in, ((ii * w + j) * h + ii2) * w, w);
                    }
                }
                for (int oj = 0; oj < wo; oj++) {
                    int oRow = ((oi * wo + oj) * ho + oi2) * wo;
                    java.util.Arrays.fill(out, oRow, oRow + wo, 0.0);
                    for (int b = 0; b < q; b++) {
                        int jj = cols.start(oj) + b;
                        if (jj < 0 || jj >= w) {
                            continue;
                        }
                        int srow = jj * w;
                        for (int oj2 = 0; oj2 < wo; oj2++) {
                            int jj2 = cols.start(oj2) + b;
                            if (jj2 >= 0 && jj2 < w) {
                                out[oRow + oj2] += slab[srow + jj2];
                            }
                        }
                    }
                    finishRow(out, oRow, wo, alpha, beta, addend);
                }
            }
        }
    }

    /** The strided stencil on the diagonal t = t' of the identity block (a vector over positions [h, w]). */
    public static void diagonalStrided(double[] in, int w, int q, Subsampling rows, Subsampling cols, double[] out,
                                       double alpha, double beta, double[] addend) {
        int h = rows.size();
        int ho = rows.outputs();
        int wo = cols.outputs();
        for (int oi = 0; oi < ho; oi++) {
            java.util.Arrays.fill(out, oi * wo, oi * wo + wo, 0.0);
            for (int a = 0; a < q; a++) {
                int ii = rows.start(oi) + a;
                if (ii < 0 || ii >= h) {
                    continue;
                }
                for (int oj = 0; oj < wo; oj++) {
                    double acc = 0;
                    for (int b = 0; b < q; b++) {
                        int jj = cols.start(oj) + b;
                        if (jj >= 0 && jj < w) {
                            acc += in[ii * w + jj];
                        }
                    }
                    out[oi * wo + oj] += acc;
                }
            }
            finishRow(out, oi * wo, wo, alpha, beta, addend);
        }
    }

    /**
     * Window pooling of a block [h, w, h, w] into [ho, wo, ho, wo]: {@code out(o, o') = scale * sum over the taps
     * a of o's window and a' of o''s window (inside the grid) of in(a, a')}; first the row pair into
     * {@code temp} [ho, w, ho, w], then the column pair.
     */
    public static void windowPool(double[] in, int h, int w, int k, Subsampling rows, Subsampling cols,
                                  double[] temp, double[] out, double scale) {
        int ho = rows.outputs();
        int wo = cols.outputs();
        java.util.Arrays.fill(temp, 0, ho * w * ho * w, 0.0);
        for (int oi = 0; oi < ho; oi++) {
            for (int a = 0; a < k; a++) {
                int ii = rows.start(oi) + a;
                if (ii < 0 || ii >= h) {
                    continue;
                }
                for (int j = 0; j < w; j++) {
                    int src = (ii * w + j) * h * w;
                    int dst = (oi * w + j) * ho * w;
                    for (int oi2 = 0; oi2 < ho; oi2++) {
                        for (int a2 = 0; a2 < k; a2++) {
                            int ii2 = rows.start(oi2) + a2;
                            if (ii2 >= 0 && ii2 < h) {
                                addRow(temp, dst + oi2 * w, in, src + ii2 * w, w);
                            }
                        }
                    }
                }
            }
        }
        for (int oi = 0; oi < ho; oi++) {
            for (int oj = 0; oj < wo; oj++) {
                for (int oi2 = 0; oi2 < ho; oi2++) {
                    int o = ((oi * wo + oj) * ho + oi2) * wo;
                    for (int oj2 = 0; oj2 < wo; oj2++) {
                        double acc = 0;
                        for (int b = 0; b < k; b++) {
                            int jj = cols.start(oj) + b;
                            if (jj < 0 || jj >= w) {
                                continue;
                            }
                            int row = ((oi * w + jj) * ho + oi2) * w;
                            for (int b2 = 0; b2 < k; b2++) {
                                int jj2 = cols.start(oj2) + b2;
                                if (jj2 >= 0 && jj2 < w) {
                                    acc += temp[row + jj2];
                                }
                            }
                        }
                        out[o + oj2] = scale * acc;
                    }
                }
            }
        }
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
