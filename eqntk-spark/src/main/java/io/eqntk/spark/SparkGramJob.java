package io.eqntk.spark;

import io.eqntk.EqntkException;
import io.eqntk.data.ColorMode;
import io.eqntk.data.Dataset;
import io.eqntk.data.Datasets;
import io.eqntk.data.Images;
import io.eqntk.data.LoadOptions;
import io.eqntk.data.Preprocess;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import io.eqntk.io.Npz;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.store.BlockId;
import io.eqntk.store.StoreListener;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code spark-submit} entry point: fills the kernel store with the Gram matrix of a data set.
 *
 * <pre>
 * spark-submit --class io.eqntk.spark.SparkGramJob eqntk-spark/target/eqntk-spark-job.jar \
 *   --arch 'lift(C4, 3, SAME) relu gconv(3, SAME) relu gpool dense' --x pcam --split train --limit 1000 \
 *   --image-size 16 --color rgb --store /shared/eqntk-store [--block-size 256] [--task-threads 1] \
 *   [--driver-writes] [--verify] [--shared-images /shared/x.npy] [--out k.npz]
 * </pre>
 * Without a master in the Spark configuration it runs in {@code local[*]}.
 */
public final class SparkGramJob {
    private SparkGramJob() {
    }

    public static void main(String[] args) {
        Map<String, String> a = parse(args);
        String arch = need(a, "arch");
        String source = need(a, "x");
        Path store = Path.of(need(a, "store"));
        SparkGram.Options o = new SparkGram.Options()
            .blockSize(Integer.parseInt(a.getOrDefault("block-size", "256")))
            .taskThreads(Integer.parseInt(a.getOrDefault("task-threads", "1")))
            .driverWrites(a.containsKey("driver-writes"))
            .verify(a.containsKey("verify"));
        ImageBatch x = load(source, a.getOrDefault("split", "train"), Integer.parseInt(a.getOrDefault("limit", "0")),
            Integer.parseInt(a.getOrDefault("image-size", "0")),
            ColorMode.valueOf(a.getOrDefault("color", "keep").toUpperCase(Locale.ROOT)),
            Long.parseLong(a.getOrDefault("seed", "0")));
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
            System.out.printf(Locale.ROOT, "eqntk-spark: %d x %d Gram matrix of %s: %d blocks, %d tasks, %d computed in "
                    + "%.2f s -> %s%n", x.count(), x.count(), arch, r.blocks(), r.tasks(), r.computed(), r.seconds(),
                r.entry().dir());
            if (a.containsKey("out")) {
                KernelMatrices k = r.entry().assemble();
                Map<String, NdArray> m = new LinkedHashMap<>();
                m.put("nngp", new NdArray(new int[] {k.rows(), k.cols()}, k.nngp()));
                m.put("ntk", new NdArray(new int[] {k.rows(), k.cols()}, k.ntk()));
                Npz.write(Path.of(a.get("out")), m);
            }
        }
    }

    static ImageBatch load(String source, String split, int limit, int size, ColorMode color, long seed) {
        if (source.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            NdArray n = Npy.read(Path.of(source));
            int[] s = n.shape();
            if (s.length != 4) {
                throw new EqntkException(source + " must be [N, H, W, C]");
            }
            return new ImageBatch(n.data(), s[0], s[1], s[2], s[3]);
        }
        Dataset d = Datasets.open(source, Datasets.defaultDataRoot(),
            LoadOptions.defaults().withSize(size).withColorMode(color).withSeed(seed));
        Images im = d.split(split);
        if (im == null) {
            throw new EqntkException("dataset " + source + " has no split '" + split + "'");
        }
        if (limit > 0 && limit < im.count()) {
            im = Preprocess.balancedSubset(im, limit, seed);
        }
        return new ImageBatch(im.data(), im.count(), im.height(), im.width(), im.channels());
    }

    /** --key value pairs (--driver-writes and --verify take no value). */
    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new EqntkException("unexpected argument '" + args[i] + "'");
            }
            String k = args[i].substring(2);
            if (k.equals("driver-writes") || k.equals("verify")) {
                m.put(k, "true");
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
