package io.eqntk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvergenceCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesJsonCsvAndPngOnPcamPatches() throws Exception {
        Path out = dir.resolve("conv");
        Object[] r = KernelCommandTest.run("convergence", "--models", "cnn,c4", "--images", "3", "--image-size", "5",
            "--widths", "2,8,32", "--samples", "3", "--quiet", "--threads", "2", "--out", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("log-log slope"), (String) r[1]);
        JsonNode j = Json.MAPPER.readTree(out.resolve("convergence.json").toFile());
        JsonNode curves = j.get("curves");
        assertEquals(4, curves.size(), "cnn and c4, NNGP and NTK");
        for (JsonNode c : curves) {
            assertEquals(3, c.get("widths").size());
            assertEquals(3, c.get("distances").size());
            assertEquals(3, c.get("std_errors").size());
            double slope = c.get("slope").asDouble();
            // 16 times the width: the distance falls (slope about -1/2; loose for 3 networks on 3 images)
            assertTrue(slope < -0.1 && slope > -1.5, c.toString());
            for (JsonNode d : c.get("distances")) {
                assertTrue(d.asDouble() > 0 && d.asDouble() < 5, c.toString());
            }
        }
        String csv = Files.readString(out.resolve("convergence.csv"));
        assertTrue(csv.startsWith("model,kernel,width,parameters,distance,std_error,slope,seconds\n"), csv);
        assertEquals(1 + 4 * 3, csv.split("\n").length);
        byte[] png = Files.readAllBytes(out.resolve("convergence.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }

    @Test
    void badArgumentsGiveOneLineAndExitCode2() {
        String[][] bad = {
            {"convergence", "--widths", "0,4"},
            {"convergence", "--widths", "8,4"},
            {"convergence", "--samples", "1"},
            {"convergence", "--images", "1"},
            {"convergence", "--models", "nope"},
            {"empirical", "--arch", "conv(3) relu gap dense", "--x1", "pcam", "--width", "0"},
            {"dynamics", "--widths", "16,0"},
            {"dynamics", "--times", "-2,0"},
        };
        for (String[] args : bad) {
            Object[] r = KernelCommandTest.run(args);
            assertEquals(2, r[0], String.join(" ", args) + ": " + r[2]);
            String err = ((String) r[2]).trim();
            assertTrue(err.startsWith("eqntk: error:") && !err.contains("\n"), err);
        }
    }
}
