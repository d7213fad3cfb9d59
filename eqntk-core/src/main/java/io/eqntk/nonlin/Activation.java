package io.eqntk.nonlin;

/**
 * A pointwise nonlinearity φ: its values and derivative for finite networks, and its Gaussian expectation maps
 * for the infinite-width kernels. For a centred Gaussian pair (u, v) with covariance [[q11, q12], [q12, q22]]:
 * {@code sigma = E[φ(u) φ(v)]} (the new Σ) and {@code sigmaDot = E[φ'(u) φ'(v)]} (Σ̇, the factor on Θ).
 *
 * <p>Only {@link #name}, {@link #phi} and {@link #dphi} are required: the maps then default to quadrature on the
 * Cholesky factor of the covariance, {@link PolarQuadrature2D#standard()} (within 1e-10 of the kernel's scale for
 * erf, GELU and tanh at variances up to 4, exact for the ReLU family; docs/NONLINEARITIES.md). A nonlinearity
 * with a closed form extends {@link ClosedFormActivation} (overriding {@link #sigma} and {@link #sigmaDot}); the
 * diagonal and paired maps default to those. Implementations are immutable and thread-safe, and the maps allocate
 * nothing.
 *
 * <p>Preconditions of the maps: q11, q22 >= 0 and q12^2 <= q11 q22 up to rounding (a correlation rounded past ±1
 * counts as ±1). Where a variance is 0 the Σ̇ convention is each class's own (documented there); with φ(0) = 0 it
 * multiplies a zero Θ entry, so it cannot change a kernel.
 */
public interface Activation {

    /** A short name for messages and specs, e.g. {@code relu}, {@code leakyrelu(0.1)}. */
    String name();

    /** φ(x). */
    double phi(double x);

    /** φ'(x) (a one-sided value at a kink: the class says which). */
    double dphi(double x);

    /** E[φ(u) φ(v)]; default: quadrature. */
    default double sigma(double q11, double q22, double q12) {
        return PolarQuadrature2D.standard().phiPhi(this, q11, q22, q12);
    }

    /** E[φ'(u) φ'(v)]; default: quadrature. */
    default double sigmaDot(double q11, double q22, double q12) {
        return PolarQuadrature2D.standard().dphiDphi(this, q11, q22, q12);
    }

    /** E[φ(u)^2] for u ~ N(0, q): the new self-variance. */
    default double sigmaDiag(double q) {
        return sigma(q, q, q);
    }

    /** E[φ'(u)^2] for u ~ N(0, q). */
    default double sigmaDotDiag(double q) {
        return sigmaDot(q, q, q);
    }

    /**
     * Both maps at once: {@code out[offset] = sigma}, {@code out[offset + 1] = sigmaDot}. Closed forms override it
     * to share their common work (an angle, a square root).
     */
    default void expectations(double q11, double q22, double q12, double[] out, int offset) {
        out[offset] = sigma(q11, q22, q12);
        out[offset + 1] = sigmaDot(q11, q22, q12);
    }

    /**
     * The name of a hand-tuned vectorised engine map that computes the same expectations (tested against
     * {@link #expectations}), or null for the engine's default map built on {@link #expectations}.
     */
    default String tunedMap() {
        return null;
    }

    /** True when the maps are closed forms (exact to rounding); false when they are quadrature (see its accuracy). */
    default boolean closedForm() {
        return false;
    }
}
