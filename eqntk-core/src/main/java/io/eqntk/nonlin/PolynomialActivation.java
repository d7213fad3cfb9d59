package io.eqntk.nonlin;

/**
 * Polynomials: the monomial φ(x) = x^n and the normalised probabilists' Hermite polynomial
 * φ(x) = He_n(x) / sqrt(n!) (neural-tangents' {@code Monomial} and {@code Hermite}). Both follow from the Hermite
 * expansion x^n = Σ_m c_m He_(n-2m)(x), c_m = n! / (m! 2^m (n - 2m)!), and E[He_i(z) He_j(z')] = δ_ij i! ρ^i for
 * standard normals of correlation ρ; the scaling identity He_n(γ z) = Σ_m c_m γ^(n-2m) (γ² - 1)^m He_(n-2m)(z)
 * does the same for He_n at any variance. With r = 0 (monomial) or 1 (Hermite):
 * <pre>
 *   E[p_n(u) p_n(v)] = Σ_m c_m² (n - 2m)! q12^(n-2m) ((q11 - r)(q22 - r))^m      (÷ n! for Hermite)
 * </pre>
 * and, with p_n' = n p_(n-1), Σ̇ = n² E[p_(n-1)(u) p_(n-1)(v)] (÷ n! for Hermite). So the Hermite map is defined
 * at every variance; at unit variances it is ρ^n, and only there is it the "pure" degree-n kernel (as in
 * neural-tangents, which needs normalised inputs: put a {@code layernorm} before it). Polynomial: nothing singular.
 */
public final class PolynomialActivation extends ClosedFormActivation {
    /** The largest degree accepted. */
    public static final int MAX_DEGREE = 8;

    private final int n;
    private final boolean hermite;
    private final double shift;
    private final double norm;
    /** Weights c_m² (n - 2m)! for degree n and for degree n - 1. */
    private final double[] w;
    private final double[] wDot;

    private PolynomialActivation(int n, boolean hermite) {
        if (n < 0 || n > MAX_DEGREE) {
            throw new IllegalArgumentException("degree must be in 0.." + MAX_DEGREE + ", got " + n);
        }
        this.n = n;
        this.hermite = hermite;
        this.shift = hermite ? 1 : 0;
        this.norm = hermite ? 1 / factorial(n) : 1;
        this.w = weights(n);
        this.wDot = weights(Math.max(n - 1, 0));
    }

    /** x^n, 0 <= n <= 8. */
    public static PolynomialActivation monomial(int n) {
        return new PolynomialActivation(n, false);
    }

    /** He_n(x) / sqrt(n!), 0 <= n <= 8. */
    public static PolynomialActivation hermite(int n) {
        return new PolynomialActivation(n, true);
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }

    private static double[] weights(int n) {
        double[] w = new double[n / 2 + 1];
        for (int m = 0; m <= n / 2; m++) {
            double c = factorial(n) / (factorial(m) * Math.pow(2, m) * factorial(n - 2 * m));
            w[m] = c * c * factorial(n - 2 * m);
        }
        return w;
    }

    /** Σ_m w_m q12^(deg - 2m) p^m, by Horner in p / q12² (deg - 2m >= 0) done term by term. */
    private static double series(double[] w, int deg, double q12, double p) {
        double s = 0;
        double pm = 1;
        for (int m = 0; m < w.length; m++) {
            s += w[m] * pow(q12, deg - 2 * m) * pm;
            pm *= p;
        }
        return s;
    }

    private static double pow(double x, int e) {
        double r = 1;
        for (int i = 0; i < e; i++) {
            r *= x;
        }
        return r;
    }

    @Override
    public String name() {
        return (hermite ? "hermite(" : "monomial(") + n + ")";
    }

    @Override
    public double phi(double x) {
        return hermite ? he(n, x) * Math.sqrt(norm) : pow(x, n);
    }

    @Override
    public double dphi(double x) {
        if (n == 0) {
            return 0;
        }
        return hermite ? n * he(n - 1, x) * Math.sqrt(norm) : n * pow(x, n - 1);
    }

    /** He_k(x) by He_(j+1) = x He_j - j He_(j-1). */
    private static double he(int k, double x) {
        double prev = 1;
        if (k == 0) {
            return prev;
        }
        double cur = x;
        for (int j = 1; j < k; j++) {
            double next = x * cur - j * prev;
            prev = cur;
            cur = next;
        }
        return cur;
    }

    @Override
    public double sigma(double q11, double q22, double q12) {
        return norm * series(w, n, q12, (q11 - shift) * (q22 - shift));
    }

    @Override
    public double sigmaDot(double q11, double q22, double q12) {
        return n == 0 ? 0 : norm * n * n * series(wDot, n - 1, q12, (q11 - shift) * (q22 - shift));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolynomialActivation p && p.n == n && p.hermite == hermite;
    }

    @Override
    public int hashCode() {
        return 2 * n + (hermite ? 1 : 0);
    }
}
