package io.eqntk.data;

import io.eqntk.EqntkException;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSourceTest {
    @TempDir
    Path dir;

    private Path npy(String name, int[] shape, double[] data) {
        Path p = dir.resolve(name);
        Npy.write(p, new NdArray(shape, data));
        return p;
    }

    private String error(String source) {
        return assertThrows(EqntkException.class,
            () -> ImageSource.read("--x1", source, "train", 0, 0, ColorMode.KEEP, 0)).getMessage();
    }

    @Test
    void readsANpyArrayAsUnlabeledImages() {
        double[] v = new double[2 * 2 * 3 * 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.25 * i - 1;
        }
        Path p = npy("x.npy", new int[] {2, 2, 3, 1}, v);
        Images im = ImageSource.read("--x1", p.toString(), "train", 0, 0, ColorMode.KEEP, 0);
        assertEquals(2, im.count());
        assertEquals(2, im.height());
        assertEquals(3, im.width());
        assertEquals(1, im.channels());
        assertArrayEquals(v, im.data());
        assertFalse(im.hasLabels());
        assertEquals(p + "[1]", im.ids().get(1));
    }

    @Test
    void badArraysNameTheOptionTheFileAndTheProblem() {
        String missing = error(dir.resolve("missing.npy").toString());
        assertTrue(missing.startsWith("--x1: file not found: "), missing);
        String rank = error(npy("rank3.npy", new int[] {2, 2, 2}, new double[8]).toString());
        assertTrue(rank.contains("rank3.npy must be a 4-d array") && rank.contains("[2, 2, 2]"), rank);
        String empty = error(npy("empty.npy", new int[] {3, 0, 2, 1}, new double[0]).toString());
        assertTrue(empty.contains("empty.npy has an empty dimension, shape [3, 0, 2, 1]"), empty);
        double[] v = new double[2 * 2 * 2 * 1];
        v[6] = Double.POSITIVE_INFINITY;
        String inf = error(npy("inf.npy", new int[] {2, 2, 2, 1}, v).toString());
        assertTrue(inf.startsWith("--x1 (") && inf.contains("image 1 contains a non-finite value (Infinity) at flat "
            + "index 2"), inf);
        v[6] = 0;
        v[1] = Double.NaN;
        String nan = error(npy("nan.npy", new int[] {2, 2, 2, 1}, v).toString());
        assertTrue(nan.contains("image 0 contains a non-finite value (NaN) at flat index 1"), nan);
    }

    @Test
    void datasetsAreResizedSubsetAndChecked() {
        TestData.root();
        Images im = ImageSource.read("--x", "breastmnist", "train", 10, 8, ColorMode.GRAYSCALE, 0);
        assertEquals(10, im.count());
        assertEquals(8, im.height());
        assertEquals(8, im.width());
        assertEquals(1, im.channels());
        // --limit takes a class-stratified subset: each class in proportion to the split, within one image
        int[] all = ImageSource.read("--x", "breastmnist", "train", 0, 8, ColorMode.GRAYSCALE, 0).classCounts();
        int total = java.util.Arrays.stream(all).sum();
        int[] got = im.classCounts();
        for (int k = 0; k < all.length; k++) {
            assertTrue(Math.abs(got[k] - 10.0 * all[k] / total) <= 1, "class " + k + ": " + got[k] + " of 10, split "
                + all[k] + " of " + total);
        }
        String split = assertThrows(EqntkException.class,
            () -> ImageSource.read("--x", "breastmnist", "nosuch", 0, 8, ColorMode.GRAYSCALE, 0)).getMessage();
        assertTrue(split.contains("'nosuch'"), split);
    }
}
