package io.eqntk.sphere.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lift-pool path's two contractions with the Vector API, several accumulators in registers at once; only
 * loaded where {@link LiftPoolPath#VECTORS} (the incubating module is present, as for the planar maps). Every
 * entry is the same chain of fused multiply-adds as in {@link LiftPoolPath}'s scalar loops, so the bits agree.
 */
final class LiftPoolVectors {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private LiftPoolVectors() {
    }

    /**
     * out[r·m + c] = Σ_f a[f·rank + r] b[f·ldb + offB + c] (f ascending, fused) for r &lt; rank and c below the
     * returned bound (a multiple of the vector length; the caller does the rest).
     */
    static int contractRows(double[] a, int rank, int rows, double[] b, int ldb, int offB, double[] out, int m) {
        int bound = S.loopBound(m), l = S.length();
        for (int c = 0; c < bound; c += l) {
            int r = 0;
            for (; r + 4 <= rank; r += 4) {
                DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                for (int f = 0; f < rows; f++) {
                    DoubleVector v = DoubleVector.fromArray(S, b, f * ldb + offB + c);
                    int at = f * rank + r;
                    s0 = v.fma(DoubleVector.broadcast(S, a[at]), s0);
                    s1 = v.fma(DoubleVector.broadcast(S, a[at + 1]), s1);
                    s2 = v.fma(DoubleVector.broadcast(S, a[at + 2]), s2);
                    s3 = v.fma(DoubleVector.broadcast(S, a[at + 3]), s3);
                }
                s0.intoArray(out, r * m + c);
                s1.intoArray(out, (r + 1) * m + c);
                s2.intoArray(out, (r + 2) * m + c);
                s3.intoArray(out, (r + 3) * m + c);
            }
            for (; r < rank; r++) {
                DoubleVector s0 = DoubleVector.zero(S);
                for (int f = 0; f < rows; f++) {
                    DoubleVector q = DoubleVector.broadcast(S, a[f * rank + r]);
                    s0 = DoubleVector.fromArray(S, b, f * ldb + offB + c).fma(q, s0);
                }
                s0.intoArray(out, r * m + c);
            }
        }
        return bound;
    }

    /**
     * sigma[g·m + c] = b2 + scale · Σ_r basisT[g·rank + r] t[r·m + c] (r ascending, fused) for g &lt; n and c
     * below the returned bound.
     */
    static int expand(double[] basisT, int rank, int n, double[] t, int m, double b2, double scale, double[] sigma) {
        int l = S.length(), wide = m / (4 * l) * (4 * l), bound = S.loopBound(m);
        for (int g = 0; g < n; g++) {
            int row = g * rank, at = g * m;
            for (int c = 0; c < wide; c += 4 * l) {
                DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                for (int r = 0; r < rank; r++) {
                    DoubleVector q = DoubleVector.broadcast(S, basisT[row + r]);
                    int from = r * m + c;
                    s0 = DoubleVector.fromArray(S, t, from).fma(q, s0);
                    s1 = DoubleVector.fromArray(S, t, from + l).fma(q, s1);
                    s2 = DoubleVector.fromArray(S, t, from + 2 * l).fma(q, s2);
                    s3 = DoubleVector.fromArray(S, t, from + 3 * l).fma(q, s3);
                }
                s0.fma(scale, b2).intoArray(sigma, at + c);
                s1.fma(scale, b2).intoArray(sigma, at + c + l);
                s2.fma(scale, b2).intoArray(sigma, at + c + 2 * l);
                s3.fma(scale, b2).intoArray(sigma, at + c + 3 * l);
            }
            for (int c = wide; c < bound; c += l) {
                DoubleVector s0 = DoubleVector.zero(S);
                for (int r = 0; r < rank; r++) {
                    DoubleVector q = DoubleVector.broadcast(S, basisT[row + r]);
                    s0 = DoubleVector.fromArray(S, t, r * m + c).fma(q, s0);
                }
                s0.fma(scale, b2).intoArray(sigma, at + c);
            }
        }
        return bound;
    }
}
