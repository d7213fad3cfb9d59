package io.eqntk.cli;

import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import io.eqntk.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Strides, the standard parameterisation and rectangular inputs on the command line: results, and exit code 2. */
class StrideCommandTest {
    @TempDir
    Path dir;

    private String images(int h, int w) {
        double[] d = new double[2 * h * w * 2];
        Random r = new Random(3);
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        Path p = dir.resolve("x" + h + "x" + w + ".npy");
        Npy.write(p, new NdArray(new int[] {2, h, w, 2}, d));
        return p.toString();
    }

    private Object[] kernel(String arch, String x) {
        return KernelCommandTest.run("kernel", "--arch", arch, "--x1", x, "--out", dir.resolve("k.npz").toString(),
            "--no-store", "--quiet");
    }

    @Test
    void stridedStandardAndRectangularNetworksRun() {
        for (String[] c : new String[][] {
            {"lift(D2, 3, SAME, stride=2) relu gconv(3, param=standard, n=4) relu gpool dense", "7", "5"},
            {"conv(3, stride=2, param=standard) relu avgpool(3, SAME, stride=2) flatten dense", "6", "6"},
        }) {
            Object[] r = kernel(c[0], images(Integer.parseInt(c[1]), Integer.parseInt(c[2])));
            assertEquals(0, r[0], c[0] + ": " + r[2]);
            double[] ntk = Npz.read(dir.resolve("k.npz")).get("ntk").data();
            assertTrue(ntk.length == 4 && ntk[0] > 0 && Double.isFinite(ntk[1]), c[0]);
        }
    }

    @Test
    void badStridesAndShapesAreOneLineErrors() {
        String[][] cases = {
            {"lift(C4, 3, stride=2) relu gpool", "6", "layer 1 'lift(C4, 3, SAME, stride=2)': filter 3 with stride 2 "
                + "(SAME) on 6x6 breaks C4 equivariance"},
            {"lift(D4, 3) gconv(3, VALID, stride=2) gpool", "6", "sides that work: "},
            {"conv(3, stride=0) gap", "6", "layer 1 'conv(3, stride=0)': stride must be at least 1, got 0"},
            {"conv(3) gconv(3, stride=-2) gap", "6", "stride must be at least 1, got -2"},
            {"conv(3) avgpool(0) gap", "6", "layer 2 'avgpool(0)': pooling size must be positive, got 0"},
            {"lift(C4, 3) gpool", "5x7", "C4 rotates the grid by 90 degrees and needs square inputs, got 5x7"},
        };
        for (String[] c : cases) {
            String x = c[1].contains("x") ? images(5, 7) : images(6, 6);
            Object[] r = kernel(c[0], x);
            String err = ((String) r[2]).trim();
            assertEquals(2, r[0], c[0] + ": " + err);
            assertTrue(err.startsWith("eqntk: error: ") && err.contains(c[2]) && !err.contains("\n"), c[0] + ": " + err);
            assertFalse(Files.exists(dir.resolve("k.npz")), c[0]);
        }
    }
}
