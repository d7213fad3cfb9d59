package io.eqntk.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Times the slice path's inner loops on one L1-resident slice, and the vector primitives they are built from, in
 * nanoseconds per entry: the numbers behind the arithmetic bound in BENCHMARKS.md (`eqntk bench --case loops`).
 * Each figure is the best of several repetitions after a warm-up, so it estimates the loop's steady cost without
 * the engine's bookkeeping. A benchmark aid: it reports numbers and asserts nothing. It lives in the eqntk-bench
 * jar, not the library, but in the engine's package: the loops it times are package-private, and on the class path
 * a package split over two jars is one runtime package (see eqntk-bench/pom.xml).
 */
public final class InnerLoopTimings {
    /** Entries per timed slice: a 32x32 grid, the nt21 case. */
    static final int N = 1024;

    private InnerLoopTimings() {
    }

    /**
     * Measures and returns, in insertion order, name -> nanoseconds per entry: the ReLU map (Σ and Θ) and the
     * radius-1 box sums of Σ and Θ in float64 and float32, and the vector square root and fused multiply-add per
     * lane. Each figure takes 2 x {@code budgetMillis}: a warm-up, then the best of repeated timings.
     */
    public static Map<String, Double> measure(int budgetMillis) {
        Map<String, Double> out = new LinkedHashMap<>();
        LoopTimings64.measure(out::put, budgetMillis);
        LoopTimings32.measure(out::put, budgetMillis);
        return out;
    }

    /** Best time per entry of {@code body} (over N entries) in ns, after a warm-up, within the budget. */
    static double time(int budgetMillis, DoubleSupplier body) {
        double sink = 0;
        // warm-up: at least four rounds as long as the measurement, and on until a round is no longer 10% faster
        // than the best before (at most 20 rounds). The JIT needs a few hundred milliseconds for the vector maps on
        // an idle machine, and seconds when other jobs hold the cores (a map measured before C2 compiled it read
        // 1,000x slow)
        double bestWarm = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 20; round++) {
            long t0 = System.nanoTime();
            long warmEnd = t0 + budgetMillis * 1_000_000L;
            int calls = 0;
            while (System.nanoTime() < warmEnd) {
                sink += body.getAsDouble();
                calls++;
            }
            double t = (System.nanoTime() - t0) / (double) calls;
            boolean settled = round >= 3 && t > 0.9 * bestWarm;
            bestWarm = Math.min(bestWarm, t);
            if (settled) {
                break;
            }
        }
        double best = Double.POSITIVE_INFINITY;
        long end = System.nanoTime() + budgetMillis * 1_000_000L;
        do {
            int reps = 200;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                sink += body.getAsDouble();
            }
            best = Math.min(best, (System.nanoTime() - t0) / (double) reps / N);
        } while (System.nanoTime() < end);
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("a timed loop produced NaN");
        }
        return best;
    }
}
