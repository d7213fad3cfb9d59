package io.eqntk.sphere;

import java.util.ArrayList;
import java.util.List;

/**
 * Timing of the analytic kernel of the two-layer SO(3) network s2lift(L, π/8) relu so3conv(L, π/8) relu so3pool
 * dense (the published filter grids: 24 points on the S^2 cap, 192 rotations) on random band-limited
 * one-channel inputs; reports, never fails.
 */
public final class SphericalBenchmark {
    /** Per bandwidth: milliseconds per pair (NNGP and NTK together) and for one input's self pass. */
    public record Timing(int bandwidth, int gridSize, double msPerPair, double msSelf, double nngp, double ntk) {
    }

    private SphericalBenchmark() {
    }

    public static List<SphericalLayer> twoLayer(int bandwidth) {
        return List.of(new SphericalLayer.S2Lift(bandwidth, Math.PI / 8), SphericalLayer.relu(),
            new SphericalLayer.So3Conv(bandwidth, Math.PI / 8), SphericalLayer.relu(),
            new SphericalLayer.So3Pool(), new SphericalLayer.Dense());
    }

    public static Timing time(int bandwidth, int pairs) {
        SphericalKernels k = new SphericalKernels(twoLayer(bandwidth), bandwidth, 1);
        List<SphereSignal> xs = new ArrayList<>();
        for (int i = 0; i < pairs + 1; i++) {
            xs.add(randomSignal(bandwidth, 100 + i));
        }
        k.pair(xs.get(0), xs.get(0)); // warm-up and the pair operator
        long t0 = System.nanoTime();
        double[][] g = k.gram(xs);
        double total = (System.nanoTime() - t0) / 1e6;
        // the Gram matrix does n self passes and n(n-1)/2 pair passes of equal cost
        int n = xs.size();
        double passes = n + n * (n - 1) / 2.0;
        double perPass = total / passes;
        return new Timing(bandwidth, 8 * bandwidth * bandwidth * bandwidth, perPass * (n + n * (n - 1) / 2.0)
            / (n * (n - 1) / 2.0), perPass, g[0][1], g[1][1]);
    }

    private static SphereSignal randomSignal(int bandwidth, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        double[] x = new double[4 * bandwidth * bandwidth];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        return new SphereSignal(bandwidth, new double[][] {x});
    }
}
