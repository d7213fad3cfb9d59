package io.eqntk.kernel;

import io.eqntk.arch.Padding;
import io.eqntk.group.PointGroup;

/**
 * The one stencil routine shared by convolution, lifting convolution and group convolution (KERNELS.md §3):
 * {@code out(t, t') = sum_{b in F} in(t + b, t' + g b)} over a q x q filter of centred offsets b, for a block
 * laid out as [H, W, H, W] (first image's position, then the second's), row-major.
 *
 * <p>Group elements are signed permutations, so each offset component moves exactly one axis of each slot and
 * the sum separates into two one-dimensional passes: 2q adds per entry instead of q^2.
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
        int x = 1 - a;
        int y = 5 - b;
        int nx = dims[x];
        int ny = dims[y];
        int sx = st[x], sy = st[y], osx = ost[x], osy = ost[y];
        int na = dims[a], nb = dims[b];
        for (int oa = 0; oa < outDims[a]; oa++) {
            for (int ob = 0; ob < outDims[b]; ob++) {
                int oBase = oa * ost[a] + ob * ost[b];
                for (int cx = 0; cx < nx; cx++) {
                    int o = oBase + cx * osx;
                    for (int cy = 0; cy < ny; cy++) {
                        out[o + cy * osy] = 0.0;
                    }
                }
                for (int k = -r; k <= r; k++) {
                    int ia = oa + off + k;
                    int ib = ob + off + sign * k;
                    if (circular) {
                        ia = Math.floorMod(ia, na);
                        ib = Math.floorMod(ib, nb);
                    } else if (ia < 0 || ia >= na || ib < 0 || ib >= nb) {
                        continue;
                    }
                    int iBase = ia * st[a] + ib * st[b];
                    for (int cx = 0; cx < nx; cx++) {
                        int o = oBase + cx * osx;
                        int i = iBase + cx * sx;
                        if (sy == 1 && osy == 1) {
                            for (int cy = 0; cy < ny; cy++) {
                                out[o + cy] += in[i + cy];
                            }
                        } else {
                            for (int cy = 0; cy < ny; cy++) {
                                out[o + cy * osy] += in[i + cy * sy];
                            }
                        }
                    }
                }
            }
        }
        return outDims;
    }

    private static int[] strides(int[] d) {
        return new int[] {d[1] * d[2] * d[3], d[2] * d[3], d[3], 1};
    }

    /**
     * The stencil on the diagonal t = t' of the identity block (a vector over positions [h, w]): the diagonal of
     * a convolution's output depends only on the diagonal of its input.
     */
    public static void diagonal(double[] in, int h, int w, int q, Padding pad, double[] scratch, double[] out) {
        int r = (q - 1) / 2;
        int off = pad.offset(q);
        boolean circular = pad == Padding.CIRCULAR;
        int ho = pad.outputSize(h, q);
        int wo = pad.outputSize(w, q);
        // rows: scratch[ho][w]
        for (int oi = 0; oi < ho; oi++) {
            for (int j = 0; j < w; j++) {
                double s = 0;
                for (int k = -r; k <= r; k++) {
                    int ii = oi + off + k;
                    if (circular) {
                        ii = Math.floorMod(ii, h);
                    } else if (ii < 0 || ii >= h) {
                        continue;
                    }
                    s += in[ii * w + j];
                }
                scratch[oi * w + j] = s;
            }
        }
        for (int oi = 0; oi < ho; oi++) {
            for (int oj = 0; oj < wo; oj++) {
                double s = 0;
                for (int k = -r; k <= r; k++) {
                    int jj = oj + off + k;
                    if (circular) {
                        jj = Math.floorMod(jj, w);
                    } else if (jj < 0 || jj >= w) {
                        continue;
                    }
                    s += scratch[oi * w + jj];
                }
                out[oi * wo + oj] = s;
            }
        }
    }
}
