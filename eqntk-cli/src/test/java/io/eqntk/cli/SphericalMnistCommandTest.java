package io.eqntk.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** experiment --dataset spherical-mnist writes the experiment's usual files; bad input is one line, exit 2. */
class SphericalMnistCommandTest {
    @TempDir
    Path dir;

    @Test
    void tinyRunWritesTheUsualOutputs() throws Exception {
        Path out = dir.resolve("sphere");
        Object[] r = KernelCommandTest.run("experiment", "--dataset", "spherical-mnist", "--image-size", "4",
            "--models", "so3=s2lift(2, 0.8, b=0.1, n_alpha=4, n_beta=2) relu so3pool dense;mlp=flatten dense(b=0.1) "
                + "relu dense", "--train-sizes", "5", "--seeds", "1", "--test-size", "10", "--valid-size", "5",
            "--pool-size", "10", "--kernels", "ntk", "--ridges", "1e-3", "--no-store", "--quiet", "--out",
            out.toString());
        assertEquals(0, r[0], (String) r[2]);
        for (String f : List.of("results.csv", "summary.csv", "comparisons.csv", "accuracy.png", "run.json")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(3, rows.size(), String.join("\n", rows)); // header, so3 and mlp at n = 5
        assertTrue(rows.get(1).startsWith("so3,") || rows.get(1).contains(",so3,"), rows.get(1));
        String run = Files.readString(out.resolve("run.json"));
        assertTrue(run.contains("spherical MNIST (NR/R)"), run);
    }

    @Test
    void badInputIsOneLine() {
        Path out = dir.resolve("bad");
        Object[] r = KernelCommandTest.run("experiment", "--dataset", "spherical-mnist", "--image-size", "4",
            "--models", "so3=s2lift(2, 0.8) relu conv(3) so3pool dense", "--out", out.toString());
        assertEquals(2, r[0]);
        String err = ((String) r[2]).trim();
        String last = err.substring(err.lastIndexOf('\n') + 1);
        assertTrue(last.startsWith("eqntk: error: model so3 does not fit 4x4x1 images: layer 3 'conv(3, SAME)': a "
            + "planar layer in a spherical network"), err);
        assertFalse(Files.exists(out.resolve("results.csv")));
    }
}
