// float32 twin: VectorStencil32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector column pass of {@link Stencil}'s long-row stencil: a masked add per lane, so that lanes outside the
 * grid keep their value exactly (as the scalar path, which skips them). Only loaded when
 * {@link io.eqntk.kernel.map.VectorSupport#ENABLED}.
 */
final class VectorStencil {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorStencil() {
    }

    /**
     * The column pass of a SAME plane in one write, for two or three terms (3x3 filters): out[o + x] = alpha *
     * (((0 + in[a + x]) + in[b + x]) + in[c + x]) + (addend == null ? beta : addend[o + x]), each term added only
     * where its mask holds: the operations of filling with zeros, {@link #addMaskedPlane} per term and the affine
     * finish. (Spelled out per count: a vector carried through a loop over the terms is boxed by the JIT.)
     */
    static void maskedPlaneSum(double[] out, int o, int n, double[] in, int[] src, boolean[][] masks, int terms,
                               double alpha, double beta, double[] addend) {
        int a = src[0];
        int b = src[1];
        int c = terms == 3 ? src[2] : 0;
        boolean[] ma = masks[0];
        boolean[] mb = masks[1];
        boolean[] mc = terms == 3 ? masks[2] : null;
        int bound = S.loopBound(n);
        int x = 0;
        DoubleVector zero = DoubleVector.zero(S);
        for (; x < bound; x += S.length()) {
            DoubleVector v = zero.add(DoubleVector.fromArray(S, in, a + x), VectorMask.fromArray(S, ma, x));
            v = v.add(DoubleVector.fromArray(S, in, b + x), VectorMask.fromArray(S, mb, x));
            if (mc != null) {
                v = v.add(DoubleVector.fromArray(S, in, c + x), VectorMask.fromArray(S, mc, x));
            }
            v = v.mul(alpha);
            v = addend == null ? v.add(beta) : v.add(DoubleVector.fromArray(S, addend, o + x));
            v.intoArray(out, o + x);
        }
        for (; x < n; x++) {
            double acc = 0.0;
            if (ma[x]) {
                acc += in[a + x];
            }
            if (mb[x]) {
                acc += in[b + x];
            }
            if (mc != null && mc[x]) {
                acc += in[c + x];
            }
            out[o + x] = alpha * acc + (addend == null ? beta : addend[o + x]);
        }
    }

    /** out[o + x] += in[i + x] where mask[x], for x in [0, n). */
    static void addMaskedPlane(double[] out, int o, int n, double[] in, int i, boolean[] mask) {
        int bound = S.loopBound(n);
        int x = 0;
        for (; x < bound; x += S.length()) {
            VectorMask<Double> m = VectorMask.fromArray(S, mask, x);
            DoubleVector v = DoubleVector.fromArray(S, out, o + x);
            v.add(DoubleVector.fromArray(S, in, i + x), m).intoArray(out, o + x);
        }
        for (; x < n; x++) {
            if (mask[x]) {
                out[o + x] += in[i + x];
            }
        }
    }
}
