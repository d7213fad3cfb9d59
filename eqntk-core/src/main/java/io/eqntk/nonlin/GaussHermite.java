package io.eqntk.nonlin;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;

/**
 * The n-point Gauss-Hermite rule for the standard normal weight: {@code sum_i w_i f(x_i)} approximates
 * {@code E[f(Z)]}, Z ~ N(0, 1), and is exact for polynomials of degree at most 2n - 1.
 *
 * <p>Nodes: eigenvalues of the Jacobi matrix of the orthonormal (probabilists') Hermite polynomials (Golub-Welsch,
 * off-diagonal sqrt(k)), then polished by Newton's method on p_n. Weights: {@code w_i = 1 / (n p_{n-1}(x_i)^2)}
 * (Christoffel-Darboux), which keeps full relative accuracy in the far tail where the eigenvector's first
 * component would not. Rules are computed once per order and cached; instances are immutable.
 */
public final class GaussHermite {
    /** Largest supported order (computed once per order: O(n^2) eigenvalues, O(n^2) Newton polishing). */
    public static final int MAX_ORDER = 1024;
    /** Nodes whose weight is below this are dropped: no integrand of polynomial growth notices them. */
    static final double NEGLIGIBLE_WEIGHT = 1e-30;
    private static final double RESCALE = 1e150;
    private static final double LOG_RESCALE = Math.log(RESCALE);
    private static final ConcurrentHashMap<Integer, GaussHermite> CACHE = new ConcurrentHashMap<>();

    private final int order;
    private final double[] nodes;
    private final double[] weights;
    private final int first;
    private final int end;

    private GaussHermite(int order, double[] nodes, double[] weights) {
        this.order = order;
        this.nodes = nodes;
        this.weights = weights;
        int f = 0;
        while (weights[f] < NEGLIGIBLE_WEIGHT) {
            f++;
        }
        this.first = f;
        this.end = order - f;
    }

    /** The cached rule of this order, 1 <= order <= {@link #MAX_ORDER}. */
    public static GaussHermite ofOrder(int order) {
        if (order < 1 || order > MAX_ORDER) {
            throw new IllegalArgumentException("Gauss-Hermite order must be in 1.." + MAX_ORDER + ", got " + order);
        }
        return CACHE.computeIfAbsent(order, GaussHermite::compute);
    }

    public int order() {
        return order;
    }

    /** Node i, ascending, symmetric about 0. */
    public double node(int i) {
        return nodes[i];
    }

    /** Weight i; the weights sum to 1. */
    public double weight(int i) {
        return weights[i];
    }

    /** Index of the first node with a weight above {@link #NEGLIGIBLE_WEIGHT}. */
    int first() {
        return first;
    }

    /** One past the last node with a weight above {@link #NEGLIGIBLE_WEIGHT}. */
    int end() {
        return end;
    }

    /** Copies of the nodes and weights (for tests and callers that vectorise). */
    public double[] nodes() {
        return nodes.clone();
    }

    public double[] weights() {
        return weights.clone();
    }

    /** E[f(Z)], Z ~ N(0, 1). */
    public double expect(DoubleUnaryOperator f) {
        double s = 0;
        for (int i = first; i < end; i++) {
            s += weights[i] * f.applyAsDouble(nodes[i]);
        }
        return s;
    }

    private static GaussHermite compute(int n) {
        double[] x = jacobiEigenvalues(n);
        double[] w = new double[n];
        int half = n / 2;
        // polish the non-negative nodes and mirror them, so the rule is exactly symmetric
        for (int k = 0; k < (n + 1) / 2; k++) {
            int i = n - 1 - k;
            double xi = (n % 2 == 1 && k == half) ? 0 : Math.abs(x[i]);
            double[] pv = new double[3];
            for (int it = 0; it < 20 && xi != 0; it++) {
                evaluate(n, xi, pv);
                double dx = pv[0] / (Math.sqrt(n) * pv[1]);
                xi -= dx;
                if (Math.abs(dx) <= 1e-16 * Math.abs(xi)) {
                    break;
                }
            }
            evaluate(n, xi, pv);
            // w = 1 / (n p_{n-1}^2), p_{n-1} = pv[1] * RESCALE^pv[2]
            double logW = -Math.log(n) - 2 * (Math.log(Math.abs(pv[1])) + pv[2] * LOG_RESCALE);
            double wi = Math.exp(logW);
            x[i] = xi;
            x[n - 1 - i] = -xi;
            w[i] = wi;
            w[n - 1 - i] = wi;
        }
        return new GaussHermite(n, x, w);
    }

    /** Ascending eigenvalues of the n x n Hermite Jacobi matrix (zero diagonal, off-diagonal sqrt(k)). */
    private static double[] jacobiEigenvalues(int n) {
        double[] off = new double[n - 1];
        for (int k = 1; k < n; k++) {
            off[k - 1] = Math.sqrt(k);
        }
        return OrthogonalRules.eigenvalues(new double[n], off);
    }

    /**
     * Orthonormal Hermite recurrence p_{k+1} = (x p_k - sqrt(k) p_{k-1}) / sqrt(k + 1) at x; writes p_n, p_{n-1} and
     * the number of times both were divided by RESCALE (so that high orders far out do not overflow).
     */
    private static void evaluate(int n, double x, double[] out) {
        double prev = 0;
        double cur = 1;
        int scale = 0;
        for (int k = 0; k < n; k++) {
            double next = (x * cur - Math.sqrt(k) * prev) / Math.sqrt(k + 1);
            prev = cur;
            cur = next;
            if (Math.abs(cur) > RESCALE) {
                cur /= RESCALE;
                prev /= RESCALE;
                scale++;
            }
        }
        out[0] = cur;
        out[1] = prev;
        out[2] = scale;
    }
}
