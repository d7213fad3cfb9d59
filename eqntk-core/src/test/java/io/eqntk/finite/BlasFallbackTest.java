package io.eqntk.finite;

import io.eqntk.network.FiniteNetwork;
import io.eqntk.arch.Architecture;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.Precision;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM whose native BLAS cannot load (netlib pointed at a library that does not exist) still runs a finite
 * network, through the pure-Java BLAS, and says so once on standard error.
 */
class BlasFallbackTest {
    /** The child JVM: two passes, two look-ups of the BLAS; prints the output. */
    public static void main(String[] args) {
        FiniteNetwork net = new FiniteNetwork(Architecture.parse("lift(C4, 3, SAME) relu gpool dense"),
            FeatureShape.image(5, 5, 2), 4, 1);
        double[] x = FiniteTestSupport.gaussian(2 * 50, 1);
        double a = net.batched(Precision.FLOAT64, 1).forward(net.init(1), x, 2).outputs()[1];
        double b = net.batched(Precision.FLOAT32, 2).forward(net.init(1), x, 2).outputs()[1];
        double plain = net.output(net.init(1), java.util.Arrays.copyOfRange(x, 50, 100))[0];
        System.out.println(Blas.system().isNative() + " " + (Math.abs(a - plain) < 1e-12 * Math.abs(plain))
            + " " + (Math.abs(b - plain) < 1e-5 * Math.abs(plain)));
    }

    @Test
    void withoutTheNativeLibraryThePureJavaBlasRunsAndSaysSoOnce() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
            "-Ddev.ludovic.netlib.blas.nativeLib=libeqntk-missing-blas.so.3", "-cp",
            System.getProperty("java.class.path"), BlasFallbackTest.class.getName())).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertEquals("false true true", out, err);
        long lines = err.lines().filter(l -> l.startsWith("eqntk: finite networks use")).count();
        assertEquals(1, lines, err);
        assertTrue(err.contains("pure-Java BLAS"), err);
        assertTrue(!err.contains("Exception") && !err.contains("WARNING: Failed"), err);
    }
}
