package io.eqntk.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector primitives the kernel maps are made of, in isolation, for {@link InnerLoopTimings}: a square root
 * per entry, and 12 dependent fused multiply-adds per entry (Horner's rule, as in the maps). Only loaded when
 * {@link VectorSupport#ENABLED}.
 */
final class VectorPrimitives {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorPrimitives() {
    }

    static double sqrt(double[] in, double[] out) {
        for (int i = 0; i < S.loopBound(in.length); i += S.length()) {
            DoubleVector.fromArray(S, in, i).lanewise(VectorOperators.SQRT).intoArray(out, i);
        }
        return out[0];
    }

    static double sqrt(float[] in, float[] out) {
        for (int i = 0; i < F.loopBound(in.length); i += F.length()) {
            FloatVector.fromArray(F, in, i).lanewise(VectorOperators.SQRT).intoArray(out, i);
        }
        return out[0];
    }

    static double fma12(double[] in, double[] out) {
        for (int i = 0; i < S.loopBound(in.length); i += S.length()) {
            DoubleVector z = DoubleVector.fromArray(S, in, i);
            DoubleVector p = DoubleVector.broadcast(S, Float64Constants.ASIN0);
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN1));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN2));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN3));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN4));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN5));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN6));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN7));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN8));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN9));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN10));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN11));
            p = p.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN12));
            p.intoArray(out, i);
        }
        return out[0];
    }

    static double fma12(float[] in, float[] out) {
        for (int i = 0; i < F.loopBound(in.length); i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, in, i);
            FloatVector p = FloatVector.broadcast(F, (float) Float64Constants.ASIN0);
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN1));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN2));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN3));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN4));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN5));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN6));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN7));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN8));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN9));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN10));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN11));
            p = p.fma(z, FloatVector.broadcast(F, (float) Float64Constants.ASIN12));
            p.intoArray(out, i);
        }
        return out[0];
    }
}
