package io.eqntk.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector versions of {@link SliceOps32}, as {@link VectorSliceOps} are of {@link SliceOps}. */
final class VectorSliceOps32 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorSliceOps32() {
    }

    static int rowsSame(float[] in, float[] out, int base, int n, int r, float[][] mask) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += F.length()) {
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

    static int rowsValid(float[] in, float[] out, int base, int n, int r) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += F.length()) {
            int a = base + i;
            FloatVector v = FloatVector.fromArray(F, in, a);
            for (int k = 1; k <= 2 * r; k++) {
                v = v.add(FloatVector.fromArray(F, in, a + k));
            }
            v.intoArray(out, a);
        }
        return bound;
    }

    static int columns(float[] in, float[] out, int base, int n, int lx, int lo, int hi, float alpha, float beta,
                       float[] add) {
        int bound = F.loopBound(n);
        FloatVector b = FloatVector.broadcast(F, beta);
        FloatVector al = FloatVector.broadcast(F, alpha);
        for (int i = 0; i < bound; i += F.length()) {
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

    static int inputKernel(float[][] a, int offA, float[][] b, int offB, float[] out, int base, int n, float inv) {
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += F.length()) {
            FloatVector acc = FloatVector.fromArray(F, a[0], offA + i).mul(FloatVector.fromArray(F, b[0], offB + i));
            for (int c = 1; c < a.length; c++) {
                acc = acc.add(FloatVector.fromArray(F, a[c], offA + i).mul(FloatVector.fromArray(F, b[c], offB + i)));
            }
            acc.mul(inv).intoArray(out, base + i);
        }
        return bound;
    }
}
