package io.eqntk.spark;

import io.eqntk.arch.Architecture;
import io.eqntk.data.ColorMode;
import io.eqntk.data.ImageSource;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npz;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.store.KernelKey;
import io.eqntk.store.KernelStore;
import io.eqntk.store.StoreEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shaded job jar on a real Spark standalone cluster: a master and two one-core workers, each its own JVM
 * on 127.0.0.1 ({@link LocalCluster}), the job submitted through {@code org.apache.spark.deploy.SparkSubmit}
 * in driver JVMs of their own, executors started by the workers from the Spark jars alone (the job's classes
 * come from the submitted jar). Real PCam test patches at 8x8; every result is compared bit for bit with
 * {@code engine.gram} in this JVM. Runs in the {@code cluster} surefire execution ({@code mvn -B verify}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    static final String ARCH = "lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense";
    static final long SUBMIT_TIMEOUT_S = 300;
    static final Pattern SUMMARY = Pattern.compile("(\\d+) blocks, (\\d+) tasks, (\\d+) computed, (\\d+) retried");
    static final Pattern BLOCK = Pattern.compile("(r\\d{6,}-\\d{6,}\\.c\\d{6,}-\\d{6,})\\.([0-9a-f]{64})\\.npy");

    static Path dir;
    static Path data;
    static LocalCluster cluster;
    static ServerSocket taken;
    static final Set<ProcessHandle> seen = new HashSet<>();
    static int drivers;
    static final Map<Integer, ImageBatch> IMAGES = new HashMap<>();
    static final Map<Integer, KernelMatrices> GRAMS = new HashMap<>();
    static volatile boolean failed;

    @RegisterExtension
    static final TestWatcher WATCH = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
        }
    };

    @BeforeAll
    static void start() throws IOException {
        data = SparkGramTest.dataRoot();
        Assumptions.assumeTrue(data != null, "shared/data not found (set EQNTK_DATA)");
        String classpath = System.getProperty("eqntk.spark.classpath");
        assertTrue(classpath != null && System.getProperty("eqntk.spark.jobJar") != null,
            "run in the cluster execution of eqntk-spark/pom.xml (mvn verify), which sets the class path and job jar");
        dir = Files.createTempDirectory("eqntk-cluster-it-");
        // a port in use: the master must move to a free one
        taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        cluster = LocalCluster.start(dir, LocalCluster.readClasspath(Path.of(classpath)),
            2, 1, "1g", taken.getLocalPort());
        assertNotEquals(taken.getLocalPort(), cluster.masterPort());
        seen.addAll(cluster.processes());
        assertEquals(3, cluster.processes().size(), "master and two workers");
    }

    @AfterAll
    static void stop() throws IOException {
        if (cluster == null) {
            return;
        }
        List<Integer> ports = cluster.ports();
        cluster.close();
        taken.close();
        List<ProcessHandle> left = new ArrayList<>(cluster.processes());
        seen.stream().filter(ProcessHandle::isAlive).forEach(left::add);
        assertTrue(left.isEmpty(), "processes left behind: " + left);
        for (int port : ports) {
            assertFalse(LocalCluster.inUse(port), "port " + port + " still in use");
        }
        if (failed) {
            System.err.println("StandaloneClusterIT: logs kept in " + cluster.logs());
        } else {
            LocalCluster.deleteTree(dir);
        }
    }

    /** 24 or 48 real PCam validation patches at 8x8 RGB, read exactly as the job reads them, and their Gram matrix. */
    static synchronized ImageBatch patches(int n) {
        return IMAGES.computeIfAbsent(n, k -> ImageBatch.of(ImageSource.read("--x", "pcam", "valid", k, 8, ColorMode.RGB, 0)));
    }

    static synchronized KernelMatrices gram(int n) {
        return GRAMS.computeIfAbsent(n, k -> new KernelEngine(Architecture.parse(ARCH), 2).gram(patches(k),
            ProgressListener.NONE));
    }

    static List<String> imageArgs(int n) {
        return List.of("--arch", ARCH, "--x", "pcam", "--split", "valid", "--limit", String.valueOf(n),
            "--image-size", "8", "--color", "rgb");
    }

    static List<String> args(int n, Path store, int block, String... more) {
        List<String> a = new ArrayList<>(imageArgs(n));
        a.addAll(List.of("--store", store.toString(), "--block-size", String.valueOf(block)));
        a.addAll(List.of(more));
        return a;
    }

    record Run(int exit, String out, String err, double seconds) {
        Matcher summary() {
            Matcher m = SUMMARY.matcher(out);
            assertTrue(m.find(), "no summary line in\n" + out + "\n" + err);
            return m;
        }

        int field(int group) {
            return Integer.parseInt(summary().group(group));
        }

        List<String> errorLines() {
            return err.lines().filter(l -> l.startsWith("eqntk-spark: error:")).toList();
        }
    }

    record Driver(Process process, Path out, Path err, long t0) {
    }

    /** Starts a driver JVM that submits the job jar with {@code jobArgs}. */
    static Driver launch(List<String> jobArgs) {
        int n = ++drivers;
        ProcessBuilder pb = cluster.submit(List.of("--class", SparkGramJob.class.getName(), "--executor-memory", "512m",
                "--executor-cores", "1", "--total-executor-cores", "2", "--conf", "spark.task.maxFailures=4"),
            Path.of(System.getProperty("eqntk.spark.jobJar")), jobArgs, true);
        pb.environment().put("EQNTK_DATA", data.toString());
        Path out = cluster.logs().resolve("driver-" + n + ".out");
        Path err = cluster.logs().resolve("driver-" + n + ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new Driver(cluster.startDriver(pb), out, err, System.nanoTime());
    }

    /**
     * Waits for a driver; {@code during} (may be null) is polled every 100 ms while it runs and returns true
     * once it has acted. A driver that runs past the timeout fails the test (a hang).
     */
    static Run await(Driver d, Predicate<Process> during) throws Exception {
        Process p = d.process();
        boolean acted = during == null;
        long deadline = d.t0() + TimeUnit.SECONDS.toNanos(SUBMIT_TIMEOUT_S);
        while (p.isAlive() && System.nanoTime() < deadline) {
            seen.addAll(cluster.processes());
            if (!acted) {
                acted = during.test(p);
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        if (p.isAlive()) {
            p.destroyForcibly().waitFor();
            fail("the driver ran past " + SUBMIT_TIMEOUT_S + " s; see " + d.err());
        }
        return new Run(p.exitValue(), Files.readString(d.out()), Files.readString(d.err()),
            (System.nanoTime() - d.t0()) / 1e9);
    }

    static Run submit(List<String> jobArgs, Predicate<Process> during) throws Exception {
        return await(launch(jobArgs), during);
    }

    static KernelMatrices fromNpz(Path npz) {
        Map<String, NdArray> m = Npz.read(npz);
        int n = m.get("nngp").shape()[0];
        return new KernelMatrices(n, n, m.get("nngp").data(), m.get("ntk").data());
    }

    /** The block files of the only entry of a store, by block stem; fails on a stem with two files. */
    static Map<String, String> blockFiles(Path store) throws IOException {
        Map<String, String> byStem = new HashMap<>();
        List<Path> entries;
        try (Stream<Path> s = Files.list(store)) {
            entries = s.filter(Files::isDirectory).toList();
        }
        assertEquals(1, entries.size(), entries.toString());
        Path blocks = entries.get(0).resolve("blocks");
        if (!Files.isDirectory(blocks)) {
            return byStem;
        }
        try (Stream<Path> s = Files.list(blocks)) {
            for (Path f : s.toList()) {
                Matcher m = BLOCK.matcher(f.getFileName().toString());
                if (m.matches()) {
                    String stem = m.group(1);
                    String before = byStem.put(stem, f.getFileName().toString());
                    assertTrue(before == null, "two files for block " + stem + ": " + before + ", " + f.getFileName());
                }
            }
        }
        return byStem;
    }

    /** Every block of the store's entry is present once and passes its checksum and shape check. */
    static StoreEntry assertCompleteAndIntact(Path store, ImageBatch x, int block) throws IOException {
        Map<String, String> files = blockFiles(store);
        StoreEntry e = KernelStore.open(store).withBlockSize(block)
            .entry(KernelKey.gram(new KernelEngine(Architecture.parse(ARCH), 1), x), "");
        assertEquals(e.blocks().size(), files.size(), files.toString());
        assertEquals(List.of(), e.missing(true), "blocks missing or damaged");
        return e;
    }

    /** The executor folders of the workers (work/APP/N). */
    static Set<Path> executorDirs() throws IOException {
        try (Stream<Path> s = Files.list(cluster.dir().resolve("work"))) {
            Set<Path> out = new HashSet<>();
            for (Path app : s.filter(p -> p.getFileName().toString().startsWith("app-")).toList()) {
                try (Stream<Path> e = Files.list(app)) {
                    e.forEach(out::add);
                }
            }
            return out;
        }
    }

    /** How many executors not in {@code before} have started a task. */
    static int executorsThatRanTasks(Set<Path> before) throws IOException {
        int n = 0;
        for (Path e : executorDirs()) {
            Path log = e.resolve("stderr");
            if (!before.contains(e) && Files.exists(log) && Files.readString(log).contains("Running task")) {
                n++;
            }
        }
        return n;
    }

    static int appsStarted() throws IOException {
        try (Stream<Path> s = Files.list(cluster.dir().resolve("work"))) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith("app-")).count();
        }
    }

    @Test
    @Order(1)
    void theShadedJobJarOnTheClusterEqualsTheEngineBitForBit() throws Exception {
        ImageBatch x = patches(24);
        KernelMatrices want = gram(x.count());
        Path store = dir.resolve("store-shared");
        Path out = dir.resolve("shared.npz");
        Run r = submit(args(24, store, 8, "--out", out.toString()), null);
        assertEquals(0, r.exit(), r.err());
        assertEquals(6, r.field(1));
        assertEquals(6, r.field(2));
        assertEquals(6, r.field(3));
        SparkGramTest.assertBitwise(want, fromNpz(out));
        SparkGramTest.assertBitwise(want, assertCompleteAndIntact(store, x, 8).assemble());
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("eqntk-spark: error")), r.err());
    }

    @Test
    @Order(2)
    void driverWritesAndSharedImagesGiveTheSameBlockFiles() throws Exception {
        ImageBatch x = patches(24);
        Path store = dir.resolve("store-driver");
        Path out = dir.resolve("driver.npz");
        Run r = submit(args(24, store, 8, "--driver-writes", "--shared-images", dir.resolve("x.npy").toString(),
            "--out", out.toString()), null);
        assertEquals(0, r.exit(), r.err());
        assertEquals(6, r.field(3));
        SparkGramTest.assertBitwise(gram(x.count()),
            fromNpz(out));
        assertCompleteAndIntact(store, x, 8);
        // the same bytes under the same checksum names as the executors wrote in the shared-store run
        assertEquals(blockFiles(dir.resolve("store-shared")), blockFiles(store));
    }

    @Test
    @Order(3)
    void badSubmissionsEndWithOneLineAndExitCode2BeforeTheClusterIsUsed() throws Exception {
        int apps = appsStarted();
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--arch", ARCH, "--x", dir.resolve("missing.npy").toString(), "--store",
            dir.resolve("s").toString()), "--x: file not found: ");
        List<String> unknownArch = new ArrayList<>(args(24, dir.resolve("s"), 8));
        unknownArch.set(1, "lift(C4, 3, VALID) relu frobnicate dense");
        cases.put(unknownArch, "frobnicate");
        cases.put(args(24, file.resolve("store"), 8), "--store: cannot create the store folder");
        Map<Driver, String> started = new java.util.LinkedHashMap<>();
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            started.put(launch(c.getKey()), c.getValue()); // all at once: each only starts a JVM and fails
        }
        for (Map.Entry<Driver, String> c : started.entrySet()) {
            Run r = await(c.getKey(), null);
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.errorLines().size(), r.err());
            assertTrue(r.errorLines().get(0).contains(c.getValue()), r.errorLines().get(0));
            assertTrue(r.err().lines().noneMatch(l -> l.startsWith("\tat ")), "a stack trace:\n" + r.err());
        }
        assertEquals(apps, appsStarted(), "a bad submission reached the cluster");
    }

    @Test
    @Order(4)
    void aStoreTheExecutorsCannotWriteEndsWithOneLineNotAHang() throws Exception {
        ImageBatch x = patches(24);
        Path store = dir.resolve("store-unwritable");
        // the driver sees a proper store entry, but where the executors write their blocks is a file
        StoreEntry e = KernelStore.open(store).withBlockSize(8)
            .entry(KernelKey.gram(new KernelEngine(Architecture.parse(ARCH), 1), x), "");
        Files.writeString(e.dir().resolve("blocks"), "not a folder");
        Run r = submit(args(24, store, 8), null);
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.errorLines().size(), r.err());
        assertTrue(r.errorLines().get(0).contains("cannot write the store folder"), r.errorLines().get(0));
        assertTrue(r.errorLines().get(0).contains(e.dir().resolve("blocks").toString()), r.errorLines().get(0));
    }

    @Test
    @Order(5)
    void aDriverKilledMidJobThenSubmittedAgainComputesOnlyTheMissingBlocks() throws Exception {
        ImageBatch x = patches(48);
        Path store = dir.resolve("store-driver-killed");
        int[] atKill = new int[1];
        Run killed = submit(args(48, store, 12), p -> {
            int have = countBlocks(store);
            if (have >= 1) {
                atKill[0] = have;
                p.destroyForcibly(); // SIGKILL
                return true;
            }
            return false;
        });
        assertNotEquals(0, killed.exit());
        // the master drops the application and the workers stop its executors
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!cluster.executors().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(List.of(), cluster.executors(), "executors of the killed driver still run");
        int present = countBlocks(store);
        assertTrue(present >= atKill[0] && present < 10, present + " of 10 blocks present after the kill");
        Run again = submit(args(48, store, 12, "--out", dir.resolve("resumed.npz").toString()), null);
        assertEquals(0, again.exit(), again.err());
        assertEquals(10, again.field(1));
        assertEquals(10 - present, again.field(2), again.out());
        assertEquals(10 - present, again.field(3), again.out());
        KernelMatrices want = gram(x.count());
        SparkGramTest.assertBitwise(want, fromNpz(dir.resolve("resumed.npz")));
        assertCompleteAndIntact(store, x, 12);
    }

    @Test
    @Order(6)
    void aWorkerKilledMidJobLeavesTheResultIdentical() throws Exception {
        ImageBatch x = patches(48);
        Path store = dir.resolve("store-worker-killed");
        Path out = dir.resolve("worker-killed.npz");
        List<Long> victims = new ArrayList<>();
        Set<Path> before = executorDirs();
        Run r = submit(args(48, store, 12, "--out", out.toString()), p -> {
            try {
                // both executors at work and some blocks written, not all: kill worker 2 and its executor
                if (executorsThatRanTasks(before) < 2 || countBlocks(store) < 1 || countBlocks(store) >= 9) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
            victims.addAll(cluster.killWorker(1));
            return true;
        });
        assertEquals(2, victims.size(), "a worker and its executor killed: " + victims);
        assertEquals(0, r.exit(), r.err());
        // a task whose executor died after writing its block is retried and finds the block in the store
        assertEquals(10, r.field(2));
        assertTrue(r.field(4) >= 1, "no task was retried after the kill:\n" + r.out());
        SparkGramTest.assertBitwise(gram(x.count()),
            fromNpz(out));
        assertCompleteAndIntact(store, x, 12);
        for (long pid : victims) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    static int countBlocks(Path store) {
        if (!Files.isDirectory(store)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(store)) {
            return (int) s.filter(f -> BLOCK.matcher(f.getFileName().toString()).matches()).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // a block being renamed while we walk
        }
    }
}
