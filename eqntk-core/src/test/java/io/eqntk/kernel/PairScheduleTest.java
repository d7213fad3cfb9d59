package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.model.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's schedule: with few pairs per thread a pair is cut into parts by column displacement, run on any
 * worker and reassembled from its slice sums in the one-worker order. Every thread count must give the bits of one
 * thread (which never cuts), for Gram, cross and Gram-block matrices.
 */
class PairScheduleTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "[conv(3) relu]*3 gap dense; 7; float64",
        "[conv(3) relu]*3 gap dense; 7; float32",
        "lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense relu dense; 8; float64",
        "conv(3) relu conv(3, VALID) erf gap dense; 6; float32",
    })
    void everyThreadCountGivesTheBitsOfOne(String spec, int size, String precision) {
        KernelEngine one = new KernelEngine(Architecture.parse(spec), 1).withPrecision(Precision.of(precision));
        assertEquals(KernelEngine.Evaluation.SLICES, one.evaluation());
        sameBitsForEveryThreadCount(one, size);
    }

    /**
     * The hybrid path (slices up to an average pooling, stages of slices between poolings, full blocks after): with
     * few jobs per thread its pairs and self passes are cut into halves, run on any worker and added up.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        MyrtleKernelTest.MINI + "; 8; float64",
        MyrtleKernelTest.MINI_C4 + "; 8; float32",
        "lift(D1, 3, VALID) relu gconv(1) avgpool(2) gconv(3) erf gpool dense; 10; float64",
        "avgpool(2) conv(3, b=0.1) relu avgpool(2) conv(3) relu gap dense; 8; float64",
    })
    void hybridPathGivesTheBitsOfOneThread(String spec, int size, String precision) {
        KernelEngine one = new KernelEngine(Architecture.parse(spec), 1).withPrecision(Precision.of(precision));
        assertTrue(one.usesHybridPath(), spec);
        sameBitsForEveryThreadCount(one, size);
    }

    private static void sameBitsForEveryThreadCount(KernelEngine one, int size) {
        Architecture arch = one.architecture();
        Precision p = one.precision();
        String spec = arch.toString();
        ImageBatch x = TestImages.gaussian(5, size, size, 3, 5L + size);
        ImageBatch y = TestImages.gaussian(2, size, size, 3, 9L + size);
        KernelMatrices gram = one.gram(x, ProgressListener.NONE);
        KernelMatrices cross = one.cross(x, y, ProgressListener.NONE);
        for (int threads : new int[] {2, 3, 7}) {
            KernelEngine e = new KernelEngine(arch, threads).withPrecision(p);
            String what = spec + " with " + threads + " threads";
            same(gram, e.gram(x, ProgressListener.NONE), what + ", gram");
            same(cross, e.cross(x, y, ProgressListener.NONE), what + ", cross");
            // rows 1..3 against columns 2..4 of the Gram matrix: a block across the diagonal
            ImageBatch rows = slice(x, 1, 3);
            ImageBatch cols = slice(x, 2, 3);
            KernelMatrices block = e.gramBlock(rows, 1, cols, 2, ProgressListener.NONE);
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    assertEquals(gram.nngp()[(1 + a) * 5 + 2 + b], block.nngp()[a * 3 + b], 0, what + ", block");
                    assertEquals(gram.ntk()[(1 + a) * 5 + 2 + b], block.ntk()[a * 3 + b], 0, what + ", block");
                }
            }
        }
    }

    private static void same(KernelMatrices want, KernelMatrices got, String what) {
        assertArrayEquals(want.nngp(), got.nngp(), 0, what + " (NNGP)");
        assertArrayEquals(want.ntk(), got.ntk(), 0, what + " (NTK)");
    }

    private static ImageBatch slice(ImageBatch x, int from, int count) {
        int s = x.imageSize();
        return new ImageBatch(java.util.Arrays.copyOfRange(x.data(), from * s, (from + count) * s), count, x.height(),
            x.width(), x.channels());
    }
}
