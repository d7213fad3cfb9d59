package io.eqntk.kernel;

/**
 * The kernel map of an entrywise nonlinearity φ: with (u, v) centred Gaussian of covariance
 * [[q11, q12], [q12, q22]], Σ ← E[φ(u) φ(v)] and Θ ← E[φ'(u) φ'(v)] Θ (KERNELS.md §2).
 * Implementations loop over a row themselves so that the inner loop is monomorphic.
 */
public interface Nonlinearity {
    /**
     * Maps one row in place: entries {@code sig[off + j]} (q12) with q11 = {@code varA} and
     * q22 = {@code varB[varBOff + j]}, for j in [0, len). {@code th} is null when Θ is known to be zero.
     */
    void mapRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len);

    /**
     * f(q) such that the map depends on the two variances only through the product f(q11) f(q22): q for ReLU,
     * 1 + 2q for erf. The displacement-slice path keeps these factors per position.
     */
    double varianceFactor(double q);

    /**
     * Maps {@code len} entries in place from {@code off}: q12 = {@code sig[off + j]} with variance factors
     * f(q11) = {@code fa[offA + j]} and f(q22) = {@code fb[offB + j]} (see {@link #varianceFactor});
     * {@code th} is null when Θ is zero. {@code scratch1} and {@code scratch2} are work arrays at least
     * {@code off + len} long (their contents are overwritten).
     */
    void mapFactors(double[] fa, int offA, double[] fb, int offB, double[] sig, double[] th, int off, int len,
                    double[] scratch1, double[] scratch2);

    /** {@link #mapFactors} in float arithmetic (the float32 slice path); results within a few float ulps. */
    void mapFactors(float[] fa, int offA, float[] fb, int offB, float[] sig, float[] th, int off, int len,
                    float[] scratch1, float[] scratch2);

    /** The scalar version, for reduced states: returns {Σ_new, Σ̇}. */
    default double[] map(double q11, double q22, double q12) {
        double[] sig = {q12};
        double[] th = {1.0};
        mapRow(q11, new double[] {q22}, 0, sig, th, 0, 1);
        return new double[] {sig[0], th[0]};
    }
}
