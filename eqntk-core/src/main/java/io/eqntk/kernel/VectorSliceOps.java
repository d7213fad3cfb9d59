// float32 twin: VectorSliceOps32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel;

import io.eqntk.kernel.map.VectorSupport;
import jdk.incubator.vector.DoubleVector;
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

    /**
     * {@link #rowsSame} at radius 1 for Σ and Θ in one loop: the two arrays share the mask loads and the loop.
     */
    static int rowsSamePair(double[] inS, double[] outS, double[] inT, double[] outT, int base, int from, int n,
                            double[][] mask) {
        int bound = from + S.loopBound(n - from);
        double[] left = mask[0];
        double[] right = mask[2];
        for (int i = from; i < bound; i += S.length()) {
            int a = base + i;
            DoubleVector l = DoubleVector.fromArray(S, left, i);
            DoubleVector r = DoubleVector.fromArray(S, right, i);
            DoubleVector v = DoubleVector.fromArray(S, inS, a);
            v = l.fma(DoubleVector.fromArray(S, inS, a - 1), v);
            r.fma(DoubleVector.fromArray(S, inS, a + 1), v).intoArray(outS, a);
            DoubleVector w = DoubleVector.fromArray(S, inT, a);
            w = l.fma(DoubleVector.fromArray(S, inT, a - 1), w);
            r.fma(DoubleVector.fromArray(S, inT, a + 1), w).intoArray(outT, a);
        }
        return bound;
    }

    /** {@link #rowsValid} at radius 1 for Σ and Θ in one loop. */
    static int rowsValidPair(double[] inS, double[] outS, double[] inT, double[] outT, int base, int from, int n) {
        int bound = from + S.loopBound(n - from);
        for (int i = from; i < bound; i += S.length()) {
            int a = base + i;
            DoubleVector.fromArray(S, inS, a).add(DoubleVector.fromArray(S, inS, a + 1))
                .add(DoubleVector.fromArray(S, inS, a + 2)).intoArray(outS, a);
            DoubleVector.fromArray(S, inT, a).add(DoubleVector.fromArray(S, inT, a + 1))
                .add(DoubleVector.fromArray(S, inT, a + 2)).intoArray(outT, a);
        }
        return bound;
    }

    /**
     * {@link #columns} over three rows (lo, lo + 1, lo + 2) for Σ and Θ in one loop: Σ ← alpha rows(inS) + beta,
     * then Θ ← alpha rows(inT) + that new Σ.
     */
    static int columnsPair(double[] inS, double[] outS, double[] inT, double[] outT, int base, int from, int n, int lx,
                           int lo, double alpha, double beta) {
        int bound = from + S.loopBound(n - from);
        DoubleVector b = DoubleVector.broadcast(S, beta);
        DoubleVector al = DoubleVector.broadcast(S, alpha);
        int o0 = lo * lx;
        int o1 = (lo + 1) * lx;
        int o2 = (lo + 2) * lx;
        for (int i = from; i < bound; i += S.length()) {
            int a = base + i;
            DoubleVector s = DoubleVector.fromArray(S, inS, a + o0).add(DoubleVector.fromArray(S, inS, a + o1))
                .add(DoubleVector.fromArray(S, inS, a + o2)).fma(al, b);
            s.intoArray(outS, a);
            DoubleVector.fromArray(S, inT, a + o0).add(DoubleVector.fromArray(S, inT, a + o1))
                .add(DoubleVector.fromArray(S, inT, a + o2)).fma(al, s).intoArray(outT, a);
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
        if (a.length == 3) {
            // RGB spelled out: a vector carried through the short channel loop would be boxed by the JDK 17 JIT
            double[] a0 = a[0];
            double[] a1 = a[1];
            double[] a2 = a[2];
            double[] b0 = b[0];
            double[] b1 = b[1];
            double[] b2 = b[2];
            for (int i = from; i < bound; i += S.length()) {
                DoubleVector.fromArray(S, a0, offA + i).mul(DoubleVector.fromArray(S, b0, offB + i))
                    .add(DoubleVector.fromArray(S, a1, offA + i).mul(DoubleVector.fromArray(S, b1, offB + i)))
                    .add(DoubleVector.fromArray(S, a2, offA + i).mul(DoubleVector.fromArray(S, b2, offB + i)))
                    .mul(inv).intoArray(out, base + i);
            }
            return bound;
        }
        for (int i = from; i < bound; i += S.length()) {
            DoubleVector acc = DoubleVector.fromArray(S, a[0], offA + i).mul(DoubleVector.fromArray(S, b[0], offB + i));
            for (int c = 1; c < a.length; c++) {
                acc = acc.add(DoubleVector.fromArray(S, a[c], offA + i).mul(DoubleVector.fromArray(S, b[c], offB + i)));
            }
            acc.mul(inv).intoArray(out, base + i);
        }
        return bound;
    }

    /**
     * Lane-wise partial sums (in float32, 32-bit sums of n / LANES terms each, which keeps the error near 1e-7
     * relative per slice), then the lanes and the tail in a 64-bit sum: a fixed order, so repeatable.
     * {@code lanes} is a buffer of at least one vector.
     */
    static double sum( // float32 keeps double
        double[] a, int base, int n, double[] lanes) {
        int bound = S.loopBound(n);
        DoubleVector acc = DoubleVector.zero(S);
        for (int i = 0; i < bound; i += S.length()) {
            acc = acc.add(DoubleVector.fromArray(S, a, base + i));
        }
        // the lanes in a fixed order (through a buffer): reduceLanes(ADD) leaves its order to the implementation
        acc.intoArray(lanes, 0);
        double s = 0; // float32 keeps double
        for (int k = 0; k < S.length(); k++) {
            s += lanes[k];
        }
        for (int i = bound; i < n; i++) {
            s += a[base + i];
        }
        return s;
    }
}
