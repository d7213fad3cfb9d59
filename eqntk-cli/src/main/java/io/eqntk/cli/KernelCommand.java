package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.model.Limits;
import io.eqntk.data.ColorMode;
import io.eqntk.data.ImageSource;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npz;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelChecks;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.model.Precision;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.store.KernelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "kernel", mixinStandardHelpOptions = true,
    description = {
        "Exact NNGP and NTK matrices of an architecture on images, written to an .npz file.",
        "",
        "Computes the kernels and writes them to an .npz file",
        "(float64 arrays 'nngp' and 'ntk' of shape [N1, N2]). Without --x2 the symmetric Gram matrix K(X1, X1).",
        "",
        "Inputs are NumPy .npy arrays (float64, float32 or integer; shape [N, H, W, C], channels last) or any dataset",
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
        "In Python: k = numpy.load('k.npz'); k['ntk']",
        "For a dataset the .npz also holds the row order: x1_files.txt (one image id per line), x1_labels,",
        "x1_classes.txt and x1_split.txt (x2_... likewise): k['x1_files.txt'].decode().splitlines()"})
public final class KernelCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, paramLabel = "SPEC", description = "architecture string (see eqntk --help)")
    String arch;

    @Option(names = "--x1", required = true, paramLabel = "SOURCE", description = "first inputs: .npy [N, H, W, C] or a dataset")
    String x1;

    @Option(names = "--x2", paramLabel = "SOURCE", description = "second inputs (default: the Gram matrix of --x1)")
    String x2;

    @Mixin
    CommonOptions.NpzOut out;

    @Option(names = "--get", paramLabel = "nngp|ntk|both", defaultValue = "both",
        description = "which kernels to write (default: ${DEFAULT-VALUE})")
    String get;

    @Option(names = "--precision", defaultValue = "FLOAT64", paramLabel = "float64|float32",
        description = "arithmetic of the kernels; float32 is 1.5-2 times as fast, within 1e-6 relative on the "
            + "benchmark networks (default: float64); output is float64 either way")
    Precision precision;

    @Mixin
    CommonOptions.Threads threads;

    @Mixin
    CommonOptions.Split split;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
        description = "for datasets: a seeded class-stratified subset of N images, the only ones decoded (default: all)")
    int limit;

    @Mixin
    CommonOptions.ImageSize imageSize = new CommonOptions.ImageSize(0);

    @Mixin
    CommonOptions.Color color = new CommonOptions.Color(ColorMode.KEEP);

    @Option(names = "--seed", defaultValue = "0", description = "seed for --limit subsets (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    CommonOptions.Quiet quiet;

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
        Limits.blockSize("--block-size", blockSize);
        if (limit < 0) {
            throw new EqntkException("--limit must not be negative, got " + limit);
        }
        if (limit > 0) {
            Limits.matrix("--limit " + limit, limit, limit, 3);
        }
        int nThreads = threads.resolve();
        Architecture a = Architecture.parse(arch);
        a.checkKernelAssumptions(); // a nonlinearity without a Gaussian input fails before any image is read
        if (imageSize.size() > 0) {
            a.validate(imageSize.size(), imageSize.size(), 1); // sizes and filters fit before anything is decoded
        }
        ImageSource.Read r1 = ImageSource.load("--x1", x1, split.name(), limit, imageSize.size(), color.mode(), seed);
        ImageSource.Read r2 = x2 == null ? null
            : ImageSource.load("--x2", x2, split.name(), limit, imageSize.size(), color.mode(), seed);
        ImageBatch b1 = ImageBatch.of(r1.images());
        Limits.inputMagnitude("--x1 (" + x1 + ")", b1.data(), b1.imageSize());
        ImageBatch b2 = r2 == null ? null : ImageBatch.of(r2.images());
        if (b2 != null) {
            Limits.inputMagnitude("--x2 (" + x2 + ")", b2.data(), b2.imageSize());
        }
        if (b2 != null && b1.channels() != b2.channels()) {
            throw new EqntkException("--x1 has " + b1.channels() + " channels but --x2 has " + b2.channels());
        }
        Limits.matrix("--x1" + (b2 == null ? "" : " and --x2"), b1.count(), b2 == null ? b1.count() : b2.count(), 3);
        a.validate(b1.height(), b1.width(), b1.channels());
        KernelEngine engine = new KernelEngine(a, nThreads).withPrecision(precision);
        long t0 = System.nanoTime();
        KernelMatrices k;
        StoreReport report = new StoreReport();
        Path storeRoot = store == null ? KernelStore.defaultRoot() : store;
        try (Progress p = new Progress("kernel", !quiet.on())) {
            if (noStore) {
                k = b2 == null ? engine.gram(b1, p) : engine.cross(b1, b2, p);
                if (b2 == null) {
                    KernelChecks.requireGram(engine, b1, k, "kernel");
                } else {
                    KernelChecks.requireCross(engine, b1, b2, k, "kernel");
                }
            } else {
                KernelStore ks = KernelStore.open(storeRoot).withBlockSize(blockSize).withListener(report);
                String label = "x1=" + x1 + (x2 == null ? "" : " x2=" + x2) + " split=" + split.name() + " limit=" + limit
                    + " image-size=" + imageSize.size() + " color=" + color.mode() + " seed=" + seed;
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
        Map<String, String> texts = new LinkedHashMap<>();
        r1.rowOrder("x1", arrays, texts);
        if (r2 != null) {
            r2.rowOrder("x2", arrays, texts);
        }
        Npz.write(out.out, arrays, texts);
        if (!quiet.on()) {
            System.out.printf(Locale.ROOT, "%s: %d x %d kernel of %s on %dx%dx%d inputs%s in %.2f s (%s) -> %s%n",
                which.equals("both") ? "nngp+ntk" : which, k.rows(), k.cols(), a.spec(), b1.height(), b1.width(),
                b1.channels(), r1.split() == null && (r2 == null || r2.split() == null) ? ""
                    : " (" + split.name() + " split; row order in the .npz)", seconds,
                CommonOptions.threads(engine.threads()), out.out);
            if (!noStore) {
                System.out.println(report.summary(storeRoot));
            }
        }
        return 0;
    }
}
