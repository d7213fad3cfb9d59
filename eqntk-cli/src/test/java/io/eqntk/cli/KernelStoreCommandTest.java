package io.eqntk.cli;

import io.eqntk.arch.Architecture;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import io.eqntk.io.Npz;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kernel --store: the second run loads every block, a damaged block is reported and recomputed, --no-store writes none. */
class KernelStoreCommandTest {
    @TempDir
    Path dir;

    @Test
    void secondRunLoadsFromTheStore() throws Exception {
        String arch = "lift(C4, 3, SAME) relu gconv(3, SAME) relu gpool dense";
        double[] d = new double[7 * 5 * 5 * 3];
        Random r = new Random(9);
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        Path x = dir.resolve("x.npy");
        Npy.write(x, new NdArray(new int[] {7, 5, 5, 3}, d));
        Path store = dir.resolve("store");
        Path out1 = dir.resolve("a.npz");
        Object[] r1 = KernelCommandTest.run("kernel", "--arch", arch, "--x1", x.toString(), "--out", out1.toString(),
            "--store", store.toString(), "--block-size", "3");
        assertEquals(0, r1[0], (String) r1[2]);
        assertTrue(((String) r1[1]).contains("0 blocks loaded, 6 computed"), (String) r1[1]);
        KernelMatrices ref = new KernelEngine(Architecture.parse(arch), 1).gram(new ImageBatch(d, 7, 5, 5, 3),
            ProgressListener.NONE);
        assertArrayEquals(ref.ntk(), Npz.read(out1).get("ntk").data(), 0.0);

        Path block;
        try (Stream<Path> s = Files.walk(store)) {
            block = s.filter(p -> p.getFileName().toString().startsWith("r000000-000003.c000003-000006")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(block);
        b[b.length - 1] ^= 1;
        Files.write(block, b);

        Path out2 = dir.resolve("b.npz");
        Object[] r2 = KernelCommandTest.run("kernel", "--arch", arch, "--x1", x.toString(), "--out", out2.toString(),
            "--store", store.toString());
        assertEquals(0, r2[0], (String) r2[2]);
        assertTrue(((String) r2[1]).contains("5 blocks loaded, 1 computed, 1 damaged"), (String) r2[1]);
        assertTrue(((String) r2[2]).contains("damaged store block"), (String) r2[2]);
        Map<String, NdArray> k2 = Npz.read(out2);
        assertArrayEquals(ref.nngp(), k2.get("nngp").data(), 0.0);
        assertArrayEquals(ref.ntk(), k2.get("ntk").data(), 0.0);

        Path none = dir.resolve("none");
        Object[] r3 = KernelCommandTest.run("kernel", "--arch", arch, "--x1", x.toString(), "--out",
            dir.resolve("c.npz").toString(), "--store", none.toString(), "--no-store", "--quiet");
        assertEquals(0, r3[0], (String) r3[2]);
        assertTrue(Files.notExists(none));
    }
}
