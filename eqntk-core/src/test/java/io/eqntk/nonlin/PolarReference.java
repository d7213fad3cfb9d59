package io.eqntk.nonlin;

import java.util.Arrays;

/**
 * An independent slow reference for positively homogeneous nonlinearities (the ReLU family): in polar coordinates
 * of (z1, z2) the radial integral is a Gaussian moment, so E[φ(u) φ(v)] = (1/π) ∫ φ(u(α)) φ(v(α)) dα and
 * E[φ'(u) φ'(v)] = (1/2π) ∫ φ'(u(α)) φ'(v(α)) dα over the circle, u(α) = L11 cos α,
 * v(α) = L21 cos α + L22 sin α. The circle is cut at the four angles where u or v changes sign, and each arc
 * (where the integrand is a product of sinusoids) is integrated by 40-point Gauss-Legendre.
 */
final class PolarReference {
    private static final int POINTS = 40;
    private static final double[] NODES = new double[POINTS];
    private static final double[] WEIGHTS = new double[POINTS];

    static {
        // Newton on the Legendre polynomial P_m, from the Chebyshev-like first guesses
        for (int i = 0; i < POINTS; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (POINTS + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = x;
                for (int k = 2; k <= POINTS; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = POINTS * (x * p1 - p0) / (x * x - 1);
                double dx = p1 / dp;
                x -= dx;
                if (Math.abs(dx) < 1e-16) {
                    break;
                }
            }
            NODES[i] = x;
            WEIGHTS[i] = 2 / ((1 - x * x) * dp * dp);
        }
    }

    private PolarReference() {
    }

    /** E[φ(u) φ(v)] (derivative false) or E[φ'(u) φ'(v)] (true) for a degree-1 homogeneous φ; q11 > 0. */
    static double expect(Activation a, boolean derivative, double q11, double q22, double q12) {
        double l11 = Math.sqrt(q11);
        double l21 = q12 / l11;
        double l22 = Math.sqrt(Math.max(q22 - l21 * l21, 0));
        double zeroV = Math.atan2(-l21, l22);
        double[] cuts = {Math.PI / 2, 3 * Math.PI / 2, mod2pi(zeroV),
            mod2pi(zeroV + Math.PI)};
        Arrays.sort(cuts);
        double total = 0;
        for (int k = 0; k < 4; k++) {
            double lo = cuts[k];
            double hi = k == 3 ? cuts[0] + 2 * Math.PI : cuts[k + 1];
            double half = (hi - lo) / 2;
            double mid = (hi + lo) / 2;
            for (int i = 0; i < POINTS; i++) {
                double angle = mid + half * NODES[i];
                double u = l11 * Math.cos(angle);
                double v = l21 * Math.cos(angle) + l22 * Math.sin(angle);
                double fu = derivative ? a.dphi(u) : a.phi(u);
                double fv = derivative ? a.dphi(v) : a.phi(v);
                total += half * WEIGHTS[i] * fu * fv;
            }
        }
        return derivative ? total / (2 * Math.PI) : total / Math.PI;
    }

    private static double mod2pi(double angle) {
        double m = angle % (2 * Math.PI);
        return m < 0 ? m + 2 * Math.PI : m;
    }
}
