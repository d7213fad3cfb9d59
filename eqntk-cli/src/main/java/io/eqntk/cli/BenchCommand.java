package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.model.Limits;
import io.eqntk.data.ColorMode;
import io.eqntk.finite.Blas;
import io.eqntk.bench.FiniteTimings;
import io.eqntk.data.ImageSource;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.InnerLoopTimings;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.model.Precision;
import io.eqntk.kernel.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Benchmarks of the kernel engine (numbers only; they never fail on timing).",
        "Cases:",
        "  nt21   (conv(3, SAME) relu) x 21, gap, dense on 32x32x3 standard-normal inputs, NTK and NNGP together",
        "         (neural-tangents: 112.9 ms per entry on a >56-core CPU, 2.70 ms on a V100, float32)",
        "  paper  the experiment's architecture at 32x32x3 for CNN, C4 and D4, with the ratios C4/CNN and D4/CNN",
        "  myrtle5 Myrtle-5 (named network myrtle5) at 32x32x3 for CNN, C4 and D4 (full-block path), with the ratios",
        "  wrn    WideResNet wrn(16, 1) at 32x32x3 (needs residual branches and strides in the build)",
        "  gram   the Gram matrix of 256 PCam patches at 32x32 for the C4 network, end to end, threads 1 and 2",
        "  loops  ns per entry of the slice path's inner loops (ReLU map, box sums) and of the vector square root",
        "         and fma they are made of, one thread, against nt21's budget per entry and layer",
        "  so3    s2lift(L, pi/8) relu so3conv(L, pi/8) relu so3pool dense at L = 4, 6, 8 (--bandwidths, up to 12;",
        "         L = 12 needs about 6 GB: EQNTK_JAVA_OPTS=-Xmx8g): ms per pair, one thread",
        "  finite forward + backward of finite CNN, C4 and D4 networks (widths 32 and 128, 16x16 and 32x32, float32",
        "         and float64): images/s and GFLOP/s of their products, next to the GEMM rate of the same BLAS;",
        "         and the C4 width-32 8x8 network per image against the plain loops",
        ""},
    footer = {"", "Examples:", "  eqntk bench --case nt21", "  eqntk bench --case paper --precision float32 --json",
        "  eqntk bench --case gram --images 64 --threads 2"})
public final class BenchCommand implements Callable<Integer> {
    static final String NT21 = "[conv(3, SAME) relu]*21 gap dense";
    static final String PAPER_CNN = "conv(3, VALID) relu conv(3, VALID) relu gap dense relu dense";
    static final String PAPER_C4 = "lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense relu dense";
    static final String PAPER_D4 = "lift(D4, 3, VALID) relu gconv(3, VALID) relu gpool dense relu dense";

    /** WideResNet-16 (2 residual blocks per group), k = 1: the depth neural-tangents' WRN examples start from. */
    static final String WRN = "wrn(16, 1)";

    static final String FINITE_CNN = "conv(3, VALID) relu conv(3, VALID) relu gap dense";
    static final String FINITE_GROUP = "lift(%s, 3, VALID) relu gconv(3, VALID) relu gpool dense";

    @Option(names = "--case", required = true, paramLabel = "nt21|paper|myrtle5|wrn|gram|loops|finite|so3", description = "which benchmark")
    String benchCase;

    @Mixin
    CommonOptions.Threads threads;

    @Option(names = "--precision", defaultValue = "FLOAT64", paramLabel = "float64|float32",
        description = "arithmetic of the slice path (default: float64); with float32, nt21 and paper also "
            + "report the largest relative difference from float64 on the timed batch")
    Precision precision;

    @Option(names = "--batch", paramLabel = "N",
        description = "images in the timed Gram matrix of nt21 and paper, N (N + 1) / 2 entries (default: 6 for nt21, "
            + "16 for paper)")
    Integer batch;

    @Option(names = "--images", defaultValue = "256", paramLabel = "N", description = "images in the gram case (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--bandwidths", split = ",", paramLabel = "L,...", description = "so3: bandwidths (default: 4,6,8)")
    int[] bandwidths;

    @Option(names = "--json", description = "print one JSON object with the results on the last line")
    boolean json;

    @Override
    public Integer call() {
        int t = threads.resolve();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("case", benchCase);
        r.put("threads", t);
        r.put("precision", precision.label());
        switch (benchCase.toLowerCase(Locale.ROOT)) {
            case "nt21": {
                batch = batch == null ? 6 : batch;
                double ms = msPerEntry(NT21, 32, t, r, "");
                r.put("ms_per_entry", ms);
                r.put("pairs_per_second", 1000 / ms);
                System.out.printf(Locale.ROOT, "nt21: %.2f ms per NTK+NNGP entry, %.2f pairs/s, %s, %s "
                    + "(neural-tangents: 112.9 ms on >56 CPU cores, 2.70 ms on a V100)%n", ms, 1000 / ms, CommonOptions.threads(t),
                    precision.label());
                break;
            }
            case "paper": {
                batch = batch == null ? 16 : batch;
                threeGroups("paper", PAPER_CNN, PAPER_C4, PAPER_D4, t, r);
                break;
            }
            case "myrtle5": {
                batch = batch == null ? 3 : batch;
                threeGroups("myrtle5", "myrtle5", "myrtle5@c4", "myrtle5@d4", t, r);
                break;
            }
            case "wrn": {
                batch = batch == null ? 3 : batch;
                double ms = msPerEntry(WRN, 32, t, r, "");
                r.put("ms_per_entry", ms);
                System.out.printf(Locale.ROOT, "%s @32x32x3: %.2f ms per NTK+NNGP entry, %s, %s%n", WRN, ms,
                    CommonOptions.threads(t), r.get("kernel_precision"));
                break;
            }
            case "gram": {
                Limits.count("--images", images, 2, 5000, "PCam's training split used here has 5,000 patches");
                ImageBatch x = ImageBatch.of(ImageSource.read("--case gram", "pcam", "train", images, 32,
                    ColorMode.RGB, 0));
                KernelEngine e1 = new KernelEngine(Architecture.parse(PAPER_C4), 1).withPrecision(precision);
                long t0 = System.nanoTime();
                e1.gram(x, ProgressListener.NONE);
                double s1 = (System.nanoTime() - t0) / 1e9;
                KernelEngine e2 = new KernelEngine(Architecture.parse(PAPER_C4), 2).withPrecision(precision);
                t0 = System.nanoTime();
                e2.gram(x, ProgressListener.NONE);
                double s2 = (System.nanoTime() - t0) / 1e9;
                long entries = (long) x.count() * (x.count() + 1) / 2;
                r.put("images", x.count());
                r.put("seconds_1_thread", s1);
                r.put("seconds_2_threads", s2);
                r.put("speedup", s1 / s2);
                r.put("ms_per_entry", s2 * 1000 / entries);
                System.out.printf(Locale.ROOT, "gram: %d PCam patches at 32x32, C4 network: %.1f s with 1 thread, %.1f s with 2"
                    + " (speed-up %.2f), %.2f ms per entry%n", x.count(), s1, s2, s1 / s2, s2 * 1000 / entries);
                break;
            }
            case "loops": {
                loops(r);
                break;
            }
            case "finite": {
                finite(r, t);
                break;
            }
            case "so3": {
                for (int bw : bandwidths == null ? new int[] {4, 6, 8} : bandwidths) {
                    // beyond L = 8 a pass takes minutes here: one timed self pass (all passes cost the same)
                    io.eqntk.sphere.kernel.SphericalBenchmark.Timing tm = io.eqntk.sphere.kernel.SphericalBenchmark.time(bw,
                        bw > 8 ? 1 : 3);
                    r.put("ms_per_pair_L" + bw, tm.msPerPass());
                    r.put("cpu_ms_per_pair_L" + bw, tm.cpuMsPerPass());
                    System.out.printf(Locale.ROOT, "so3 L=%d (N=%d grid rotations): %.0f ms per pair (NNGP+NTK; CPU %.0f ms),"
                        + " 1 thread%n", bw, tm.gridSize(), tm.msPerPass(), tm.cpuMsPerPass());
                }
                break;
            }
            default:
                throw new EqntkException("unknown --case '" + benchCase + "' (nt21, paper, myrtle5, wrn, gram, loops, finite or so3)");
        }
        long peak = peakHeap();
        r.put("peak_heap_mb", peak / 1e6);
        System.out.printf(Locale.ROOT, "peak heap %.0f MB%n", peak / 1e6);
        if (json) {
            System.out.println(Json.object(r));
        }
        return 0;
    }

    /**
     * The inner loops per entry (one thread), and what nt21's goals (issue 18: 25 ms in float64, 11 ms in float32
     * per entry) allow per entry and layer on two cores: the goal x 2 cores over 21 layers of 2^20 entries. The
     * cheapest ReLU map this engine's formulation allows is one square root and its two polynomials' fma chains (24
     * in float64, 10 in float32), before any other operation; with the box sums as measured, that floor gives the
     * least nt21 time per entry these loops could reach on two perfectly balanced cores.
     */
    private static void loops(Map<String, Object> r) {
        Map<String, Double> m = InnerLoopTimings.measure(400);
        double layers = 21.0 * (1 << 20);
        double budget64 = 25e6 * 2 / layers;
        double budget32 = 11e6 * 2 / layers;
        for (Map.Entry<String, Double> e : m.entrySet()) {
            r.put(e.getKey() + "_ns", e.getValue());
            System.out.printf(Locale.ROOT, "%-18s %.3f ns per entry%n", e.getKey(), e.getValue());
        }
        r.put("nt21_budget_float64_ns", budget64);
        r.put("nt21_budget_float32_ns", budget32);
        System.out.printf(Locale.ROOT, "nt21 goals on 2 cores allow %.3f ns (float64) and %.3f ns (float32) per entry and"
            + " layer for the map and both box sums together%n", budget64, budget32);
        if (m.containsKey("sqrt_float64")) {
            double floor64 = m.get("sqrt_float64") + 24 * m.get("fma_float64");
            double floor32 = m.get("sqrt_float32") + 10 * m.get("fma_float32");
            r.put("relu_floor_float64_ns", floor64);
            r.put("relu_floor_float32_ns", floor32);
            System.out.printf(Locale.ROOT, "square root + polynomial fma alone: %.3f ns (float64), %.3f ns (float32)%n",
                floor64, floor32);
            if (m.containsKey("box_sums_float64")) {
                double nt21Floor64 = (floor64 + m.get("box_sums_float64")) * layers / 2 / 1e6;
                double nt21Floor32 = (floor32 + m.get("box_sums_float32")) * layers / 2 / 1e6;
                double nt21Now64 = (m.get("relu_map_float64") + m.get("box_sums_float64")) * layers / 2 / 1e6;
                double nt21Now32 = (m.get("relu_map_float32") + m.get("box_sums_float32")) * layers / 2 / 1e6;
                r.put("nt21_floor_float64_ms", nt21Floor64);
                r.put("nt21_floor_float32_ms", nt21Floor32);
                r.put("nt21_loops_float64_ms", nt21Now64);
                r.put("nt21_loops_float32_ms", nt21Now32);
                System.out.printf(Locale.ROOT, "nt21 per entry on 2 cores from these loops: %.1f ms (float64), %.1f ms"
                    + " (float32); at the floor (map = square root + fmas, box sums as measured): %.1f ms, %.1f ms"
                    + " (goals 25 and 11 ms)%n", nt21Now64, nt21Now32, nt21Floor64, nt21Floor32);
            }
        }
    }

    /**
     * The finite networks' passes against the GEMM rate of the same BLAS on the same threads. conv_gflops_w128 is
     * the lowest whole-network rate over the float64 width-128 cases (convolutions are nearly all of their work).
     */
    private static void finite(Map<String, Object> r, int threads) {
        Blas blas = Blas.system();
        r.put("blas", blas.description());
        double gemm64 = FiniteTimings.gemmGflops(blas, Precision.FLOAT64, 1024, threads);
        double gemm32 = FiniteTimings.gemmGflops(blas, Precision.FLOAT32, 1024, threads);
        r.put("gemm_gflops", gemm64);
        r.put("gemm_gflops_float32", gemm32);
        System.out.printf(Locale.ROOT, "BLAS: %s%nGEMM 1024^3 on %d threads: %.1f GFLOP/s float64, %.1f GFLOP/s float32%n",
            blas.description(), threads, gemm64, gemm32);
        System.out.printf(Locale.ROOT, "%-5s %5s %5s %-8s %5s %10s %10s %9s %7s%n", "model", "size", "width", "prec",
            "batch", "ms/image", "images/s", "GFLOP/s", "%GEMM");
        double lowest64 = Double.POSITIVE_INFINITY;
        double lowest32 = Double.POSITIVE_INFINITY;
        for (String model : new String[] {"cnn", "c4", "d4"}) {
            String spec = model.equals("cnn") ? FINITE_CNN : String.format(Locale.ROOT, FINITE_GROUP, model.toUpperCase(Locale.ROOT));
            for (int width : new int[] {32, 128}) {
                for (int size : new int[] {16, 32}) {
                    for (Precision p : Precision.values()) {
                        FiniteTimings.Pass pass = FiniteTimings.time(spec, size, width, p, threads, blas);
                        double gemm = p == Precision.FLOAT64 ? gemm64 : gemm32;
                        String key = model + "_w" + width + "_" + size + "x" + size + "_" + p.label();
                        r.put("images_per_second_" + key, pass.imagesPerSecond());
                        r.put("gflops_" + key, pass.gflops());
                        if (width == 128) {
                            if (p == Precision.FLOAT64) {
                                lowest64 = Math.min(lowest64, pass.gflops());
                            } else {
                                lowest32 = Math.min(lowest32, pass.gflops());
                            }
                        }
                        System.out.printf(Locale.ROOT, "%-5s %5d %5d %-8s %5d %10.3f %10.1f %9.1f %6.0f%%%n", model, size,
                            width, p.label(), pass.batch(), pass.msPerImage(), pass.imagesPerSecond(), pass.gflops(),
                            100 * pass.gflops() / gemm);
                    }
                }
            }
        }
        r.put("conv_gflops_w128", lowest64);
        r.put("conv_gflops_w128_float32", lowest32);
        String c4 = String.format(Locale.ROOT, FINITE_GROUP, "C4");
        FiniteTimings.Pass small = FiniteTimings.time(c4, 8, 32, Precision.FLOAT64, threads, blas);
        FiniteTimings.Pass small32 = FiniteTimings.time(c4, 8, 32, Precision.FLOAT32, threads, blas);
        double plain = FiniteTimings.plainMsPerImage(c4, 8, 32);
        r.put("ms_per_image_c4_w32_8x8", small.msPerImage());
        r.put("ms_per_image_c4_w32_8x8_float32", small32.msPerImage());
        r.put("plain_ms_per_image_c4_w32_8x8", plain);
        r.put("speedup_c4_w32_8x8", plain / small.msPerImage());
        System.out.printf(Locale.ROOT, "lowest width-128 rate: %.1f GFLOP/s float64 (%.0f%% of GEMM), %.1f float32 (%.0f%%)%n",
            lowest64, 100 * lowest64 / gemm64, lowest32, 100 * lowest32 / gemm32);
        System.out.printf(Locale.ROOT, "C4 width 32 on 8x8, forward + backward: %.3f ms per image float64 (%.3f float32), "
            + "plain loops %.2f ms: %.0fx%n", small.msPerImage(), small32.msPerImage(), plain, plain / small.msPerImage());
    }

    /** The same network as a CNN and lifted to C4 and D4 at 32x32x3: ms per entry and the ratios to the CNN. */
    private void threeGroups(String label, String cnnSpec, String c4Spec, String d4Spec, int t, Map<String, Object> r) {
        double cnn = msPerEntry(cnnSpec, 32, t, r, "_cnn");
        double c4 = msPerEntry(c4Spec, 32, t, r, "_c4");
        double d4 = msPerEntry(d4Spec, 32, t, r, "_d4");
        r.put("ms_per_entry", cnn);
        r.put("ms_per_entry_c4", c4);
        r.put("ms_per_entry_d4", d4);
        r.put("ratio_c4", c4 / cnn);
        r.put("ratio_d4", d4 / cnn);
        System.out.printf(Locale.ROOT, "%s @32x32x3, %s, %s: CNN %.2f ms, C4 %.2f ms, D4 %.2f ms per entry;"
            + " C4/CNN = %.2f, D4/CNN = %.2f (CPU time per entry, all threads: %.2f, %.2f, %.2f ms)%n", label,
            CommonOptions.threads(t), precision.label(), cnn, c4, d4, c4 / cnn, d4 / cnn, r.get("cpu_ms_per_entry_cnn"),
            r.get("cpu_ms_per_entry_c4"), r.get("cpu_ms_per_entry_d4"));
    }

    /**
     * Milliseconds per kernel entry (NNGP and NTK together): the Gram matrix of {@code batch} standard-normal
     * images (self passes and pairs, every phase parallel over all threads), after a small warm-up Gram.
     */
    private double msPerEntry(String spec, int n, int threads, Map<String, Object> report, String suffix) {
        if (batch < 2) {
            throw new EqntkException("--batch must be at least 2, got " + batch);
        }
        KernelEngine e = new KernelEngine(Architecture.parse(spec), threads).withPrecision(precision);
        report.put("kernel_precision" + suffix, e.precision().label());
        warmUp(e, gaussianImages(2, n, 1));
        ImageBatch x = gaussianImages(batch, n, 0);
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        KernelMatrices k = e.gram(x, ProgressListener.NONE);
        double total = (System.nanoTime() - t0) / 1e6;
        double entries = (double) batch * (batch + 1) / 2;
        if (c0 >= 0) {
            // CPU time of the whole process (workers, and the JIT and GC if still busy): on a machine shared with
            // other jobs it moves less than the wall clock
            double cpu = (processCpuNanos() - c0) / 1e6 / entries;
            report.put("cpu_ms_per_entry" + suffix, cpu);
            System.out.printf(Locale.ROOT, "%s: %.2f ms wall, %.2f ms CPU per entry (%s)%n", spec, total / entries, cpu,
                CommonOptions.threads(threads));
        }
        if (e.precision() != Precision.FLOAT64) {
            KernelMatrices ref = e.withPrecision(Precision.FLOAT64).gram(x, ProgressListener.NONE);
            double worst = 0;
            for (int i = 0; i < k.nngp().length; i++) {
                worst = Math.max(worst, Math.abs(k.nngp()[i] - ref.nngp()[i]) / Math.abs(ref.nngp()[i]));
                worst = Math.max(worst, Math.abs(k.ntk()[i] - ref.ntk()[i]) / Math.abs(ref.ntk()[i]));
            }
            report.put("max_rel_diff_float64" + suffix, worst);
            System.out.printf(Locale.ROOT, "%s: largest relative difference from float64 %.2e%n", spec, worst);
        }
        return total / entries;
    }

    /**
     * Warm-up Grams until the JIT has compiled the hot loops: at least four, then until one is no more than 5%
     * faster than the best before it (at most 20). On a loaded machine the compiler threads get little time, and a
     * single warm-up left the timed Gram partly in unoptimised code (the vector maps run 100x slower there).
     */
    private static void warmUp(KernelEngine e, ImageBatch x) {
        // the 2-image Gram runs its one pair alone: where the timed Gram runs pairs in vector lanes, a one-thread
        // cross matrix of a lane's worth of pairs compiles those loops too
        int lanes = e.pairLanes(x.height(), x.width());
        KernelEngine one = new KernelEngine(e.architecture(), 1).withPrecision(e.precision());
        ImageBatch first = new ImageBatch(x.image(0), 1, x.height(), x.width(), x.channels());
        ImageBatch others = lanes > 1 ? gaussianImages(lanes, x.height(), 2) : null;
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 20; round++) {
            long t0 = System.nanoTime();
            e.gram(x, ProgressListener.NONE);
            if (others != null) {
                one.cross(first, others, ProgressListener.NONE);
            }
            double t = System.nanoTime() - t0;
            boolean settled = round >= 3 && t > 0.95 * best;
            best = Math.min(best, t);
            if (settled) {
                return;
            }
        }
    }

    /** CPU time of this process in ns, or -1 where the platform does not report it. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
            ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
    }

    private static ImageBatch gaussianImages(int count, int n, long seed) {
        Random rnd = new Random(seed);
        double[] a = new double[count * n * n * 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
        }
        return new ImageBatch(a, count, n, n, 3);
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
