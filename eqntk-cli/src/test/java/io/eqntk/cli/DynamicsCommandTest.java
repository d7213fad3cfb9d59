package io.eqntk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamicsCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesJsonCsvAndPngForASmallPcamRun() throws Exception {
        Path out = dir.resolve("dyn");
        Object[] r = KernelCommandTest.run("dynamics", "--train", "4", "--test", "1", "--noise", "1",
            "--image-size", "5", "--widths", "2,4", "--members", "2", "--times", "0,1,2", "--lr", "1", "--out",
            out.toString(), "--quiet", "--threads", "2");
        assertEquals(0, r[0], (String) r[2]);
        String stdout = (String) r[1];
        assertTrue(stdout.contains("max |gcnn - augmented cnn|"), stdout);
        JsonNode j = Json.MAPPER.readTree(out.resolve("dynamics.json").toFile());
        assertTrue(j.get("max_analytic_difference").asDouble() < 1e-8, j.toString());
        assertEquals(3, j.get("times").size());
        assertEquals(3, j.get("test_inputs").size(), "1 test image, 1 noise image, the checkerboard");
        assertEquals(3 * 3, j.get("predictions").size());
        JsonNode p = j.get("predictions").get(4);
        assertEquals(4, p.get("ensembles").size());
        assertTrue(p.get("ensembles").get(0).has("std_error"));
        assertEquals(p.get("gcnn_analytic").asDouble(), p.get("augmented_cnn_analytic").asDouble(), 1e-8);
        assertEquals(4, j.get("ensembles").size());
        String csv = Files.readString(out.resolve("dynamics.csv"));
        assertTrue(csv.startsWith("t,step,input,output,model,width,mean,std_error\n"), csv);
        assertEquals(1 + 3 * 3 * (4 + 4), csv.split("\n").length);
        byte[] png = Files.readAllBytes(out.resolve("dynamics.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }

    @Test
    void badArgumentsGiveOneLineAndExitCode2() {
        String[][] bad = {
            {"dynamics", "--times", "0,3", "--lr", "2", "--widths", "0"},
            {"dynamics", "--arch", "conv(3) relu gap dense", "--widths", "0"},
            {"dynamics", "--members", "3"},
            {"dynamics", "--lr", "-1"},
            {"dynamics", "--test", "0", "--noise", "0"},
        };
        for (String[] args : bad) {
            Object[] r = KernelCommandTest.run(args);
            assertEquals(2, r[0], String.join(" ", args) + ": " + r[2]);
            String err = ((String) r[2]).trim();
            assertTrue(err.startsWith("eqntk: error:") && !err.contains("\n"), err);
        }
    }
}
