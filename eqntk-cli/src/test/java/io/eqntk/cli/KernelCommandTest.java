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

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelCommandTest {
    @TempDir
    Path dir;

    /** Runs the CLI, returning {exit code, stdout, stderr}. */
    static Object[] run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            picocli.CommandLine cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(System.out, true));
            cl.setErr(new java.io.PrintWriter(System.err, true));
            int code = cl.execute(args);
            return new Object[] {code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path npy(String name, int[] shape, long seed) throws Exception {
        int size = 1;
        for (int s : shape) {
            size *= s;
        }
        double[] d = new double[size];
        Random r = new Random(seed);
        for (int i = 0; i < size; i++) {
            d[i] = r.nextGaussian();
        }
        Path p = dir.resolve(name);
        Npy.write(p, new NdArray(shape, d));
        return p;
    }

    @Test
    void writesGramAndCrossMatricesEqualToTheEngine() throws Exception {
        String arch = "conv(3, VALID, w=1.5, b=0.1) relu conv(3, VALID, w=1.5, b=0.1) relu gap dense(w=1.5, b=0.1)";
        Path x1 = npy("x1.npy", new int[] {3, 6, 6, 2}, 1);
        Path x2 = npy("x2.npy", new int[] {2, 6, 6, 2}, 2);
        Path out = dir.resolve("k.npz");
        Object[] r = run("kernel", "--arch", arch, "--x1", x1.toString(), "--x2", x2.toString(), "--out",
            out.toString(), "--quiet");
        assertEquals(0, r[0], (String) r[2]);
        Map<String, NdArray> k = Npz.read(out);
        assertArrayEquals(new int[] {3, 2}, k.get("ntk").shape());
        NdArray a1 = Npy.read(x1);
        NdArray a2 = Npy.read(x2);
        KernelMatrices ref = new KernelEngine(Architecture.parse(arch), 1).cross(
            new ImageBatch(a1.data(), 3, 6, 6, 2), new ImageBatch(a2.data(), 2, 6, 6, 2), ProgressListener.NONE);
        assertArrayEquals(ref.nngp(), k.get("nngp").data(), 0.0);
        assertArrayEquals(ref.ntk(), k.get("ntk").data(), 0.0);

        Path gram = dir.resolve("g.npz");
        r = run("kernel", "--arch", arch, "--x1", x1.toString(), "--out", gram.toString(), "--get", "ntk", "--quiet");
        assertEquals(0, r[0], (String) r[2]);
        Map<String, NdArray> g = Npz.read(gram);
        assertFalse(g.containsKey("nngp"));
        assertArrayEquals(new int[] {3, 3}, g.get("ntk").shape());
    }

    @Test
    void readsFloat32() throws Exception {
        Path p = dir.resolve("f32.npy");
        // a little-endian float32 .npy written by hand: header v1.0
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 3, 1), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(header);
        h.append(" ".repeat(pad)).append('\n');
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + h.length() + 9 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length()).put(h.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 9; i++) {
            b.putFloat(i * 0.25f - 1);
        }
        Files.write(p, b.array());
        Path out = dir.resolve("k.npz");
        Object[] r = run("kernel", "--arch", "conv(3) relu gap dense", "--x1", p.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(Npz.read(out).get("nngp").data()[0] > 0);
    }

    @Test
    void float32PrecisionIsCloseToFloat64AndBadPrecisionIsAnError() throws Exception {
        String arch = "lift(C4, 3, SAME) relu gconv(3, VALID) relu gpool dense";
        Path x1 = npy("p1.npy", new int[] {3, 7, 7, 3}, 7);
        Path o64 = dir.resolve("k64.npz");
        Path o32 = dir.resolve("k32.npz");
        Object[] r = run("kernel", "--arch", arch, "--x1", x1.toString(), "--out", o64.toString(), "--quiet", "--no-store");
        assertEquals(0, r[0], (String) r[2]);
        r = run("kernel", "--arch", arch, "--x1", x1.toString(), "--out", o32.toString(), "--quiet", "--no-store",
            "--precision", "float32");
        assertEquals(0, r[0], (String) r[2]);
        double[] a = Npz.read(o64).get("ntk").data();
        double[] b = Npz.read(o32).get("ntk").data();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4 * Math.abs(a[i]));
        }
        assertFalse(java.util.Arrays.equals(a, b), "float32 gave float64's exact bits");
        assertBadInput("--precision", "kernel", "--arch", arch, "--x1", x1.toString(), "--precision", "float16");
    }

    private void assertBadInput(String expectedFragment, String... args) {
        Path out = dir.resolve("bad.npz");
        String[] full = new String[args.length + 3];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--out";
        full[args.length + 1] = out.toString();
        full[args.length + 2] = "--quiet";
        Object[] r = run(full);
        String err = ((String) r[2]).trim();
        assertEquals(2, r[0], "exit code for " + String.join(" ", args) + ": " + err);
        assertTrue(err.startsWith("eqntk: error: "), err);
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.contains(expectedFragment), "'" + expectedFragment + "' in: " + err);
        assertFalse(Files.exists(out), "no output file left behind");
    }

    @Test
    void badInputGetsOneLineErrorAndExitCode2() throws Exception {
        Path good = npy("good.npy", new int[] {2, 5, 5, 3}, 3);
        Path rank3 = npy("rank3.npy", new int[] {2, 5, 5}, 4);
        Path twoChannels = npy("c2.npy", new int[] {2, 5, 5, 2}, 5);
        double[] nan = new double[2 * 5 * 5 * 3];
        nan[17] = Double.NaN;
        Path withNan = dir.resolve("nan.npy");
        Npy.write(withNan, new NdArray(new int[] {2, 5, 5, 3}, nan));
        double[] inf = new double[2 * 5 * 5 * 3];
        inf[3] = Double.POSITIVE_INFINITY;
        Path withInf = dir.resolve("inf.npy");
        Npy.write(withInf, new NdArray(new int[] {2, 5, 5, 3}, inf));
        Path garbage = dir.resolve("garbage.npy");
        Files.writeString(garbage, "not a numpy file");
        String arch = "conv(3, SAME) relu gap dense";

        assertBadInput("rank3.npy must be a 4-d array", "kernel", "--arch", arch, "--x1", rank3.toString());
        assertBadInput("channels", "kernel", "--arch", arch, "--x1", good.toString(), "--x2", twoChannels.toString());
        assertBadInput("non-finite", "kernel", "--arch", arch, "--x1", withNan.toString());
        assertBadInput("non-finite", "kernel", "--arch", arch, "--x1", good.toString(), "--x2", withInf.toString());
        assertBadInput("file not found", "kernel", "--arch", arch, "--x1", dir.resolve("missing.npy").toString());
        assertBadInput("garbage.npy", "kernel", "--arch", arch, "--x1", garbage.toString());
        assertBadInput("unknown layer 'conv3'", "kernel", "--arch", "conv3 relu gap", "--x1", good.toString());
        assertBadInput("larger than its VALID input", "kernel", "--arch", "conv(7, VALID) relu gap", "--x1", good.toString());
        assertBadInput("layer 2", "kernel", "--arch", "conv(3) gconv(3) gpool", "--x1", good.toString());
        assertBadInput("ends in the map", "kernel", "--arch", "conv(3) relu", "--x1", good.toString());
        assertBadInput("--get", "kernel", "--arch", arch, "--x1", good.toString(), "--get", "both2");
        assertBadInput("Missing required option", "kernel", "--x1", good.toString());
        assertBadInput("square", "kernel", "--arch", "lift(C4, 3) relu gpool",
            "--x1", npy("rect.npy", new int[] {1, 4, 6, 1}, 6).toString());
    }
}
