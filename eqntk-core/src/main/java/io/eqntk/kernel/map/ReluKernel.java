package io.eqntk.kernel.map;

/**
 * ReLU's arc-cosine kernel (KERNELS.md §2): with ρ = q12 / sqrt(q11 q22) and θ = acos ρ,
 * Σ = sqrt(q11 q22) (sin θ + (π - θ) ρ) / (2π) and Σ̇ = (π - θ) / (2π).
 *
 * <p>The per-position factors are 1/sqrt(q) and sqrt(q / 2π) ({@link #varianceFactor}), so an entry needs no
 * division: ρ = q12 r11 r22, and θ and sin θ come from one square root and two short polynomials
 * ({@link ReluMap}, in float32 {@code ReluMap32}). A position of zero variance (a pre-activation that is
 * identically 0, as on a zero patch without biases) has r = 0, so it counts as uncorrelated: Σ = 0 and Σ̇ = 1/4,
 * ReLU's derivative at 0 taken as 1/2, the mean of its one-sided values. The vector maps
 * ({@link VectorNonlinearities}) repeat these operations lane by lane, so both give the same bits.
 */
public final class ReluKernel implements Nonlinearity {
    public static final ReluKernel INSTANCE = new ReluKernel();

    private ReluKernel() {
    }

    /** The scalar map: reduced states and single entries (blocks and slices use {@link #mapFactors}). */
    @Override
    public void mapRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len) {
        double ra = varianceFactor(varA, 0);
        double sa = varianceFactor(varA, 1);
        for (int j = 0; j < len; j++) {
            double q = varB[varBOff + j];
            ReluMap.entry(ra, sa, varianceFactor(q, 0), varianceFactor(q, 1), sig, th, off + j);
        }
    }

    @Override
    public int factorPlanes() {
        return 2;
    }

    /** Plane 0: 1/sqrt(q) (0 for q = 0); plane 1: sqrt(q / 2π). */
    @Override
    public double varianceFactor(double q, int plane) {
        if (q <= 0) {
            return 0;
        }
        return plane == 0 ? 1 / Math.sqrt(q) : Math.sqrt(q * ReluMap.INV_2PI);
    }

    @Override
    public void mapFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] scratch1, double[] scratch2) {
        ReluMap.mapFactors(fa, offA, fb, offB, plane, sig, th, off, len, scratch1, scratch2);
    }

    @Override
    public void mapFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                           int len, float[] scratch1, float[] scratch2) {
        ReluMap32.mapFactors(fa, offA, fb, offB, plane, sig, th, off, len, scratch1, scratch2);
    }
}
