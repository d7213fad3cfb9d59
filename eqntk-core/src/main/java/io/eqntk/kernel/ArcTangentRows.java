package io.eqntk.kernel;

import io.eqntk.kernel.map.FastMath;
import io.eqntk.kernel.map.VectorNonlinearities;
import io.eqntk.kernel.map.VectorSupport;

/**
 * {@link FastMath#atan2} over arrays for callers outside this package (the spherical kernels' ReLU maps):
 * vectorised where {@link VectorSupport#ENABLED}, with the same bits as the scalar function either way.
 */
public final class ArcTangentRows {
    private ArcTangentRows() {
    }

    /** out[oo + j] = atan2(y[oy + j], x[ox + j]) for j in [0, len); out may be y or x at the same offset. */
    public static void atan2(double[] y, int oy, double[] x, int ox, double[] out, int oo, int len) {
        int done = VectorSupport.ENABLED && len >= VectorSupport.MIN_LENGTH
            ? VectorNonlinearities.atan2Rows(y, oy, x, ox, out, oo, len) : 0;
        for (int j = done; j < len; j++) {
            out[oo + j] = FastMath.atan2(y[oy + j], x[ox + j]);
        }
    }

    /** The scalar function, for single values. */
    public static double atan2(double y, double x) {
        return FastMath.atan2(y, x);
    }
}
