package io.eqntk.kernel;

import io.eqntk.arch.Architecture;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Random;

/**
 * Run in its own JVM by {@link LargeGramMemoryTest} (with -Xmx2g): the Gram matrix of N images [32, 32, 3],
 * then checks of symmetry and of sampled entries against independent cross evaluations. Prints
 * "ok N peak-heap-MB" and exits 0, or prints what failed and exits 1.
 *
 * <p>Arguments: N, architecture, threads.
 */
public final class LargeGramCheck {
    private LargeGramCheck() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        Architecture arch = Architecture.parse(args[1]);
        int threads = Integer.parseInt(args[2]);
        Random r = new Random(3);
        double[] data = new double[n * 32 * 32 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextGaussian();
        }
        ImageBatch x = new ImageBatch(data, n, 32, 32, 3);
        KernelEngine engine = new KernelEngine(arch, threads);
        KernelMatrices k = engine.gram(x, ProgressListener.NONE);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (k.nngp()[i * n + j] != k.nngp()[j * n + i] || k.ntk()[i * n + j] != k.ntk()[j * n + i]) {
                    fail("not symmetric at " + i + ", " + j);
                }
            }
        }
        for (int s = 0; s < 20; s++) {
            int i = r.nextInt(n);
            int j = r.nextInt(n);
            int a = Math.min(i, j);
            int b = Math.max(i, j);
            ImageBatch xa = new ImageBatch(x.image(a), 1, 32, 32, 3);
            ImageBatch xb = new ImageBatch(x.image(b), 1, 32, 32, 3);
            KernelMatrices c = a == b ? engine.gram(xa, ProgressListener.NONE) : engine.cross(xa, xb, ProgressListener.NONE);
            if (c.nngp()[0] != k.nngp()[a * n + b] || c.ntk()[0] != k.ntk()[a * n + b]) {
                fail("entry " + a + ", " + b + ": gram " + k.nngp()[a * n + b] + " but the pair alone gives " + c.nngp()[0]);
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.out.println("ok " + n + " " + peak / 1_000_000);
    }

    private static void fail(String why) {
        System.out.println("failed: " + why);
        System.exit(1);
    }
}
