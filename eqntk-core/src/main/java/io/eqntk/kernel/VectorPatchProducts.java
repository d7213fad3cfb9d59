// float32 twin: VectorPatchProducts32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PatchProducts#product} with vectors over u: b is transposed to [width, u] so that lane u accumulates
 * its own entry in e order (the scalar order), four rows o at a time share each load of b. Only loaded when
 * {@link io.eqntk.kernel.map.VectorSupport#ENABLED}.
 */
final class VectorPatchProducts {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorPatchProducts() {
    }

    static double[] product(double[] a, double[] b, int po, int width, double[] out, double[] scratch) {
        int pad = (po + L - 1) / L * L;
        double[] bt = scratch == null || scratch.length < width * pad ? new double[width * pad] : scratch;
        for (int e = 0; e < width; e++) {
            int row = e * pad;
            for (int u = 0; u < po; u++) {
                bt[row + u] = b[u * width + e];
            }
            java.util.Arrays.fill(bt, row + po, row + pad, 0.0);
        }
        int o = 0;
        for (; o + 4 <= po; o += 4) {
            int a0 = o * width;
            int a1 = a0 + width;
            int a2 = a1 + width;
            int a3 = a2 + width;
            for (int u = 0; u < pad; u += L) {
                DoubleVector c0 = DoubleVector.zero(S);
                DoubleVector c1 = c0;
                DoubleVector c2 = c0;
                DoubleVector c3 = c0;
                for (int e = 0; e < width; e++) {
                    DoubleVector v = DoubleVector.fromArray(S, bt, e * pad + u);
                    c0 = c0.add(v.mul(a[a0 + e]));
                    c1 = c1.add(v.mul(a[a1 + e]));
                    c2 = c2.add(v.mul(a[a2 + e]));
                    c3 = c3.add(v.mul(a[a3 + e]));
                }
                store(c0, out, o * po, u, po);
                store(c1, out, (o + 1) * po, u, po);
                store(c2, out, (o + 2) * po, u, po);
                store(c3, out, (o + 3) * po, u, po);
            }
        }
        for (; o < po; o++) {
            int a0 = o * width;
            for (int u = 0; u < pad; u += L) {
                DoubleVector c0 = DoubleVector.zero(S);
                for (int e = 0; e < width; e++) {
                    c0 = c0.add(DoubleVector.fromArray(S, bt, e * pad + u).mul(a[a0 + e]));
                }
                store(c0, out, o * po, u, po);
            }
        }
        return bt;
    }

    private static void store(DoubleVector c, double[] out, int row, int u, int po) {
        if (u + L <= po) {
            c.intoArray(out, row + u);
        } else {
            VectorMask<Double> m = S.indexInRange(u, po);
            c.intoArray(out, row + u, m);
        }
    }
}
