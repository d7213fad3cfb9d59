package io.eqntk.sphere;

/**
 * ReLU's Gaussian expectations (the arc-cosine kernel, as {@link io.eqntk.nonlin.ReluActivation}) with an
 * arctangent of its own: StrictMath's is most of the lift-pool path's cost, and this one (a 64-point table and a
 * degree-11 odd series on |u| &le; 1/128) agrees with it to a few units in the last place.
 */
final class ReluArcCosine {
    private static final double INV_2PI = 1 / (2 * Math.PI);
    private static final int STEPS = 64;
    private static final double[] TABLE = new double[STEPS + 1];

    static {
        for (int j = 0; j <= STEPS; j++) {
            TABLE[j] = Math.atan((double) j / STEPS);
        }
    }

    private ReluArcCosine() {
    }

    /** atan(t) for 0 &le; t &le; 1: atan(c) + atan((t - c)/(1 + tc)) with c the nearest table point. */
    static double atanUnit(double t) {
        int j = (int) (t * STEPS + 0.5);
        double c = (double) j / STEPS;
        double u = (t - c) / (1 + t * c);
        double u2 = u * u;
        double series = u2 * (-1.0 / 3 + u2 * (1.0 / 5 + u2 * (-1.0 / 7 + u2 * (1.0 / 9 - u2 / 11))));
        return TABLE[j] + (u + u * series);
    }

    /** atan2(y, x) for y &ge; 0 (the angle in [0, π]); other inputs go to {@link Math#atan2}. */
    static double atan2(double y, double x) {
        if (!(y >= 0) || !Double.isFinite(x) || !Double.isFinite(y)) {
            return Math.atan2(y, x);
        }
        double ax = Math.abs(x);
        if (y <= ax) {
            if (ax == 0) {
                return Math.atan2(y, x); // both zero: the signs decide
            }
            double a = atanUnit(y / ax);
            return x > 0 ? a : Math.PI - a;
        }
        return 0.5 * Math.PI - Math.copySign(atanUnit(ax / y), x);
    }

    /** {E[relu relu], E[relu' relu']} for the covariance [[q11, q12], [q12, q22]]. */
    static void expectations(double q11, double q22, double q12, double[] out) {
        double s = Math.sqrt(Math.max(q11 * q22 - q12 * q12, 0));
        double angle = Math.PI - atan2(s, q12);
        out[0] = (s + angle * q12) * INV_2PI;
        out[1] = angle * INV_2PI;
    }
}
