package io.eqntk.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lane loops of {@link SlicePooling} in vectors: a pooled entry of L lanes is L / V double vectors (the pooled
 * sums are double in either precision; L is a multiple of V). The same additions per lane as the scalar loops.
 * Only loaded when lanes run, which needs the Vector API.
 */
final class VectorPooling {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorPooling() {
    }

    /** Whether entries of {@code lanes} lanes are whole vectors here. */
    static boolean fits(int lanes) {
        return lanes % S.length() == 0;
    }

    /**
     * out[o + c] += in[i + 2 c] (+ in[i + next + 2 c] when next &gt;= 0) for c &lt; cols, entries of n lanes
     * (offsets in entries).
     */
    static void addPair(double[] out, int o, double[] in, int i, int next, int cols, int n) {
        int v = S.length();
        for (int c = 0; c < cols; c++) {
            int oc = (o + c) * n;
            int ic = (i + 2 * c) * n;
            if (next < 0) {
                for (int l = 0; l < n; l += v) {
                    DoubleVector.fromArray(S, out, oc + l).add(DoubleVector.fromArray(S, in, ic + l))
                        .intoArray(out, oc + l);
                }
            } else {
                int jc = ic + next * n;
                for (int l = 0; l < n; l += v) {
                    DoubleVector.fromArray(S, out, oc + l)
                        .add(DoubleVector.fromArray(S, in, ic + l).add(DoubleVector.fromArray(S, in, jc + l)))
                        .intoArray(out, oc + l);
                }
            }
        }
    }
}
