package io.eqntk.kernel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Times the slice path's inner loops on one L1-resident slice, and the vector primitives they are built from, in
 * nanoseconds per entry: the numbers behind the arithmetic bound in BENCHMARKS.md (`eqntk bench --case loops`).
 * Each figure is the best of several repetitions after a warm-up, so it estimates the loop's steady cost without
 * the engine's bookkeeping. A benchmark aid: it reports numbers and asserts nothing.
 */
public final class InnerLoopTimings {
    /** Entries per timed slice: a 32x32 grid, the nt21 case. */
    private static final int N = 1024;

    private InnerLoopTimings() {
    }

    /**
     * Measures and returns, in insertion order, name -> nanoseconds per entry: the ReLU map (Σ and Θ) and the
     * radius-1 box sums of Σ and Θ in float64 and float32, and the vector square root and fused multiply-add per
     * lane. Each figure takes 2 x {@code budgetMillis}: a warm-up, then the best of repeated timings.
     */
    public static Map<String, Double> measure(int budgetMillis) {
        Random r = new Random(1);
        double[] fa = new double[2 * N];
        double[] fb = new double[2 * N];
        double[] q = new double[N];
        for (int i = 0; i < N; i++) {
            double a = Math.exp(r.nextGaussian());
            double b = Math.exp(r.nextGaussian());
            for (int k = 0; k < 2; k++) {
                fa[k * N + i] = ReluKernel.INSTANCE.varianceFactor(a, k);
                fb[k * N + i] = ReluKernel.INSTANCE.varianceFactor(b, k);
            }
            q[i] = (2 * r.nextDouble() - 1) * Math.sqrt(a * b);
        }
        float[] faF = toFloat(fa);
        float[] fbF = toFloat(fb);
        float[] qF = toFloat(q);
        boolean vector = VectorSupport.ENABLED;
        Map<String, Double> out = new LinkedHashMap<>();

        double[] sig = new double[N];
        double[] th = new double[N];
        double[] s1 = new double[N];
        double[] s2 = new double[N];
        out.put("relu_map_float64", time(budgetMillis, () -> {
            System.arraycopy(q, 0, sig, 0, N);
            Arrays.fill(th, 1.0);
            ReluKernel.INSTANCE.mapFactors(fa, 0, fb, 0, N, sig, th, 0, N, s1, s2);
            return sig[N / 2];
        }));
        float[] sigF = new float[N];
        float[] thF = new float[N];
        float[] s1F = new float[N];
        float[] s2F = new float[N];
        out.put("relu_map_float32", time(budgetMillis, () -> {
            System.arraycopy(qF, 0, sigF, 0, N);
            Arrays.fill(thF, 1f);
            ReluKernel.INSTANCE.mapFactors(faF, 0, fbF, 0, N, sigF, thF, 0, N, s1F, s2F);
            return sigF[N / 2];
        }));

        // one SAME box sum of radius 1 over a 32x32 slice, Σ and Θ, with the engine's margins and masks
        int lx = 32;
        int base = lx + 9;
        int length = base + N + lx + 10;
        double[][] mask = masks(lx);
        double[] bs = filled(length, base, r);
        double[] bt = filled(length, base, r);
        double[] ts = new double[length];
        double[] tt = new double[length];
        out.put("box_sums_float64", time(budgetMillis, () -> {
            if (!SliceOps.rowsSamePair(bs, ts, bt, tt, base, N, mask, vector)) {
                SliceOps.rowsSame(bs, ts, base, N, 1, mask, false);
                SliceOps.rowsSame(bt, tt, base, N, 1, mask, false);
            }
            if (!SliceOps.columnsPair(ts, bs, tt, bt, base, N, lx, -1, 1.0 / 9, 0.01, vector)) {
                SliceOps.columns(ts, bs, base, N, lx, -1, 1, 1.0 / 9, 0.01, null, false);
                SliceOps.columns(tt, bt, base, N, lx, -1, 1, 1.0 / 9, 0, bs, false);
            }
            return bs[base];
        }));
        float[][] maskF = new float[3][];
        for (int k = 0; k < 3; k++) {
            maskF[k] = toFloat(mask[k]);
        }
        float[] bsF = toFloat(filled(length, base, r));
        float[] btF = toFloat(filled(length, base, r));
        float[] tsF = new float[length];
        float[] ttF = new float[length];
        out.put("box_sums_float32", time(budgetMillis, () -> {
            if (!SliceOps32.rowsSamePair(bsF, tsF, btF, ttF, base, N, maskF, vector)) {
                SliceOps32.rowsSame(bsF, tsF, base, N, 1, maskF, false);
                SliceOps32.rowsSame(btF, ttF, base, N, 1, maskF, false);
            }
            if (!SliceOps32.columnsPair(tsF, bsF, ttF, btF, base, N, lx, -1, 1f / 9, 0.01f, vector)) {
                SliceOps32.columns(tsF, bsF, base, N, lx, -1, 1, 1f / 9, 0.01f, null, false);
                SliceOps32.columns(ttF, btF, base, N, lx, -1, 1, 1f / 9, 0, bsF, false);
            }
            return bsF[base];
        }));
        if (vector) {
            double[] z = new double[N];
            float[] zF = new float[N];
            for (int i = 0; i < N; i++) {
                z[i] = 1 + i * 1e-3;
                zF[i] = (float) z[i];
            }
            out.put("sqrt_float64", time(budgetMillis, () -> VectorPrimitives.sqrt(z, s1)));
            out.put("sqrt_float32", time(budgetMillis, () -> VectorPrimitives.sqrt(zF, s1F)));
            out.put("fma_float64", time(budgetMillis, () -> VectorPrimitives.fma12(z, s1)) / 12);
            out.put("fma_float32", time(budgetMillis, () -> VectorPrimitives.fma12(zF, s1F)) / 12);
        }
        return out;
    }

    /** Best time per entry of {@code body} (over N entries) in ns, after a warm-up, within the budget. */
    private static double time(int budgetMillis, DoubleSupplier body) {
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

    private static double[][] masks(int lx) {
        double[][] m = new double[3][N];
        for (int k = -1; k <= 1; k++) {
            for (int i = 0; i < N; i++) {
                int x = i % lx;
                m[k + 1][i] = x + k >= 0 && x + k < lx ? 1 : 0;
            }
        }
        return m;
    }

    private static double[] filled(int length, int base, Random r) {
        double[] a = new double[length];
        for (int i = base; i < base + N; i++) {
            a[i] = r.nextDouble();
        }
        return a;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
