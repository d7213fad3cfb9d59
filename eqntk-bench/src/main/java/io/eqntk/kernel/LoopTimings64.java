// float32 twin: LoopTimings32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel;

import io.eqntk.kernel.map.Float64Constants;
import io.eqntk.kernel.map.ReluKernel;
import io.eqntk.kernel.map.VectorSupport;
import java.util.Arrays;
import java.util.Random;
import java.util.function.ObjDoubleConsumer;

/**
 * The timed loops of {@link InnerLoopTimings} in one precision: the ReLU map (Σ and Θ), one radius-1 SAME box sum
 * of Σ and Θ over a 32x32 slice with the engine's margins and masks, and the vector square root and 12 dependent
 * fused multiply-adds per lane they are built from.
 */
final class LoopTimings64 {
    private static final int N = InnerLoopTimings.N;

    private LoopTimings64() {
    }

    /** Reports name_PRECISION and its ns per entry to {@code out}. */
    static void measure(ObjDoubleConsumer<String> out, int budgetMillis) {
        String p = Float64Constants.LABEL;
        Random r = new Random(1);
        double[] fa = new double[2 * N];
        double[] fb = new double[2 * N];
        double[] q = new double[N];
        for (int i = 0; i < N; i++) {
            double a = Math.exp(r.nextGaussian()); // float32 keeps double
            double b = Math.exp(r.nextGaussian()); // float32 keeps double
            for (int k = 0; k < 2; k++) {
                fa[k * N + i] = (double) ReluKernel.INSTANCE.varianceFactor(a, k);
                fb[k * N + i] = (double) ReluKernel.INSTANCE.varianceFactor(b, k);
            }
            q[i] = (double) ((2 * r.nextDouble() - 1) * Math.sqrt(a * b));
        }
        boolean vector = VectorSupport.ENABLED;
        double[] sig = new double[N];
        double[] th = new double[N];
        double[] s1 = new double[N];
        double[] s2 = new double[N];
        out.accept("relu_map_" + p, InnerLoopTimings.time(budgetMillis, () -> {
            System.arraycopy(q, 0, sig, 0, N);
            Arrays.fill(th, 1.0);
            ReluKernel.INSTANCE.mapFactors(fa, 0, fb, 0, N, sig, th, 0, N, s1, s2);
            return sig[N / 2];
        }));

        int lx = 32;
        int base = lx + 9;
        int length = base + N + lx + 10;
        double[][] mask = new double[3][N];
        for (int k = -1; k <= 1; k++) {
            for (int i = 0; i < N; i++) {
                int x = i % lx;
                mask[k + 1][i] = x + k >= 0 && x + k < lx ? 1 : 0;
            }
        }
        double[] bs = new double[length];
        double[] bt = new double[length];
        for (int i = base; i < base + N; i++) {
            bs[i] = (double) r.nextDouble();
            bt[i] = (double) r.nextDouble();
        }
        double[] ts = new double[length];
        double[] tt = new double[length];
        out.accept("box_sums_" + p, InnerLoopTimings.time(budgetMillis, () -> {
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
        if (vector) {
            double[] z = new double[N];
            for (int i = 0; i < N; i++) {
                z[i] = (double) (1 + i * 1e-3);
            }
            out.accept("sqrt_" + p, InnerLoopTimings.time(budgetMillis, () -> VectorPrimitives64.sqrt(z, s1)));
            out.accept("fma_" + p, InnerLoopTimings.time(budgetMillis, () -> VectorPrimitives64.fma12(z, s1)) / 12);
        }
    }
}
