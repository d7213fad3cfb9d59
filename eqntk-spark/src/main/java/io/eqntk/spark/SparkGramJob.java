package io.eqntk.spark;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.data.ColorMode;
import io.eqntk.data.ImageSource;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import io.eqntk.io.Npz;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.store.BlockId;
import io.eqntk.store.StoreListener;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code spark-submit} entry point: fills the kernel store with the Gram matrix of a data set.
 *
 * <pre>
 * spark-submit --class io.eqntk.spark.SparkGramJob eqntk-spark/target/eqntk-spark-job.jar \
 *   --arch 'lift(C4, 3, SAME) relu gconv(3, SAME) relu gpool dense' --x pcam --split train --limit 1000 \
 *   --image-size 16 --color rgb --store /shared/eqntk-store [--block-size 256] [--task-threads 1] \
 *   [--driver-writes] [--verify] [--shared-images /shared/x.npy] [--out k.npz]
 * </pre>
 * Without a master in the Spark configuration it runs in {@code local[*]}. The images, the architecture and
 * the store folder are checked before Spark starts; every failure ends with one line on standard error,
 * {@code eqntk-spark: error: ...}, and exit code 2 for a bad submission (also when the executors report it,
 * for example a store they cannot write), 1 for any other failure of the Spark job.
 */
public final class SparkGramJob {
    private SparkGramJob() {
    }

    private static final Set<String> FLAGS = Set.of("driver-writes", "verify");
    private static final Set<String> OPTIONS = Set.of("arch", "x", "split", "limit", "image-size", "color", "seed",
        "store", "block-size", "task-threads", "shared-images", "out");

    public static void main(String[] args) {
        int code;
        try {
            run(args);
            code = 0;
        } catch (Exception e) { // Spark's job failures are checked SparkExceptions thrown unchecked
            EqntkException user = userError(e);
            System.err.println("eqntk-spark: error: " + oneLine(user != null ? user.getMessage() : describe(e)));
            code = user != null ? 2 : 1;
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void run(String[] args) {
        Map<String, String> a = parse(args);
        String arch = need(a, "arch");
        String source = need(a, "x");
        Path store = Path.of(need(a, "store"));
        SparkGram.Options o = new SparkGram.Options()
            .blockSize(intOption(a, "block-size", 256))
            .taskThreads(intOption(a, "task-threads", 1))
            .driverWrites(a.containsKey("driver-writes"))
            .verify(a.containsKey("verify"));
        ColorMode color;
        try {
            color = ColorMode.valueOf(a.getOrDefault("color", "keep").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new EqntkException("--color must be rgb, grayscale or keep, got '" + a.get("color") + "'");
        }
        // everything the user can get wrong is checked here, before a Spark context exists, cheap checks first
        Architecture parsed = Architecture.parse(arch);
        try {
            Files.createDirectories(store);
        } catch (IOException e) {
            throw new EqntkException("--store: cannot create the store folder " + store + ": "
                + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        ImageBatch x = ImageBatch.of(ImageSource.read("--x", source, a.getOrDefault("split", "train"),
            intOption(a, "limit", 0), intOption(a, "image-size", 0), color, intOption(a, "seed", 0)));
        parsed.validate(x.height(), x.width(), x.channels());
        o.label("x=" + source + " " + a);
        if (a.containsKey("shared-images")) {
            Path p = Path.of(a.get("shared-images"));
            Npy.write(p, new NdArray(new int[] {x.count(), x.height(), x.width(), x.channels()}, x.data()));
            o.sharedImages(p.toAbsolutePath().toString());
        }
        SparkConf conf = new SparkConf().setAppName("eqntk-gram");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            SparkGram.Result r = SparkGram.run(sc, arch, x, store, o, new StoreListener() {
                @Override
                public void damaged(BlockId block, Path file, String reason) {
                    System.err.println("eqntk-spark: damaged block " + file + " (" + reason + "): recomputed");
                }
            });
            long retried = r.reports().stream().filter(t -> t.attempt() > 0).count();
            System.out.printf(Locale.ROOT, "eqntk-spark: %d x %d Gram matrix of %s: %d blocks, %d tasks, %d computed, "
                    + "%d retried in %.2f s -> %s%n", x.count(), x.count(), arch, r.blocks(), r.tasks(), r.computed(),
                retried, r.seconds(), r.entry().dir());
            if (a.containsKey("out")) {
                KernelMatrices k = r.entry().assemble();
                Map<String, NdArray> m = new LinkedHashMap<>();
                m.put("nngp", new NdArray(new int[] {k.rows(), k.cols()}, k.nngp()));
                m.put("ntk", new NdArray(new int[] {k.rows(), k.cols()}, k.ntk()));
                Npz.write(Path.of(a.get("out")), m);
            }
        }
    }

    /** The user's mistake behind a failure, also when Spark wraps one reported by an executor. */
    private static EqntkException userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EqntkException u) {
                return u;
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : m;
    }

    /** The first line (Spark's job-abort messages carry the executor's stack trace after it). */
    private static String oneLine(String m) {
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    private static int intOption(Map<String, String> a, String k, int def) {
        String v = a.get(k);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new EqntkException("--" + k + " must be an integer, got '" + v + "'");
        }
    }

    /** --key value pairs (--driver-writes and --verify take no value); an unknown option is an error. */
    static Map<String, String> parse(String[] args) {
        return parse(args, OPTIONS, FLAGS);
    }

    /** --key value pairs for the given options and flags (flags take no value). */
    static Map<String, String> parse(String[] args, Set<String> options, Set<String> flags) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new EqntkException("unexpected argument '" + args[i] + "'");
            }
            String k = args[i].substring(2);
            if (flags.contains(k)) {
                m.put(k, "true");
            } else if (!options.contains(k)) {
                TreeSet<String> known = new TreeSet<>(options);
                known.addAll(flags);
                throw new EqntkException("unknown option --" + k + " (known: --" + String.join(", --", known) + ")");
            } else if (i + 1 < args.length) {
                m.put(k, args[++i]);
            } else {
                throw new EqntkException("--" + k + " needs a value");
            }
        }
        return m;
    }

    private static String need(Map<String, String> a, String k) {
        String v = a.get(k);
        if (v == null) {
            throw new EqntkException("--" + k + " is required");
        }
        return v;
    }
}
