package io.eqntk.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised rows of the ReLU and erf kernel maps, using the Vector API's lane-wise ATAN2 and SQRT (on x86 these
 * compile to SIMD instructions and Intel SVML routines, within about 1 ulp; the scalar maps are the reference and
 * tests compare the two). Only loaded when {@link VectorSupport#ENABLED}.
 */
final class VectorNonlinearities {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final double INV_2PI = 1.0 / (2 * Math.PI);
    private static final double TWO_OVER_PI = 2 / Math.PI;
    private static final double FOUR_OVER_PI = 4 / Math.PI;

    private VectorNonlinearities() {
    }

    /** ReLU: returns the number of leading entries done; the caller finishes the tail with the scalar map. */
    static int reluRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len) {
        int bound = S.loopBound(len);
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector q12 = DoubleVector.fromArray(S, sig, off + j);
            DoubleVector det = DoubleVector.fromArray(S, varB, varBOff + j).mul(varA).sub(q12.mul(q12));
            DoubleVector s = det.max(0.0).lanewise(VectorOperators.SQRT);
            DoubleVector angle = s.lanewise(VectorOperators.ATAN2, q12).neg().add(Math.PI);
            s.add(angle.mul(q12)).mul(INV_2PI).intoArray(sig, off + j);
            if (th != null) {
                DoubleVector.fromArray(S, th, off + j).mul(angle.mul(INV_2PI)).intoArray(th, off + j);
            }
        }
        return bound;
    }

    /** erf: returns the number of leading entries done. */
    static int erfRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len) {
        int bound = S.loopBound(len);
        double a = 1 + 2 * varA;
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector q12 = DoubleVector.fromArray(S, sig, off + j);
            DoubleVector d = DoubleVector.fromArray(S, varB, varBOff + j).mul(2).add(1).mul(a)
                .sub(q12.mul(q12).mul(4));
            DoubleVector s = d.max(0.0).lanewise(VectorOperators.SQRT);
            q12.mul(2).lanewise(VectorOperators.ATAN2, s).mul(TWO_OVER_PI).intoArray(sig, off + j);
            if (th != null) {
                DoubleVector.fromArray(S, th, off + j).mul(DoubleVector.broadcast(S, FOUR_OVER_PI).div(s))
                    .intoArray(th, off + j);
            }
        }
        return bound;
    }
}
