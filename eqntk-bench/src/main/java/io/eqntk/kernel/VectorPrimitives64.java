// float32 twin: VectorPrimitives32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel;

import io.eqntk.kernel.map.VectorSupport;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector primitives the kernel maps are made of, in isolation, for {@link InnerLoopTimings}: a square root
 * per entry, and 12 dependent fused multiply-adds per entry (Horner's rule, as in the maps; the coefficient does
 * not change their cost). Only loaded when {@link VectorSupport#ENABLED}.
 */
final class VectorPrimitives64 {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorPrimitives64() {
    }

    static double sqrt(double[] in, double[] out) {
        for (int i = 0; i < S.loopBound(in.length); i += S.length()) {
            DoubleVector.fromArray(S, in, i).lanewise(VectorOperators.SQRT).intoArray(out, i);
        }
        return out[0]; // float32 keeps double
    }

    static double fma12(double[] in, double[] out) {
        DoubleVector c = DoubleVector.broadcast(S, 0.5);
        for (int i = 0; i < S.loopBound(in.length); i += S.length()) {
            DoubleVector z = DoubleVector.fromArray(S, in, i);
            DoubleVector p = c;
            for (int k = 0; k < 12; k++) {
                p = p.fma(z, c);
            }
            p.intoArray(out, i);
        }
        return out[0]; // float32 keeps double
    }
}
