package io.eqntk.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory bound of the engine (BENCHMARKS.md): a Gram matrix holds the two N x N results, the images, each
 * image's self-variances and one workspace per thread, never a block per pair. A Gram of 2,000 images at 32x32
 * runs in a JVM limited to a 2 GB heap (a flatten readout keeps it fast enough for the test suite; the
 * per-thread workspace of the other paths is independent of N).
 */
class LargeGramMemoryTest {
    @Test
    void twoThousandImagesAt32x32FitInTwoGigabytes() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx2g", "--add-modules", "jdk.incubator.vector",
            "-cp", System.getProperty("java.class.path"), LargeGramCheck.class.getName(),
            "2000", "conv(3, SAME, b=0.1) relu flatten dense", "2");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            p.destroyForcibly();
        }
        assertTrue(finished, "the 2,000-image Gram did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("ok 2000 "), out);
        long peakMb = Long.parseLong(last.split(" ")[2]);
        assertTrue(peakMb < 2048, "peak heap " + peakMb + " MB");
    }
}
