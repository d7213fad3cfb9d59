package io.eqntk.kernel;

import io.eqntk.arch.Architecture;

import java.util.Random;

/**
 * Per-entry time of Gram matrices of random images (after a warm-up on 3 images), one worker thread, for each
 * (side, architecture) argument pair in turn, the list repeated {@code reps} times so that architectures alternate on
 * a noisy machine. Reports wall-clock and process CPU time per kernel entry; never fails on timing.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp eqntk-core/target/classes:eqntk-core/target/test-classes
 * io.eqntk.kernel.StrideBench IMAGES REPS SIDE ARCH [SIDE ARCH ...]}
 */
public final class StrideBench {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]);
        int reps = Integer.parseInt(a[1]);
        for (int r = 0; r < reps; r++) {
            for (int i = 2; i < a.length; i += 2) {
                int side = Integer.parseInt(a[i]);
                String spec = a[i + 1];
                Random rng = new Random(1);
                double[] d = new double[n * side * side * 3];
                for (int k = 0; k < d.length; k++) d[k] = rng.nextGaussian();
                KernelEngine e = new KernelEngine(Architecture.parse(spec), 1);
                ImageBatch warm = new ImageBatch(java.util.Arrays.copyOf(d, 3 * side * side * 3), 3, side, side, 3);
                e.gram(warm, ProgressListener.NONE);
                ImageBatch x = new ImageBatch(d, n, side, side, 3);
                com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                e.gram(x, ProgressListener.NONE);
                double entries = n * (n + 1) / 2.0;
                double ms = (System.nanoTime() - t0) / 1e6 / entries;
                double cpu = (os.getProcessCpuTime() - c0) / 1e6 / entries;
                System.out.printf("%dx%dx3 %-8s wall %7.2f ms/entry, cpu %7.2f ms/entry (1 thread)  %s%n", side, side,
                    e.evaluation(), ms, cpu, spec);
            }
        }
    }
}
