package io.eqntk.io;

import io.eqntk.EqntkException;
import io.eqntk.data.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class NpyTest {
    @TempDir
    Path tmp;

    private static NdArray decode(String b64) throws IOException {
        return Npy.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)), "fixture");
    }

    private static double[] range(int n, double scale, double offset) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i * scale + offset;
        }
        return d;
    }

    @Test
    void readsNumpyDtypesAndByteOrders() throws IOException {
        double[] a = range(24, 0.5, -3);
        NdArray f8 = decode(NpyFixtures.F8_LE);
        assertArrayEquals(new int[]{2, 3, 4}, f8.shape());
        assertArrayEquals(a, f8.data());
        assertArrayEquals(a, decode(NpyFixtures.F4_BE).data());
        assertArrayEquals(a, decode(NpyFixtures.F8_V2).data());
        assertArrayEquals(a, decode(NpyFixtures.F8_V3).data());
        assertArrayEquals(range(12, 1000, -5000), decode(NpyFixtures.I2_BE).data());
        assertArrayEquals(new int[]{3, 4}, decode(NpyFixtures.I2_BE).shape());
        assertArrayEquals(range(6, 1e12, -3), decode(NpyFixtures.I8_LE).data());
        assertArrayEquals(range(25, 10, 0), decode(NpyFixtures.U1).data());
        assertArrayEquals(range(12, 1, -6), decode(NpyFixtures.I1).data());
        assertArrayEquals(range(8, 1, -4), decode(NpyFixtures.I4_LE).data());
        assertArrayEquals(new double[]{1, 0, 1, 0, 0, 1}, decode(NpyFixtures.BOOL).data());
        NdArray s = decode(NpyFixtures.SCALAR);
        assertEquals(0, s.rank());
        assertEquals(7.25, s.data()[0]);
    }

    @Test
    void fortranOrderIsTransposedIntoCOrder() throws IOException {
        NdArray f = decode(NpyFixtures.F8_FORTRAN);
        assertArrayEquals(new int[]{2, 3, 4}, f.shape());
        assertArrayEquals(range(24, 0.5, -3), f.data());
        assertEquals(0.5 * (1 * 12 + 2 * 4 + 3) - 3, f.get(1, 2, 3));
        assertArrayEquals(range(6, 1, 0), decode(NpyFixtures.F4_FORTRAN_2D).data());
    }

    @Test
    void writeThenReadRoundTrips() {
        NdArray a = new NdArray(new int[]{3, 1, 5}, range(15, -1.25, 0.1));
        Path f = tmp.resolve("a.npy");
        Npy.write(f, a);
        assertEquals(a, Npy.read(f));
        NdArray v = new NdArray(new int[]{4}, new double[]{Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e-300});
        Npy.write(f, v);
        NdArray back = Npy.read(f);
        assertArrayEquals(v.data(), back.data());
        NdArray empty = new NdArray(new int[]{0, 3}, new double[0]);
        Npy.write(f, empty);
        assertArrayEquals(new int[]{0, 3}, Npy.read(f).shape());
    }

    @Test
    void headerIsPaddedToSixtyFourBytes() throws IOException {
        Path f = tmp.resolve("h.npy");
        Npy.write(f, new NdArray(new int[]{2, 2}, new double[4]));
        byte[] b = Files.readAllBytes(f);
        int hl = (b[8] & 0xff) | ((b[9] & 0xff) << 8);
        assertEquals(0, (10 + hl) % 64);
        assertEquals('\n', b[10 + hl - 1]);
        assertEquals(10 + hl + 32, b.length);
        assertTrue(new String(b, 10, hl).contains("'descr': '<f8'"));
    }

    @Test
    void npzReadsStoredAndDeflatedNumpyArchives(@TempDir Path d) throws IOException {
        for (String b64 : List.of(NpyFixtures.NPZ_STORED, NpyFixtures.NPZ_DEFLATED)) {
            Path f = d.resolve("x.npz");
            Files.write(f, Base64.getDecoder().decode(b64));
            Map<String, NdArray> m = Npz.read(f);
            assertEquals(List.of("x", "y"), List.copyOf(m.keySet()));
            assertArrayEquals(range(24, 0.5, -3), m.get("x").data());
            assertArrayEquals(new double[]{0, 1, 2}, m.get("y").data());
        }
    }

    @Test
    void npzRoundTrips() {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("kernel", new NdArray(new int[]{2, 2}, new double[]{1, 0.5, 0.5, 1}));
        m.put("labels", new NdArray(new int[]{2}, new double[]{0, 1}));
        Path f = tmp.resolve("out.npz");
        Npz.write(f, m);
        assertEquals(m, Npz.read(f));
    }

    @Test
    void readsRealMedMnistNpz() {
        Map<String, NdArray> m = Npz.read(TestData.root().resolve("medmnist/breastmnist.npz"));
        assertArrayEquals(new int[]{546, 28, 28}, m.get("train_images").shape());
        assertArrayEquals(new int[]{546, 1}, m.get("train_labels").shape());
        assertArrayEquals(new int[]{78, 28, 28}, m.get("val_images").shape());
        assertArrayEquals(new int[]{156, 28, 28}, m.get("test_images").shape());
        double ones = Arrays.stream(m.get("train_labels").data()).sum();
        assertEquals(399, ones);
        double max = Arrays.stream(m.get("train_images").data()).max().orElseThrow();
        assertTrue(max <= 255 && max > 100);
    }

    @Test
    void missingFileIsNamed() {
        Path f = tmp.resolve("nope.npy");
        EqntkException e = assertThrows(EqntkException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("nope.npy"), e.getMessage());
        EqntkException z = assertThrows(EqntkException.class, () -> Npz.read(tmp.resolve("nope.npz")));
        assertTrue(z.getMessage().contains("nope.npz"), z.getMessage());
    }

    @Test
    void wrongMagicIsRejected() throws IOException {
        Path f = tmp.resolve("bad.npy");
        Files.writeString(f, "this is not numpy data at all");
        EqntkException e = assertThrows(EqntkException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("bad.npy") && e.getMessage().contains("magic"), e.getMessage());
        Path z = tmp.resolve("bad.npz");
        Files.writeString(z, "not a zip");
        EqntkException ez = assertThrows(EqntkException.class, () -> Npz.read(z));
        assertTrue(ez.getMessage().contains("bad.npz"), ez.getMessage());
    }

    @Test
    void truncatedDataIsRejected() throws IOException {
        byte[] full = Base64.getDecoder().decode(NpyFixtures.F8_LE);
        Path f = tmp.resolve("trunc.npy");
        Files.write(f, Arrays.copyOf(full, full.length - 9));
        EqntkException e = assertThrows(EqntkException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("trunc.npy") && e.getMessage().contains("truncated"), e.getMessage());
        Files.write(f, Arrays.copyOf(full, 20));
        EqntkException h = assertThrows(EqntkException.class, () -> Npy.read(f));
        assertTrue(h.getMessage().contains("trunc.npy"), h.getMessage());
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        byte[] full = Base64.getDecoder().decode(NpyFixtures.F8_LE);
        String s = new String(full, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'<f8'", "'<c8'");
        Path f = tmp.resolve("complex.npy");
        Files.write(f, s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        EqntkException e = assertThrows(EqntkException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("complex.npy") && e.getMessage().contains("<c8"), e.getMessage());
    }

    @Test
    void atomicWriteLeavesNoTempFileOnFailure() throws IOException {
        Path f = tmp.resolve("result.txt");
        AtomicFiles.writeString(f, "old");
        assertThrows(EqntkException.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(f), s.toList());
        }
    }
}
