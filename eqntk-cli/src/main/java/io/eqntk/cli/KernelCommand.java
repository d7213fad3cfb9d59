package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.data.ColorMode;
import io.eqntk.data.ImageSource;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npz;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.Precision;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.store.BlockId;
import io.eqntk.store.KernelStore;
import io.eqntk.store.StoreListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

@Command(name = "kernel", mixinStandardHelpOptions = true,
    description = {
        "Exact NNGP and NTK matrices of an architecture on images, written to an .npz file.",
        "",
        "Computes the kernels and writes them to an .npz file",
        "(float64 arrays 'nngp' and 'ntk' of shape [N1, N2]). Without --x2 the symmetric Gram matrix K(X1, X1).",
        "",
        "Inputs are NumPy .npy arrays (float64 or float32, shape [N, H, W, C], channels last) or any dataset",
        "source eqntk reads: a known name (pcam, pcam-1000, breastmnist, pneumoniamnist, mnist, idc-breast,",
        "mednist, cifar10, found under ../shared/data or $EQNTK_DATA), a folder of class sub-folders of",
        "PNG/JPEG/TIFF images, a CSV of filename,label rows, or a MedMNIST .npz.",
        ""},
    footer = {"",
        "Examples:",
        "  eqntk kernel --arch 'conv(3, VALID) relu conv(3, VALID) relu gap dense' --x1 x.npy --out k.npz",
        "  eqntk kernel --arch 'lift(C4, 3, SAME) relu gconv(3, SAME) relu gpool dense' \\",
        "               --x1 pcam --split test --limit 8 --image-size 16 --out pcam-c4.npz",
        "",
        "In Python: k = numpy.load('k.npz'); k['ntk']"})
public final class KernelCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, paramLabel = "SPEC", description = "architecture string (see eqntk --help)")
    String arch;

    @Option(names = "--x1", required = true, paramLabel = "SOURCE", description = "first inputs: .npy [N, H, W, C] or a dataset")
    String x1;

    @Option(names = "--x2", paramLabel = "SOURCE", description = "second inputs (default: the Gram matrix of --x1)")
    String x2;

    @Option(names = "--out", required = true, paramLabel = "FILE.npz", description = "output file (written atomically)")
    Path out;

    @Option(names = "--get", paramLabel = "nngp|ntk|both", defaultValue = "both",
        description = "which kernels to write (default: ${DEFAULT-VALUE})")
    String get;

    @Option(names = "--precision", defaultValue = "FLOAT64", paramLabel = "float64|float32",
        description = "arithmetic of the displacement-slice path (networks ending in gap or gpool); float32 is about "
            + "1.5 times as fast, within 1e-4 relative (default: float64); output is float64 either way")
    Precision precision;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--split", defaultValue = "train", description = "dataset split to read: train, valid or test (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
        description = "for datasets: a seeded class-balanced subset of N images (default: all)")
    int limit;

    @Option(names = "--image-size", defaultValue = "0", paramLabel = "N", description = "for datasets: resize to N x N by area averaging")
    int imageSize;

    @Option(names = "--color", defaultValue = "KEEP", paramLabel = "rgb|grayscale|keep", description = "for datasets: colour mode")
    ColorMode color;

    @Option(names = "--seed", defaultValue = "0", description = "seed for --limit subsets")
    long seed;

    @Option(names = "--quiet", description = "no progress bar or summary")
    boolean quiet;

    @Option(names = "--store", paramLabel = "DIR",
        description = "kernel store: blocks already computed for the same architecture and images are loaded, "
            + "the rest computed and kept (default: $EQNTK_STORE or ~/.cache/eqntk/store)")
    Path store;

    @Option(names = "--no-store", description = "compute everything in memory; read and write no store")
    boolean noStore;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "256",
        description = "store block side for new matrices (default: ${DEFAULT-VALUE})")
    int blockSize;

    @Override
    public Integer call() {
        String which = get.toLowerCase(Locale.ROOT);
        if (!which.equals("nngp") && !which.equals("ntk") && !which.equals("both")) {
            throw new EqntkException("--get must be nngp, ntk or both, got '" + get + "'");
        }
        if (out.getFileName() == null || !out.getFileName().toString().endsWith(".npz")) {
            throw new EqntkException("--out must name an .npz file, got '" + out + "'");
        }
        if (blockSize < 1) {
            throw new EqntkException("--block-size must be at least 1, got " + blockSize);
        }
        if (limit < 0 || imageSize < 0) {
            throw new EqntkException("--limit and --image-size must not be negative");
        }
        Architecture a = Architecture.parse(arch);
        ImageBatch b1 = ImageBatch.of(ImageSource.read("--x1", x1, split, limit, imageSize, color, seed));
        ImageBatch b2 = x2 == null ? null
            : ImageBatch.of(ImageSource.read("--x2", x2, split, limit, imageSize, color, seed));
        if (b2 != null && b1.channels() != b2.channels()) {
            throw new EqntkException("--x1 has " + b1.channels() + " channels but --x2 has " + b2.channels());
        }
        a.validate(b1.height(), b1.width(), b1.channels());
        KernelEngine engine = new KernelEngine(a, threads == null ? Runtime.getRuntime().availableProcessors() : threads)
            .withPrecision(precision);
        long t0 = System.nanoTime();
        KernelMatrices k;
        StoreReport report = new StoreReport();
        try (Progress p = new Progress("kernel", !quiet)) {
            if (noStore) {
                k = b2 == null ? engine.gram(b1, p) : engine.cross(b1, b2, p);
            } else {
                KernelStore ks = KernelStore.open(store == null ? KernelStore.defaultRoot() : store)
                    .withBlockSize(blockSize).withListener(report);
                String label = "x1=" + x1 + (x2 == null ? "" : " x2=" + x2) + " split=" + split + " limit=" + limit
                    + " image-size=" + imageSize + " color=" + color + " seed=" + seed;
                k = b2 == null ? ks.gram(engine, b1, label, p) : ks.cross(engine, b1, b2, label, p);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        int[] shape = {k.rows(), k.cols()};
        if (!which.equals("ntk")) {
            arrays.put("nngp", new NdArray(shape, k.nngp()));
        }
        if (!which.equals("nngp")) {
            arrays.put("ntk", new NdArray(shape, k.ntk()));
        }
        Npz.write(out, arrays);
        if (!quiet) {
            System.out.printf(Locale.ROOT, "%s: %d x %d kernel of %s on %dx%dx%d inputs in %.2f s (%d threads) -> %s%n",
                String.join("+", arrays.keySet()), k.rows(), k.cols(), a.spec(), b1.height(), b1.width(),
                b1.channels(), seconds, engine.threads(), out);
            if (!noStore) {
                System.out.printf(Locale.ROOT, "store %s: %d blocks loaded, %d computed%s%n",
                    store == null ? KernelStore.defaultRoot() : store, report.loaded.get(), report.computed.get(),
                    report.damaged.get() == 0 ? "" : ", " + report.damaged.get() + " damaged (recomputed)");
            }
        }
        return 0;
    }

    /** Counts store events; reports damaged blocks on standard error at once. */
    static final class StoreReport implements StoreListener {
        final AtomicInteger loaded = new AtomicInteger();
        final AtomicInteger computed = new AtomicInteger();
        final AtomicInteger damaged = new AtomicInteger();

        @Override
        public void loaded(BlockId block) {
            loaded.incrementAndGet();
        }

        @Override
        public void computed(BlockId block, double seconds) {
            computed.incrementAndGet();
        }

        @Override
        public void damaged(BlockId block, Path file, String reason) {
            damaged.incrementAndGet();
            System.err.println("eqntk: warning: damaged store block " + file + " (" + reason + "): recomputing it");
        }
    }
}
