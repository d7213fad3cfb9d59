package io.eqntk.kernel;

import io.eqntk.EqntkException;
import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineTest {
    static final String[] ARCHS = {
        "conv(3, SAME) relu conv(3, VALID, b=0.1) relu gap dense",
        "lift(D4, 3, SAME) erf gconv(3, CIRCULAR) relu gpool dense relu dense",
        "conv(3, VALID) relu flatten dense",
    };

    /** Gram matrices are symmetric and positive semi-definite; the Gram equals the cross matrix of X with itself. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void gramIsSymmetricPsdAndMatchesCross(int which) {
        Architecture arch = Architecture.parse(ARCHS[which]);
        ImageBatch x = TestImages.gaussian(9, 6, 6, 2, which);
        KernelEngine e = new KernelEngine(arch, 2);
        KernelMatrices g = e.gram(x, ProgressListener.NONE);
        KernelMatrices c = e.cross(x, x, ProgressListener.NONE);
        // K(x', x) is computed with the slots swapped, so it may differ from K(x, x') in the last bits
        assertArrayEquals(c.nngp(), g.nngp(), 1e-14);
        assertArrayEquals(c.ntk(), g.ntk(), 1e-14);
        for (double[] k : new double[][] {g.nngp(), g.ntk()}) {
            for (int i = 0; i < 9; i++) {
                for (int j = 0; j < 9; j++) {
                    assertEquals(k[i * 9 + j], k[j * 9 + i], 0.0);
                }
            }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(9, false, true);
            assertTrue(eig.decompose(new DMatrixRMaj(9, 9, true, k.clone())));
            double max = 0;
            double min = Double.MAX_VALUE;
            for (int i = 0; i < 9; i++) {
                double v = eig.getEigenvalue(i).real;
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
            assertTrue(min > -1e-12 * max, "smallest eigenvalue " + min + ", largest " + max);
        }
    }

    /** Results do not depend on the number of threads (each entry is computed by one thread in a fixed order). */
    @Test
    void threadCountDoesNotChangeResults() {
        Architecture arch = Architecture.parse(ARCHS[1]);
        ImageBatch x = TestImages.gaussian(7, 5, 5, 1, 8);
        KernelMatrices one = new KernelEngine(arch, 1).gram(x, ProgressListener.NONE);
        KernelMatrices two = new KernelEngine(arch, 2).gram(x, ProgressListener.NONE);
        assertArrayEquals(one.ntk(), two.ntk(), 0.0);
        assertArrayEquals(one.nngp(), two.nngp(), 0.0);
    }

    /** The diagonal-only path of flatten readouts agrees with full blocks, and is taken. */
    @ParameterizedTest
    @ValueSource(strings = {"conv(3, VALID) relu conv(3, SAME, b=0.1) erf flatten dense relu dense",
        "lift(D4, 3, CIRCULAR) relu gconv(3, VALID) relu flatten dense(b=0.2)",
        "conv(5, CIRCULAR) relu flatten"})
    void diagonalPathMatchesFullBlocks(String spec) {
        Architecture arch = Architecture.parse(spec);
        ImageBatch x = TestImages.gaussian(4, 7, 7, 2, 2);
        KernelEngine e = new KernelEngine(arch, 2);
        assertTrue(e.usesDiagonalPath());
        KernelMatrices d = e.gram(x, ProgressListener.NONE);
        KernelMatrices f = e.withFullBlocks().gram(x, ProgressListener.NONE);
        assertArrayEquals(f.nngp(), d.nngp(), 1e-13);
        assertArrayEquals(f.ntk(), d.ntk(), 1e-13);
    }

    @Test
    void diagonalPathOnlyWhereValid() {
        assertTrue(new KernelEngine(Architecture.parse("conv(3) relu flatten dense")).usesDiagonalPath());
        assertTrue(!new KernelEngine(Architecture.parse("conv(3) relu avgpool(2) flatten dense")).usesDiagonalPath());
        assertTrue(!new KernelEngine(Architecture.parse("conv(3) relu gap dense")).usesDiagonalPath());
    }

    @Test
    void progressReachesTotal() {
        AtomicLong last = new AtomicLong();
        AtomicLong total = new AtomicLong();
        new KernelEngine(Architecture.parse(ARCHS[0]), 2).gram(TestImages.gaussian(6, 5, 5, 1, 1), (d, t) -> {
            last.accumulateAndGet(d, Math::max);
            total.set(t);
        });
        assertEquals(6 + 15, total.get());
        assertEquals(total.get(), last.get());
    }

    @Test
    void rejectsBadInputs() {
        KernelEngine e = new KernelEngine(Architecture.parse(ARCHS[0]), 1);
        double[] d = new double[2 * 5 * 5];
        d[7] = Double.NaN;
        EqntkException nan = assertThrows(EqntkException.class, () -> e.gram(new ImageBatch(d, 2, 5, 5, 1), ProgressListener.NONE));
        assertTrue(nan.getMessage().contains("non-finite"), nan.getMessage());
        EqntkException ch = assertThrows(EqntkException.class, () -> e.cross(TestImages.gaussian(1, 5, 5, 1, 1),
            TestImages.gaussian(1, 5, 5, 2, 1), ProgressListener.NONE));
        assertTrue(ch.getMessage().contains("x2"), ch.getMessage());
        assertThrows(EqntkException.class, () -> new ImageBatch(new double[10], 1, 3, 3, 1));
        assertThrows(EqntkException.class, () -> new KernelEngine(Architecture.parse(ARCHS[0]), 0));
    }
}
