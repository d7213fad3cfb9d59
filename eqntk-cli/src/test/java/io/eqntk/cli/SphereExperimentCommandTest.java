package io.eqntk.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SphereExperimentCommandTest {
    @TempDir
    Path dir;

    @Test
    void badInputIsOneLineAndWritesNothing() {
        Path out = dir.resolve("r.csv");
        Object[] r = KernelCommandTest.run("sphere-experiment", "--task", "qm9", "--arch",
            "s2lift(2, 0.5) so3conv(2, 4.0) so3pool dense", "--bandwidth", "2", "--out", out.toString());
        assertEquals(2, r[0]);
        String err = ((String) r[2]).trim();
        assertEquals("eqntk: error: layer 2 'so3conv(2, 4.0)': max_beta must lie in (0, pi], got 4.0",
            err);
        assertFalse(Files.exists(out));
        r = KernelCommandTest.run("sphere-experiment", "--task", "qm9", "--threads", "0", "--out", out.toString());
        assertEquals(2, r[0]);
        assertEquals("eqntk: error: --threads must be at least 1, got 0", ((String) r[2]).trim());
        assertFalse(Files.exists(out));
        r = KernelCommandTest.run("sphere-experiment", "--task", "sphere", "--out", out.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).startsWith("eqntk: error: --task must be mnist or qm9"), (String) r[2]);
        assertFalse(Files.exists(out));
    }
}
