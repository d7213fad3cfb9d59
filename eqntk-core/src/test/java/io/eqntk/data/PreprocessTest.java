package io.eqntk.data;

import io.eqntk.EqntkException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PreprocessTest {
    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElseThrow();
    }

    @Test
    void constantImageStaysConstant() {
        double[] src = new double[7 * 5 * 3];
        Arrays.fill(src, 0.37);
        for (int[] t : new int[][]{{3, 3}, {2, 4}, {10, 13}, {7, 5}, {1, 1}}) {
            double[] r = Preprocess.resizeArea(src, 7, 5, 3, t[0], t[1]);
            assertEquals(t[0] * t[1] * 3, r.length);
            for (double v : r) {
                assertEquals(0.37, v, 1e-12);
            }
        }
    }

    @Test
    void integerRatioGivesBlockMeans() {
        double[] src = new double[16];
        for (int i = 0; i < 16; i++) {
            src[i] = i;
        }
        double[] r = Preprocess.resizeArea(src, 4, 4, 1, 2, 2);
        assertArrayEquals(new double[]{(0 + 1 + 4 + 5) / 4.0, (2 + 3 + 6 + 7) / 4.0, (8 + 9 + 12 + 13) / 4.0,
                (10 + 11 + 14 + 15) / 4.0}, r, 1e-12);
    }

    @Test
    void nonIntegerRatioAndUpscalingConserveTheMean() {
        Random rnd = new Random(5);
        double[] src = new double[9 * 7 * 2];
        for (int i = 0; i < src.length; i++) {
            src[i] = rnd.nextDouble();
        }
        for (int[] t : new int[][]{{4, 3}, {5, 5}, {13, 11}, {2, 6}}) {
            double[] r = Preprocess.resizeArea(src, 9, 7, 2, t[0], t[1]);
            for (int c = 0; c < 2; c++) {
                final int ch = c;
                double ms = 0;
                double mr = 0;
                for (int i = ch; i < src.length; i += 2) {
                    ms += src[i];
                }
                for (int i = ch; i < r.length; i += 2) {
                    mr += r[i];
                }
                assertEquals(ms / (src.length / 2), mr / (r.length / 2), 1e-12, "target " + Arrays.toString(t));
            }
        }
        // 3 -> 2 along one axis: weights 2/3,1/3 and 1/3,2/3
        double[] r = Preprocess.resizeArea(new double[]{3, 6, 9}, 1, 3, 1, 1, 2);
        assertArrayEquals(new double[]{(3 * 2 + 6) / 3.0, (6 + 9 * 2) / 3.0}, r, 1e-12);
        // upscaling 2 -> 4 duplicates
        assertArrayEquals(new double[]{1, 1, 5, 5}, Preprocess.resizeArea(new double[]{1, 5}, 1, 2, 1, 1, 4), 1e-12);
    }

    private static Images random(int n, int h, int w, int c, int k, long seed) {
        Random rnd = new Random(seed);
        double[] d = new double[n * h * w * c];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextDouble() * 3 + (i % c);
        }
        int[] l = new int[n];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l[i] = i % k == 0 || i % 7 == 0 ? 0 : i % k; // class 0 over-represented
            ids.add("img" + i);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add("c" + i);
        }
        return new Images(n, h, w, c, d, l, ids, names);
    }

    @Test
    void standardisationUsesTrainingStatistics() {
        Images train = random(20, 3, 3, 3, 2, 1);
        Images test = random(10, 3, 3, 3, 2, 2);
        Dataset ds = new Dataset("t", train, test, test, train.classNames(), List.of());
        Dataset s = Preprocess.standardize(ds);
        Images st = s.train();
        for (int c = 0; c < 3; c++) {
            double m = 0;
            double q = 0;
            int n = 0;
            double[] d = st.data();
            for (int i = c; i < d.length; i += 3) {
                m += d[i];
                q += d[i] * d[i];
                n++;
            }
            assertEquals(0, m / n, 1e-12);
            assertEquals(1, Math.sqrt(q / n), 1e-12);
        }
        Standardizer f = Standardizer.fit(train);
        assertEquals((test.get(4, 1, 2, 1) - f.mean()[1]) / f.std()[1], s.test().get(4, 1, 2, 1), 1e-12);
    }

    @Test
    void colourConversions() {
        Images rgb = new Images(1, 1, 2, 3, new double[]{1, 0, 0, 0.2, 0.4, 0.6}, null, List.of("x"), List.of());
        Images g = Preprocess.toGrayscale(rgb);
        assertEquals(1, g.channels());
        assertEquals(0.299, g.get(0, 0, 0, 0), 1e-12);
        assertEquals(0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6, g.get(0, 0, 1, 0), 1e-12);
        Images back = Preprocess.toRgb(g);
        assertEquals(3, back.channels());
        assertEquals(0.299, back.get(0, 0, 0, 2), 1e-12);
        assertEquals(rgb, Preprocess.convert(rgb, ColorMode.KEEP));
        assertEquals(0.2 / 255, Preprocess.scaleToUnit(rgb).get(0, 0, 1, 0), 1e-15);
    }

    @Test
    void balancedSubsetIsSeededAndBalanced() {
        Images im = random(100, 2, 2, 1, 3, 9);
        Images a = Preprocess.balancedSubset(im, 31, 42);
        Images b = Preprocess.balancedSubset(im, 31, 42);
        Images c = Preprocess.balancedSubset(im, 31, 43);
        assertArrayEquals(new int[]{11, 10, 10}, a.classCounts());
        assertEquals(a.ids(), b.ids());
        assertArrayEquals(a.data(), b.data());
        assertNotEquals(a.ids(), c.ids());
        assertEquals(31, a.ids().stream().distinct().count());
        int[] counts = im.classCounts();
        EqntkException e = assertThrows(EqntkException.class,
                () -> Preprocess.balancedSubset(im, counts[1] * 3 + 3, 1));
        assertTrue(e.getMessage().contains("'c1'"), e.getMessage());
    }

    @Test
    void subsetAndNdArray() {
        Images im = random(5, 2, 3, 2, 2, 3);
        Images s = im.subset(new int[]{4, 1});
        assertEquals(List.of("img4", "img1"), s.ids());
        assertEquals(im.get(4, 1, 2, 1), s.get(0, 1, 2, 1));
        assertArrayEquals(new int[]{5, 2, 3, 2}, im.toNdArray().shape());
        assertArrayEquals(im.data(), im.toNdArray().data());
    }

    @Test
    void splitsCarvingIsStratifiedAndDisjoint() {
        int[] labels = new int[100];
        int[] idx = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i < 60 ? 0 : 1;
            idx[i] = i;
        }
        int[][] parts = Splits.carve(idx, labels, 2, new double[]{0.15, 0.15}, 7);
        assertEquals(15, parts[0].length);
        assertEquals(15, parts[1].length);
        assertEquals(70, parts[2].length);
        long zeros = Arrays.stream(parts[0]).filter(i -> i < 60).count();
        assertEquals(9, zeros);
        assertEquals(100, Arrays.stream(parts).flatMapToInt(Arrays::stream).distinct().count());
    }
}
