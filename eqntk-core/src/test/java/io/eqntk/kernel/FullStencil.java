package io.eqntk.kernel;

import io.eqntk.model.Padding;
import io.eqntk.group.PointGroup;

/**
 * The stencil of KERNELS.md §3 with the offset g·b in the second slot, on a full block [H, W, H, W]: the direct
 * form that the engine's element-frame stencil ({@link Stencil#identity}) is tested against.
 */
final class FullStencil {
    private FullStencil() {
    }

    /**
     * Applies the stencil for group element {@code g} of {@code group} to a full block of side lengths
     * (h, w) per slot. {@code scratch} must hold the intermediate block; {@code out} receives the result of
     * side lengths (pad.outputSize(h, q), pad.outputSize(w, q)).
     */
    static void full(double[] in, int h, int w, PointGroup group, int g, int q, Padding pad,
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
    private static int[] pass(double[] in, int[] dims, int a, int b, int sign, int q, Padding pad, double[] out) {
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
                            Stencil.addShiftedRow(out, oRow, n3, in, iRow, d3, off + sign * k, circular);
                        } else {
                            Stencil.addRow(out, oRow, in, iRow, n3);
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
}
