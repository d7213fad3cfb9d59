package io.eqntk.sphere;

import java.util.Random;

/** Random real signals on S^2 of a given degree, sampled on a grid of a (higher or equal) bandwidth. */
public final class SphericalTestSignals {
    private SphericalTestSignals() {
    }

    /** An arbitrary grid signal (not band-limited): grid-exact rotations still act exactly. */
    public static SphereSignal randomGridSignal(int bw, int channels, long seed) {
        Random rng = new Random(seed);
        double[][] ch = new double[channels][4 * bw * bw];
        for (double[] c : ch) {
            for (int i = 0; i < c.length; i++) {
                c[i] = rng.nextGaussian();
            }
        }
        return new SphereSignal(bw, ch);
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
