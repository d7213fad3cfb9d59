package io.eqntk.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector versions of {@link SliceOps32}, as {@link VectorSliceOps} are of {@link SliceOps}. */
final class VectorSliceOps32 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Entries per vector. */
    static final int LANES = F.length();

    private VectorSliceOps32() {
    }

    static int rowsSame(float[] in, float[] out, int base, int from, int n, int r, float[][] mask) {
        int bound = from + F.loopBound(n - from);
        if (r == 1) {
            // spelled out: a vector carried through a short inner loop costs the JDK 17 JIT a boxed value
            float[] left = mask[0];
            float[] right = mask[2];
            for (int i = from; i < bound; i += F.length()) {
                int a = base + i;
                FloatVector v = FloatVector.fromArray(F, in, a);
                v = FloatVector.fromArray(F, left, i).fma(FloatVector.fromArray(F, in, a - 1), v);
                v = FloatVector.fromArray(F, right, i).fma(FloatVector.fromArray(F, in, a + 1), v);
                v.intoArray(out, a);
            }
            return bound;
        }
        for (int i = from; i < bound; i += F.length()) {
            int a = base + i;
            FloatVector v = FloatVector.fromArray(F, in, a);
            for (int k = 1; k <= r; k++) {
                v = FloatVector.fromArray(F, mask[r - k], i).fma(FloatVector.fromArray(F, in, a - k), v);
                v = FloatVector.fromArray(F, mask[r + k], i).fma(FloatVector.fromArray(F, in, a + k), v);
            }
            v.intoArray(out, a);
        }
        return bound;
    }

    /**
     * {@link #rowsSame} at radius 1 for Σ and Θ in one loop: the two arrays share the mask loads and the loop.
     */
    static int rowsSamePair(float[] inS, float[] outS, float[] inT, float[] outT, int base, int from, int n,
                            float[][] mask) {
        int bound = from + F.loopBound(n - from);
        float[] left = mask[0];
        float[] right = mask[2];
        for (int i = from; i < bound; i += F.length()) {
            int a = base + i;
            FloatVector l = FloatVector.fromArray(F, left, i);
            FloatVector r = FloatVector.fromArray(F, right, i);
            FloatVector v = FloatVector.fromArray(F, inS, a);
            v = l.fma(FloatVector.fromArray(F, inS, a - 1), v);
            r.fma(FloatVector.fromArray(F, inS, a + 1), v).intoArray(outS, a);
            FloatVector w = FloatVector.fromArray(F, inT, a);
            w = l.fma(FloatVector.fromArray(F, inT, a - 1), w);
            r.fma(FloatVector.fromArray(F, inT, a + 1), w).intoArray(outT, a);
        }
        return bound;
    }

    /** {@link #rowsValid} at radius 1 for Σ and Θ in one loop. */
    static int rowsValidPair(float[] inS, float[] outS, float[] inT, float[] outT, int base, int from, int n) {
        int bound = from + F.loopBound(n - from);
        for (int i = from; i < bound; i += F.length()) {
            int a = base + i;
            FloatVector.fromArray(F, inS, a).add(FloatVector.fromArray(F, inS, a + 1))
                .add(FloatVector.fromArray(F, inS, a + 2)).intoArray(outS, a);
            FloatVector.fromArray(F, inT, a).add(FloatVector.fromArray(F, inT, a + 1))
                .add(FloatVector.fromArray(F, inT, a + 2)).intoArray(outT, a);
        }
        return bound;
    }

    /**
     * {@link #columns} over three rows (lo, lo + 1, lo + 2) for Σ and Θ in one loop: Σ ← alpha rows(inS) + beta,
     * then Θ ← alpha rows(inT) + that new Σ.
     */
    static int columnsPair(float[] inS, float[] outS, float[] inT, float[] outT, int base, int from, int n, int lx,
                           int lo, float alpha, float beta) {
        int bound = from + F.loopBound(n - from);
        FloatVector b = FloatVector.broadcast(F, beta);
        FloatVector al = FloatVector.broadcast(F, alpha);
        int o0 = lo * lx;
        int o1 = (lo + 1) * lx;
        int o2 = (lo + 2) * lx;
        for (int i = from; i < bound; i += F.length()) {
            int a = base + i;
            FloatVector s = FloatVector.fromArray(F, inS, a + o0).add(FloatVector.fromArray(F, inS, a + o1))
                .add(FloatVector.fromArray(F, inS, a + o2)).fma(al, b);
            s.intoArray(outS, a);
            FloatVector.fromArray(F, inT, a + o0).add(FloatVector.fromArray(F, inT, a + o1))
                .add(FloatVector.fromArray(F, inT, a + o2)).fma(al, s).intoArray(outT, a);
        }
        return bound;
    }

    static int rowsValid(float[] in, float[] out, int base, int from, int n, int r) {
        int bound = from + F.loopBound(n - from);
        if (r == 1) {
            for (int i = from; i < bound; i += F.length()) {
                int a = base + i;
                FloatVector.fromArray(F, in, a).add(FloatVector.fromArray(F, in, a + 1))
                    .add(FloatVector.fromArray(F, in, a + 2))
                    .intoArray(out, a);
            }
            return bound;
        }
        for (int i = from; i < bound; i += F.length()) {
            int a = base + i;
            FloatVector v = FloatVector.fromArray(F, in, a);
            for (int k = 1; k <= 2 * r; k++) {
                v = v.add(FloatVector.fromArray(F, in, a + k));
            }
            v.intoArray(out, a);
        }
        return bound;
    }

    static int columns(float[] in, float[] out, int base, int from, int n, int lx, int lo, int hi, float alpha,
                       float beta, float[] add) {
        int bound = from + F.loopBound(n - from);
        FloatVector b = FloatVector.broadcast(F, beta);
        FloatVector al = FloatVector.broadcast(F, alpha);
        if (hi == lo + 2) {
            // three rows (radius 1), spelled out as in rowsSame
            for (int i = from; i < bound; i += F.length()) {
                int a = base + i;
                FloatVector v = FloatVector.fromArray(F, in, a + lo * lx)
                    .add(FloatVector.fromArray(F, in, a + (lo + 1) * lx))
                    .add(FloatVector.fromArray(F, in, a + hi * lx));
                FloatVector addend = add == null ? b : FloatVector.fromArray(F, add, a);
                v.fma(al, addend).intoArray(out, a);
            }
            return bound;
        }
        for (int i = from; i < bound; i += F.length()) {
            int a = base + i;
            FloatVector v = FloatVector.fromArray(F, in, a + lo * lx);
            for (int k = lo + 1; k <= hi; k++) {
                v = v.add(FloatVector.fromArray(F, in, a + k * lx));
            }
            FloatVector addend = add == null ? b : FloatVector.fromArray(F, add, a);
            v.fma(al, addend).intoArray(out, a);
        }
        return bound;
    }

    static int inputKernel(float[][] a, int offA, float[][] b, int offB, float[] out, int base, int from, int n,
                           float inv) {
        int bound = from + F.loopBound(n - from);
        if (a.length == 3) {
            // RGB spelled out: a vector carried through the short channel loop would be boxed by the JDK 17 JIT
            float[] a0 = a[0];
            float[] a1 = a[1];
            float[] a2 = a[2];
            float[] b0 = b[0];
            float[] b1 = b[1];
            float[] b2 = b[2];
            for (int i = from; i < bound; i += F.length()) {
                FloatVector.fromArray(F, a0, offA + i).mul(FloatVector.fromArray(F, b0, offB + i))
                    .add(FloatVector.fromArray(F, a1, offA + i).mul(FloatVector.fromArray(F, b1, offB + i)))
                    .add(FloatVector.fromArray(F, a2, offA + i).mul(FloatVector.fromArray(F, b2, offB + i)))
                    .mul(inv).intoArray(out, base + i);
            }
            return bound;
        }
        for (int i = from; i < bound; i += F.length()) {
            FloatVector acc = FloatVector.fromArray(F, a[0], offA + i).mul(FloatVector.fromArray(F, b[0], offB + i));
            for (int c = 1; c < a.length; c++) {
                acc = acc.add(FloatVector.fromArray(F, a[c], offA + i).mul(FloatVector.fromArray(F, b[c], offB + i)));
            }
            acc.mul(inv).intoArray(out, base + i);
        }
        return bound;
    }

    /**
     * Sum of a[base .. base + n): lane-wise float partial sums (at most n / 16 terms each), their total, and the
     * tail, in a fixed order. Float partial sums keep the float32 path's error near 1e-7 relative per slice.
     * {@code lanes} is a buffer of at least one vector.
     */
    static double sum(float[] a, int base, int n, float[] lanes) {
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < bound; i += F.length()) {
            acc = acc.add(FloatVector.fromArray(F, a, base + i));
        }
        // the lanes in a fixed order, in double (reduceLanes leaves its order to the implementation)
        acc.intoArray(lanes, 0);
        double s = 0;
        for (int k = 0; k < F.length(); k++) {
            s += lanes[k];
        }
        for (int i = bound; i < n; i++) {
            s += a[base + i];
        }
        return s;
    }
}
