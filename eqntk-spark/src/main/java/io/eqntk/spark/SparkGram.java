package io.eqntk.spark;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.io.NdArray;
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
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Function1;
import scala.Function2;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes the Gram matrix of an eqntk kernel on Apache Spark, one task per block of the kernel store.
 *
 * <p>The driver opens (or creates) the store entry for the architecture and images, lists the blocks still
 * missing and runs one task for each. A task rebuilds the engine from the architecture string, takes the
 * images from a broadcast variable (or reads them from a shared .npy file), computes its block with
 * {@link StoreEntry#compute} - the same routine the single-machine store uses, so the numbers are the same
 * bit for bit - and writes it into the store under its checksum name (from the executor, so the store must
 * be on storage every executor sees, or from the driver with {@link Options#driverWrites}). A retried or
 * speculative task writes the same bytes under the same name, so retries are harmless; blocks already
 * written are never recomputed by a rerun.
 */
public final class SparkGram {
    private SparkGram() {
    }

    /** How to run the job. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        int blockSize = KernelStore.DEFAULT_BLOCK_SIZE;
        int taskThreads = 1;
        boolean driverWrites;
        boolean verify;
        String label = "";
        String sharedImages;
        Set<Integer> failOnce = Set.of();

        /** Block side for a new store entry (an existing entry keeps its own). */
        public Options blockSize(int n) {
            if (n < 1) {
                throw new EqntkException("block size must be at least 1, got " + n);
            }
            blockSize = n;
            return this;
        }

        /** Engine threads inside each task; match spark.task.cpus (default 1). */
        public Options taskThreads(int n) {
            if (n < 1) {
                throw new EqntkException("task threads must be at least 1, got " + n);
            }
            taskThreads = n;
            return this;
        }

        /**
         * Tasks return their blocks to the driver, which writes them (for stores that executors cannot
         * reach; the driver then streams every block through its memory once, one block at a time).
         */
        public Options driverWrites(boolean b) {
            driverWrites = b;
            return this;
        }

        /**
         * Run a task for every block, and have it verify the stored file (checksum and shape) before
         * trusting it; without this, blocks whose files are present with the right size are skipped and
         * damage inside them is caught only when they are read.
         */
        public Options verify(boolean b) {
            verify = b;
            return this;
        }

        /** A description recorded in a new store manifest. */
        public Options label(String s) {
            label = s == null ? "" : s;
            return this;
        }

        /**
         * Executors read the images from this .npy file [N, H, W, C] (on storage they all see) instead of a
         * broadcast variable; it must hold exactly the images passed to {@link #run}.
         */
        public Options sharedImages(String npyPath) {
            sharedImages = npyPath;
            return this;
        }

        /** For tests: the first attempt of these tasks (indices into the job's block list) fails after computing its block. */
        public Options failFirstAttemptOf(Set<Integer> tasks) {
            failOnce = Set.copyOf(tasks);
            return this;
        }
    }

    /**
     * What one task did.
     *
     * @param damaged the damaged file the task found and replaced, and why, or null
     */
    public record TaskReport(int bi, int bj, boolean computed, int attempt, double seconds, String executor,
                             String damagedFile, String damaged) implements Serializable {
    }

    /** What the job did. */
    public record Result(StoreEntry entry, int blocks, int tasks, int computed, List<TaskReport> reports,
                         double seconds) {
    }

    /** A block computed on an executor on its way to the driver. */
    record Computed(TaskReport report, double[] nngp, double[] ntk) implements Serializable {
    }

    /**
     * Fills the store entry of the Gram matrix of {@code x} under {@code archSpec}. Returns when every
     * block is in the store; {@code result.entry().assemble()} gives the matrix.
     */
    public static Result run(JavaSparkContext sc, String archSpec, ImageBatch x, Path storeRoot, Options o,
                             StoreListener listener) {
        long t0 = System.nanoTime();
        Architecture arch = Architecture.parse(archSpec);
        arch.validate(x.height(), x.width(), x.channels());
        x.requireFinite("images");
        KernelEngine engine = new KernelEngine(arch, o.taskThreads);
        KernelKey key = KernelKey.gram(engine, x);
        String root = storeRoot.toAbsolutePath().toString();
        StoreEntry entry = KernelStore.open(Path.of(root)).withBlockSize(o.blockSize).withListener(listener)
            .entry(key, o.label);
        int blockSize = entry.blockSize();
        List<BlockId> todo = !o.verify ? entry.missing(false) : o.driverWrites ? entry.missing(true) : entry.blocks();
        List<int[]> coords = new ArrayList<>();
        for (int t = 0; t < todo.size(); t++) {
            coords.add(new int[] {todo.get(t).bi(), todo.get(t).bj(), t});
        }
        List<TaskReport> reports = new ArrayList<>();
        if (!coords.isEmpty()) {
            ImagesRef images = o.sharedImages != null
                ? new SharedImages(o.sharedImages, x.count(), x.height(), x.width(), x.channels())
                : new BroadcastImages(sc.broadcast(x.data()), x.count(), x.height(), x.width(), x.channels());
            String spec = arch.spec();
            Options opts = o;
            sc.setJobDescription("eqntk Gram " + key.id() + ": " + coords.size() + " blocks");
            JavaRDD<Computed> rdd = sc.parallelize(coords, coords.size()).map(c ->
                task(spec, images, root, key, blockSize, opts, c[0], c[1], c[2]));
            if (o.driverWrites) {
                // each block is written as its task completes (toLocalIterator would run one task at a time)
                List<TaskReport> done = Collections.synchronizedList(reports);
                sc.sc().runJob(rdd.rdd(), (Function1<scala.collection.Iterator<Computed>, Computed> & Serializable)
                    scala.collection.Iterator::next, (Function2<Object, Computed, BoxedUnit>) (part, c) -> {
                        TaskReport r = c.report();
                        BlockId b = entry.block(r.bi(), r.bj());
                        if (c.nngp() != null) {
                            entry.write(b, new KernelMatrices(b.rows(), b.cols(), c.nngp(), c.ntk()));
                        }
                        done.add(r);
                        return BoxedUnit.UNIT;
                    }, ClassTag$.MODULE$.apply(Computed.class));
            } else {
                for (Computed c : rdd.collect()) {
                    TaskReport r = c.report();
                    if (r.damaged() != null) {
                        listener.damaged(entry.block(r.bi(), r.bj()), Path.of(r.damagedFile()),
                            r.damaged() + " (found by executor " + r.executor() + ")");
                    }
                    reports.add(r);
                }
            }
            if (images instanceof BroadcastImages bi) {
                bi.data.destroy();
            }
        }
        int computed = (int) reports.stream().filter(TaskReport::computed).count();
        return new Result(entry, entry.blocks().size(), coords.size(), computed, reports,
            (System.nanoTime() - t0) / 1e9);
    }

    private static Computed task(String spec, ImagesRef images, String root, KernelKey key, int blockSize,
                                 Options o, int bi, int bj, int index) {
        TaskContext tc = TaskContext.get();
        int attempt = tc == null ? 0 : tc.attemptNumber();
        String executor = org.apache.spark.SparkEnv.get() == null ? "?" : org.apache.spark.SparkEnv.get().executorId();
        long t0 = System.nanoTime();
        KernelEngine engine = new KernelEngine(Architecture.parse(spec), o.taskThreads);
        StoreEntry entry = null;
        BlockId b;
        String[] damage = new String[2];
        if (o.driverWrites) {
            // the store may be out of the executors' reach: they only compute
            b = StoreEntry.blockOf(key, blockSize, bi, bj);
        } else {
            entry = openOnExecutor(root, key, blockSize, executor);
            entry = entry.withListener(new StoreListener() {
                @Override
                public void damaged(BlockId block, Path file, String reason) {
                    damage[0] = file.toString();
                    damage[1] = reason;
                }
            });
            b = entry.block(bi, bj);
            if (entry.read(b).isPresent()) {
                return new Computed(new TaskReport(bi, bj, false, attempt, seconds(t0), executor, null, null),
                    null, null);
            }
        }
        KernelMatrices k = StoreEntry.compute(key.kind(), engine, images.get(), null, b, ProgressListener.NONE);
        if (attempt == 0 && o.failOnce.contains(index)) {
            throw new IllegalStateException("injected failure of task " + index + " (block " + b.stem() + ")");
        }
        TaskReport r = new TaskReport(bi, bj, true, attempt, seconds(t0), executor, damage[0], damage[1]);
        if (o.driverWrites) {
            return new Computed(r, k.nngp(), k.ntk());
        }
        entry.write(b, k);
        return new Computed(r, null, null);
    }

    /**
     * The entry the driver created, as an executor sees it; fails before any work when the executor does not
     * see the driver's manifest (the store is not on shared storage) or cannot create the blocks folder.
     */
    private static StoreEntry openOnExecutor(String root, KernelKey key, int blockSize, String executor) {
        Path dir = Path.of(root).resolve(key.id());
        if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
            throw new EqntkException("executor " + executor + " does not see the store entry " + dir + " that the "
                + "driver created: put the store on storage every executor sees, or use --driver-writes");
        }
        Path blocks = dir.resolve("blocks");
        try {
            Files.createDirectories(blocks);
        } catch (IOException e) {
            throw new EqntkException("executor " + executor + " cannot write the store folder " + blocks + ": "
                + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        return KernelStore.open(Path.of(root)).withBlockSize(blockSize).entry(key, "");
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The images as tasks see them. */
    interface ImagesRef extends Serializable {
        ImageBatch get();
    }

    /** Images in a broadcast variable: fetched once per executor, shared by its tasks. */
    record BroadcastImages(Broadcast<double[]> data, int n, int h, int w, int c) implements ImagesRef {
        @Override
        public ImageBatch get() {
            return new ImageBatch(data.value(), n, h, w, c);
        }
    }

    /** Images read from a shared .npy file, once per executor JVM. */
    record SharedImages(String path, int n, int h, int w, int c) implements ImagesRef {
        private static final Map<String, ImageBatch> CACHE = new ConcurrentHashMap<>();

        @Override
        public ImageBatch get() {
            return CACHE.computeIfAbsent(path, p -> {
                NdArray a = Npy.read(Path.of(p));
                int[] s = a.shape();
                if (s.length != 4 || s[0] != n || s[1] != h || s[2] != w || s[3] != c) {
                    throw new EqntkException("shared images " + p + " have shape " + java.util.Arrays.toString(s)
                        + ", expected [" + n + ", " + h + ", " + w + ", " + c + "]");
                }
                return new ImageBatch(a.data(), n, h, w, c);
            });
        }
    }
}
