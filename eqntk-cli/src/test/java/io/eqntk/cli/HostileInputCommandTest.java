package io.eqntk.cli;

import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import io.eqntk.io.Npz;
import io.eqntk.store.KernelKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a careless or hostile user meets it: every mistake one line, exit code 2, at once. */
class HostileInputCommandTest {
    private static final String ARCH = "conv(3) relu gap dense";

    @TempDir
    Path dir;

    private Path npy(String name, double scale) {
        double[] d = new double[3 * 5 * 5 * 2];
        Random r = new Random(1);
        for (int i = 0; i < d.length; i++) {
            d[i] = scale * r.nextGaussian();
        }
        Path p = dir.resolve(name);
        Npy.write(p, new NdArray(new int[] {3, 5, 5, 2}, d));
        return p;
    }

    /** Runs the command line, checks exit code 2 and one error line containing {@code expected}, returns stderr. */
    private static String fails(String expected, String... args) {
        long t0 = System.nanoTime();
        Object[] r = KernelCommandTest.run(args);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String err = ((String) r[2]).trim();
        assertEquals(2, r[0], String.join(" ", args) + ": " + err);
        assertTrue(err.startsWith("eqntk: error: ") && err.contains(expected), "'" + expected + "' in: " + err);
        assertTrue(seconds < 5, seconds + " s for " + String.join(" ", args));
        return err;
    }

    @Test
    void nonFiniteKernelsAreErrorsNotNaNFiles() {
        Path out = dir.resolve("k.npz");
        Path big = npy("big.npy", 1e200);
        fails("--x1 (" + big + "): image 0 has the value", "kernel", "--arch", ARCH, "--x1", big.toString(),
            "--out", out.toString(), "--no-store");
        fails("is first infinite after layer 3 'conv(3, SAME, w=", "kernel", "--arch",
            "conv(3) relu conv(3, w=1e160) relu gap dense", "--x1", npy("x.npy", 1).toString(), "--out",
            out.toString(), "--no-store");
        // each conv(w=1e-30) scales the variance by 1e-60: the sixth (layer 11) flushes it to zero
        fails("is first zero (underflow) after layer 11 'conv(3, SAME, w=", "kernel", "--arch",
            "[conv(3, w=1e-30) relu]*8 gap dense", "--x1",
            npy("x.npy", 1).toString(), "--out", out.toString(), "--store", dir.resolve("store").toString(), "--quiet");
        assertFalse(Files.exists(out));
        fails("image 0 has the value", "empirical", "--arch", ARCH, "--x1", big.toString(), "--samples", "4");
        fails("after layer 3", "empirical", "--arch", "conv(3) relu conv(3, w=1e160) relu gap dense", "--x1",
            npy("x.npy", 1).toString(), "--samples", "4");
    }

    @Test
    void badBranchesAndNonGaussianInputsAreOneLineErrors() {
        String x = npy("x.npy", 1).toString();
        String out = dir.resolve("k.npz").toString();
        fails("layer 1 'relu': needs a Gaussian input", "kernel", "--arch", "relu res(conv(3) relu) relu gap",
            "--x1", x, "--out", out);
        fails("layer 3 'relu': needs a Gaussian input (its kernel map is an expectation over Gaussian pre-activations),"
            + " but its input is the output of layer 2 'relu'", "kernel", "--arch", "conv(3) relu relu gap", "--x1", x,
            "--out", out);
        fails("layer 2 'res(relu conv(3, VALID))': branches must give equal shapes", "kernel", "--arch",
            "conv(3) res(relu conv(3, VALID)) relu gap", "--x1", x, "--out", out);
        fails("concat of a C4 group map", "kernel", "--arch", "conv(3) concat(lift(C4, 3) | conv(3)) relu gap",
            "--x1", x, "--out", out);
        fails("missing ')' to close the branches", "kernel", "--arch", "conv(3) res(relu conv(3) gap", "--x1", x,
            "--out", out);
        assertFalse(Files.exists(dir.resolve("k.npz")));
    }

    @Test
    void hugeSizesFailAtOnce() {
        String x = npy("x.npy", 1).toString();
        String out = dir.resolve("k.npz").toString();
        fails("at most 1000", "kernel", "--arch", "[conv(3) relu]*1000000000 gap", "--x1", x, "--out", out);
        fails("more than 2^31", "kernel", "--arch", "[conv(3) relu]*99999999999 gap", "--x1", x, "--out", out);
        fails("filter 99999x99999 on the 5x5 input: the padded buffers of a SAME stencil would need", "kernel", "--arch", "conv(99999) gap", "--x1",
            x, "--out", out);
        fails("--image-size 3000 is above the limit of 1024", "kernel", "--arch", ARCH, "--x1", "pcam", "--limit",
            "1", "--image-size", "3000", "--out", out);
        fails("--block-size 100000 is above the limit", "kernel", "--arch", ARCH, "--x1", x, "--out", out,
            "--block-size", "100000");
        fails("--images must be at least 2, got 0", "bench", "--case", "gram", "--images", "0");
        fails("--images must be at least 2, got -4", "bench", "--case", "gram", "--images", "-4");
        fails("--width 100000 is above the limit", "empirical", "--arch", ARCH, "--x1", x, "--width", "100000");
    }

    @Test
    void threadsAboveTheCoresAreCappedWithANote() {
        Object[] r = KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", npy("x.npy", 1).toString(), "--out",
            dir.resolve("k.npz").toString(), "--no-store", "--threads", "10000");
        assertEquals(0, r[0], (String) r[2]);
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(((String) r[2]).contains("--threads 10000 capped at " + cores), (String) r[2]);
        assertTrue(((String) r[1]).contains("(" + cores + (cores == 1 ? " thread)" : " threads)")), (String) r[1]);
        r = KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", npy("x.npy", 1).toString(), "--out",
            dir.resolve("k.npz").toString(), "--no-store", "--threads", "1");
        assertTrue(((String) r[1]).contains("(1 thread)"), (String) r[1]);
    }

    /** Tests run as root, which may write anywhere: a folder below a regular file can be created by no one. */
    @Test
    void outIsCheckedBeforeAnyWork() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        String missing = dir.resolve("missing.npy").toString(); // would fail later, when read: --out fails first
        fails("--out: " + file + " exists and is not a folder", "kernel", "--arch", ARCH, "--x1", missing,
            "--out", file.resolve("k.npz").toString(), "--no-store");
        Files.createDirectories(dir.resolve("x.npz"));
        fails("--out " + dir.resolve("x.npz") + " is a folder, not a file", "kernel", "--arch", ARCH, "--x1", missing,
            "--out", dir.resolve("x.npz").toString());
        fails("--out: cannot create the folder", "experiment", "--dataset", missing, "--out",
            file.resolve("sub").resolve("exp").toString());
        fails("--out: " + file + " exists and is not a folder", "dynamics", "--data", missing, "--out",
            file.toString());
        fails("--out: cannot create the folder", "empirical", "--arch", ARCH, "--x1", missing, "--out",
            file.resolve("d").resolve("e.npz").toString());
    }

    private static void png(Path p, int seed) throws Exception {
        Files.createDirectories(p.getParent());
        BufferedImage img = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ImageIO.write(img, "png", p.toFile());
    }

    /** A dataset's .npz says which image, label and split each row is; --limit decodes only the images used. */
    @Test
    void datasetKernelsCarryTheirRowOrderAndDecodeOnlyTheImagesUsed() throws Exception {
        Path data = dir.resolve("data");
        for (String split : List.of("train", "valid", "test")) {
            int n = split.equals("train") ? 10 : 1;
            for (int i = 0; i < n; i++) {
                png(data.resolve(split).resolve(i % 2 == 0 ? "cat" : "dog").resolve(split + i + ".png"), i + 31 * n);
            }
        }
        Path out = dir.resolve("k.npz");
        Object[] r = KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", data.toString(), "--limit", "2",
            "--out", out.toString(), "--no-store", "--quiet");
        assertEquals(0, r[0], (String) r[2]);
        Map<String, String> texts = Npz.readTexts(out);
        List<String> files = texts.get("x1_files.txt").lines().toList();
        assertEquals(2, files.size(), files.toString());
        assertEquals("train", texts.get("x1_split.txt").trim());
        assertEquals(List.of("cat", "dog"), texts.get("x1_classes.txt").lines().toList());
        Map<String, NdArray> arrays = Npz.read(out);
        double[] labels = arrays.get("x1_labels").data();
        for (int i = 0; i < 2; i++) {
            assertEquals(files.get(i).contains("dog") ? 1 : 0, (int) labels[i], files.get(i));
        }
        // the images not used are never decoded: garbage in all of them changes nothing
        try (Stream<Path> s = Files.walk(data.resolve("train"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (files.stream().noneMatch(f -> f.contains(p.getFileName().toString()))) {
                    Files.writeString(p, "not an image");
                }
            }
        }
        Path again = dir.resolve("again.npz");
        r = KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", data.toString(), "--limit", "2",
            "--out", again.toString(), "--no-store", "--quiet");
        assertEquals(0, r[0], (String) r[2]);
        assertArrayEquals(arrays.get("ntk").data(), Npz.read(again).get("ntk").data(), 0.0);
    }

    @Test
    void helpVersionAndCommandMessages() {
        Object[] r = KernelCommandTest.run();
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("eqntk: error: no command given"), (String) r[2]);
        fails("unknown command 'kernal' (commands: kernel, empirical", "kernal", "--arch", ARCH);
        r = KernelCommandTest.run("--version");
        assertEquals(0, r[0]);
        assertTrue(((String) r[1]).contains("eqntk " + io.eqntk.Version.eqntk() + " ")
            && ((String) r[1]).contains(KernelKey.eqntkVersion()), (String) r[1]);
        assertFalse(((String) r[1]).contains("dev"), (String) r[1]);
        r = KernelCommandTest.run("--help");
        String help = (String) r[1];
        String commands = help.substring(help.indexOf("Commands:"));
        for (String line : commands.lines().skip(1).takeWhile(l -> !l.isBlank()).toList()) {
            assertTrue(line.matches("  [\\w-]+ +\\S.*\\.$"), "a whole one-line summary: '" + line + "'");
        }
        String bench = (String) KernelCommandTest.run("bench", "--help")[1];
        assertTrue(bench.contains("Examples:") && bench.contains("eqntk bench --case nt21"), bench);
        String kernel = (String) KernelCommandTest.run("kernel", "--help")[1];
        for (String option : List.of("--color", "--seed", "--image-size")) {
            String rest = kernel.substring(kernel.indexOf("      " + option + "="));
            String block = rest.substring(0, rest.indexOf("\n      -", 1) < 0 ? rest.length()
                : rest.indexOf("\n      -", 1));
            assertTrue(block.contains("(default: "), option + ": " + block);
        }
    }

    @Test
    void storeWithABrokenManifestIsReportedAndCleaned() throws Exception {
        Path store = dir.resolve("store");
        String x = npy("x.npy", 1).toString();
        Object[] r = KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", x, "--out", dir.resolve("a.npz")
            .toString(), "--store", store.toString(), "--block-size", "2", "--quiet");
        assertEquals(0, r[0], (String) r[2]);
        Path entry;
        try (Stream<Path> s = Files.list(store)) {
            entry = s.findFirst().orElseThrow();
        }
        Files.writeString(entry.resolve("manifest.json"), "garbage");
        Files.writeString(entry.resolve("blocks").resolve("stray.npy"), "x");
        r = KernelCommandTest.run("store", "verify", "--store", store.toString());
        assertEquals(2, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("no readable manifest.json") || ((String) r[1]).contains("malformed"),
            (String) r[1]);
        assertTrue(((String) r[2]).contains("'eqntk store clean' removes them"), (String) r[2]);
        r = KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", x, "--out", dir.resolve("b.npz").toString(),
            "--store", store.toString(), "--block-size", "2");
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("store manifest " + entry.resolve("manifest.json") + " is not an eqntk "
            + "store manifest (malformed or foreign): replaced by a fresh one"), (String) r[2]);
        assertTrue(((String) r[1]).contains("3 blocks loaded, 0 computed"), (String) r[1]); // blocks know their place
        assertArrayEquals(Npz.read(dir.resolve("a.npz")).get("ntk").data(),
            Npz.read(dir.resolve("b.npz")).get("ntk").data(), 0.0);
        r = KernelCommandTest.run("store", "verify", "--store", store.toString());
        assertEquals(2, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("stray.npy: not a block of this entry's layout"), (String) r[1]);
        r = KernelCommandTest.run("store", "clean", "--store", store.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("(deleted)"), (String) r[1]);
        r = KernelCommandTest.run("store", "verify", "--store", store.toString());
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("1 entries, 3 intact blocks of 3, 0 problems"), (String) r[1]);
    }
}
