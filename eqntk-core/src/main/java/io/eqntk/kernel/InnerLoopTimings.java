package io.eqntk.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Times the slice path's inner loops on one L1-resident slice, and the vector primitives they are built from, in
 * nanoseconds per entry: the numbers behind the arithmetic bound in BENCHMARKS.md (`eqntk bench --case loops`).
 * Each figure is the best of several repetitions after a warm-up, so it estimates the loop's steady cost without
 * the engine's bookkeeping. A benchmark aid: it reports numbers and asserts nothing.
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
        // warm-up as long as the measurement: the JIT needs a few hundred milliseconds for the vector maps
        long warmEnd = System.nanoTime() + budgetMillis * 1_000_000L;
        while (System.nanoTime() < warmEnd) {
            sink += body.getAsDouble();
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
