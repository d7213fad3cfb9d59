package io.eqntk.sphere.kernel;

import io.eqntk.sphere.SphereSignal;
import io.eqntk.sphere.SphericalLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * Timing of the analytic kernel of the two-layer SO(3) network s2lift(L, π/8) relu so3conv(L, π/8) relu so3pool
 * dense (the published filter grids: 24 points on the S^2 cap, 192 rotations) on random band-limited
 * one-channel inputs; reports, never fails.
 */
public final class SphericalBenchmark {
    /**
     * Per bandwidth: milliseconds per pass (wall clock and this thread's CPU time, which is what counts on a shared
     * machine) (one pair's NNGP and NTK given both inputs' self diagonals; a self pass
     * costs the same), from a Gram matrix of {@code inputs} inputs: inputs self passes plus inputs(inputs-1)/2 pairs.
     */
    public record Timing(int bandwidth, int gridSize, int passes, double msPerPass, double cpuMsPerPass) {
    }

    private SphericalBenchmark() {
    }

    public static List<SphericalLayer> twoLayer(int bandwidth) {
        return List.of(new SphericalLayer.S2Lift(bandwidth, Math.PI / 8), SphericalLayer.relu(),
            new SphericalLayer.So3Conv(bandwidth, Math.PI / 8), SphericalLayer.relu(),
            new SphericalLayer.So3Pool(), new SphericalLayer.Dense());
    }

    public static Timing time(int bandwidth, int inputs) {
        SphericalKernels k = new SphericalKernels(twoLayer(bandwidth), bandwidth, 1);
        List<SphereSignal> xs = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            xs.add(randomSignal(bandwidth, 100 + i));
        }
        k.pair(xs.get(0), xs.get(0)); // warm-up, and the conv's pair operator (built once per layer)
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        k.gram(xs);
        double total = (System.nanoTime() - t0) / 1e6, cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        int passes = inputs + inputs * (inputs - 1) / 2;
        return new Timing(bandwidth, 8 * bandwidth * bandwidth * bandwidth, passes, total / passes, cpu / passes);
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
