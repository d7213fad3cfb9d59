package io.eqntk.finite;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import org.junit.jupiter.api.Test;

class MonteCarloSmokeTest {
    @Test
    void print() {
        String[] archs = {
            "conv(3, SAME, w=1.2, b=0.3) gap",
            "conv(3, SAME) relu gap dense",
            "conv(3, VALID, b=0.2) erf flatten dense(w=1.3)",
            "conv(3, CIRCULAR) relu avgpool(2) conv(3) relu gap dense(b=0.1)",
            "lift(C4, 3, SAME, w=1.3, b=0.2) relu gconv(3, SAME) relu gpool dense(b=0.1) relu dense",
            "lift(D4, 3, VALID) relu gpool dense",
        };
        ImageBatch x = TestImages.gaussian(3, 6, 6, 2, 1);
        for (String a : archs) {
            Architecture arch = Architecture.parse(a);
            long t0 = System.nanoTime();
            KernelMatrices k = new KernelEngine(arch, 2).gram(x, ProgressListener.NONE);
            long t1 = System.nanoTime();
            EmpiricalKernels.Result r = EmpiricalKernels.estimate(arch, x, 32, 8, 100, 7, 2, ProgressListener.NONE);
            long t2 = System.nanoTime();
            System.out.printf("%s  analytic %.1f ms, mc %.1f ms%n", a, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
            for (int i = 0; i < 3; i++) {
                for (int j = i; j < 3; j++) {
                    System.out.printf("  (%d,%d) nngp %.5f mc %.5f +- %.5f z=%.2f | ntk %.5f mc %.5f +- %.5f z=%.2f%n", i, j,
                        k.nngp(i, j), r.nngp().mean(i, j), r.nngp().stdError(i, j),
                        (r.nngp().mean(i, j) - k.nngp(i, j)) / r.nngp().stdError(i, j),
                        k.ntk(i, j), r.ntk().mean(i, j), r.ntk().stdError(i, j),
                        (r.ntk().mean(i, j) - k.ntk(i, j)) / r.ntk().stdError(i, j));
                }
            }
        }
    }
}
