package io.eqntk.nonlin;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Gaussian expectations E[f(u) g(v)] by a kink-aware polar rule, for φ smooth except possibly at 0 (the ReLU
 * family, ELU, |x|, and smooth φ alike). With u = L11 z1 and v = L21 z1 + L22 z2 (Cholesky, larger variance
 * first), the kinks u = 0 and v = 0 are two lines through the origin of the white plane (z1, z2); in polar
 * coordinates they cut the circle into four arcs on each of which the integrand is smooth in both the radius and
 * the angle. Each arc gets an angular Gauss-Legendre rule and the radius the Gauss rule of the weight
 * r exp(-r^2/2) on [0, ∞) (computed once per order by the discretised Stieltjes procedure):
 * <pre>
 *   E = (1/2π) Σ_arcs ∫ dα ∫_0^∞ r e^{-r²/2} f(r u(α)) g(r v(α)) dr,
 *   u(α) = L11 cos α,  v(α) = L21 cos α + L22 sin α
 * </pre>
 * Exact to rounding for positively homogeneous φ (ReLU, ABReLU: the radial integrand is a polynomial), spectral
 * for smooth φ. Degenerate covariances need no special case (coinciding cuts leave empty arcs). Cost:
 * 4 x angular x radial evaluations of f and of g; no allocation per call. Accuracy in docs/NONLINEARITIES.md.
 */
public final class PolarQuadrature2D extends PairQuadrature {
    /** Default orders: 32 angular points per arc, 32 radial points (4 096 points in all). */
    public static final int DEFAULT_ANGULAR = 32;
    public static final int DEFAULT_RADIAL = 32;
    private static final ConcurrentHashMap<Integer, double[][]> RADIAL = new ConcurrentHashMap<>();
    private static final PolarQuadrature2D DEFAULT = new PolarQuadrature2D(DEFAULT_ANGULAR, DEFAULT_RADIAL);
    private static final double TWO_PI = 2 * Math.PI;

    private final double[] angleNodes;
    private final double[] angleWeights;
    private final double[] radii;
    private final double[] radialWeights;

    private PolarQuadrature2D(int angular, int radial) {
        double[][] gl = OrthogonalRules.legendre(angular);
        this.angleNodes = gl[0];
        this.angleWeights = gl[1];
        double[][] rr = RADIAL.computeIfAbsent(radial, PolarQuadrature2D::radialRule);
        this.radii = rr[0];
        this.radialWeights = rr[1];
    }

    public static PolarQuadrature2D standard() {
        return DEFAULT;
    }

    /** A rule with {@code angular} Gauss-Legendre points per arc and {@code radial} radial points (each 1..128). */
    public static PolarQuadrature2D ofOrders(int angular, int radial) {
        if (angular < 1 || angular > 128 || radial < 1 || radial > 128) {
            throw new IllegalArgumentException("polar quadrature orders must be in 1..128, got " + angular + ", "
                + radial);
        }
        boolean standard = angular == DEFAULT_ANGULAR && radial == DEFAULT_RADIAL;
        return standard ? DEFAULT : new PolarQuadrature2D(angular, radial);
    }

    @Override
    double integrate(Activation a, boolean du, boolean dv, double l11, double l21, double l22) {
        // cuts: u = 0 at π/2 and 3π/2; v = 0 at c and c + π with c in [0, π) (any angle if v ≡ 0)
        double c = Math.atan2(-l21, l22);
        if (c < 0) {
            c += Math.PI;
        }
        if (c >= Math.PI) {
            c -= Math.PI;
        }
        double s0 = Math.min(0.5 * Math.PI, c);
        double s1 = Math.max(0.5 * Math.PI, c);
        double s2 = Math.min(1.5 * Math.PI, c + Math.PI);
        double s3 = Math.max(1.5 * Math.PI, c + Math.PI);
        double total = arc(a, du, dv, l11, l21, l22, s0, s1) + arc(a, du, dv, l11, l21, l22, s1, s2)
            + arc(a, du, dv, l11, l21, l22, s2, s3) + arc(a, du, dv, l11, l21, l22, s3, s0 + TWO_PI);
        return total / TWO_PI;
    }

    private double arc(Activation a, boolean du, boolean dv, double l11, double l21, double l22, double lo,
                       double hi) {
        double half = 0.5 * (hi - lo);
        if (half <= 0) {
            return 0;
        }
        double mid = 0.5 * (hi + lo);
        double sum = 0;
        for (int i = 0; i < angleNodes.length; i++) {
            double angle = mid + half * angleNodes[i];
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            double u = l11 * cos;
            double v = l21 * cos + l22 * sin;
            double radial = 0;
            for (int k = 0; k < radii.length; k++) {
                double r = radii[k];
                radial += radialWeights[k] * value(a, du, r * u) * value(a, dv, r * v);
            }
            sum += angleWeights[i] * radial;
        }
        return half * sum;
    }

    /**     * The Gauss rule of r exp(-r^2/2) dr on [0, ∞) (mass 1): recurrence by Stieltjes on a 40-panel x 40-point
     * Gauss-Legendre discretisation of [0, 40] (the weight beyond 40 is below e^-800), then Golub-Welsch.
     */
    private static double[][] radialRule(int m) {
        int panels = 40;
        int points = 40;
        double[][] gl = OrthogonalRules.legendre(points);
        double[] t = new double[panels * points];
        double[] w = new double[t.length];
        double width = 40.0 / panels;
        for (int p = 0; p < panels; p++) {
            for (int i = 0; i < points; i++) {
                double r = width * (p + 0.5 * (gl[0][i] + 1));
                t[p * points + i] = r;
                w[p * points + i] = 0.5 * width * gl[1][i] * r * Math.exp(-0.5 * r * r);
            }
        }
        double[][] ab = OrthogonalRules.stieltjes(t, w, m);
        return OrthogonalRules.gauss(ab[0], ab[1], 1);
    }
}
