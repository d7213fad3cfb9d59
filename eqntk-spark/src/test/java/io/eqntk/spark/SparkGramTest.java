package io.eqntk.spark;

import io.eqntk.arch.Architecture;
import io.eqntk.data.ColorMode;
import io.eqntk.data.Dataset;
import io.eqntk.data.Datasets;
import io.eqntk.data.Images;
import io.eqntk.data.LoadOptions;
import io.eqntk.io.Npy;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.store.BlockId;
import io.eqntk.store.KernelKey;
import io.eqntk.store.KernelStore;
import io.eqntk.store.StoreEntry;
import io.eqntk.store.StoreListener;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark job in local mode with two worker threads inside the test JVM ({@code local[2,4]}: two threads,
 * up to four attempts per task, so injected failures are retried as on a cluster).
 */
class SparkGramTest {
    static final String ARCH = "lift(C4, 3, SAME) relu gconv(3, SAME) relu gpool dense";
    static JavaSparkContext sc;
    static ImageBatch pcam;
    static KernelMatrices pcamGram;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        SparkConf conf = new SparkConf().setMaster("local[2,4]").setAppName("eqntk-spark-test")
            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1");
        sc = new JavaSparkContext(conf);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    static Path dataRoot() {
        String env = System.getenv("EQNTK_DATA");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) {
            return Path.of(env);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("data");
            if (Files.isRegularFile(c.resolve("README.md"))) {
                return c;
            }
        }
        return null;
    }

    /** 24 real PCam test patches, 8x8 RGB, and their Gram matrix from the single-machine engine. */
    static synchronized ImageBatch pcam() {
        if (pcam == null) {
            Path root = dataRoot();
            Assumptions.assumeTrue(root != null, "shared/data not found (set EQNTK_DATA)");
            Dataset d = Datasets.open("pcam", root,
                LoadOptions.defaults().withSize(8).withColorMode(ColorMode.RGB).withCaps(0, 0, 24));
            Images im = d.split("test");
            pcam = new ImageBatch(im.data(), im.count(), im.height(), im.width(), im.channels());
            pcamGram = new KernelEngine(Architecture.parse(ARCH), 2).gram(pcam, ProgressListener.NONE);
        }
        return pcam;
    }

    static void assertBitwise(KernelMatrices want, KernelMatrices got) {
        assertEquals(want.rows(), got.rows());
        assertEquals(want.cols(), got.cols());
        for (int i = 0; i < want.nngp().length; i++) {
            assertEquals(Double.doubleToRawLongBits(want.nngp()[i]), Double.doubleToRawLongBits(got.nngp()[i]), "nngp " + i);
            assertEquals(Double.doubleToRawLongBits(want.ntk()[i]), Double.doubleToRawLongBits(got.ntk()[i]), "ntk " + i);
        }
    }

    static final class Damage implements StoreListener {
        final List<String> damaged = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void damaged(BlockId block, Path file, String reason) {
            damaged.add(block.stem() + ": " + reason);
        }
    }

    @Test
    void pcamGramEqualsTheEngineBitForBit() {
        ImageBatch x = pcam();
        assertEquals(24, x.count());
        SparkGram.Result r = SparkGram.run(sc, ARCH, x, dir, new SparkGram.Options().blockSize(7), StoreListener.NONE);
        assertEquals(10, r.blocks()); // 4 x 4 grid, upper triangle
        assertEquals(10, r.computed());
        assertBitwise(pcamGram, r.entry().assemble());
        // the single-machine store finds every block and agrees
        KernelMatrices local = KernelStore.open(dir).gram(new KernelEngine(Architecture.parse(ARCH), 1), x, "",
            ProgressListener.NONE);
        assertBitwise(pcamGram, local);
        // a rerun has nothing to do
        assertEquals(0, SparkGram.run(sc, ARCH, x, dir, new SparkGram.Options(), StoreListener.NONE).tasks());
    }

    @Test
    void injectedFailuresAreRetriedAndChangeNothing() {
        ImageBatch x = pcam();
        SparkGram.Result r = SparkGram.run(sc, ARCH, x, dir,
            new SparkGram.Options().blockSize(8).failFirstAttemptOf(Set.of(1, 4)), StoreListener.NONE);
        assertEquals(6, r.computed());
        long retried = r.reports().stream().filter(t -> t.attempt() == 1).count();
        assertEquals(2, retried, r.reports().toString());
        assertBitwise(pcamGram, r.entry().assemble());
    }

    @Test
    void driverWritesGiveTheSameStore() throws IOException {
        ImageBatch x = pcam();
        Path images = dir.resolve("images.npy");
        Npy.write(images, new io.eqntk.io.NdArray(new int[] {x.count(), x.height(), x.width(), x.channels()}, x.data()));
        SparkGram.Result r = SparkGram.run(sc, ARCH, x, dir.resolve("store"),
            new SparkGram.Options().blockSize(10).driverWrites(true).sharedImages(images.toString()), StoreListener.NONE);
        assertEquals(6, r.computed());
        assertBitwise(pcamGram, r.entry().assemble());
    }

    /** Synthetic images: a kill after some blocks, a stray temporary file, then the job computes only the rest. */
    @Test
    void resumesAfterAKillAndRecomputesDamagedBlocks() throws IOException {
        ImageBatch x = io.eqntk.spark.TestImages.gaussian(17, 6, 6, 3, 7);
        KernelEngine engine = new KernelEngine(Architecture.parse(ARCH), 2);
        KernelMatrices want = engine.gram(x, ProgressListener.NONE);
        StoreEntry e = KernelStore.open(dir).withBlockSize(5).entry(KernelKey.gram(engine, x), "killed run");
        List<BlockId> all = e.blocks();
        assertEquals(10, all.size());
        for (int i : new int[] {0, 3, 7}) {
            e.ensure(engine, x, null, all.get(i), ProgressListener.NONE);
        }
        Files.writeString(e.dir().resolve("blocks").resolve(".r00000-c00001.0.npy.99.tmp"), "torn");
        SparkGram.Result r = SparkGram.run(sc, ARCH, x, dir, new SparkGram.Options(), StoreListener.NONE);
        assertEquals(7, r.tasks());
        assertEquals(7, r.computed());
        assertBitwise(want, r.entry().assemble());

        // damage: flipped bits in one block (caught by the tasks' checksum check), a truncated one (by size)
        List<Path> files;
        try (Stream<Path> s = Files.list(e.dir().resolve("blocks"))) {
            files = s.filter(p -> p.getFileName().toString().startsWith("r")).sorted().toList();
        }
        try (RandomAccessFile f = new RandomAccessFile(files.get(2).toFile(), "rw")) {
            f.seek(f.length() - 5);
            int b = f.read();
            f.seek(f.length() - 5);
            f.write(b ^ 0x01);
        }
        try (RandomAccessFile f = new RandomAccessFile(files.get(6).toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        Damage d = new Damage();
        SparkGram.Result v = SparkGram.run(sc, ARCH, x, dir, new SparkGram.Options().verify(true), d);
        assertEquals(10, v.tasks());
        assertEquals(2, v.computed(), v.reports().toString());
        assertEquals(2, d.damaged.size(), d.damaged.toString()); // found by the tasks, reported by the driver
        assertTrue(d.damaged.stream().anyMatch(m -> m.contains("wrong size")), d.damaged.toString());
        assertTrue(d.damaged.stream().anyMatch(m -> m.contains("checksum")), d.damaged.toString());

        // without verify the driver's size check catches a truncated block by itself
        try (RandomAccessFile f = new RandomAccessFile(files.get(6).toFile(), "rw")) {
            f.setLength(100);
        }
        Damage d2 = new Damage();
        SparkGram.Result q = SparkGram.run(sc, ARCH, x, dir, new SparkGram.Options(), d2);
        assertEquals(1, q.tasks());
        assertEquals(1, d2.damaged.size(), d2.damaged.toString());
        assertBitwise(want, q.entry().assemble());
        assertBitwise(want, v.entry().assemble());
    }
}
