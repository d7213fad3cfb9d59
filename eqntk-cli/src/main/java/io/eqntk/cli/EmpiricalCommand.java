package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.model.Limits;
import io.eqntk.data.ColorMode;
import io.eqntk.data.ImageSource;
import io.eqntk.network.EmpiricalKernels;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npz;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelChecks;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "empirical", mixinStandardHelpOptions = true,
    description = {
        "Monte-Carlo NNGP and NTK of finite networks, compared with the exact kernels.",
        "",
        "Kernels of finite networks of the given width: the empirical NNGP (mean over random networks",
        "and outputs of f(x) f(x')) and the empirical NTK (sum over parameters of gradient products, averaged over",
        "outputs and networks), each with its standard error over networks; compared with the analytic kernels.",
        ""},
    footer = {"",
        "Example:",
        "  eqntk empirical --arch 'lift(C4, 3, SAME) relu gpool dense' --x1 x.npy --width 64 --samples 100"})
public final class EmpiricalCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, paramLabel = "SPEC", description = "architecture string")
    String arch;

    @Option(names = "--x1", required = true, paramLabel = "SOURCE", description = "inputs: .npy [N, H, W, C] or a dataset")
    String x1;

    @Option(names = "--width", defaultValue = "64", description = "channels of every hidden affine layer (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--outputs", defaultValue = "8", description = "outputs of the last layer, averaged over (default: ${DEFAULT-VALUE})")
    int outputs;

    @Option(names = "--samples", defaultValue = "100", description = "number of random networks (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    CommonOptions.Threads threads;

    @Mixin
    CommonOptions.OptionalNpzOut out;

    @Mixin
    CommonOptions.Split split;

    @Option(names = "--limit", defaultValue = "4", paramLabel = "N", description = "for datasets: number of images (default: ${DEFAULT-VALUE})")
    int limit;

    @Mixin
    CommonOptions.ImageSize imageSize = new CommonOptions.ImageSize(0);

    @Mixin
    CommonOptions.Color color = new CommonOptions.Color(ColorMode.KEEP);

    @Mixin
    CommonOptions.Quiet quiet;

    @Override
    public Integer call() {
        Limits.count("--width", width, 1, 4096, "a dense layer of width W holds W^2 weights per network");
        Limits.count("--outputs", outputs, 1, 4096, "every output adds a backward pass per network");
        Limits.count("--samples", samples, 2, 1_000_000, "networks are drawn one after another");
        Limits.count("--limit", limit, 0, 4096, "every pair of images is printed");
        int t = threads.resolve();
        Architecture a = Architecture.parse(arch);
        ImageBatch x = ImageBatch.of(ImageSource.read("--x1", x1, split.name(), limit, imageSize.size(), color.mode(),
            seed));
        Limits.inputMagnitude("--x1 (" + x1 + ")", x.data(), x.imageSize());
        a.validate(x.height(), x.width(), x.channels());
        KernelEngine engine = new KernelEngine(a, t);
        KernelMatrices exact = engine.gram(x, ProgressListener.NONE);
        KernelChecks.requireGram(engine, x, exact, "analytic kernel");
        EmpiricalKernels.Result r;
        try (Progress p = new Progress("networks", !quiet.on())) {
            r = EmpiricalKernels.estimate(a, x, width, outputs, samples, seed, t, p);
        }
        requireFinite(r.nngp().mean(), r.nngp().stdError(), "NNGP");
        requireFinite(r.ntk().mean(), r.ntk().stdError(), "NTK");
        int n = x.count();
        System.out.printf(Locale.ROOT, "%s%nwidth %d, %d outputs, %d networks of %d parameters%n", a.spec(), width,
            outputs, samples, r.parameters());
        System.out.printf(Locale.ROOT, "%-7s %12s %12s %10s %7s   %12s %12s %10s %7s%n", "pair", "nngp", "mc", "se", "z",
            "ntk", "mc", "se", "z");
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                System.out.printf(Locale.ROOT, "%-7s %12.6g %12.6g %10.3g %7.2f   %12.6g %12.6g %10.3g %7.2f%n",
                    i + "," + j, exact.nngp(i, j), r.nngp().mean(i, j), r.nngp().stdError(i, j),
                    z(r.nngp().mean(i, j), exact.nngp(i, j), r.nngp().stdError(i, j)),
                    exact.ntk(i, j), r.ntk().mean(i, j), r.ntk().stdError(i, j),
                    z(r.ntk().mean(i, j), exact.ntk(i, j), r.ntk().stdError(i, j)));
            }
        }
        if (out.out != null) {
            int[] shape = {n, n};
            Map<String, NdArray> m = new LinkedHashMap<>();
            m.put("nngp", new NdArray(shape, r.nngp().mean()));
            m.put("nngp_se", new NdArray(shape, r.nngp().stdError()));
            m.put("ntk", new NdArray(shape, r.ntk().mean()));
            m.put("ntk_se", new NdArray(shape, r.ntk().stdError()));
            m.put("nngp_exact", new NdArray(shape, exact.nngp()));
            m.put("ntk_exact", new NdArray(shape, exact.ntk()));
            Npz.write(out.out, m);
        }
        return 0;
    }

    /** The z-score; NaN (printed as such) when the standard error is zero, never a z of 0 that reads as agreement. */
    private static double z(double mc, double exact, double se) {
        return se > 0 ? (mc - exact) / se : mc == exact ? 0 : Double.NaN;
    }

    /** Finite networks whose outputs overflowed give non-finite estimates: an error, not a table of NaN. */
    private static void requireFinite(double[] mean, double[] se, String kernel) {
        for (int i = 0; i < mean.length; i++) {
            if (!Double.isFinite(mean[i]) || !Double.isFinite(se[i])) {
                throw new EqntkException("the finite networks' " + kernel + " estimate is not finite (entry " + i
                    + ": " + mean[i] + " +- " + se[i] + "): their outputs overflowed; check the inputs' scale and "
                    + "the layers' w and b");
            }
        }
    }
}
