package io.eqntk.sphere;

/**
 * The Gaussian expectation maps of ReLU and erf (KERNELS.md §2: the arc-cosine and erf closed forms): for (u, v)
 * centred Gaussian with covariance [[q11, q12], [q12, q22]], E[φ(u) φ(v)] and E[φ'(u) φ'(v)]. A position of zero
 * variance counts as uncorrelated (ReLU'(0) = 1/2).
 */
final class KernelMaps {
    private KernelMaps() {
    }

    /** Writes {E[φφ], E[φ'φ']} into out. */
    static void map(SphericalLayer.Nonlinearity kind, double q11, double q22, double q12, double[] out) {
        if (kind == SphericalLayer.Nonlinearity.RELU) {
            double det = Math.sqrt(Math.max(q11 * q22 - q12 * q12, 0));
            double theta = Math.atan2(det, q12);
            out[0] = (det + (Math.PI - theta) * q12) / (2 * Math.PI);
            out[1] = (Math.PI - theta) / (2 * Math.PI);
        } else {
            double s = Math.sqrt(Math.max((1 + 2 * q11) * (1 + 2 * q22) - 4 * q12 * q12, 0));
            out[0] = 2 / Math.PI * Math.atan2(2 * q12, s);
            out[1] = 4 / Math.PI / s;
        }
    }
}
