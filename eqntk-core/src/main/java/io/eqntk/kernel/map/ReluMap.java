// float32 twin: ReluMap32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel.map;

/**
 * The loops of {@link ReluKernel}'s map over variance-factor planes (plane 0: r = 1/sqrt(q), plane 1:
 * s = sqrt(q / 2π)): ρ = q12 r11 r22, Σ = s11 s22 (sin θ + (π - θ) ρ), Σ̇ = (π - θ) / (2π), with no division.
 *
 * <p>θ = acos ρ and sin θ come from one polynomial pair on z in [0, 1/4] (the argument reduction of fdlibm's asin):
 * with x = |ρ|, for x &lt;= 1/2, z = x², asin x = x + x z A(z) and sqrt(1 - x²) = B(z); for x &gt; 1/2,
 * z = (1 - x)/2, s = sqrt z, acos x = 2 asin s = 2 (s + s z A(z)) and sqrt(1 - x²) = 2 s B(z). One square root,
 * no division; A and B are {@link Float64Constants#ASIN_TAIL} and {@link Float64Constants#SQRT_ONE_MINUS}. The
 * vector loops ({@link VectorNonlinearities#reluFactors}) repeat these operations lane by lane, so both give the
 * same bits. The casts that are redundant here mark where the float32 twin rounds.
 */
public final class ReluMap {
    static final double INV_2PI = (double) (1.0 / (2 * Math.PI));

    private ReluMap() {
    }

    /** {@link Nonlinearity#mapFactors} for ReLU: vector loops where they fit, scalar entries for the rest. */
    static void mapFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] scratch1, double[] scratch2) {
        int done = 0;
        int lanes = VectorSupport.ENABLED ? VectorNonlinearities.LANES : 0;
        if (VectorSupport.ENABLED && len > 0 && len < lanes
            && roomForOneVector(lanes, fa.length - offA - plane, fb.length - offB - plane, sig.length - off,
                th == null ? -1 : th.length - off, scratch1.length - off, th == null ? -1 : scratch2.length - off)) {
            // a short slice: one whole vector, whose lanes past len read and compute values nobody keeps
            VectorNonlinearities.reluFactors(fa, offA, fb, offB, plane, sig, th, off, lanes, scratch1, scratch2, off);
            copyTail(scratch1, scratch2, sig, th, off, len);
            return;
        }
        if (VectorSupport.ENABLED && len >= VectorSupport.MIN_LENGTH) {
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

    /** The scalar {@link #mapFactors}, the reference for the vector one. */
    public static void scalarFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                              int off, int len) {
        for (int j = 0; j < len; j++) {
            entry(fa[offA + j], fa[offA + plane + j], fb[offB + j], fb[offB + plane + j], sig, th, off + j);
        }
    }

    /** One entry i, q12 = sig[i], with factors r = 1/sqrt(q) and s = sqrt(q / 2π) of both variances. */
    static void entry(double ra, double sa, double rb, double sb, double[] sig, double[] th, int i) {
        double rho = sig[i] * ra * rb;
        double x = Math.abs(rho);
        if (x > Float64Constants.CORRELATION_ONE) {
            // within rounding of ±1, or beyond it
            x = 1.0;
        }
        boolean big = x > 0.5;
        double z = big ? Math.fma(x, -0.5, 0.5) : x * x;
        // 2 sqrt z: where big, the asin below is 2 asin sqrt z = acos x (exactly twice the one of sqrt z)
        double s2 = (double) Math.sqrt(z) * 2;
        double v = big ? s2 : x;
        double a = FastMath.poly(Float64Constants.ASIN_TAIL, z);
        double c = FastMath.poly(Float64Constants.SQRT_ONE_MINUS, z);
        double asin = Math.fma(v * z, a, v);
        double sin = big ? s2 * c : c;
        double acos = big ? asin : FastMath.HALF_PI - asin;
        double j0 = rho < 0 ? acos : FastMath.PI - acos;
        sig[i] = sa * sb * Math.fma(j0, rho, sin);
        if (th != null) {
            th[i] *= j0 * INV_2PI;
        }
    }
}
