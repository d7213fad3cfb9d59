package io.eqntk.kernel.map;

import io.eqntk.nonlin.Activation;
import io.eqntk.nonlin.HermiteSeries;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's map for an activation without a closed form: Mehler's series in the correlation
 * ({@link HermiteSeries}), with the coefficients as the variance factors (computed once per variance and cached),
 * and the activation's own quadrature for the entries where the series' truncation bound is not small enough.
 */
public final class SeriesMap implements Nonlinearity {
    /** Cached variances before the cache starts over (each holds {@link HermiteSeries#length()} doubles). */
    private static final int CACHE_LIMIT = 1 << 14;
    private final Activation phi;
    private final HermiteSeries series;
    private final ConcurrentHashMap<Long, double[]> cache = new ConcurrentHashMap<>();

    SeriesMap(Activation phi) {
        this.phi = phi;
        this.series = new HermiteSeries(phi);
    }

    private double[] factors(double q) {
        long key = Double.doubleToLongBits(q);
        double[] f = cache.get(key);
        if (f == null) {
            f = series.coefficients(q);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(key, f);
        }
        return f;
    }

    @Override
    public int factorPlanes() {
        return HermiteSeries.length();
    }

    @Override
    public double varianceFactor(double q, int plane) {
        return factors(q)[plane];
    }

    @Override
    public void mapRow(double varA, double[] varB, int varBOff, double[] sig, double[] th, int off, int len) {
        double[] e = new double[2];
        double[] fa = factors(varA);
        for (int j = 0; j < len; j++) {
            double[] fb = factors(varB[varBOff + j]);
            if (!HermiteSeries.expectations(fa, 0, fb, 0, 1, sig[off + j], e)) {
                phi.expectations(varA, varB[varBOff + j], sig[off + j], e, 0);
            }
            ExpectationMap.store(e, sig, th, off + j);
        }
    }

    @Override
    public void mapFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] scratch1, double[] scratch2) {
        double[] e = new double[2];
        for (int j = 0; j < len; j++) {
            if (!HermiteSeries.expectations(fa, offA + j, fb, offB + j, plane, sig[off + j], e)) {
                phi.expectations(fa[offA + j], fb[offB + j], sig[off + j], e, 0); // plane 0 holds q
            }
            ExpectationMap.store(e, sig, th, off + j);
        }
    }

    @Override
    public void mapFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                           int len, float[] scratch1, float[] scratch2) {
        // float factors lose the coefficients' precision: recompute them in double from the variances (plane 0)
        double[] e = new double[2];
        for (int j = 0; j < len; j++) {
            double qa = fa[offA + j];
            double qb = fb[offB + j];
            double[] ca = factors(qa);
            double[] cb = factors(qb);
            if (!HermiteSeries.expectations(ca, 0, cb, 0, 1, sig[off + j], e)) {
                phi.expectations(qa, qb, sig[off + j], e, 0);
            }
            ExpectationMap.store(e, sig, th, off + j);
        }
    }
}
