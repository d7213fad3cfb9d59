package io.eqntk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentCommandTest {
    @TempDir
    Path dir;

    private static String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("experiment", "--dataset", "pcam-1000", "--image-size", "8",
            "--train-sizes", "10,20", "--seeds", "2", "--test-size", "40", "--valid-size", "60", "--models", "cnn,c4",
            "--threads", "2", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    private static double[] accuracies(JsonNode results) {
        double[] a = new double[results.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = results.get(i).get("accuracy_fraction").asDouble();
        }
        return a;
    }

    @Test
    void endToEndOnPcam1000() throws Exception {
        Path out = dir.resolve("out");
        Path store = dir.resolve("store");
        Object[] r = KernelCommandTest.run(args(out, "--store", store.toString()));
        assertEquals(0, r[0], (String) r[2]);
        String table = (String) r[1];
        assertTrue(table.contains(" blocks loaded, ") && !table.contains(", 0 computed"), table);
        assertTrue(table.contains("cnn/ntk") && table.contains("c4/nngp") && table.contains("\u00b1"), table);

        ObjectMapper json = new ObjectMapper();
        JsonNode results = json.readTree(out.resolve("results.json").toFile());
        assertTrue(results.isArray());
        assertEquals(2 * 2 * 2 * 2, results.size());
        Set<String> combos = new HashSet<>();
        for (JsonNode o : results) {
            for (String key : List.of("model", "kernel", "train_size", "seed", "ridge", "accuracy_fraction",
                "architecture", "valid_accuracy_fraction", "balanced_accuracy_fraction", "auc", "sensitivity_fraction",
                "specificity_fraction", "log_likelihood", "ece_fraction", "image_size", "dataset", "seconds")) {
                assertTrue(o.has(key), "missing " + key + " in " + o);
            }
            assertTrue(Set.of("cnn", "c4").contains(o.get("model").asText()));
            assertTrue(Set.of("ntk", "nngp").contains(o.get("kernel").asText()));
            double acc = o.get("accuracy_fraction").asDouble();
            assertEquals(o.get("kernel").asText().equals("nngp"), o.get("log_likelihood").isNumber(),
                "log-likelihood from the NNGP posterior only: " + o);
            assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
            assertEquals(8, o.get("image_size").asInt());
            combos.add(o.get("model").asText() + "/" + o.get("kernel").asText() + "/" + o.get("train_size").asInt()
                + "/" + o.get("seed").asInt());
        }
        assertEquals(16, combos.size(), "one object per (model, kernel, size, seed)");

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(17, csv.size());
        assertTrue(csv.get(0).startsWith("model,kernel,train_size,seed,ridge,accuracy_fraction,"));
        for (int i = 0; i < results.size(); i++) {
            String[] cells = csv.get(i + 1).split(",", 7);
            JsonNode o = results.get(i);
            assertEquals(o.get("model").asText(), cells[0]);
            assertEquals(o.get("kernel").asText(), cells[1]);
            assertEquals(o.get("train_size").asInt(), Integer.parseInt(cells[2]));
            assertEquals(o.get("seed").asInt(), Integer.parseInt(cells[3]));
            assertEquals(o.get("accuracy_fraction").asDouble(), Double.parseDouble(cells[5]), 0.0);
        }

        JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
        assertEquals(8, summary.get("summary").size());
        for (JsonNode sr : summary.get("summary")) {
            double m = sr.get("accuracy_mean_fraction").asDouble();
            assertTrue(sr.get("accuracy_ci95_low_fraction").asDouble() <= m
                && m <= sr.get("accuracy_ci95_high_fraction").asDouble(), sr.toString());
        }
        // c4 - cnn per kernel and size, with an interval and its flag
        JsonNode cmp = summary.get("comparisons");
        assertEquals(2 * 2, cmp.size());
        for (JsonNode c : cmp) {
            assertEquals("c4", c.get("model").asText());
            assertEquals("cnn", c.get("baseline").asText());
            double d = c.get("accuracy_difference_fraction").asDouble();
            double lo = c.get("ci95_low_fraction").asDouble();
            double hi = c.get("ci95_high_fraction").asDouble();
            assertTrue(lo <= d && d <= hi, c.toString());
            assertEquals(lo > 0 || hi < 0, c.get("excludes_zero").asBoolean());
        }
        assertTrue(table.contains("paired difference") && table.contains("c4-cnn/ntk"), table);
        assertEquals(4, summary.get("confusion").size());
        assertEquals(1 + 4 * 2, Files.readAllLines(out.resolve("confusion.csv")).size());
        JsonNode run = json.readTree(out.resolve("run.json").toFile());
        for (String key : List.of("eqntk_version", "command_line", "timestamp", "store", "color", "warnings",
            "warmup_seconds")) {
            assertTrue(run.has(key) && !run.get(key).isNull(), "run.json lacks " + key);
        }
        assertTrue(run.get("command_line").asText().startsWith("eqntk experiment --dataset pcam-1000"));
        assertEquals(store.toAbsolutePath().toString(), run.get("store").asText());
        // experiments compute their kernels in float32 unless told otherwise
        assertEquals("float32", run.get("kernel_precision").asText());
        // and both models take the slice path, which has float32 (strided networks would say float64)
        assertEquals("float32", run.get("kernel_precision_by_model").get("cnn").asText());
        assertEquals("float32", run.get("kernel_precision_by_model").get("c4").asText());
        byte[] png = Files.readAllBytes(out.resolve("accuracy.png"));
        assertTrue(png.length > 1000);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
            java.util.Arrays.copyOf(png, 8));
        try (var files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }

        // the same seeds give the same accuracies
        Path out2 = dir.resolve("again");
        Object[] r2 = KernelCommandTest.run(args(out2, "--quiet"));
        assertEquals(0, r2[0], (String) r2[2]);
        assertEquals("", r2[1]);
        assertArrayEquals(accuracies(results), accuracies(json.readTree(out2.resolve("results.json").toFile())), 0.0);

        // a rerun on the same store computes no kernel, and so does not change a digit; neither does --no-store
        Path out3 = dir.resolve("stored");
        Object[] r3 = KernelCommandTest.run(args(out3, "--store", store.toString()));
        assertEquals(0, r3[0], (String) r3[2]);
        assertTrue(((String) r3[1]).contains(", 0 computed"), (String) r3[1]);
        assertArrayEquals(accuracies(results), accuracies(json.readTree(out3.resolve("results.json").toFile())), 0.0);
        Path out4 = dir.resolve("nostore");
        Object[] r4 = KernelCommandTest.run(args(out4, "--no-store", "--quiet"));
        assertEquals(0, r4[0], (String) r4[2]);
        assertArrayEquals(accuracies(results), accuracies(json.readTree(out4.resolve("results.json").toFile())), 0.0);
    }

    private void assertBadInput(String expected, String... argv) throws Exception {
        Path out = dir.resolve("bad");
        Object[] r = KernelCommandTest.run(argv);
        assertEquals(2, r[0], "exit code; stderr: " + r[2]);
        String err = ((String) r[2]).strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("eqntk: error: ") && err.contains(expected), err);
        assertFalse(Files.exists(out.resolve("results.json")) || Files.exists(out.resolve("results.csv"))
            || Files.exists(out.resolve("accuracy.png")), "no results files left");
    }

    @Test
    void badInputIsOneLineWithExitCodeTwoAndNoFiles() throws Exception {
        Path out = dir.resolve("bad");
        assertBadInput("unknown model 'resnet'", "experiment", "--dataset", "pcam-1000", "--models", "cnn,resnet",
            "--out", out.toString());
        assertBadInput("larger than the training pool of 600", "experiment", "--dataset", "pcam-1000",
            "--image-size", "6", "--train-sizes", "10,601", "--models", "cnn", "--quiet", "--out", out.toString());
        assertBadInput("--train-sizes is empty", "experiment", "--dataset", "pcam-1000", "--train-sizes", "",
            "--out", out.toString());
        assertBadInput("unknown dataset", "experiment", "--dataset", "no-such-data", "--out", out.toString());
        assertBadInput("not a whole number", "experiment", "--train-sizes", "10,x", "--out", out.toString());
        assertBadInput("--crop-center 200 is larger than the 96x96 image", "experiment", "--dataset", "pcam-1000",
            "--crop-center", "200", "--models", "cnn", "--train-sizes", "4", "--quiet", "--out", out.toString());
        assertBadInput("does not fit", "experiment", "--dataset", "pcam-1000", "--image-size", "4", "--models",
            "cnn", "--train-sizes", "4", "--quiet", "--out", out.toString());
        // in-memory kernels are checked as stored blocks are: the model and the layer where the overflow began
        for (String store : List.of("--no-store", "--store=" + dir.resolve("store"))) {
            assertBadInput("is first infinite after layer 1 'conv(3, SAME, w=1.0E200)'", "experiment", "--dataset",
                "pcam-1000", "--image-size", "4", "--models", "big=conv(3, w=1e200) relu gap dense", "--train-sizes",
                "4", "--test-size", "4", "--seeds", "1", "--quiet", store, "--out", out.toString());
        }
    }
}
