package io.eqntk.nonlin;

import java.util.function.DoubleUnaryOperator;

/**
 * A numerical rule for Gaussian pair expectations E[f(u) g(v)], (u, v) centred with covariance
 * [[q11, q12], [q12, q22]], written on the Cholesky factor u = L11 z1, v = L21 z1 + L22 z2 of independent
 * N(0, 1) variables z1, z2.
 *
 * <p>Shared here: the variable with the larger variance is factored first, so the result is exactly symmetric
 * under swapping (q11, f) with (q22, g), and a zero variance or a singular covariance needs no division by zero;
 * both variances zero gives f(0) g(0); a correlation rounded past ±1 is clamped to ±1 (as the closed forms do);
 * a negative or NaN variance is an {@link IllegalArgumentException}. The maps allocate nothing per call
 * ({@link #expect} with plain functions allocates one small adapter).
 */
public abstract sealed class PairQuadrature permits GaussHermite2D, PolarQuadrature2D {
    /** Relative size of L22^2 below which the covariance counts as singular (a few ulps of rounding). */
    private static final double SINGULAR = 1e-15;

    PairQuadrature() {
    }

    /** E[φ(u) φ(v)]. */
    public final double phiPhi(Activation a, double q11, double q22, double q12) {
        return pair(a, false, false, q11, q22, q12);
    }

    /** E[φ'(u) φ'(v)]. */
    public final double dphiDphi(Activation a, double q11, double q22, double q12) {
        return pair(a, true, true, q11, q22, q12);
    }

    /** E[φ(u)^2], u ~ N(0, q). */
    public final double phiSquare(Activation a, double q) {
        return pair(a, false, false, q, q, q);
    }

    /** E[φ'(u)^2], u ~ N(0, q). */
    public final double dphiSquare(Activation a, double q) {
        return pair(a, true, true, q, q, q);
    }

    /** E[f(u) g(v)] for arbitrary functions (allocates one adapter per call). */
    public final double expect(DoubleUnaryOperator f, DoubleUnaryOperator g, double q11, double q22, double q12) {
        return pair(new FunctionPair(f, g), false, true, q11, q22, q12);
    }

    /** E[f(u)], u ~ N(0, q) (allocates one adapter per call). */
    public final double expect(DoubleUnaryOperator f, double q) {
        return pair(new FunctionPair(f, v -> 1), false, true, q, 0, 0);
    }

    /** E[F(u) G(v)] with F = φ' if {@code du} else φ, and G likewise by {@code dv}. */
    final double pair(Activation a, boolean du, boolean dv, double q11, double q22, double q12) {
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
            // singular: v = L21 z1 (the correlation clamped to ±1 when rounded past it)
            return integrate(a, du, dv, l11, r2 < 0 ? Math.copySign(Math.sqrt(q22), q12) : l21, 0);
        }
        return integrate(a, du, dv, l11, l21, Math.sqrt(r2));
    }

    /** The rule itself, for L11 > 0, L22 >= 0 (L22 = 0 exactly on a singular covariance). */
    abstract double integrate(Activation a, boolean du, boolean dv, double l11, double l21, double l22);

    static double value(Activation a, boolean derivative, double t) {
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
