package io.eqntk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eqntk.EqntkException;
import io.eqntk.data.ImageFiles;
import io.eqntk.data.Images;
import io.eqntk.experiment.FittedModel;
import io.eqntk.experiment.KernelSource;
import io.eqntk.io.AtomicFiles;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Applies a model folder written by 'eqntk fit' to new images.",
        "",
        "Images are prepared as the training images were (centre crop, resize, colour, the training",
        "statistics' standardisation). Writes one CSV line per image: file, predicted class, the probability",
        "of every class (Gaussian posterior), the predictive entropy (nats) and the posterior standard deviation.",
        "When the images carry labels (a folder of class folders), it also writes the label and prints the",
        "metrics (accuracy, balanced accuracy, AUC, log-likelihood, ECE; sensitivity and specificity for two",
        "classes), also saved beside the CSV as <out>.metrics.json.",
        ""},
    footer = {"", "--images: one image file, a folder of images, a folder of class folders (labelled), or a .npy",
        "array [N, H, W, C] at the model's size and channels with pixel values as loaded (0..1, not standardised).",
        "", "Examples:",
        "  eqntk predict --model models/blood-d4 --images ../shared/data/pbc-blood/test --out blood-test.csv",
        "  eqntk predict --model models/blood-d4 --images new-smear/ --out new.csv"})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a model folder from 'eqntk fit'")
    Path model;

    @Option(names = "--images", required = true, paramLabel = "DIR|FILE",
        description = "the images (see below)")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "the predictions")
    Path out;

    @Mixin
    CommonOptions.Threads threads;

    @Mixin
    CommonOptions.Quiet quiet;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            throw new EqntkException("--out " + out + " is a folder; give a file name such as predictions.csv");
        }
        int nThreads = threads.resolve();
        FittedModel fm = FittedModel.load(model);
        Images raw = read(fm);
        FittedModel.Prediction p;
        try (Progress bar = new Progress("kernels", !quiet.on())) {
            p = fm.predict(raw, KernelSource.engine(nThreads), bar);
        }
        List<String> classes = fm.classNames();
        int k = classes.size();
        StringBuilder s = new StringBuilder("file");
        if (p.labels() != null) {
            s.append(",label");
        }
        s.append(",predicted");
        for (String c : classes) {
            s.append(",probability_").append(csv(c));
        }
        s.append(",entropy_nats,posterior_sd\n");
        for (int i = 0; i < p.ids().size(); i++) {
            s.append(csv(p.ids().get(i)));
            if (p.labels() != null) {
                s.append(',').append(csv(classes.get(p.labels()[i])));
            }
            s.append(',').append(csv(classes.get(p.predicted()[i])));
            for (int c = 0; c < k; c++) {
                s.append(',').append(p.probabilities()[i * k + c]);
            }
            s.append(',').append(p.entropy()[i]).append(',').append(p.posteriorSd()[i]).append('\n');
        }
        AtomicFiles.writeString(out, s.toString());
        if (p.labels() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model.toString());
            m.put("images", images.toString());
            m.put("count", p.ids().size());
            m.putAll(p.metrics(k));
            Path mj = out.resolveSibling(out.getFileName() + ".metrics.json");
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.writeString(mj, json.writeValueAsString(m) + "\n");
            if (!quiet.on()) {
                List<String> parts = new ArrayList<>();
                p.metrics(k).forEach((key, v) -> parts.add(key.replace("_fraction", "") + " "
                    + (key.endsWith("_fraction") || key.equals("auc") ? String.format(Locale.ROOT, "%.1f%%", 100 * v)
                    : String.format(Locale.ROOT, "%.3f", v))));
                System.out.println(p.ids().size() + " labelled images: " + String.join(", ", parts));
            }
        }
        if (!quiet.on()) {
            System.out.printf(Locale.ROOT, "%d predictions by %s -> %s%n", p.ids().size(), fm, out);
        }
        return 0;
    }

    private Images read(FittedModel fm) {
        String name = images.getFileName() == null ? "" : images.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            if (!Files.isRegularFile(images)) {
                throw new EqntkException("--images: file not found: " + images);
            }
            NdArray a = Npy.read(images);
            int[] s = a.shape();
            if (s.length != 4 || s[0] < 1) {
                throw new EqntkException("--images: " + images + " must be a 4-d array [N, H, W, C] with N >= 1, got "
                    + "shape " + Arrays.toString(s));
            }
            for (double v : a.data()) {
                if (!Double.isFinite(v)) {
                    throw new EqntkException("--images: " + images + " has a non-finite value");
                }
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < s[0]; i++) {
                ids.add(images.getFileName() + "[" + i + "]");
            }
            return new Images(s[0], s[1], s[2], s[3], a.data(), null, ids, List.of());
        }
        return ImageFiles.load(images, fm.loadOptions());
    }

    private static String csv(String t) {
        return t.contains(",") || t.contains("\"") || t.contains("\n") ? "\"" + t.replace("\"", "\"\"") + "\"" : t;
    }
}
