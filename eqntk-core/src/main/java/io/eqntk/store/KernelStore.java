package io.eqntk.store;

import io.eqntk.EqntkException;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A persistent store of kernel matrices on disk, so the same Gram or cross matrix is never computed twice,
 * even across crashes: matrices are computed in blocks, each block is written atomically under its
 * checksum as soon as it is done, and a rerun computes only the blocks that are missing or damaged.
 *
 * <p>Layout: {@code <root>/<kind>-<32 hex digits>/} per matrix (see {@link KernelKey#id()}), holding
 * {@code manifest.json} and {@code blocks/} (see {@link StoreEntry}). Example:
 * <pre>{@code
 * KernelStore store = KernelStore.open(KernelStore.defaultRoot());
 * KernelMatrices k = store.gram(engine, images, "pcam train 16x16 rgb", progress);
 * KernelMatrices kx = store.cross(engine, test, train, "pcam test x train", progress);
 * }</pre>
 * Results equal {@link KernelEngine#gram} and {@link KernelEngine#cross} bit for bit.
 */
public final class KernelStore {
    /** Default block side: 256 x 256 entries, 1 MiB per block file. */
    public static final int DEFAULT_BLOCK_SIZE = 256;

    private final Path root;
    private final int blockSize;
    private final StoreListener listener;

    private KernelStore(Path root, int blockSize, StoreListener listener) {
        this.root = root;
        this.blockSize = blockSize;
        this.listener = listener;
    }

    /** A store rooted at {@code root} (created on first write). */
    public static KernelStore open(Path root) {
        return new KernelStore(root.toAbsolutePath(), DEFAULT_BLOCK_SIZE, StoreListener.NONE);
    }

    /** $EQNTK_STORE when set, else {@code ~/.cache/eqntk/store}. */
    public static Path defaultRoot() {
        String env = System.getenv("EQNTK_STORE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "eqntk", "store");
    }

    /** The same store cutting new matrices into blocks of {@code size} x {@code size} (existing entries keep theirs). */
    public KernelStore withBlockSize(int size) {
        if (size < 1) {
            throw new EqntkException("block size must be at least 1, got " + size);
        }
        return new KernelStore(root, size, listener);
    }

    /** The same store reporting loaded, computed and damaged blocks to {@code l}. */
    public KernelStore withListener(StoreListener l) {
        return new KernelStore(root, blockSize, l == null ? StoreListener.NONE : l);
    }

    public Path root() {
        return root;
    }

    public int blockSize() {
        return blockSize;
    }

    /**
     * The entry for {@code key}, created (manifest written) when new.
     *
     * @param label a free description recorded in a new manifest (data set, split, preprocessing); not part of the key
     */
    public StoreEntry entry(KernelKey key, String label) {
        return StoreEntry.open(root.resolve(key.id()), key, blockSize, label, listener);
    }

    /** The Gram matrix K(x, x): loaded block by block where stored, the rest computed and stored. */
    public KernelMatrices gram(KernelEngine engine, ImageBatch x, String label, ProgressListener progress) {
        return fill(entry(KernelKey.gram(engine, x), label), engine, x, null, progress);
    }

    /** The cross matrix K(x1, x2): loaded block by block where stored, the rest computed and stored. */
    public KernelMatrices cross(KernelEngine engine, ImageBatch x1, ImageBatch x2, String label,
                                ProgressListener progress) {
        return fill(entry(KernelKey.cross(engine, x1, x2), label), engine, x1, x2, progress);
    }

    private static KernelMatrices fill(StoreEntry e, KernelEngine engine, ImageBatch x1, ImageBatch x2,
                                       ProgressListener progress) {
        KernelKey key = e.key();
        long size = (long) key.rows() * key.cols();
        if (size > Integer.MAX_VALUE - 8) {
            throw new EqntkException("a " + key.rows() + " x " + key.cols() + " matrix does not fit one Java array");
        }
        Set<BlockId> todo = new HashSet<>(e.missing(false));
        long total = 0;
        for (BlockId b : todo) {
            total += b.entries() + b.rows() + b.cols();
        }
        double[] nngp = new double[(int) size];
        double[] ntk = new double[(int) size];
        AtomicLong base = new AtomicLong();
        long grand = total;
        for (BlockId b : e.blocks()) {
            boolean missing = todo.contains(b);
            long offset = base.get();
            ProgressListener p = grand == 0 ? ProgressListener.NONE : (done, tot) ->
                progress.progress(Math.min(grand, offset + done), grand);
            KernelMatrices k = e.ensure(engine, x1, x2, b, p, !missing);
            if (missing) {
                base.addAndGet(b.entries() + b.rows() + b.cols());
            }
            e.place(k, b, nngp, ntk);
        }
        return new KernelMatrices(key.rows(), key.cols(), nngp, ntk);
    }

    /**
     * Checks every entry under the root (manifests, block layouts, digests, shapes) and, with {@code clean},
     * deletes what can never be used: damaged blocks, stray files, stale temporary files, entries whose manifest
     * is unusable. Lines name each problem; the last line sums up.
     */
    public List<String> verify(boolean clean) {
        List<String> lines = new java.util.ArrayList<>();
        int entries = 0;
        int intact = 0;
        int layout = 0;
        List<Path> dirs;
        try (var s = java.nio.file.Files.list(root)) {
            dirs = s.filter(java.nio.file.Files::isDirectory).sorted().toList();
        } catch (java.nio.file.NoSuchFileException ex) {
            dirs = List.of();
        } catch (java.io.IOException ex) {
            throw new EqntkException("cannot list store " + root + ": " + ex.getMessage(), ex);
        }
        for (Path d : dirs) {
            int[] counts = StoreEntry.verifyFolder(d, clean, lines);
            entries++;
            if (counts != null) {
                intact += counts[0];
                layout += counts[1];
            }
        }
        int problems = lines.size();
        lines.add("store " + root + ": " + entries + " entries, " + intact + " intact blocks of " + layout + ", "
            + problems + " problem" + (problems == 1 ? "" : "s") + (clean ? " cleaned" : ""));
        return lines;
    }

    /** The entries under this store's root (folder names), for listings. */
    public List<Path> entries() {
        try (var s = java.nio.file.Files.list(root)) {
            return s.filter(p -> java.nio.file.Files.isRegularFile(p.resolve("manifest.json"))).sorted().toList();
        } catch (java.nio.file.NoSuchFileException ex) {
            return List.of();
        } catch (java.io.IOException ex) {
            throw new EqntkException("cannot list store " + root + ": " + ex.getMessage(), ex);
        }
    }
}
