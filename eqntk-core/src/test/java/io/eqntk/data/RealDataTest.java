package io.eqntk.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Loaders on the real files of shared/data; counts as documented in its README. */
class RealDataTest {
    private static final LoadOptions SMALL = LoadOptions.defaults().withSize(8);

    @Test
    void pcamFullCountsWithoutDecoding() {
        ImageFolderLoader.Listing l = ImageFolderLoader.scan(TestData.root().resolve("pcam/data"));
        assertEquals(List.of("0", "1"), l.classNames());
        assertArrayEquals(new int[]{2500, 2500}, l.classCounts(Dataset.TRAIN));
        assertArrayEquals(new int[]{500, 500}, l.classCounts(Dataset.VALID));
        assertArrayEquals(new int[]{1000, 1000}, l.classCounts(Dataset.TEST));
    }

    @Test
    void pcamCappedLoad() {
        Dataset d = Datasets.open("pcam", TestData.root(), SMALL.withCaps(200, 100, 100));
        assertEquals(200, d.train().count());
        assertArrayEquals(new int[]{100, 100}, d.train().classCounts());
        assertArrayEquals(new int[]{50, 50}, d.valid().classCounts());
        assertEquals(8, d.train().height());
        assertEquals(3, d.train().channels());
        double[] px = d.train().data();
        for (double v : px) {
            assertTrue(v >= 0 && v <= 1);
        }
        assertTrue(d.train().ids().get(0).endsWith(".jpg"));
    }

    @Test
    void pcamFullTrainLoadsQuickly() {
        long t0 = System.nanoTime();
        Dataset d = Datasets.open("pcam", TestData.root(), LoadOptions.defaults().withSize(16).withCaps(0, 10, 10));
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals(5000, d.train().count());
        assertArrayEquals(new int[]{2500, 2500}, d.train().classCounts());
        assertTrue(s < 30, "loading 5000 PCam JPEGs took " + s + " s");
    }

    @Test
    void pcam1000() {
        Dataset d = Datasets.open("pcam-1000", TestData.root(), SMALL);
        assertArrayEquals(new int[]{289, 311}, d.train().classCounts());
        assertArrayEquals(new int[]{97, 103}, d.valid().classCounts());
        assertArrayEquals(new int[]{97, 103}, d.test().classCounts());
        // the official pcam-1000 splits hold a few byte-identical PNGs (for example 79.png and 841.png): noted, not fatal
        assertTrue(d.notes().stream().anyMatch(n -> n.contains("byte-identical")), d.notes().toString());
    }

    @Test
    void breastAndPneumoniaMnist() {
        Dataset b = Datasets.open("breastmnist", TestData.root(), LoadOptions.defaults());
        assertEquals(546, b.train().count());
        assertEquals(78, b.valid().count());
        assertEquals(156, b.test().count());
        assertArrayEquals(new int[]{147, 399}, b.train().classCounts());
        assertEquals(28, b.train().height());
        assertEquals(1, b.train().channels());
        assertEquals("breastmnist.npz:train[17]", b.train().ids().get(17));
        Dataset p = Datasets.open("pneumoniamnist", TestData.root(), LoadOptions.defaults()
                .withColorMode(ColorMode.RGB).withSize(14));
        assertEquals(4708, p.train().count());
        assertEquals(524, p.valid().count());
        assertEquals(624, p.test().count());
        assertEquals(3, p.test().channels());
        assertEquals(14, p.test().width());
    }

    @Test
    void mnistHeadersAndCappedLoad() {
        Path dir = TestData.root().resolve("mnist");
        List<Path> f = IdxLoader.files(dir);
        assertArrayEquals(new int[]{60000, 28, 28}, IdxLoader.readHeader(f.get(0)));
        assertArrayEquals(new int[]{60000}, IdxLoader.readHeader(f.get(1)));
        assertArrayEquals(new int[]{10000, 28, 28}, IdxLoader.readHeader(f.get(2)));
        assertArrayEquals(new int[]{10000}, IdxLoader.readHeader(f.get(3)));
        Dataset d = Datasets.open("mnist", TestData.root(), LoadOptions.defaults().withCaps(1000, 200, 500));
        assertEquals(1000, d.train().count());
        assertEquals(200, d.valid().count());
        assertEquals(500, d.test().count());
        assertEquals(10, d.classNames().size());
        assertEquals(1, d.train().channels());
        assertFalse(d.notes().isEmpty()); // valid carved from train
    }

    @Test
    void idcBreastAndCifarCarveValidation() {
        ImageFolderLoader.Listing l = ImageFolderLoader.scan(TestData.root().resolve("idc-breast"));
        assertArrayEquals(new int[]{600, 600}, l.classCounts(Dataset.TRAIN));
        assertArrayEquals(new int[]{400, 400}, l.classCounts(Dataset.TEST));
        assertFalse(l.hasSplit(Dataset.VALID));
        Dataset d = Datasets.open("idc-breast", TestData.root(), LoadOptions.defaults());
        assertEquals(1200 - 180, d.train().count());
        assertArrayEquals(new int[]{90, 90}, d.valid().classCounts());
        assertEquals(800, d.test().count());
        assertEquals(50, d.train().width());
        Dataset c = Datasets.open("cifar10", TestData.root(), LoadOptions.defaults().withCaps(100, 50, 50));
        assertEquals(10, c.classNames().size());
        assertEquals("airplane", c.classNames().get(0));
        assertEquals(32, c.train().height());
        assertEquals(100, c.train().count());
    }

    @Test
    void mednistCarvesAllSplits() {
        Dataset d = Datasets.open("mednist", TestData.root(), LoadOptions.defaults().withSize(16).withSeed(3));
        assertEquals(6, d.classNames().size());
        assertEquals(1200, d.train().count() + d.valid().count() + d.test().count());
        assertArrayEquals(new int[]{30, 30, 30, 30, 30, 30}, d.test().classCounts());
        assertArrayEquals(new int[]{140, 140, 140, 140, 140, 140}, d.train().classCounts());
        assertEquals(1, d.train().channels());
        Dataset again = Datasets.open("mednist", TestData.root(), LoadOptions.defaults().withSize(16).withSeed(3));
        assertEquals(d.test().ids(), again.test().ids());
    }

    @Test
    void colorectalNctLayoutByPath() {
        Path p = TestData.root().resolve("colorectal-samples/YassirCher+pathmnist-xai-classification/static/images");
        Dataset d = Datasets.open(p.toString(), TestData.root(), LoadOptions.defaults().withSize(8));
        assertEquals(List.of("ADI", "BACK", "DEB", "LYM", "MUC", "MUS", "NORM", "STR", "TUM"), d.classNames());
        assertEquals(45, d.train().count() + d.valid().count() + d.test().count());
    }

    @Test
    void tiffTilesDecode() {
        Path dir = TestData.root().resolve("colorectal-samples/iitmstudent-2021+colorectal-histology-classifier_computer_vision/Sample_Data");
        ImageDecoder.Decoded d = ImageDecoder.decode(dir.resolve("ADI-AAQEFMRI.tif"), LoadOptions.defaults());
        assertEquals(224, d.h());
        assertEquals(224, d.w());
        assertEquals(3, d.c());
    }

    @Test
    void defaultDataRootIsFound() {
        TestData.root();
        assertTrue(java.nio.file.Files.isRegularFile(Datasets.defaultDataRoot().resolve("README.md")));
    }
}
