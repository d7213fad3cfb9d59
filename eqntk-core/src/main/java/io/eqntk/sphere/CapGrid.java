package io.eqntk.sphere;

/**
 * The filter supports around the north pole (the identity), after the rings of the published spherical CNN
 * code: colatitudes β_j = j·max_beta/nBeta (j = 1..nBeta), angles α_k = 2πk/nAlpha. On SO(3) the rotations are
 * R(α_k, β_j, γ_g - α_k) with γ_g = 2πg/nGamma (the full circle of the published default max_gamma = 2π,
 * without its repeated end point), so every rotation of a ring is at the same distance from the identity.
 */
public final class CapGrid {
    private CapGrid() {
    }

    /** Points {θ, φ} of the S^2 cap. */
    public static double[][] s2Cap(double maxBeta, int nAlpha, int nBeta) {
        double[][] pts = new double[nAlpha * nBeta][];
        int i = 0;
        for (int j = 1; j <= nBeta; j++) {
            for (int k = 0; k < nAlpha; k++) {
                pts[i++] = new double[] {j * maxBeta / nBeta, 2 * Math.PI * k / nAlpha};
            }
        }
        return pts;
    }

    /** Euler angles {α, β, γ} of the SO(3) cap. */
    public static double[][] so3Cap(double maxBeta, int nAlpha, int nBeta, int nGamma) {
        double[][] pts = new double[nAlpha * nBeta * nGamma][];
        int i = 0;
        for (int j = 1; j <= nBeta; j++) {
            for (int k = 0; k < nAlpha; k++) {
                for (int g = 0; g < nGamma; g++) {
                    double alpha = 2 * Math.PI * k / nAlpha;
                    pts[i++] = new double[] {alpha, j * maxBeta / nBeta, 2 * Math.PI * g / nGamma - alpha};
                }
            }
        }
        return pts;
    }
}
