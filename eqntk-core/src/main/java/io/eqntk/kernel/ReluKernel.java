package io.eqntk.kernel;

/**
 * ReLU's arc-cosine kernel (KERNELS.md §2): with ρ = q12 / sqrt(q11 q22) and θ = acos ρ,
 * Σ = sqrt(q11 q22) (sin θ + (π - θ) ρ) / (2π) and Σ̇ = (π - θ) / (2π).
 *
 * <p>The per-position factors are 1/sqrt(q) and sqrt(q / 2π) ({@link #varianceFactor}), so an entry needs no
 * division: ρ = q12 r11 r22, and θ and sin θ come from one square root and two short polynomials
 * ({@link FastMath#ASIN_TAIL}). A position of zero variance (a pre-activation that is identically 0, as on a
 * zero patch without biases) has r = 0, so it counts as uncorrelated: Σ = 0 and Σ̇ = 1/4, ReLU's derivative at
 * 0 taken as 1/2, the mean of its one-sided values. The vector maps ({@link VectorNonlinearities}) repeat these
 * operations lane by lane, so both give the same bits.
 */
final class ReluKernel implements Nonlinearity {
    public static final ReluKernel INSTANCE = new ReluKernel();
    static final double INV_2PI = 1.0 / (2 * Math.PI);
    static final float INV_2PI_F = (float) INV_2PI;
    private static final double HALF_PI = Math.PI / 2;
    static final float HALF_PI_F = (float) HALF_PI;

    private ReluKernel() {
    }

    /** The scalar map: reduced states and single entries (blocks and slices use {@link #mapFactors}). */
    @Override
    public void mapRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len) {
        double ra = varianceFactor(varA, 0);
        double sa = varianceFactor(varA, 1);
        for (int j = 0; j < len; j++) {
            double q = varB[varBOff + j];
            entry(ra, sa, varianceFactor(q, 0), varianceFactor(q, 1), sig, th, off + j);
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
        return plane == 0 ? 1 / Math.sqrt(q) : Math.sqrt(q * INV_2PI);
    }

    @Override
    public void mapFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] scratch1, double[] scratch2) {
        int done = 0;
        if (VectorSupport.ENABLED && len > 0 && len < VectorNonlinearities.LANES
            && roomForOneVector(VectorNonlinearities.LANES, fa.length - offA - plane, fb.length - offB - plane,
                sig.length - off, th == null ? -1 : th.length - off, scratch1.length - off,
                th == null ? -1 : scratch2.length - off)) {
            // a short slice: one whole vector, whose lanes past len read and compute values nobody keeps
            VectorNonlinearities.reluFactors(fa, offA, fb, offB, plane, sig, th, off, VectorNonlinearities.LANES,
                scratch1, scratch2, off);
            copyTail(scratch1, scratch2, sig, th, off, len);
            return;
        }
        if (VectorSupport.ENABLED && len >= VectorSupport.MIN_LENGTH) {
            int lanes = VectorNonlinearities.LANES;
            // the last vector of entries first, into scratch (the main loop then overwrites part of its input)
            int tail = len >= lanes && len % lanes != 0 ? len - lanes : -1;
            if (tail >= 0) {
                VectorNonlinearities.reluFactors(fa, offA + tail, fb, offB + tail, plane, sig, th, off + tail, lanes,
                    scratch1, scratch2, off + tail);
            }
            done = VectorNonlinearities.reluFactors(fa, offA, fb, offB, plane, sig, th, off, len, sig, th, off);
            if (tail >= 0) {
                copyTail(scratch1, scratch2, sig, th, off + done, len - done);
                done = len;
            }
        }
        scalarFactors(fa, offA + done, fb, offB + done, plane, sig, th, off + done, len - done);
    }

    /**
     * Whether every array has room for one whole vector from the map's offsets ({@code -1}: array absent): then a
     * map shorter than a vector runs as one vector instead of scalar entries.
     */
    private static boolean roomForOneVector(int lanes, int fa, int fb, int sig, int th, int s1, int s2) {
        return fa >= lanes && fb >= lanes && sig >= lanes && (th < 0 || th >= lanes && s2 >= lanes) && s1 >= lanes;
    }

    /**
     * The tail's results, computed into the scratch arrays at the entries' own offsets (the only part of them a
     * map may overwrite: callers keep other data, such as zero margins, around it).
     */
    private static void copyTail(double[] s1, double[] s2, double[] sig, double[] th, int from, int count) {
        for (int j = from; j < from + count; j++) {
            sig[j] = s1[j];
        }
        if (th != null) {
            for (int j = from; j < from + count; j++) {
                th[j] = s2[j];
            }
        }
    }

    private static void copyTail(float[] s1, float[] s2, float[] sig, float[] th, int from, int count) {
        for (int j = from; j < from + count; j++) {
            sig[j] = s1[j];
        }
        if (th != null) {
            for (int j = from; j < from + count; j++) {
                th[j] = s2[j];
            }
        }
    }

    /** The scalar {@link #mapFactors}, the reference for the vector one. */
    void scalarFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th, int off,
                       int len) {
        for (int j = 0; j < len; j++) {
            entry(fa[offA + j], fa[offA + plane + j], fb[offB + j], fb[offB + plane + j], sig, th, off + j);
        }
    }

    /** One entry i, q12 = sig[i], with factors r = 1/sqrt(q) and s = sqrt(q / 2π) of both variances. */
    private static void entry(double ra, double sa, double rb, double sb, double[] sig, double[] th, int i) {
        double rho = sig[i] * ra * rb;
        double x = Math.abs(rho);
        if (x > FastMath.CORRELATION_ONE) {
            // within rounding of ±1, or beyond it
            x = 1.0;
        }
        boolean big = x > 0.5;
        double z = big ? Math.fma(x, -0.5, 0.5) : x * x;
        double s = Math.sqrt(z);
        double v = big ? s : x;
        double a = FastMath.poly(FastMath.ASIN_TAIL, z);
        double c = FastMath.poly(FastMath.SQRT_ONE_MINUS, z);
        double asin = Math.fma(v * z, a, v);
        double sin = big ? 2 * s * c : c;
        double acos = big ? 2 * asin : HALF_PI - asin;
        double j0 = rho < 0 ? acos : Math.PI - acos;
        sig[i] = sa * sb * Math.fma(j0, rho, sin);
        if (th != null) {
            th[i] *= j0 * INV_2PI;
        }
    }

    @Override
    public void mapFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                           int len, float[] scratch1, float[] scratch2) {
        int done = 0;
        if (VectorSupport.ENABLED && len > 0 && len < VectorNonlinearities.FLOAT_LANES
            && roomForOneVector(VectorNonlinearities.FLOAT_LANES, fa.length - offA - plane, fb.length - offB - plane,
                sig.length - off, th == null ? -1 : th.length - off, scratch1.length - off,
                th == null ? -1 : scratch2.length - off)) {
            // a short slice: one whole vector, whose lanes past len read and compute values nobody keeps
            VectorNonlinearities.reluFactors(fa, offA, fb, offB, plane, sig, th, off, VectorNonlinearities.FLOAT_LANES,
                scratch1, scratch2, off);
            copyTail(scratch1, scratch2, sig, th, off, len);
            return;
        }
        if (VectorSupport.ENABLED && len >= VectorSupport.MIN_LENGTH) {
            int lanes = VectorNonlinearities.FLOAT_LANES;
            int tail = len >= lanes && len % lanes != 0 ? len - lanes : -1;
            if (tail >= 0) {
                VectorNonlinearities.reluFactors(fa, offA + tail, fb, offB + tail, plane, sig, th, off + tail, lanes,
                    scratch1, scratch2, off + tail);
            }
            done = VectorNonlinearities.reluFactors(fa, offA, fb, offB, plane, sig, th, off, len, sig, th, off);
            if (tail >= 0) {
                copyTail(scratch1, scratch2, sig, th, off + done, len - done);
                done = len;
            }
        }
        scalarFactors(fa, offA + done, fb, offB + done, plane, sig, th, off + done, len - done);
    }

    /** The scalar float {@link #mapFactors}, the reference for the vector one. */
    void scalarFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                       int len) {
        for (int j = 0; j < len; j++) {
            int i = off + j;
            float rho = sig[i] * fa[offA + j] * fb[offB + j];
            float x = Math.abs(rho);
            if (x > FastMath.CORRELATION_ONE_F) {
                x = 1f;
            }
            boolean big = x > 0.5f;
            float z = big ? Math.fma(x, -0.5f, 0.5f) : x * x;
            float s = (float) Math.sqrt(z);
            float v = big ? s : x;
            float a = FastMath.poly(FastMath.ASIN_TAIL_F, z);
            float c = FastMath.poly(FastMath.SQRT_ONE_MINUS_F, z);
            float asin = Math.fma(v * z, a, v);
            float sin = big ? 2 * s * c : c;
            float acos = big ? 2 * asin : HALF_PI_F - asin;
            float j0 = rho < 0 ? acos : FastMath.PI_F - acos;
            sig[i] = fa[offA + plane + j] * fb[offB + plane + j] * Math.fma(j0, rho, sin);
            if (th != null) {
                th[i] *= j0 * INV_2PI_F;
            }
        }
    }
}
