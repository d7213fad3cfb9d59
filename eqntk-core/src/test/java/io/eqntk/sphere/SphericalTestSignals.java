package io.eqntk.sphere;

import java.util.Random;

/** Random real signals on S^2 of a given degree, sampled on a grid of a (higher or equal) bandwidth. */
public final class SphericalTestSignals {
    private SphericalTestSignals() {
    }

    public static SphereSignal bandLimited(int bandwidth, int degrees, int channels, long seed) {
        Random rng = new Random(seed);
        S2Transform t = new S2Transform(bandwidth);
        double[][] ch = new double[channels][t.gridSize()];
        double[] zero = new double[bandwidth * bandwidth];
        for (int c = 0; c < channels; c++) {
            double[] coef = new double[bandwidth * bandwidth];
            double[] small = TransformTest.randomRealS2Coefficients(degrees, rng);
            System.arraycopy(small, 0, coef, 0, small.length);
            t.synthesize(coef, zero, bandwidth, ch[c], null);
        }
        return new SphereSignal(bandwidth, ch);
    }
}
