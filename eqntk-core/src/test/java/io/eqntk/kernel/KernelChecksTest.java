package io.eqntk.kernel;

import io.eqntk.EqntkException;
import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kernels that overflow or underflow are errors that name the layer where the problem first appeared. */
class KernelChecksTest {
    private static String failure(String spec, ImageBatch x) {
        KernelEngine e = new KernelEngine(Architecture.parse(spec), 1);
        KernelMatrices k = e.gram(x, ProgressListener.NONE);
        return assertThrows(EqntkException.class, () -> KernelChecks.requireGram(e, x, k, "kernel")).getMessage();
    }

    @Test
    void overflowNamesTheLayer() {
        String m = failure("conv(3) relu conv(3, w=1e160) relu gap dense", TestImages.gaussian(3, 4, 4, 1, 1));
        assertTrue(m.matches("kernel: the NNGP entry \\(0, 0\\) is (NaN|infinite);.*"), m);
        assertTrue(m.contains("the NNGP of image 0 with itself is first infinite after layer 3 'conv(3, SAME, w="), m);
        assertTrue(m.contains("check the inputs' scale"), m);
    }

    @Test
    void underflowNamesTheLayer() {
        // each conv(w=0.1) relu pair scales the variance by 0.005: below 2.2e-308 after 134 pairs
        String m = failure("[conv(3, w=0.1) relu]*150 gap dense", TestImages.gaussian(2, 4, 4, 1, 2));
        assertTrue(m.contains("underflow"), m);
        assertTrue(m.matches(".*first .* after layer 2\\d\\d '(conv\\(3, SAME, w=0.1\\)|relu)'.*"), m);
        assertTrue(m.contains("use a larger w"), m);
    }

    @Test
    void healthyKernelsAndExactZerosPass() {
        ImageBatch x = TestImages.gaussian(3, 4, 4, 1, 3);
        KernelEngine e = new KernelEngine(Architecture.parse("[conv(3, w=1.414) relu]*100 gap dense"), 1);
        KernelChecks.requireGram(e, x, e.gram(x, ProgressListener.NONE), "kernel");
        // w=0 gives a zero kernel by construction: not an underflow
        KernelEngine zero = new KernelEngine(Architecture.parse("conv(3, w=0) relu gap dense"), 1);
        KernelChecks.requireGram(zero, x, zero.gram(x, ProgressListener.NONE), "kernel");
        // an all-zero image has a zero kernel
        ImageBatch z = new ImageBatch(new double[2 * 16], 2, 4, 4, 1);
        KernelChecks.requireCross(e, z, x, e.cross(z, x, ProgressListener.NONE), "kernel");
    }
}
