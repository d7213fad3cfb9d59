package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.store.StoreEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** gramBlock equals the matching part of gram bit for bit, on, above and below the diagonal and across it. */
class GramBlockTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void blocksEqualGramBitwise(int which) {
        Architecture arch = Architecture.parse(EngineTest.ARCHS[which]);
        int n = 11;
        ImageBatch x = TestImages.gaussian(n, 6, 6, 2, 40 + which);
        KernelMatrices g = new KernelEngine(arch, 2).gram(x, ProgressListener.NONE);
        KernelEngine e = new KernelEngine(arch, 1 + which % 2);
        int[][] ranges = {{0, 4, 0, 4}, {0, 4, 4, 11}, {4, 11, 0, 4}, {2, 9, 5, 11}, {0, 11, 0, 11}, {3, 4, 3, 4},
            {7, 8, 1, 10}};
        for (int[] r : ranges) {
            ImageBatch rows = StoreEntry.slice(x, r[0], r[1]);
            ImageBatch cols = StoreEntry.slice(x, r[2], r[3]);
            KernelMatrices b = e.gramBlock(rows, r[0], cols, r[2], ProgressListener.NONE);
            for (int a = 0; a < b.rows(); a++) {
                for (int c = 0; c < b.cols(); c++) {
                    int i = r[0] + a;
                    int j = r[2] + c;
                    // assertEquals(double, double) compares bit patterns via Double.compare semantics with delta 0
                    assertEquals(Double.doubleToRawLongBits(g.nngp(i, j)), Double.doubleToRawLongBits(b.nngp(a, c)),
                        "nngp " + i + "," + j);
                    assertEquals(Double.doubleToRawLongBits(g.ntk(i, j)), Double.doubleToRawLongBits(b.ntk(a, c)),
                        "ntk " + i + "," + j);
                }
            }
        }
    }
}
