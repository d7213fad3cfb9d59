package io.eqntk.kernel;

import io.eqntk.arch.Architecture;

import java.util.Random;

/**
 * Per-entry time of Gram matrices on one thread, architectures alternated, best of the repetitions (a measurement,
 * not a test: BENCHMARKS.md, "Branches on the slice path"). Arguments: image size, images, repetitions, then
 * architecture strings; images are N(0, 1) with 3 channels.
 */
public final class BranchSliceBench {
    private BranchSliceBench() {
    }

    public static void main(String[] a) {
        int size = Integer.parseInt(a[0]);
        int n = Integer.parseInt(a[1]);
        int reps = Integer.parseInt(a[2]);
        Random r = new Random(1);
        double[] d = new double[n * size * size * 3];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        ImageBatch x = new ImageBatch(d, n, size, size, 3);
        double entries = n * (n + 1) / 2.0;
        double[] best = new double[a.length - 3];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int rep = 0; rep < reps; rep++) {
            for (int k = 3; k < a.length; k++) {
                KernelEngine e = new KernelEngine(Architecture.parse(a[k]), 1);
                long t0 = System.nanoTime();
                e.gram(x, ProgressListener.NONE);
                double ms = (System.nanoTime() - t0) / 1e6 / entries;
                best[k - 3] = Math.min(best[k - 3], ms);
                System.out.printf("rep %d  %-70s %s  %.3f ms/entry%n", rep, a[k], e.evaluation(), ms);
            }
        }
        for (int k = 3; k < a.length; k++) {
            System.out.printf("best %-70s %.3f ms/entry%n", a[k], best[k - 3]);
        }
    }
}
