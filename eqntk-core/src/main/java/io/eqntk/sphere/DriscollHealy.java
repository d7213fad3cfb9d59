package io.eqntk.sphere;

/**
 * The equiangular Driscoll-Healy grid of bandwidth L: 2L colatitudes β_j = π(2j+1)/(4L) and 2L equally spaced
 * angles 2πk/(2L) along every periodic direction (φ on S^2; α and γ on SO(3)). With the weights w_j below,
 * sum_j w_j p(β_j) = ∫_0^π p(β) sin β dβ for every p(β) = d^l_{mn}(β) d^{l'}_{mn}(β) with l, l' < L, so the
 * transforms built on the grid are exact for signals of degree below L.
 */
public final class DriscollHealy {
    private DriscollHealy() {
    }

    public static double beta(int j, int bandwidth) {
        return Math.PI * (2 * j + 1) / (4.0 * bandwidth);
    }

    public static double angle(int k, int bandwidth) {
        return 2 * Math.PI * k / (2.0 * bandwidth);
    }

    /** Quadrature weights w_j (they sum to 2 = ∫ sin β dβ). */
    public static double[] weights(int bandwidth) {
        int p = 2 * bandwidth;
        double[] w = new double[p];
        for (int j = 0; j < p; j++) {
            double b = beta(j, bandwidth);
            double s = 0;
            for (int k = 0; k < bandwidth; k++) {
                s += Math.sin((2 * k + 1) * b) / (2 * k + 1);
            }
            w[j] = (2.0 / bandwidth) * Math.sin(b) * s;
        }
        return w;
    }

    public static void requireBandwidth(int bandwidth, String what) {
        if (bandwidth < 1 || bandwidth > 64) {
            throw new io.eqntk.EqntkException(what + ": bandwidth must be between 1 and 64, got " + bandwidth);
        }
    }
}
