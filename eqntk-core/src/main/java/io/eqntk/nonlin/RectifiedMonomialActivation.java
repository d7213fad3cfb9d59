package io.eqntk.nonlin;

/**
 * The rectified monomial φ(x) = max(x, 0)^k (k = 0: the step 1{x > 0}; k = 1: ReLU), with the arc-cosine kernel
 * of degree k (Cho and Saul 2009): Σ = (q11 q22)^(k/2) J_k(θ) / (2π), θ the angle between u and v. In polar
 * coordinates of the white pair the radial integral is 2^k k! and the angular one, over the arc where both
 * inputs are positive, reduces by cos α cos(α - θ) = (cos θ + cos(2α - θ)) / 2 to
 * <pre>
 *   J_k(θ) = k! Σ_j C(k, j) ρ^(k-j) C_j(ψ),   ψ = π - θ,  ρ = cos θ,  C_j(ψ) = ∫_0^ψ cos^j β dβ
 * </pre>
 * with C_0 = ψ, C_1 = sin ψ, C_j = cos^(j-1) ψ sin ψ / j + (j - 1) C_(j-2) / j (J_0 = π - θ,
 * J_1 = sin θ + (π - θ) cos θ, J_2 = 3 sin θ cos θ + (π - θ)(1 + 2 cos² θ), as in the paper). Since
 * φ' = k max(x, 0)^(k-1), Σ̇ = k² (q11 q22)^((k-1)/2) J_(k-1)(θ) / (2π); for k = 0 φ' = 0 almost everywhere and
 * Σ̇ = 0 (as for sign). J_k is kept as ψ A_k(ρ) + sin θ B_k(ρ) with polynomials A_k, B_k computed once.
 * Where a variance is 0: Σ = 0 (φ(0) = 0), and ρ = 0 stands in for the undefined correlation in Σ̇.
 */
public final class RectifiedMonomialActivation extends ClosedFormActivation {
    /** The largest degree accepted (the kernels grow like (2k - 1)!! q^k). */
    public static final int MAX_DEGREE = 8;
    private static final double INV_2PI = 1 / (2 * Math.PI);

    private final int k;
    /** Coefficients (ascending powers of ρ) of A_k, B_k and of A_(k-1), B_(k-1). */
    private final double[] a;
    private final double[] b;
    private final double[] aDot;
    private final double[] bDot;

    public RectifiedMonomialActivation(int k) {
        if (k < 0 || k > MAX_DEGREE) {
            throw new IllegalArgumentException("degree k must be in 0.." + MAX_DEGREE + ", got " + k);
        }
        this.k = k;
        double[][] p = polynomials(k);
        this.a = p[0];
        this.b = p[1];
        double[][] d = polynomials(Math.max(k - 1, 0));
        this.aDot = d[0];
        this.bDot = d[1];
    }

    public int degree() {
        return k;
    }

    /** {A_n, B_n}: J_n = ψ A_n(ρ) + sin ψ B_n(ρ), from C_j = α_j ψ + β_j(ρ) sin ψ (cos ψ = -ρ). */
    private static double[][] polynomials(int n) {
        double[] alpha = new double[n + 1];
        double[][] beta = new double[n + 1][n + 1];
        for (int j = 0; j <= n; j++) {
            if (j == 0) {
                alpha[0] = 1;
            } else if (j == 1) {
                beta[1][0] = 1;
            } else {
                alpha[j] = (j - 1) * alpha[j - 2] / j;
                for (int i = 0; i <= n; i++) {
                    beta[j][i] = (j - 1) * beta[j - 2][i] / j;
                }
                beta[j][j - 1] += ((j - 1) % 2 == 0 ? 1.0 : -1.0) / j; // (-ρ)^(j-1) / j
            }
        }
        double[] pa = new double[2 * n + 1];
        double[] pb = new double[2 * n + 1];
        double factorial = 1;
        for (int i = 2; i <= n; i++) {
            factorial *= i;
        }
        double binomial = 1;
        for (int j = 0; j <= n; j++) {
            double w = factorial * binomial;
            pa[n - j] += w * alpha[j];
            for (int i = 0; i <= n; i++) {
                pb[n - j + i] += w * beta[j][i];
            }
            binomial = binomial * (n - j) / (j + 1);
        }
        return new double[][] {pa, pb};
    }

    private static double horner(double[] c, double x) {
        double s = 0;
        for (int i = c.length - 1; i >= 0; i--) {
            s = s * x + c[i];
        }
        return s;
    }

    @Override
    public String name() {
        return "relumono(" + k + ")";
    }

    @Override
    public double phi(double x) {
        return x > 0 ? (k == 0 ? 1 : Math.pow(x, k)) : 0;
    }

    @Override
    public double dphi(double x) {
        return x > 0 && k > 0 ? k * (k == 1 ? 1 : Math.pow(x, k - 1)) : 0;
    }

    @Override
    public double sigma(double q11, double q22, double q12) {
        double prod = q11 * q22;
        if (!(prod > 0)) {
            return 0;
        }
        double root = Math.sqrt(prod);
        double s = Math.sqrt(Math.max(prod - q12 * q12, 0));
        double psi = Math.atan2(s, -q12);
        double rho = Math.max(-1, Math.min(1, q12 / root));
        return Math.pow(root, k) * (psi * horner(a, rho) + s / root * horner(b, rho)) * INV_2PI;
    }

    @Override
    public double sigmaDot(double q11, double q22, double q12) {
        if (k == 0) {
            return 0;
        }
        double prod = q11 * q22;
        double root = Math.sqrt(prod);
        double s = Math.sqrt(Math.max(prod - q12 * q12, 0));
        double rho = prod > 0 ? Math.max(-1, Math.min(1, q12 / root)) : 0;
        double psi = prod > 0 ? Math.atan2(s, -q12) : 0.5 * Math.PI;
        double sin = prod > 0 ? s / root : 1;
        double scale = k == 1 ? 1 : Math.pow(root, k - 1);
        return k * k * scale * (psi * horner(aDot, rho) + sin * horner(bDot, rho)) * INV_2PI;
    }

    @Override
    public String tunedMap() {
        return k == 1 ? "relu" : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RectifiedMonomialActivation r && r.k == k;
    }

    @Override
    public int hashCode() {
        return k;
    }
}
