package io.eqntk.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector versions of {@link SliceOps}: each returns how many leading entries it did (a multiple of the vector
 * length); the caller finishes the tail with the scalar loop. The box sums do the same operations in the same
 * order per entry as the scalar loops, so both give identical results; {@link #sum} adds in another order.
 * Only loaded when {@link VectorSupport#ENABLED}.
 */
final class VectorSliceOps {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Entries per vector. */
    static final int LANES = S.length();

    private VectorSliceOps() {
    }

    static int rowsSame(double[] in, double[] out, int base, int from, int n, int r, double[][] mask) {
        int bound = from + S.loopBound(n - from);
        if (r == 1) {
            double[] left = mask[0];
            double[] right = mask[2];
            for (int i = from; i < bound; i += S.length()) {
                int a = base + i;
                DoubleVector v = DoubleVector.fromArray(S, in, a);
                v = DoubleVector.fromArray(S, left, i).fma(DoubleVector.fromArray(S, in, a - 1), v);
                v = DoubleVector.fromArray(S, right, i).fma(DoubleVector.fromArray(S, in, a + 1), v);
                v.intoArray(out, a);
            }
            return bound;
        }
        for (int i = from; i < bound; i += S.length()) {
            int a = base + i;
            DoubleVector v = DoubleVector.fromArray(S, in, a);
            for (int k = 1; k <= r; k++) {
                v = DoubleVector.fromArray(S, mask[r - k], i).fma(DoubleVector.fromArray(S, in, a - k), v);
                v = DoubleVector.fromArray(S, mask[r + k], i).fma(DoubleVector.fromArray(S, in, a + k), v);
            }
            v.intoArray(out, a);
        }
        return bound;
    }

    static int rowsValid(double[] in, double[] out, int base, int from, int n, int r) {
        int bound = from + S.loopBound(n - from);
        if (r == 1) {
            for (int i = from; i < bound; i += S.length()) {
                int a = base + i;
                DoubleVector.fromArray(S, in, a).add(DoubleVector.fromArray(S, in, a + 1))
                    .add(DoubleVector.fromArray(S, in, a + 2))
                    .intoArray(out, a);
            }
            return bound;
        }
        for (int i = from; i < bound; i += S.length()) {
            int a = base + i;
            DoubleVector v = DoubleVector.fromArray(S, in, a);
            for (int k = 1; k <= 2 * r; k++) {
                v = v.add(DoubleVector.fromArray(S, in, a + k));
            }
            v.intoArray(out, a);
        }
        return bound;
    }

    static int columns(double[] in, double[] out, int base, int from, int n, int lx, int lo, int hi, double alpha,
                       double beta, double[] add) {
        int bound = from + S.loopBound(n - from);
        DoubleVector b = DoubleVector.broadcast(S, beta);
        DoubleVector al = DoubleVector.broadcast(S, alpha);
        if (hi == lo + 2) {
            // three rows (radius 1) spelled out: a vector carried through a short inner loop costs the JDK 17 JIT
            // a boxed value
            for (int i = from; i < bound; i += S.length()) {
                int a = base + i;
                DoubleVector v = DoubleVector.fromArray(S, in, a + lo * lx)
                    .add(DoubleVector.fromArray(S, in, a + (lo + 1) * lx))
                    .add(DoubleVector.fromArray(S, in, a + hi * lx));
                DoubleVector addend = add == null ? b : DoubleVector.fromArray(S, add, a);
                v.fma(al, addend).intoArray(out, a);
            }
            return bound;
        }
        for (int i = from; i < bound; i += S.length()) {
            int a = base + i;
            DoubleVector v = DoubleVector.fromArray(S, in, a + lo * lx);
            for (int k = lo + 1; k <= hi; k++) {
                v = v.add(DoubleVector.fromArray(S, in, a + k * lx));
            }
            DoubleVector addend = add == null ? b : DoubleVector.fromArray(S, add, a);
            v.fma(al, addend).intoArray(out, a);
        }
        return bound;
    }

    static int inputKernel(double[][] a, int offA, double[][] b, int offB, double[] out, int base, int from, int n,
                           double inv) {
        int bound = from + S.loopBound(n - from);
        for (int i = from; i < bound; i += S.length()) {
            DoubleVector acc = DoubleVector.fromArray(S, a[0], offA + i).mul(DoubleVector.fromArray(S, b[0], offB + i));
            for (int c = 1; c < a.length; c++) {
                acc = acc.add(DoubleVector.fromArray(S, a[c], offA + i).mul(DoubleVector.fromArray(S, b[c], offB + i)));
            }
            acc.mul(inv).intoArray(out, base + i);
        }
        return bound;
    }

    /** Lane-wise partial sums, then the lanes and the tail: a fixed order, so repeatable. */
    static double sum(double[] a, int base, int n) {
        int bound = S.loopBound(n);
        DoubleVector acc = DoubleVector.zero(S);
        for (int i = 0; i < bound; i += S.length()) {
            acc = acc.add(DoubleVector.fromArray(S, a, base + i));
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (int i = bound; i < n; i++) {
            s += a[base + i];
        }
        return s;
    }
}
