package io.eqntk.store;

import io.eqntk.EqntkException;
import io.eqntk.io.AtomicFiles;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelChecks;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kernel matrix in a {@link KernelStore}: a folder {@code <store>/<key id>/} holding {@code manifest.json}
 * and {@code blocks/}. The matrix is cut into square blocks of {@link #blockSize()} rows and columns (the
 * last ones smaller); for a Gram matrix only blocks (bi, bj) with bi &lt;= bj are stored and the rest is
 * their mirror. The block of rows [r0, r1) and columns [c0, c1) is the file
 * {@code blocks/r<r0>-<r1>.c<c0>-<c1>.<digest>.npy}: a float64 NPY array of shape [2, rows, cols], NNGP then
 * NTK; the digest (see {@link #digest}) covers the entry's key, the ranges, the block size and the file's bytes,
 * so a block is only ever used at its own place in its own matrix. Files are
 * written to a temporary name and renamed, so a block is either complete or absent; a file whose checksum,
 * size or shape does not match is reported, deleted and recomputed, never used.
 *
 * <p>Instances are cheap and immutable; any number of processes (Spark executors included) may read and
 * write the same entry at once: they write identical bytes under identical names.
 */
public final class StoreEntry {
    /** {@code r<r0>-<r1>.c<c0>-<c1>.<digest>.npy}, ranges as six or more digits (see {@link BlockId#stem()}). */
    private static final Pattern BLOCK_FILE =
        Pattern.compile("(r\\d{6,}-\\d{6,}\\.c\\d{6,}-\\d{6,})\\.([0-9a-f]{64})\\.npy");
    /** The manifest format this code writes: 2 binds every block to its key, ranges and block size. */
    static final int FORMAT_VERSION = 2;

    private final Path dir;
    private final KernelKey key;
    private final int blockSize;
    private final StoreListener listener;

    StoreEntry(Path dir, KernelKey key, int blockSize, StoreListener listener) {
        this.dir = dir;
        this.key = key;
        this.blockSize = blockSize;
        this.listener = listener;
    }

    /**
     * Opens the entry folder for {@code key}, writing its manifest when it has none. When a manifest exists
     * its block size wins over {@code blockSize}.
     */
    static StoreEntry open(Path dir, KernelKey key, int blockSize, String label, StoreListener listener) {
        Path manifest = dir.resolve("manifest.json");
        Map<String, String> m = readManifest(manifest);
        String problem = m == null ? null : contradiction(m, key);
        if (m == null || problem != null) {
            // blocks are bound to key, ranges and block size, so a fresh manifest can never mix in a wrong block
            if (problem != null) {
                listener.manifestReplaced(manifest, problem);
            }
            AtomicFiles.writeString(manifest, manifest(key, blockSize, label));
            m = readManifest(manifest);
            problem = m == null ? "vanished after writing" : contradiction(m, key);
            if (problem != null) {
                throw new EqntkException("store manifest " + manifest + " " + problem + " after writing it");
            }
        }
        return new StoreEntry(dir, key, Integer.parseInt(m.get("blockSize")), listener);
    }

    /** The same entry reporting to another listener. */
    public StoreEntry withListener(StoreListener l) {
        return new StoreEntry(dir, key, blockSize, l);
    }

    /** What makes a manifest unusable for {@code key}, or null when it describes that key's entry. */
    static String contradiction(Map<String, String> m, KernelKey key) {
        if (!"eqntk-kernel-store".equals(m.get("format"))) {
            return "is not an eqntk store manifest (malformed or foreign)";
        }
        if (!String.valueOf(FORMAT_VERSION).equals(m.get("formatVersion"))) {
            return "has format version " + m.get("formatVersion") + " (this eqntk reads " + FORMAT_VERSION
                + ", whose blocks record their place)";
        }
        if (!key.id().equals(m.get("keyId"))) {
            return "records the key " + m.get("keyId") + ", not " + key.id();
        }
        if (!String.valueOf(key.rows()).equals(m.get("rows")) || !String.valueOf(key.cols()).equals(m.get("cols"))) {
            return "records a " + m.get("rows") + " x " + m.get("cols") + " matrix, not " + key.rows() + " x "
                + key.cols();
        }
        String bs = m.getOrDefault("blockSize", "");
        if (!bs.matches("[1-9]\\d{0,8}")) {
            return "has no valid block size ('" + bs + "')";
        }
        return null;
    }

    private static Map<String, String> readManifest(Path manifest) {
        try {
            return FlatJson.read(Files.readString(manifest));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new EqntkException("cannot read store manifest " + manifest + ": " + e.getMessage(), e);
        }
    }

    private static String manifest(KernelKey k, int blockSize, String label) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "eqntk-kernel-store");
        m.put("formatVersion", FORMAT_VERSION);
        m.put("keyId", k.id());
        m.put("kind", k.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("architecture", k.architecture());
        m.put("evaluation", k.evaluation());
        m.put("rowsFingerprint", k.rowsFingerprint());
        m.put("colsFingerprint", k.colsFingerprint());
        m.put("rows", k.rows());
        m.put("cols", k.cols());
        m.put("height", k.height());
        m.put("width", k.width());
        m.put("channels", k.channels());
        m.put("precision", k.precision());
        m.put("eqntkVersion", k.version());
        m.put("blockSize", blockSize);
        m.put("blockGrid", ceilDiv(k.rows(), blockSize) + "x" + ceilDiv(k.cols(), blockSize));
        m.put("storedBlocks", k.kind() == KernelKey.Kind.GRAM ? "upper triangle bi <= bj, mirrored" : "all");
        m.put("blockFile", "blocks/r<r0:06d>-<r1:06d>.c<c0:06d>-<c1:06d>.<digest>.npy, float64 [2, rows, cols]: "
            + "nngp, ntk; digest = sha256 of 'eqntk-store-block key=<keyId> rows=<r0>:<r1> cols=<c0>:<c1> "
            + "blockSize=<blockSize>' (one per line) followed by the file's bytes");
        m.put("label", label == null ? "" : label);
        m.put("created", Instant.now().toString());
        return FlatJson.write(m);
    }

    public Path dir() {
        return dir;
    }

    public KernelKey key() {
        return key;
    }

    public int blockSize() {
        return blockSize;
    }

    public boolean isGram() {
        return key.kind() == KernelKey.Kind.GRAM;
    }

    /** Blocks per column of blocks (block rows). */
    public int blockRows() {
        return ceilDiv(key.rows(), blockSize);
    }

    /** Blocks per row of blocks (block columns). */
    public int blockCols() {
        return ceilDiv(key.cols(), blockSize);
    }

    /** Block (bi, bj) with its row and column ranges. */
    public BlockId block(int bi, int bj) {
        return blockOf(key, blockSize, bi, bj);
    }

    /** Block (bi, bj) of the matrix {@code key} cut into blocks of {@code blockSize}: needs no store on disk. */
    public static BlockId blockOf(KernelKey key, int blockSize, int bi, int bj) {
        int br = ceilDiv(key.rows(), blockSize);
        int bc = ceilDiv(key.cols(), blockSize);
        boolean gram = key.kind() == KernelKey.Kind.GRAM;
        if (bi < 0 || bi >= br || bj < 0 || bj >= bc || (gram && bi > bj)) {
            throw new EqntkException("no stored block (" + bi + ", " + bj + ") in a " + br + "x" + bc
                + (gram ? " Gram" : "") + " block grid");
        }
        return new BlockId(bi, bj, bi * blockSize, Math.min(key.rows(), (bi + 1) * blockSize),
            bj * blockSize, Math.min(key.cols(), (bj + 1) * blockSize));
    }

    /** Every stored block, row by row (for a Gram matrix, the upper triangle bi &lt;= bj). */
    public List<BlockId> blocks() {
        List<BlockId> out = new ArrayList<>();
        for (int bi = 0; bi < blockRows(); bi++) {
            for (int bj = isGram() ? bi : 0; bj < blockCols(); bj++) {
                out.add(block(bi, bj));
            }
        }
        return out;
    }

    /**
     * Blocks without a usable file. With {@code verify} every present file is read and checked (and
     * damaged ones deleted); without it only names and sizes are checked, so a block whose bytes were
     * altered in place is caught later, when it is read.
     */
    public List<BlockId> missing(boolean verify) {
        Map<String, List<Path>> files = listFiles();
        List<BlockId> out = new ArrayList<>();
        for (BlockId b : blocks()) {
            boolean ok = false;
            for (Path f : files.getOrDefault(b.stem(), List.of())) {
                if (verify ? readFile(b, f) != null : sizeOk(b, f)) {
                    ok = true;
                    break;
                }
            }
            if (!ok) {
                out.add(b);
            }
        }
        return out;
    }

    /** The verified block, or empty when it is absent or damaged (damaged files are reported and deleted). */
    public Optional<KernelMatrices> read(BlockId b) {
        for (Path f : listFiles().getOrDefault(b.stem(), List.of())) {
            KernelMatrices k = readFile(b, f);
            if (k != null) {
                listener.loaded(b);
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Writes a block atomically under its checksum name and removes any other file of the same block. */
    public Path write(BlockId b, KernelMatrices k) {
        if (k.rows() != b.rows() || k.cols() != b.cols()) {
            throw new EqntkException("block " + b + " needs " + b.rows() + " x " + b.cols() + " entries, got "
                + k.rows() + " x " + k.cols());
        }
        int n = k.rows() * k.cols();
        double[] both = Arrays.copyOf(k.nngp(), 2 * n);
        System.arraycopy(k.ntk(), 0, both, n, n);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * n + 128);
        try {
            Npy.write(bytes, new NdArray(new int[] {2, k.rows(), k.cols()}, both));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] data = bytes.toByteArray();
        String sum = digest(b, data);
        Path target = dir.resolve("blocks").resolve(b.stem() + "." + sum + ".npy");
        AtomicFiles.writeBytes(target, data);
        for (Path other : listFiles().getOrDefault(b.stem(), List.of())) {
            if (!other.getFileName().equals(target.getFileName())) {
                try {
                    Files.deleteIfExists(other);
                } catch (IOException ignored) {
                    // a stale duplicate is harmless: every read verifies
                }
            }
        }
        return target;
    }

    /**
     * The checksum in a block file's name: SHA-256 of a header naming the entry's key, the block's row and
     * column ranges and the block size, then the file's bytes. A file copied to another entry, renamed to
     * another block, or read under another block size fails it like a file with flipped bits.
     */
    String digest(BlockId b, byte[] data) {
        java.security.MessageDigest md = KernelKey.sha256();
        md.update(("eqntk-store-block\nkey=" + key.id() + "\nrows=" + b.r0() + ":" + b.r1() + "\ncols=" + b.c0()
            + ":" + b.c1() + "\nblockSize=" + blockSize + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest(data));
    }

    /**
     * Computes a block with the engine, without touching the disk. This is the one block routine of both
     * the single-machine store and the Spark job, so both give the same bits: Gram blocks come from
     * {@link KernelEngine#gramBlock} (equal to {@link KernelEngine#gram} bit for bit), cross blocks from
     * {@link KernelEngine#cross} on the slices (each entry depends only on its pair).
     *
     * @param x1 the row images (all of them: the block's rows are sliced from it)
     * @param x2 the column images for a cross matrix; ignored for a Gram matrix
     */
    public KernelMatrices compute(KernelEngine engine, ImageBatch x1, ImageBatch x2, BlockId b,
                                  ProgressListener progress) {
        return compute(key.kind(), engine, x1, x2, b, progress);
    }

    /** {@link #compute(KernelEngine, ImageBatch, ImageBatch, BlockId, ProgressListener)} without a store entry. */
    public static KernelMatrices compute(KernelKey.Kind kind, KernelEngine engine, ImageBatch x1, ImageBatch x2,
                                         BlockId b, ProgressListener progress) {
        boolean gram = kind == KernelKey.Kind.GRAM;
        if (!gram && x2 == null) {
            throw new EqntkException("a cross-matrix block needs the column images");
        }
        ImageBatch rows = slice(x1, b.r0(), b.r1());
        ImageBatch cols = gram && b.bi() == b.bj() ? rows : slice(gram ? x1 : x2, b.c0(), b.c1());
        KernelMatrices k = gram ? engine.gramBlock(rows, b.r0(), cols, b.c0(), progress)
            : engine.cross(rows, cols, progress);
        KernelChecks.require(engine, rows, b.r0(), cols, b.c0(), gram, k, "kernel block " + b);
        return k;
    }

    /** The block from disk when it is there and intact, else computed and written. */
    public KernelMatrices ensure(KernelEngine engine, ImageBatch x1, ImageBatch x2, BlockId b,
                                 ProgressListener progress) {
        return ensure(engine, x1, x2, b, progress, true);
    }

    /** {@link #ensure}; without {@code tryRead} the block is known to be missing and computed at once. */
    KernelMatrices ensure(KernelEngine engine, ImageBatch x1, ImageBatch x2, BlockId b, ProgressListener progress,
                          boolean tryRead) {
        Optional<KernelMatrices> have = tryRead ? read(b) : Optional.empty();
        if (have.isPresent()) {
            return have.get();
        }
        long t0 = System.nanoTime();
        KernelMatrices k = compute(engine, x1, x2, b, progress);
        write(b, k);
        listener.computed(b, (System.nanoTime() - t0) / 1e9);
        return k;
    }

    /** The whole matrix from the stored blocks; throws when a block is missing or damaged. */
    public KernelMatrices assemble() {
        long size = (long) key.rows() * key.cols();
        if (size > Integer.MAX_VALUE - 8) {
            throw new EqntkException("a " + key.rows() + " x " + key.cols() + " matrix does not fit one Java array");
        }
        double[] nngp = new double[(int) size];
        double[] ntk = new double[(int) size];
        for (BlockId b : blocks()) {
            KernelMatrices k = read(b).orElseThrow(() ->
                new EqntkException("store entry " + dir + " lacks block " + b + " (missing or damaged)"));
            place(k, b, nngp, ntk);
        }
        return new KernelMatrices(key.rows(), key.cols(), nngp, ntk);
    }

    /** Copies a block into full matrices [rows, cols] (and its mirror for a Gram matrix off the diagonal). */
    void place(KernelMatrices k, BlockId b, double[] nngp, double[] ntk) {
        int n = key.cols();
        for (int a = 0; a < b.rows(); a++) {
            System.arraycopy(k.nngp(), a * b.cols(), nngp, (b.r0() + a) * n + b.c0(), b.cols());
            System.arraycopy(k.ntk(), a * b.cols(), ntk, (b.r0() + a) * n + b.c0(), b.cols());
        }
        if (isGram() && b.bi() != b.bj()) {
            for (int a = 0; a < b.rows(); a++) {
                for (int c = 0; c < b.cols(); c++) {
                    int dst = (b.c0() + c) * n + b.r0() + a;
                    nngp[dst] = k.nngp()[a * b.cols() + c];
                    ntk[dst] = k.ntk()[a * b.cols() + c];
                }
            }
        }
    }

    /** Images [from, to) of a batch as a batch of their own (a copy). */
    public static ImageBatch slice(ImageBatch x, int from, int to) {
        if (from == 0 && to == x.count()) {
            return x;
        }
        int s = x.imageSize();
        return new ImageBatch(Arrays.copyOfRange(x.data(), from * s, to * s), to - from, x.height(), x.width(),
            x.channels());
    }

    private Map<String, List<Path>> listFiles() {
        Map<String, List<Path>> out = new HashMap<>();
        Path blocks = dir.resolve("blocks");
        if (!Files.isDirectory(blocks)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(blocks, "r*.npy")) {
            for (Path f : ds) {
                Matcher m = BLOCK_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.computeIfAbsent(m.group(1), s -> new ArrayList<>()).add(f);
                }
            }
        } catch (IOException e) {
            throw new EqntkException("cannot list store blocks in " + blocks + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Whether a block file has the size its shape needs; a file that has not is reported and deleted. */
    private boolean sizeOk(BlockId b, Path f) {
        long size;
        try {
            size = Files.size(f);
        } catch (IOException e) {
            return false;
        }
        long header = size - 16L * b.entries();
        if (header >= 64 && header % 64 == 0 && header <= 65536 + 10) {
            return true;
        }
        damaged(b, f, "wrong size: " + size + " bytes for " + b.rows() + " x " + b.cols() + " float64 pairs");
        return false;
    }

    private void damaged(BlockId b, Path f, String reason) {
        listener.damaged(b, f, reason);
        try {
            Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // it stays unused: every read verifies
        }
    }

    /** The verified contents of one block file, or null after reporting and deleting it as damaged. */
    private KernelMatrices readFile(BlockId b, Path f) {
        Object r = examine(b, f);
        if (r instanceof String reason) {
            damaged(b, f, reason);
            return null;
        }
        return (KernelMatrices) r;
    }

    /** The verified contents of a block file, the reason it is damaged, or null when it vanished. */
    private Object examine(BlockId b, Path f) {
        String reason;
        try {
            byte[] data = Files.readAllBytes(f);
            Matcher m = BLOCK_FILE.matcher(f.getFileName().toString());
            String want = m.matches() ? m.group(2) : "";
            String got = digest(b, data);
            long header = data.length - 16L * b.entries();
            if (header < 64 || header % 64 != 0 || header > 65536 + 10) {
                reason = "wrong size: " + data.length + " bytes for " + b.rows() + " x " + b.cols()
                    + " float64 pairs";
            } else if (!got.equals(want)) {
                reason = "checksum mismatch (bytes, key, place or block size: file " + got.substring(0, 12)
                    + "..., name " + want.substring(0, 12) + "...), " + data.length + " bytes";
            } else {
                NdArray a = Npy.read(new ByteArrayInputStream(data), f.toString());
                int[] s = a.shape();
                if (s.length != 3 || s[0] != 2 || s[1] != b.rows() || s[2] != b.cols()) {
                    reason = "shape " + Arrays.toString(s) + ", expected [2, " + b.rows() + ", " + b.cols() + "]";
                } else {
                    int n = b.rows() * b.cols();
                    double[] d = a.data();
                    return new KernelMatrices(b.rows(), b.cols(), Arrays.copyOfRange(d, 0, n),
                        Arrays.copyOfRange(d, n, 2 * n));
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            reason = "unreadable: " + e.getMessage();
        }
        return reason;
    }

    /**
     * Checks every file of this entry's {@code blocks/} folder against the layout, the digests and the
     * shapes, adding one line per problem to {@code problems}; with {@code clean} it deletes damaged blocks,
     * files that are no block of this layout, and temporary files older than an hour (younger ones may belong
     * to a running writer).
     *
     * @return the number of intact blocks
     */
    int verify(boolean clean, List<String> problems) {
        Map<String, BlockId> layout = new HashMap<>();
        for (BlockId b : blocks()) {
            layout.put(b.stem(), b);
        }
        Path folder = dir.resolve("blocks");
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int good = 0;
        List<Path> files;
        try (var list = Files.list(folder)) {
            files = list.sorted().toList();
        } catch (IOException e) {
            throw new EqntkException("cannot list store blocks in " + folder + ": " + AtomicFiles.reason(e), e);
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            Matcher m = BLOCK_FILE.matcher(name);
            String problem;
            if (name.startsWith(".") && name.endsWith(".tmp")) {
                problem = isOld(f) ? "stale temporary file (a writer was interrupted)" : null;
            } else if (!m.matches() || !layout.containsKey(m.group(1))) {
                problem = "not a block of this entry's layout (block size " + blockSize + ")";
            } else {
                Object r = examine(layout.get(m.group(1)), f);
                problem = r instanceof String reason ? "damaged: " + reason : null;
                good += r instanceof KernelMatrices ? 1 : 0;
            }
            if (problem != null) {
                problems.add(f + ": " + problem + (clean && delete(f) ? " (deleted)" : ""));
            }
        }
        return good;
    }

    private static boolean isOld(Path f) {
        try {
            return Files.getLastModifiedTime(f).toInstant().isBefore(Instant.now().minusSeconds(3600));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean delete(Path f) {
        try {
            return Files.deleteIfExists(f);
        } catch (IOException e) {
            return false;
        }
    }

    /** The key a manifest describes, or null when its fields are missing or malformed. */
    static KernelKey keyOf(Map<String, String> m) {
        try {
            return new KernelKey(KernelKey.Kind.valueOf(m.get("kind").toUpperCase(java.util.Locale.ROOT)),
                m.get("architecture"), m.get("evaluation"), m.get("rowsFingerprint"), m.get("colsFingerprint"),
                Integer.parseInt(m.get("rows")), Integer.parseInt(m.get("cols")), Integer.parseInt(m.get("height")),
                Integer.parseInt(m.get("width")), Integer.parseInt(m.get("channels")), m.get("precision"),
                m.get("eqntkVersion"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Checks the entry folder {@code dir}: a manifest that describes the key the folder is named after, then
     * its blocks ({@link #verify(boolean, List)}). With {@code clean}, a folder whose manifest is unusable is
     * deleted with its blocks (none of them could ever be used).
     *
     * @return intact blocks and blocks of the layout, or null when the entry is unusable
     */
    static int[] verifyFolder(Path dir, boolean clean, List<String> problems) {
        Map<String, String> m;
        try {
            m = readManifest(dir.resolve("manifest.json"));
        } catch (EqntkException e) {
            m = null;
        }
        KernelKey key = m == null ? null : keyOf(m);
        String problem = m == null ? "no readable manifest.json" : key == null ? "manifest is malformed"
            : !key.id().equals(dir.getFileName().toString()) ? "manifest describes " + key.id() + ", not this folder"
            : contradiction(m, key);
        if (problem != null) {
            problems.add(dir + ": " + problem + (clean && deleteTree(dir) ? " (entry deleted)"
                : ": 'eqntk store clean' deletes it; a rerun recomputes its matrix"));
            return null;
        }
        StoreEntry e = new StoreEntry(dir, key, Integer.parseInt(m.get("blockSize")), StoreListener.NONE);
        return new int[] {e.verify(clean, problems), e.blocks().size()};
    }

    private static boolean deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
