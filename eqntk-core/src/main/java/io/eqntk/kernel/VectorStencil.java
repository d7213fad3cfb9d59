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
