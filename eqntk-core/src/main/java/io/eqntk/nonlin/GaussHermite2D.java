package io.eqntk.nonlin;

/**
 * The tensor Gauss-Hermite rule on the Cholesky factor (neural-tangents' {@code ElementwiseNumerical} idea):
 * <pre>
 *   E[f(u) g(v)] ≈ Σ_i w_i f(L11 x_i) Σ_j w_j g(L21 x_i + L22 x_j)
 * </pre>
 * (order evaluations of f, order^2 of g; order of each on a singular covariance, where the sum is one-dimensional).
 * Node pairs whose weight product is below 1e-30 are skipped. Spectral for smooth φ at a rate set by the variance,
 * only algebraic for a kink (ReLU family): {@link PolarQuadrature2D} is more accurate at equal cost and is the
 * default fallback of {@link Activation}. Measured accuracy in docs/NONLINEARITIES.md.
 */
public final class GaussHermite2D extends PairQuadrature {
    /**
     * The default order. Measured error relative to sqrt(E[φ(u)^2] E[φ(v)^2]) (resp. with φ'), over variances up to
     * 2 and all correlations: erf 1e-14 (Σ) / 7e-13 (Σ̇), GELU 2e-15 / 3e-15, tanh 2e-9 / 1e-7 (tanh up to
     * variance 1: 3e-13 / 2e-11); ReLU 2e-3 / 2e-2 (kink-limited).
     */
    public static final int DEFAULT_ORDER = 128;
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

    @Override
    double integrate(Activation a, boolean du, boolean dv, double l11, double l21, double l22) {
        double s = 0;
        if (l22 == 0) {
            for (int i = first; i < end; i++) {
                s += w[i] * value(a, du, l11 * x[i]) * value(a, dv, l21 * x[i]);
            }
            return s;
        }
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
}
