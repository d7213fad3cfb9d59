package io.eqntk.kernel.map;

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
     * How many variance factors the map reads per position ({@link #varianceFactor}); callers keep them in
     * planes, plane k of a factor array starting k x {@code plane} entries after plane 0.
     */
    default int factorPlanes() {
        return 1;
    }

    /**
     * Factor {@code plane} of a variance q: the map depends on a position's variance only through these, so the
     * engine computes them once per position rather than once per entry. ReLU keeps 1/sqrt(q) and
     * sqrt(q / 2π); erf keeps 1 + 2q.
     */
    double varianceFactor(double q, int plane);

    /**
     * Maps {@code len} entries in place from {@code off}: q12 = {@code sig[off + j]} with the factors of q11 at
     * {@code fa[offA + j + k plane]} and of q22 at {@code fb[offB + j + k plane]} for plane k (see
     * {@link #varianceFactor}); {@code th} is null when Θ is zero. {@code scratch1} and {@code scratch2} are work
     * arrays at least {@code off + len} long; a map overwrites their entries [off, off + len), and when len is
     * shorter than a vector and every array has room, [off, off + vector length).
     */
    void mapFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th, int off,
                    int len, double[] scratch1, double[] scratch2);

    /** {@link #mapFactors} in float arithmetic (the float32 slice path); results within a few float ulps. */
    void mapFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                    int len, float[] scratch1, float[] scratch2);

    /** The scalar version, for reduced states: returns {Σ_new, Σ̇}. */
    default double[] map(double q11, double q22, double q12) {
        double[] sig = {q12};
        double[] th = {1.0};
        mapRow(q11, new double[] {q22}, 0, sig, th, 0, 1);
        return new double[] {sig[0], th[0]};
    }
}
