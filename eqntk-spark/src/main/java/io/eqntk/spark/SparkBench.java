package io.eqntk.spark;

import io.eqntk.arch.Architecture;
import io.eqntk.data.ColorMode;
import io.eqntk.data.ImageSource;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.store.BlockId;
import io.eqntk.store.KernelStore;
import io.eqntk.store.StoreEntry;
import io.eqntk.store.StoreListener;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cluster benchmark of the README: the wall time of one Gram matrix with the single-machine engine (in
 * memory, and in blocks through the kernel store) and with Spark in local[1] and local[2] or on a standalone
 * cluster ({@code spark://} masters, for example from {@code eqntk-spark/cluster/start}; executors load eqntk
 * from {@code --job-jar}), each Spark result checked bit for bit against the engine's; the work in the tasks,
 * the broadcast size, the time to write the store's blocks and the store's size per million entries. Numbers
 * only; it never fails on timing.
 *
 * <pre>
 * java -cp "$(cat spark.cp)" io.eqntk.spark.SparkBench [--images 1000] [--image-size 16]
 *   [--arch 'lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense'] [--block-size 256] [--work DIR]
 *   [--masters local[1],local[2],spark://127.0.0.1:7077] [--job-jar eqntk-spark/target/eqntk-spark-job.jar]
 *   [--cores-max 2] [--engine-threads 1,2] [--engine-store true|false]
 * </pre>
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = SparkGramJob.parse(args, Set.of("images", "image-size", "arch", "block-size", "work",
            "masters", "engine-threads", "engine-store", "job-jar", "cores-max"), Set.of());
        int images = Integer.parseInt(a.getOrDefault("images", "1000"));
        int size = Integer.parseInt(a.getOrDefault("image-size", "16"));
        String arch = a.getOrDefault("arch", "lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense");
        int block = Integer.parseInt(a.getOrDefault("block-size", "256"));
        Path work = Files.createDirectories(Path.of(a.getOrDefault("work", "target/spark-bench")));
        ImageBatch x = ImageBatch.of(ImageSource.read("--images", "pcam", "train", images, size, ColorMode.RGB, 0));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", x.count());
        out.put("image_size", size);
        out.put("architecture", arch);
        out.put("block_size", block);
        out.put("cores", Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%d PCam patches at %dx%d, %s%n", x.count(), size, size, arch);

        KernelMatrices reference = null;
        for (String t : a.getOrDefault("engine-threads", "1,2").split(",")) {
            int threads = Integer.parseInt(t.trim());
            KernelEngine e = new KernelEngine(Architecture.parse(arch), threads);
            long t0 = System.nanoTime();
            KernelMatrices k = e.gram(x, ProgressListener.NONE);
            double s = (System.nanoTime() - t0) / 1e9;
            reference = k;
            out.put("engine_" + threads + "_threads_s", s);
            System.out.printf(Locale.ROOT, "engine, %d thread(s), in memory: %.1f s%n", threads, s);
        }

        if (!a.getOrDefault("engine-store", "true").equals("false")) {
            engineStore(x, arch, block, work, reference, out);
        }

        Path lastStore = null;
        StoreEntry lastEntry = null;
        for (String master : a.getOrDefault("masters", "local[1],local[2]").split(",")) {
            Path store = fresh(work.resolve("store-" + master.replaceAll("[^a-z0-9]", "")));
            SparkConf conf = new SparkConf().setAppName("eqntk-bench").setMaster(master.trim())
                .set("spark.ui.enabled", "false");
            boolean standalone = master.trim().startsWith("spark://");
            if (standalone) {
                // a standalone cluster (eqntk-spark/cluster/start): executors load eqntk from the job jar
                conf.set("spark.jars", Path.of(need(a, "job-jar")).toAbsolutePath().toString())
                    .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.executor.memory", "1g").set("spark.executor.cores", "1")
                    .set("spark.cores.max", a.getOrDefault("cores-max", "2"));
            }
            long s0 = System.nanoTime();
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                double startup = (System.nanoTime() - s0) / 1e9;
                long s1 = System.nanoTime();
                SparkGram.Result r = SparkGram.run(sc, arch, x, store, new SparkGram.Options().blockSize(block),
                    StoreListener.NONE);
                double run = (System.nanoTime() - s1) / 1e9;
                boolean equal = same(reference, r.entry().assemble());
                lastStore = store;
                lastEntry = r.entry();
                String key = "spark_" + master.replaceAll("[^a-z0-9]", "");
                out.put(key + "_s", run);
                out.put(key + "_startup_s", startup);
                out.put(key + "_tasks", r.tasks());
                out.put(key + "_equal", equal);
                double busy = r.reports().stream().mapToDouble(SparkGram.TaskReport::seconds).sum();
                double longest = r.reports().stream().mapToDouble(SparkGram.TaskReport::seconds).max().orElse(0);
                out.put(key + "_task_seconds_sum", busy);
                out.put(key + "_task_seconds_max", longest);
                System.out.printf(Locale.ROOT, "  tasks: %.1f s of work in all (longest %.1f s); executors: %s%n", busy,
                    longest, r.reports().stream().map(SparkGram.TaskReport::executor).distinct().sorted().toList());
                System.out.printf(Locale.ROOT, "Spark %s: %.1f s (%d tasks; context start %.1f s); equal to the engine bit "
                    + "for bit: %b%n", master, run, r.tasks(), startup, equal);
            }
        }
        long broadcast = 8L * x.count() * x.height() * x.width() * x.channels();
        out.put("broadcast_bytes", broadcast);
        System.out.printf(Locale.ROOT, "broadcast images: %.2f MB (8 N H W C bytes)%n", broadcast / 1e6);
        if (lastStore != null) {
            storeWrites(lastEntry, work, out);
            long bytes = blockBytes(lastStore);
            out.put("spark_store_bytes", bytes);
            out.put("spark_store_mb_per_million_entries", bytes / ((double) x.count() * x.count()));
            System.out.printf(Locale.ROOT, "store of the last Spark run: %.1f MB, %.2f MB per million entries%n",
                bytes / 1e6, bytes / ((double) x.count() * x.count()));
        }
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> en : out.entrySet()) {
            if (json.length() > 1) {
                json.append(", ");
            }
            Object v = en.getValue();
            json.append('"').append(en.getKey()).append("\": ")
                .append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v));
        }
        System.out.println(json.append('}'));
    }

    /** Time to write every block of the last Spark store again into a scratch store (checksum, NPY, rename). */
    private static void storeWrites(StoreEntry e, Path work, Map<String, Object> out) throws IOException {
        StoreEntry copy = KernelStore.open(fresh(work.resolve("store-rewrite"))).withBlockSize(e.blockSize())
            .entry(e.key(), "rewrite");
        long bytes = 0;
        double seconds = 0;
        for (BlockId b : e.blocks()) {
            KernelMatrices k = e.read(b).orElseThrow();
            long t0 = System.nanoTime();
            Path f = copy.write(b, k);
            seconds += (System.nanoTime() - t0) / 1e9;
            bytes += Files.size(f);
        }
        int blocks = e.blocks().size();
        out.put("store_write_s", seconds);
        out.put("store_write_mb_per_s", bytes / 1e6 / seconds);
        System.out.printf(Locale.ROOT, "store writes: %d blocks, %.1f MB in %.3f s (%.0f MB/s, %.1f ms per block)%n",
            blocks, bytes / 1e6, seconds, bytes / 1e6 / seconds, 1e3 * seconds / blocks);
    }

    private static String need(Map<String, String> a, String k) {
        String v = a.get(k);
        if (v == null) {
            throw new IllegalArgumentException("--" + k + " is required");
        }
        return v;
    }

    /** The engine writing the Gram matrix in blocks through the kernel store (all cores). */
    private static void engineStore(ImageBatch x, String arch, int block, Path work, KernelMatrices reference,
                                    Map<String, Object> out) throws IOException {
        Path engineStore = fresh(work.resolve("store-engine"));
        KernelEngine e = new KernelEngine(Architecture.parse(arch), Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        KernelMatrices stored = KernelStore.open(engineStore).withBlockSize(block)
            .gram(e, x, "spark-bench", ProgressListener.NONE);
        double storeSeconds = (System.nanoTime() - t0) / 1e9;
        out.put("engine_store_s", storeSeconds);
        out.put("engine_store_equal", same(reference, stored));
        long bytes = blockBytes(engineStore);
        double perMillion = bytes / ((double) x.count() * x.count()) * 1e6;
        out.put("store_bytes", bytes);
        out.put("store_mb_per_million_entries", perMillion / 1e6);
        System.out.printf(Locale.ROOT, "engine through the kernel store (%d threads, blocks of %d): %.1f s; store %.1f MB,"
                + " %.2f MB per million entries%n", e.threads(), block, storeSeconds, bytes / 1e6, perMillion / 1e6);

    }

    private static boolean same(KernelMatrices a, KernelMatrices b) {
        return a != null && Arrays.equals(a.nngp(), b.nngp()) && Arrays.equals(a.ntk(), b.ntk());
    }

    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted((p, q) -> q.getNameCount() - p.getNameCount()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
            }
        }
        return Files.createDirectories(dir);
    }

    /** Bytes of the stored blocks (.npy files) under a store root. */
    private static long blockBytes(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".npy")).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
