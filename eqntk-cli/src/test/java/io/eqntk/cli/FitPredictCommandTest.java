package io.eqntk.cli;

import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clinical workflow: a model fitted with an experiment's settings predicts what the experiment predicted; a
 * D4 model is invariant to rotating and reflecting an image; damaged or foreign model folders and bad images are
 * refused with one line.
 */
class FitPredictCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    /** Experiment predictions of (d4, nngp, size 20, seed 1): image path -> {label, predicted, p0, p1}. */
    static Map<String, String[]> expected = new HashMap<>();
    static Path testImages;

    @BeforeAll
    static void fitAndRunTheExperiment() throws Exception {
        Path exp = dir.resolve("exp");
        Object[] r = KernelCommandTest.run("experiment", "--dataset", "pcam-1000", "--image-size", "8",
            "--models", "d4", "--kernels", "nngp", "--train-sizes", "10,20", "--seeds", "2", "--test-size", "12",
            "--valid-size", "30", "--threads", "2", "--no-store", "--quiet", "--predictions", "--out", exp.toString(),
            // fit and predict compute in float64; experiments default to float32 (probabilities within about 1e-6)
            "--precision", "float64");
        assertEquals(0, r[0], (String) r[2]);
        List<String> lines = Files.readAllLines(exp.resolve("predictions.csv"));
        assertTrue(lines.get(0).startsWith("model,kernel,train_size,seed,image,label,predicted,score_0,score_1,"
            + "probability_0,probability_1"), lines.get(0));
        testImages = dir.resolve("test");
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            if (c[2].equals("20") && c[3].equals("1")) {
                Path src = Path.of(c[4]);
                expected.put(src.getFileName().toString(), new String[] {c[5], c[6], c[9], c[10]});
                Path dst = testImages.resolve(c[5]).resolve(src.getFileName());
                Files.createDirectories(dst.getParent());
                Files.copy(src, dst);
            }
        }
        assertEquals(12, expected.size());
        model = dir.resolve("model");
        Object[] f = KernelCommandTest.run("fit", "--data", "pcam-1000", "--image-size", "8", "--model", "d4",
            "--kernel", "nngp", "--train-size", "20", "--seed", "1", "--valid-size", "30", "--threads", "2", "--quiet",
            "--out", model.toString());
        assertEquals(0, f[0], (String) f[2]);
    }

    private static Map<String, String[]> readPredictions(Path csv) throws Exception {
        Map<String, String[]> m = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            m.put(Path.of(c[0]).getFileName().toString(), c);
        }
        return m;
    }

    @Test
    void predictReproducesTheExperimentsPredictions() throws Exception {
        Path out = dir.resolve("pred.csv");
        Object[] r = KernelCommandTest.run("predict", "--model", model.toString(), "--images", testImages.toString(),
            "--out", out.toString(), "--threads", "2");
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("12 labelled images: accuracy"), (String) r[1]);
        assertEquals("file,label,predicted,probability_0,probability_1,entropy_nats,posterior_sd",
            Files.readAllLines(out).get(0));
        Map<String, String[]> got = readPredictions(out);
        assertEquals(expected.keySet(), got.keySet());
        int right = 0;
        for (Map.Entry<String, String[]> e : expected.entrySet()) {
            String[] g = got.get(e.getKey());
            String[] x = e.getValue();
            assertEquals(x[0], g[1], "label of " + e.getKey());
            assertEquals(x[1], g[2], "predicted class of " + e.getKey());
            assertEquals(Double.parseDouble(x[2]), Double.parseDouble(g[3]), 1e-9, "p0 of " + e.getKey());
            assertEquals(Double.parseDouble(x[3]), Double.parseDouble(g[4]), 1e-9, "p1 of " + e.getKey());
            right += x[0].equals(g[2]) ? 1 : 0;
        }
        String metrics = Files.readString(dir.resolve("pred.csv.metrics.json"));
        assertTrue(metrics.contains("\"accuracy_fraction\" : " + (right / 12.0)), metrics);
    }

    @Test
    void d4ModelIsInvariantToRotatingAndReflectingAnImage() throws Exception {
        Path one = Files.list(testImages.resolve("1")).sorted().findFirst().orElseThrow();
        BufferedImage img = ImageIO.read(one.toFile());
        int n = img.getWidth();
        Path folder = dir.resolve("orbit");
        Files.createDirectories(folder);
        ImageIO.write(img, "png", folder.resolve("a-original.png").toFile());
        BufferedImage rot = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        BufferedImage flip = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                rot.setRGB(n - 1 - y, x, img.getRGB(x, y));
                flip.setRGB(n - 1 - x, y, img.getRGB(x, y));
            }
        }
        ImageIO.write(rot, "png", folder.resolve("b-rotated.png").toFile());
        ImageIO.write(flip, "png", folder.resolve("c-flipped.png").toFile());
        Path out = dir.resolve("orbit.csv");
        Object[] r = KernelCommandTest.run("predict", "--model", model.toString(), "--images", folder.toString(),
            "--out", out.toString(), "--quiet");
        assertEquals(0, r[0], (String) r[2]);
        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size());
        String[] a = lines.get(1).split(",");
        for (String line : lines.subList(2, 4)) {
            String[] b = line.split(",");
            assertEquals(a[1], b[1]);
            for (int c = 2; c < a.length; c++) {
                assertEquals(Double.parseDouble(a[c]), Double.parseDouble(b[c]), 1e-10, line);
            }
        }
        // and not trivially: the probabilities are not 1/2
        assertTrue(Math.abs(Double.parseDouble(a[2]) - 0.5) > 1e-6, lines.get(1));
    }

    private static void assertRefused(String expectedText, String... argv) {
        Object[] r = KernelCommandTest.run(argv);
        assertEquals(2, r[0], "exit code; stderr: " + r[2]);
        String err = ((String) r[2]).strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("eqntk: error: ") && err.contains(expectedText), err);
    }

    private static Path copyModel(String name) throws Exception {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        try (var files = Files.list(model)) {
            for (Path p : files.toList()) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        return copy;
    }

    @Test
    void damagedOrForeignModelsAreRefused() throws Exception {
        Path damaged = copyModel("damaged");
        Path chol = damaged.resolve("cholesky.npy");
        byte[] b = Files.readAllBytes(chol);
        b[b.length - 3] ^= 0x10;
        Files.write(chol, b);
        Path out = dir.resolve("never.csv");
        assertRefused("cholesky.npy does not match its checksum", "predict", "--model", damaged.toString(),
            "--images", testImages.toString(), "--out", out.toString());
        Path old = copyModel("old");
        Path manifest = old.resolve("manifest.properties");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("eqntk_version=.*", "eqntk_version=0.0.1"));
        assertRefused("was fitted by eqntk 0.0.1", "predict", "--model", old.toString(), "--images",
            testImages.toString(), "--out", out.toString());
        Path missing = copyModel("missing");
        Files.delete(missing.resolve("alpha.npy"));
        assertRefused("alpha.npy is missing", "predict", "--model", missing.toString(), "--images",
            testImages.toString(), "--out", out.toString());
        assertFalse(Files.exists(out), "nothing written");
    }

    /** A folder dataset with train/ and test/ only: 12 + 12 training and 2 + 2 test images of 4x4. */
    private static Path folderWithoutValidation() throws Exception {
        Path root = dir.resolve("novalid");
        java.util.Random r = new java.util.Random(5);
        for (String split : List.of("train", "test")) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < (split.equals("train") ? 12 : 2); i++) {
                    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
                    for (int p = 0; p < 16; p++) {
                        int v = Math.max(0, Math.min(255, 60 + 120 * c + (int) (40 * r.nextGaussian())));
                        img.setRGB(p % 4, p / 4, (v << 16) | (v << 8) | (255 - v));
                    }
                    Path f = root.resolve(split).resolve("k" + c).resolve("i" + i + ".png");
                    Files.createDirectories(f.getParent());
                    ImageIO.write(img, "png", f.toFile());
                }
            }
        }
        return root;
    }

    @Test
    void withoutAValidationSplitTheRidgeIsCrossValidatedOnEveryTrainingImage() throws Exception {
        Path data = folderWithoutValidation();
        Path cvModel = dir.resolve("cv-model");
        Object[] r = KernelCommandTest.run("fit", "--data", data.toString(), "--model", "cnn", "--threads", "2",
            "--out", cvModel.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("on 24 images") && ((String) r[1]).contains("cross-validated accuracy"),
            (String) r[1]);
        String props = Files.readString(cvModel.resolve("model.properties"));
        assertTrue(props.contains("ridge_selection=5-fold cross-validation"), props);
        assertTrue(props.contains("train_size=24"), props);
        // --cv 0 keeps the carved validation split out of training, as before
        Path split = dir.resolve("split-model");
        r = KernelCommandTest.run("fit", "--data", data.toString(), "--model", "cnn", "--cv", "0", "--quiet",
            "--out", split.toString());
        assertEquals(0, r[0], (String) r[2]);
        props = Files.readString(split.resolve("model.properties"));
        assertTrue(props.contains("ridge_selection=validation split") && !props.contains("train_size=24"), props);
        assertRefused("--cv must be 0 (use the validation split) or at least 2 folds, got 1", "fit", "--data",
            data.toString(), "--model", "cnn", "--cv", "1", "--out", dir.resolve("m3").toString());
    }

    @Test
    void badInputIsOneLineWithExitCodeTwo() throws Exception {
        Path out = dir.resolve("bad.csv");
        assertRefused("--crop-center 200 is larger than the 96x96 image", "fit", "--data", "pcam-1000",
            "--crop-center", "200", "--model", "cnn", "--train-size", "4", "--out", dir.resolve("m2").toString());
        // a class folder the model never saw
        Path unseen = dir.resolve("unseen");
        Path src = Files.list(testImages.resolve("0")).sorted().findFirst().orElseThrow();
        Files.createDirectories(unseen.resolve("7"));
        Files.copy(src, unseen.resolve("7").resolve(src.getFileName()));
        assertRefused("has label '7', which the model was not fitted on", "predict", "--model", model.toString(),
            "--images", unseen.toString(), "--out", out.toString());
        // one channel for an RGB model
        Path gray = dir.resolve("gray.npy");
        Npy.write(gray, new NdArray(new int[] {2, 8, 8, 1}, new double[128]));
        assertRefused("images have 1 channel but the model was fitted on 3-channel images", "predict", "--model",
            model.toString(), "--images", gray.toString(), "--out", out.toString());
        assertRefused("model folder not found", "predict", "--model", dir.resolve("nope").toString(), "--images",
            testImages.toString(), "--out", out.toString());
        assertFalse(Files.exists(out), "nothing written");
    }
}
