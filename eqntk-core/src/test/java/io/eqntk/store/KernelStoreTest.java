package io.eqntk.store;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelStoreTest {
    static final String ARCH = "lift(C4, 3, SAME) relu gconv(3, SAME) relu gpool dense";

    @TempDir
    Path dir;

    /** Records events. */
    static final class Events implements StoreListener {
        final List<String> loaded = Collections.synchronizedList(new ArrayList<>());
        final List<String> computed = Collections.synchronizedList(new ArrayList<>());
        final List<String> damaged = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void loaded(BlockId b) {
            loaded.add(b.stem());
        }

        @Override
        public void computed(BlockId b, double seconds) {
            computed.add(b.stem());
        }

        final List<String> replaced = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void damaged(BlockId b, Path file, String reason) {
            damaged.add(b.stem() + ": " + reason);
        }

        @Override
        public void manifestReplaced(Path manifest, String reason) {
            replaced.add(reason);
        }
    }

    static void assertBitwise(KernelMatrices want, KernelMatrices got) {
        assertEquals(want.rows(), got.rows());
        assertEquals(want.cols(), got.cols());
        for (int i = 0; i < want.nngp().length; i++) {
            assertEquals(Double.doubleToRawLongBits(want.nngp()[i]), Double.doubleToRawLongBits(got.nngp()[i]), "nngp " + i);
            assertEquals(Double.doubleToRawLongBits(want.ntk()[i]), Double.doubleToRawLongBits(got.ntk()[i]), "ntk " + i);
        }
    }

    private static List<Path> blockFiles(StoreEntry e) throws IOException {
        try (Stream<Path> s = Files.list(e.dir().resolve("blocks"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("r")).sorted().toList();
        }
    }

    @Test
    void gramAndCrossEqualTheEngineAndAreReusedAcrossRuns() {
        KernelEngine engine = new KernelEngine(Architecture.parse(ARCH), 2);
        ImageBatch x = TestImages.gaussian(13, 5, 5, 2, 1);
        ImageBatch y = TestImages.gaussian(6, 5, 5, 2, 2);
        Events ev = new Events();
        KernelStore store = KernelStore.open(dir).withBlockSize(4).withListener(ev);
        KernelMatrices g = store.gram(engine, x, "test", ProgressListener.NONE);
        assertBitwise(engine.gram(x, ProgressListener.NONE), g);
        assertEquals(10, ev.computed.size()); // 4 x 4 block grid, upper triangle
        KernelMatrices c = store.cross(engine, y, x, "test", ProgressListener.NONE);
        assertBitwise(engine.cross(y, x, ProgressListener.NONE), c);
        assertEquals(10 + 8, ev.computed.size()); // 2 x 4 grid, all blocks

        Events ev2 = new Events();
        KernelStore again = KernelStore.open(dir).withBlockSize(7).withListener(ev2); // entries keep their block size
        assertBitwise(g, again.gram(new KernelEngine(Architecture.parse(ARCH), 1), x, "", ProgressListener.NONE));
        assertBitwise(c, again.cross(engine, y, x, "", ProgressListener.NONE));
        assertEquals(List.of(), ev2.computed);
        assertEquals(18, ev2.loaded.size());
        assertEquals(2, store.entries().size());
    }

    @Test
    void keyChangesWithImagesArchitectureAndKind() {
        KernelEngine e = new KernelEngine(Architecture.parse(ARCH), 1);
        ImageBatch x = TestImages.gaussian(3, 5, 5, 2, 1);
        double[] d = x.data().clone();
        d[7] = Math.nextUp(d[7]);
        ImageBatch x2 = new ImageBatch(d, 3, 5, 5, 2);
        KernelKey k = KernelKey.gram(e, x);
        assertEquals(k, KernelKey.gram(new KernelEngine(Architecture.parse(ARCH), 2), x));
        assertNotEquals(k.id(), KernelKey.gram(e, x2).id());
        assertNotEquals(k.id(), KernelKey.cross(e, x, x).id());
        assertNotEquals(k.id(), KernelKey.gram(new KernelEngine(Architecture.parse("conv(3) relu gap dense"), 1), x).id());
        assertTrue(k.id().startsWith("gram-"));
    }

    /** A killed run leaves whole blocks and temporary files; the rerun computes only the missing blocks. */
    @Test
    void resumesAfterAKill() throws IOException {
        KernelEngine engine = new KernelEngine(Architecture.parse(ARCH), 2);
        ImageBatch x = TestImages.gaussian(10, 5, 5, 2, 3);
        KernelStore store = KernelStore.open(dir).withBlockSize(3);
        StoreEntry e = store.entry(KernelKey.gram(engine, x), "partial");
        List<BlockId> all = e.blocks();
        assertEquals(10, all.size());
        // the "killed" run finished four blocks and was writing a fifth
        for (int i : new int[] {0, 2, 5, 9}) {
            e.ensure(engine, x, null, all.get(i), ProgressListener.NONE);
        }
        Files.writeString(e.dir().resolve("blocks").resolve(".r00001-c00001.123.npy.4567.tmp"), "half a block");
        assertEquals(6, e.missing(true).size());

        Events ev = new Events();
        KernelMatrices g = store.withListener(ev).gram(engine, x, "", ProgressListener.NONE);
        assertBitwise(engine.gram(x, ProgressListener.NONE), g);
        assertEquals(6, ev.computed.size());
        assertEquals(4, ev.loaded.size());
        assertTrue(ev.damaged.isEmpty());
        assertEquals(List.of(), e.missing(true));
        assertBitwise(g, e.assemble());
    }

    /** Flipped bits, a truncated file and a file of the wrong shape are each reported, never used, recomputed. */
    @Test
    void damagedBlocksAreRecomputed() throws IOException {
        KernelEngine engine = new KernelEngine(Architecture.parse(ARCH), 2);
        ImageBatch x = TestImages.gaussian(9, 5, 5, 2, 4);
        KernelStore store = KernelStore.open(dir).withBlockSize(4);
        KernelMatrices g = store.gram(engine, x, "", ProgressListener.NONE);
        StoreEntry e = store.entry(KernelKey.gram(engine, x), "");
        List<Path> files = blockFiles(e);
        assertEquals(6, files.size());
        // flip one byte of a value in block 0
        try (RandomAccessFile f = new RandomAccessFile(files.get(0).toFile(), "rw")) {
            f.seek(f.length() - 3);
            int b = f.read();
            f.seek(f.length() - 3);
            f.write(b ^ 0x10);
        }
        // truncate block 1
        try (RandomAccessFile f = new RandomAccessFile(files.get(1).toFile(), "rw")) {
            f.setLength(f.length() - 8);
        }
        // a well-formed file with a valid checksum name but the shape of another block, under block 2's name
        BlockId b2 = e.blocks().get(2);
        byte[] other = Files.readAllBytes(files.get(5));
        String sum = e.digest(b2, other);
        Files.delete(files.get(2));
        Files.write(e.dir().resolve("blocks").resolve(b2.stem() + "." + sum + ".npy"), other);

        Events ev = new Events();
        KernelMatrices again = store.withListener(ev).gram(engine, x, "", ProgressListener.NONE);
        assertBitwise(g, again);
        assertEquals(3, ev.damaged.size(), ev.damaged.toString());
        assertTrue(ev.damaged.stream().anyMatch(s -> s.contains("checksum")), ev.damaged.toString());
        assertTrue(ev.damaged.stream().anyMatch(s -> s.contains("wrong size")), ev.damaged.toString());
        assertEquals(3, ev.computed.size());
        assertEquals(6, blockFiles(e).size());
        assertEquals(List.of(), e.missing(true));

        // a file of the right size and a valid checksum name but another shape: caught when read
        BlockId b0 = e.blocks().get(0);
        KernelMatrices wrong = new KernelMatrices(2, 8, new double[16], new double[16]);
        Path f0 = blockFiles(e).get(0);
        Path tmp = dir.resolve("other");
        Files.createDirectories(tmp);
        StoreEntry scratch = KernelStore.open(tmp).withBlockSize(8).entry(KernelKey.cross(engine,
            StoreEntry.slice(x, 0, 2), x), "");
        byte[] bytes = Files.readAllBytes(scratch.write(scratch.block(0, 0), wrong));
        Files.delete(f0);
        String s2 = e.digest(b0, bytes);
        Files.write(e.dir().resolve("blocks").resolve(b0.stem() + "." + s2 + ".npy"), bytes);
        Events ev3 = new Events();
        assertBitwise(g, store.withListener(ev3).gram(engine, x, "", ProgressListener.NONE));
        assertEquals(1, ev3.damaged.size());
        assertTrue(ev3.damaged.get(0).contains("shape [2, 2, 8]"), ev3.damaged.toString());
        assertEquals(List.of(b0.stem()), ev3.computed);
    }

    @Test
    void manifestDescribesTheEntry() throws IOException {
        KernelEngine engine = new KernelEngine(Architecture.parse(ARCH), 1);
        ImageBatch x = TestImages.gaussian(5, 5, 5, 2, 5);
        KernelStore store = KernelStore.open(dir).withBlockSize(2);
        StoreEntry e = store.entry(KernelKey.gram(engine, x), "five \"gaussian\" images");
        Map<String, String> m = FlatJson.read(Files.readString(e.dir().resolve("manifest.json")));
        assertEquals(e.key().id(), m.get("keyId"));
        assertEquals(e.dir().getFileName().toString(), m.get("keyId"));
        assertEquals("2", m.get("blockSize"));
        assertEquals("3x3", m.get("blockGrid"));
        assertEquals("gram", m.get("kind"));
        assertEquals(Architecture.parse(ARCH).spec(), m.get("architecture"));
        assertEquals("float64", m.get("precision"));
        assertEquals("five \"gaussian\" images", m.get("label"));
        assertFalse(KernelKey.eqntkVersion().isBlank());
        // a store written by code that rounds differently is never served: the numerics revision is in every key
        assertTrue(m.get("eqntkVersion").endsWith("+numerics." + io.eqntk.kernel.KernelEngine.NUMERICS_REVISION), m.get("eqntkVersion"));
        assertThrows(io.eqntk.EqntkException.class, () -> e.assemble());
    }

    private static void editManifest(StoreEntry e, String from, String to) throws IOException {
        Path m = e.dir().resolve("manifest.json");
        String text = Files.readString(m);
        assertTrue(text.contains(from), text);
        Files.writeString(m, text.replace(from, to));
    }

    /**
     * A manifest edited to another block size: the old blocks do not belong to the new layout (their ranges
     * and digests say where they were computed), so none is used and the matrix is right, corner included.
     */
    @Test
    void manifestWithAnEditedBlockSizeNeverYieldsAWrongMatrix() throws IOException {
        KernelEngine engine = new KernelEngine(Architecture.parse("conv(3) relu gap dense"), 1);
        ImageBatch x = TestImages.gaussian(10, 4, 4, 1, 7);
        KernelMatrices want = engine.gram(x, ProgressListener.NONE);
        KernelStore store = KernelStore.open(dir).withBlockSize(2);
        assertBitwise(want, store.gram(engine, x, "", ProgressListener.NONE));
        StoreEntry e = store.entry(KernelKey.gram(engine, x), "");
        editManifest(e, "\"blockSize\": 2", "\"blockSize\": 4");
        Events ev = new Events();
        assertBitwise(want, store.withListener(ev).gram(engine, x, "", ProgressListener.NONE));
        assertEquals(6, ev.computed.size(), ev.computed.toString()); // the 3 x 3 grid of the new size, fresh
        assertEquals(List.of(), ev.loaded);
        // and back: the blocks of size 2 are found again, each at its own place; only the corner, whose range
        // both sizes share and which the size-4 run replaced, is recomputed (its digest records size 4)
        editManifest(e, "\"blockSize\": 4", "\"blockSize\": 2");
        Events ev2 = new Events();
        assertBitwise(want, store.withListener(ev2).gram(engine, x, "", ProgressListener.NONE));
        assertEquals(List.of(e.block(4, 4).stem()), ev2.computed);
        assertEquals(14, ev2.loaded.size());
    }

    /** A block file copied under the name of another block of the same shape fails its digest. */
    @Test
    void aBlockMovedToAnotherPlaceIsNeverUsed() throws IOException {
        KernelEngine engine = new KernelEngine(Architecture.parse("conv(3) relu gap dense"), 1);
        ImageBatch x = TestImages.gaussian(6, 4, 4, 1, 8);
        KernelStore store = KernelStore.open(dir).withBlockSize(3);
        KernelMatrices want = store.gram(engine, x, "", ProgressListener.NONE);
        StoreEntry e = store.entry(KernelKey.gram(engine, x), "");
        List<Path> files = blockFiles(e);
        assertEquals(3, files.size());
        Path first = files.get(0);
        String digest = first.getFileName().toString().split("\\.")[2];
        Path corner = files.get(2);
        assertTrue(corner.getFileName().toString().startsWith(e.block(1, 1).stem()), corner.toString());
        Files.delete(corner);
        Files.copy(first, e.dir().resolve("blocks").resolve(e.block(1, 1).stem() + "." + digest + ".npy"));
        Events ev = new Events();
        assertBitwise(want, store.withListener(ev).gram(engine, x, "", ProgressListener.NONE));
        assertEquals(1, ev.damaged.size(), ev.damaged.toString());
        assertTrue(ev.damaged.get(0).contains("checksum"), ev.damaged.toString());
        assertEquals(List.of(e.block(1, 1).stem()), ev.computed);
    }

    /** Garbage, an older format or another key in the manifest: reported, replaced, and the results stay right. */
    @Test
    void anUnusableManifestIsReplacedAndReported() throws IOException {
        KernelEngine engine = new KernelEngine(Architecture.parse("conv(3) relu gap dense"), 1);
        ImageBatch x = TestImages.gaussian(5, 4, 4, 1, 9);
        KernelMatrices want = engine.gram(x, ProgressListener.NONE);
        KernelStore store = KernelStore.open(dir).withBlockSize(2);
        store.gram(engine, x, "", ProgressListener.NONE);
        StoreEntry e = store.entry(KernelKey.gram(engine, x), "");
        Path manifest = e.dir().resolve("manifest.json");
        String good = Files.readString(manifest);
        String[][] cases = {
            {"{ this is not json", "not an eqntk store manifest"},
            {good.replace("\"formatVersion\": 2", "\"formatVersion\": 1"), "format version 1"},
            {good.replace("\"keyId\": \"" + e.key().id(), "\"keyId\": \"gram-0"), "records the key gram-0"},
            {good.replace("\"blockSize\": 2", "\"blockSize\": -3"), "no valid block size"},
        };
        for (String[] c : cases) {
            Files.writeString(manifest, c[0]);
            Events ev = new Events();
            assertBitwise(want, store.withListener(ev).gram(engine, x, "", ProgressListener.NONE));
            assertEquals(1, ev.replaced.size(), c[1]);
            assertTrue(ev.replaced.get(0).contains(c[1]), ev.replaced.toString());
            assertEquals(List.of(), ev.computed, c[1]); // the blocks were bound to their place: all reused
            assertEquals(StoreEntry.contradiction(FlatJson.read(Files.readString(manifest)), e.key()), null);
        }
    }

    /** A kernel that overflows is an error naming the layer, and no block of it is stored. */
    @Test
    void aNonFiniteBlockIsNeverStored() throws IOException {
        KernelEngine engine = new KernelEngine(Architecture.parse("conv(3) relu conv(3, w=1e160) relu gap dense"), 1);
        ImageBatch x = TestImages.gaussian(4, 4, 4, 1, 10);
        KernelStore store = KernelStore.open(dir).withBlockSize(2);
        io.eqntk.EqntkException ex = assertThrows(io.eqntk.EqntkException.class,
            () -> store.gram(engine, x, "", ProgressListener.NONE));
        assertTrue(ex.getMessage().contains("is first infinite after layer 3 'conv(3, SAME, w="), ex.getMessage());
        StoreEntry e = store.entry(KernelKey.gram(engine, x), "");
        assertTrue(!Files.isDirectory(e.dir().resolve("blocks")) || blockFiles(e).isEmpty());
    }

    /** Deep architectures make long manifest values: they are read back without a deep regex recursion. */
    @Test
    void longManifestValuesRoundTrip() {
        String spec = Architecture.parse("[conv(3, w=0.1) relu]*499 gap dense").spec();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("architecture", spec);
        m.put("label", "a \"quoted\" \\ label");
        m.put("rows", 7);
        Map<String, String> back = FlatJson.read(FlatJson.write(m));
        assertEquals(spec, back.get("architecture"));
        assertEquals("a \"quoted\" \\ label", back.get("label"));
        assertEquals("7", back.get("rows"));
    }
}
