package io.eqntk.data;

import io.eqntk.EqntkException;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Deliberately broken inputs: each must fail with an EqntkException that names the offending file. */
class BrokenInputTest {
    @TempDir
    Path tmp;

    private static void png(Path file, int w, int h, int gray) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (gray + x * 7 + y * 3) & 0xff;
                img.setRGB(x, y, (v << 16) | (v << 8) | (255 - v));
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    /** root/train/{a,b}, root/test/{a,b} with two 4x4 images each. */
    private Path splitFolder() throws IOException {
        Path root = tmp.resolve("ds");
        int k = 0;
        for (String s : new String[]{"train", "test"}) {
            for (String c : new String[]{"a", "b"}) {
                for (int i = 0; i < 2; i++) {
                    png(root.resolve(s).resolve(c).resolve(c + i + ".png"), 4, 4, 10 * k++);
                }
            }
        }
        return root;
    }

    private static void assertNames(EqntkException e, String fragment) {
        assertTrue(e.getMessage().contains(fragment), "message should name " + fragment + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one-line message expected: " + e.getMessage());
    }

    private EqntkException load(Path p) {
        return assertThrows(EqntkException.class, () -> Datasets.open(p.toString(), tmp, LoadOptions.defaults()));
    }

    @Test
    void validFolderLoads() throws IOException {
        Dataset d = Datasets.open(splitFolder().toString(), tmp, LoadOptions.defaults());
        assertEquals(4, d.test().count());
        assertEquals(4, d.train().count() + d.valid().count());
        assertEquals(3, d.train().channels());
    }

    @Test
    void corruptPng() throws IOException {
        Path root = splitFolder();
        Path bad = root.resolve("train/a/a1.png");
        byte[] b = Files.readAllBytes(bad);
        Files.write(bad, Arrays.copyOf(b, 30));
        assertNames(load(root), "a1.png");
        Files.writeString(bad, "definitely not an image");
        assertNames(load(root), "a1.png");
    }

    /** Rewrites a PNG's header to claim w x h pixels (the pixel data stay those of the small original). */
    private static void claimSize(Path file, int w, int h) throws IOException {
        byte[] b = Files.readAllBytes(file);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        buf.putInt(16, w).putInt(20, h); // IHDR data starts after the signature (8), length (4) and type (4)
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 12, 17); // the chunk type and its 13 data bytes
        buf.putInt(29, (int) crc.getValue());
        Files.write(file, b);
    }

    @Test
    void oversizedImagesAreRefusedFromTheirHeaders() throws IOException {
        Path root = splitFolder();
        Path big = root.resolve("train/a/a1.png");
        png(big, 1100, 4, 0);
        // native size: the kernels' limit per side, said before anything is decoded
        assertNames(load(root), "a1.png is 1100x4, above the limit of 1024 per side at native size");
        Dataset d = Datasets.open(root.toString(), tmp, LoadOptions.defaults().withSize(4));
        assertEquals(4, d.train().height());
        // a tiny file that claims 40000 x 40000 pixels fails at once, even with a resize requested
        claimSize(big, 40000, 40000);
        long t0 = System.nanoTime();
        EqntkException e = assertThrows(EqntkException.class,
                () -> Datasets.open(root.toString(), tmp, LoadOptions.defaults().withSize(4)));
        assertNames(e, "a1.png is 40000x40000 = 1600000000 pixels, above the decoding limit");
        assertTrue(System.nanoTime() - t0 < 2e9, "refused from the header, not after decoding");
    }

    @Test
    void mixedSizesWithoutResize() throws IOException {
        Path root = splitFolder();
        png(root.resolve("test/b/b9.png"), 5, 4, 0);
        assertNames(load(root), "b9.png");
        // with a resize requested it loads
        Dataset d = Datasets.open(root.toString(), tmp, LoadOptions.defaults().withSize(3));
        assertEquals(5, d.test().count());
    }

    @Test
    void emptyClassFolder() throws IOException {
        Path root = splitFolder();
        Files.createDirectories(root.resolve("train/c"));
        assertNames(load(root), Path.of("train", "c").toString());
    }

    @Test
    void classMissingFromTrain() throws IOException {
        Path root = splitFolder();
        png(root.resolve("test/zebra/z.png"), 4, 4, 0);
        assertNames(load(root), "zebra");
    }

    @Test
    void nonImageFileInClassFolder() throws IOException {
        Path root = splitFolder();
        Files.writeString(root.resolve("train/a/notes.txt"), "x");
        assertNames(load(root), "notes.txt");
    }

    private Path csvDataset() throws IOException {
        Path root = tmp.resolve("csvds");
        for (int i = 0; i < 12; i++) {
            png(root.resolve("imgs/" + i + ".png"), 4, 4, i * 20);
        }
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/train_labels.csv"),
                "filename,label\nimgs/0.png,cat\nimgs/1.png,dog\nimgs/2.png,cat\nimgs/3.png,dog\nimgs/4.png,cat\nimgs/5.png,dog\n");
        Files.writeString(root.resolve("data/validation_labels.csv"), "filename,label\nimgs/6.png,cat\nimgs/7.png,dog\n");
        Files.writeString(root.resolve("data/test_labels.csv"),
                "filename,label\nimgs/8.png,cat\nimgs/9.png,dog\nimgs/10.png,dog\n");
        return root;
    }

    @Test
    void csvWithStringLabelsLoads() throws IOException {
        Dataset d = Datasets.open(csvDataset().toString(), tmp, LoadOptions.defaults().withColorMode(ColorMode.GRAYSCALE));
        assertEquals(java.util.List.of("cat", "dog"), d.classNames());
        assertArrayEquals(new int[]{3, 3}, d.train().classCounts());
        assertArrayEquals(new int[]{1, 2}, d.test().classCounts());
        assertEquals(1, d.train().channels());
    }

    @Test
    void csvUnknownLabel() throws IOException {
        Path root = csvDataset();
        Files.writeString(root.resolve("data/test_labels.csv"), "filename,label\nimgs/8.png,cat\nimgs/9.png,bird\n");
        EqntkException e = load(root);
        assertNames(e, "test_labels.csv");
        assertNames(e, "bird");
    }

    @Test
    void csvMissingFile() throws IOException {
        Path root = csvDataset();
        Files.writeString(root.resolve("data/validation_labels.csv"), "filename,label\nimgs/6.png,cat\nimgs/77.png,dog\n");
        EqntkException e = load(root);
        assertNames(e, "77.png");
        assertNames(e, "validation_labels.csv");
    }

    @Test
    void csvOverlappingSplits() throws IOException {
        Path root = csvDataset();
        Files.writeString(root.resolve("data/test_labels.csv"), "filename,label\nimgs/8.png,cat\nimgs/3.png,dog\n");
        assertNames(load(root), "3.png");
    }

    @Test
    void folderOverlappingSplitsViaSingleCsv() throws IOException {
        Path root = csvDataset();
        Path single = root.resolve("all.csv");
        Files.writeString(single, "filename,label\n" + "imgs/0.png,0\nimgs/1.png,1\nimgs/2.png,0\nimgs/3.png,1\n"
                + "imgs/4.png,0\nimgs/5.png,1\nimgs/6.png,0\nimgs/7.png,1\nimgs/8.png,0\nimgs/9.png,1\n"
                + "imgs/10.png,0\nimgs/11.png,1\nimgs/11.png,1\n");
        // the same file twice in one CSV may be carved into two splits: always an error naming it
        EqntkException e = assertThrows(EqntkException.class,
                () -> Datasets.open(single.toString(), tmp, LoadOptions.defaults().withSeed(1)));
        assertNames(e, "11.png");
    }

    @Test
    void singleCsvCarvesSplits() throws IOException {
        Path root = csvDataset();
        Path single = root.resolve("all.csv");
        StringBuilder sb = new StringBuilder("filename,label\n");
        for (int i = 0; i < 12; i++) {
            sb.append("imgs/").append(i).append(".png,").append(i % 2 == 0 ? 10 : 2).append('\n');
        }
        Files.writeString(single, sb.toString());
        Dataset d = Datasets.open(single.toString(), tmp, LoadOptions.defaults());
        assertEquals(java.util.List.of("2", "10"), d.classNames()); // integer labels sort numerically
        assertEquals(12, d.train().count() + d.valid().count() + d.test().count());
        assertEquals(2, d.test().count());
    }

    @Test
    void truncatedAndMislabelledNpz() {
        Map<String, NdArray> m = new LinkedHashMap<>();
        for (String s : new String[]{"train", "val", "test"}) {
            m.put(s + "_images", NdArray.zeros(4, 3, 3));
            m.put(s + "_labels", new NdArray(new int[]{4, 1}, new double[]{0, 1, 0, 1}));
        }
        Path ok = tmp.resolve("ok.npz");
        Npz.write(ok, m);
        assertEquals(4, Datasets.open(ok.toString(), tmp, LoadOptions.defaults()).test().count());

        m.put("val_labels", new NdArray(new int[]{3, 1}, new double[]{0, 1, 0}));
        Path mism = tmp.resolve("mismatch.npz");
        Npz.write(mism, m);
        assertNames(load(mism), "mismatch.npz");

        m.remove("test_images");
        Path missing = tmp.resolve("missing.npz");
        Npz.write(missing, m);
        EqntkException e = load(missing);
        assertNames(e, "missing.npz");
        assertNames(e, "test_images");
    }

    @Test
    void truncatedIdx() throws IOException {
        Path dir = tmp.resolve("idx");
        Files.createDirectories(dir);
        byte[] img = new byte[16 + 2 * 4];
        img[2] = 8;
        img[3] = 3;
        img[7] = 3; // 3 images declared, 2 present
        img[11] = 2;
        img[15] = 2;
        try (var out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte.gz")))) {
            out.write(img);
        }
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[]{0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 0});
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), img);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[]{0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 0});
        assertNames(load(dir), "train-images-idx3-ubyte.gz");
    }

    @Test
    void unknownNameListsKnownNames() {
        EqntkException e = assertThrows(EqntkException.class,
                () -> Datasets.open("no-such-dataset", tmp, LoadOptions.defaults()));
        assertNames(e, "no-such-dataset");
        assertNames(e, "pcam-1000");
        assertNames(e, "breastmnist");
    }

    @Test
    void knownNameWithMissingFolder() {
        EqntkException e = assertThrows(EqntkException.class,
                () -> Datasets.open("mnist", tmp.resolve("empty-root"), LoadOptions.defaults()));
        assertNames(e, "mnist");
    }
}
