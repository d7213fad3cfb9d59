package io.eqntk.nonlin;

import java.util.function.DoubleUnaryOperator;

/**
 * Gaussian expectations E[f(u) g(v)] of a centred pair (u, v) with covariance [[q11, q12], [q12, q22]] by the
 * tensor Gauss-Hermite rule on the Cholesky factor: u = L11 z1, v = L21 z1 + L22 z2, z1, z2 independent N(0, 1).
 *
 * <p>The variable with the larger variance is factored first, so a zero variance, a singular covariance
 * (|ρ| = 1) and the diagonal q11 = q22 = q12 reduce to one-dimensional sums with no division by zero; the result
 * is then exactly symmetric under swapping (q11, f) with (q22, g). A correlation rounded past ±1 is clamped to ±1
 * (as the closed forms do); a negative or NaN variance is an error. Cost: order^2 evaluations of g and order of f
 * (order of each on a singular covariance); no allocation.
 *
 * <p>Accuracy (see docs/NONLINEARITIES.md for the measured table): spectral for smooth φ of moderate variance,
 * only algebraic for a kink (ReLU family), whose closed forms should be used instead.
 */
public final class GaussHermite2D {
    /**
     * The default order. Measured error relative to sqrt(E[φ(u)^2] E[φ(v)^2]) (resp. with φ'), over variances up to
     * 2 and all correlations: erf 1e-14 (Σ) / 7e-13 (Σ̇), GELU 2e-15 / 3e-15, tanh 2e-9 / 1e-7 (tanh up to
     * variance 1: 3e-13 / 2e-11); ReLU 2e-3 / 2e-2 (kink-limited). Cost: about 10^4 evaluations of φ per map.
     */
    public static final int DEFAULT_ORDER = 128;
    /** Relative size of L22^2 below which the covariance counts as singular (a few ulps of rounding). */
    private static final double SINGULAR = 1e-15;
    private static final GaussHermite2D DEFAULT = new GaussHermite2D(GaussHermite.ofOrder(DEFAULT_ORDER));

    private final GaussHermite rule;
    private final double[] x;
    private final double[] w;
    private final int first;
    private final int end;
    /** Inner-loop start for outer node i: pairs whose weight product is below the negligible weight are skipped. */
    private final int[] innerFirst;

    private GaussHermite2D(GaussHermite rule) {
        this.rule = rule;
        this.x = rule.nodes();
        this.w = rule.weights();
        this.first = rule.first();
        this.end = rule.end();
        this.innerFirst = new int[x.length];
        for (int i = first; i < end; i++) {
            int j = first;
            while (j < (x.length + 1) / 2 && w[i] * w[j] < GaussHermite.NEGLIGIBLE_WEIGHT) {
                j++;
            }
            innerFirst[i] = j;
        }
    }

    /** The rule of {@link #DEFAULT_ORDER}. */
    public static GaussHermite2D standard() {
        return DEFAULT;
    }

    /** A rule with {@code order} nodes per dimension (the 1-D rule is cached per order). */
    public static GaussHermite2D ofOrder(int order) {
        return order == DEFAULT_ORDER ? DEFAULT : new GaussHermite2D(GaussHermite.ofOrder(order));
    }

    public int order() {
        return rule.order();
    }

    /** E[φ(u) φ(v)]. */
    public double phiPhi(Activation a, double q11, double q22, double q12) {
        return pair(a, false, false, q11, q22, q12);
    }

    /** E[φ'(u) φ'(v)]. */
    public double dphiDphi(Activation a, double q11, double q22, double q12) {
        return pair(a, true, true, q11, q22, q12);
    }

    /** E[φ(u)^2], u ~ N(0, q). */
    public double phiSquare(Activation a, double q) {
        return pair(a, false, false, q, q, q);
    }

    /** E[φ'(u)^2], u ~ N(0, q). */
    public double dphiSquare(Activation a, double q) {
        return pair(a, true, true, q, q, q);
    }

    /** E[f(u) g(v)] for arbitrary functions (allocates one adapter per call). */
    public double expect(DoubleUnaryOperator f, DoubleUnaryOperator g, double q11, double q22, double q12) {
        return pair(new FunctionPair(f, g), false, true, q11, q22, q12);
    }

    /** E[f(u)], u ~ N(0, q) (allocates one adapter per call). */
    public double expect(DoubleUnaryOperator f, double q) {
        return pair(new FunctionPair(f, v -> 1), false, true, q, 0, 0);
    }

    /**
     * E[F(u) G(v)] where F is φ' if {@code du} else φ, and G likewise by {@code dv}.
     */
    double pair(Activation a, boolean du, boolean dv, double q11, double q22, double q12) {
        if (!(q11 >= 0) || !(q22 >= 0) || Double.isNaN(q12)) {
            throw new IllegalArgumentException("Gaussian expectation needs non-negative variances, got q11=" + q11
                + ", q22=" + q22 + ", q12=" + q12);
        }
        if (q22 > q11) {
            return pair(a, dv, du, q22, q11, q12);
        }
        if (q11 == 0) {
            return value(a, du, 0) * value(a, dv, 0);
        }
        double l11 = Math.sqrt(q11);
        double l21 = q12 / l11;
        double r2 = q22 - l21 * l21;
        if (r2 <= SINGULAR * q22) {
            // singular covariance: v = L21 z1 exactly (correlation clamped to ±1 when rounded past it)
            double l = r2 < 0 ? Math.copySign(Math.sqrt(q22), q12) : l21;
            double s = 0;
            for (int i = first; i < end; i++) {
                s += w[i] * value(a, du, l11 * x[i]) * value(a, dv, l * x[i]);
            }
            return s;
        }
        double l22 = Math.sqrt(r2);
        double s = 0;
        for (int i = first; i < end; i++) {
            double fu = value(a, du, l11 * x[i]);
            if (fu == 0) {
                continue;
            }
            double m = l21 * x[i];
            double inner = 0;
            int jEnd = x.length - innerFirst[i];
            for (int j = innerFirst[i]; j < jEnd; j++) {
                inner += w[j] * value(a, dv, m + l22 * x[j]);
            }
            s += w[i] * fu * inner;
        }
        return s;
    }

    private static double value(Activation a, boolean derivative, double t) {
        return derivative ? a.dphi(t) : a.phi(t);
    }

    /** Two plain functions seen as φ (for u) and φ' (for v). */
    private record FunctionPair(DoubleUnaryOperator f, DoubleUnaryOperator g) implements Activation {
        @Override
        public String name() {
            return "function pair";
        }

        @Override
        public double phi(double t) {
            return f.applyAsDouble(t);
        }

        @Override
        public double dphi(double t) {
            return g.applyAsDouble(t);
        }
    }
}
