package io.eqntk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eqntk.EqntkException;
import io.eqntk.experiment.ExperimentConfig;
import io.eqntk.experiment.ExperimentData;
import io.eqntk.experiment.ResultRow;
import io.eqntk.experiment.SummaryRow;
import io.eqntk.io.AtomicFiles;
import io.eqntk.experiment.ExperimentRunner;
import io.eqntk.experiment.ModelSpec;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.model.Precision;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes the files of an experiment (atomically) and formats its terminal table. */
final class ExperimentOutput {
    private ExperimentOutput() {
    }

    static final List<String> RESULT_KEYS = List.of("model", "kernel", "train_size", "seed", "ridge",
        "accuracy_fraction", "valid_accuracy_fraction", "balanced_accuracy_fraction", "auc", "sensitivity_fraction",
        "specificity_fraction", "log_likelihood", "ece_fraction", "ridge_kind", "ridge_used", "architecture",
        "image_size", "dataset", "seconds", "kernel_seconds");
    static final List<String> SUMMARY_KEYS = List.of("model", "kernel", "train_size", "seeds",
        "accuracy_mean_fraction", "accuracy_std_fraction", "accuracy_ci95_low_fraction",
        "accuracy_ci95_high_fraction", "accuracy_min_fraction", "accuracy_max_fraction",
        "balanced_accuracy_fraction", "auc", "sensitivity_fraction", "specificity_fraction", "log_likelihood",
        "ece_fraction", "architecture");
    static final List<String> COMPARISON_KEYS = List.of("kernel", "train_size", "model", "baseline", "seeds",
        "test_images", "accuracy_difference_fraction", "ci95_low_fraction", "ci95_high_fraction", "excludes_zero");

    static Map<String, Object> row(ResultRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.model());
        m.put("kernel", r.kernel());
        m.put("train_size", r.trainSize());
        m.put("seed", r.seed());
        m.put("ridge", finite(r.ridge()));
        m.put("accuracy_fraction", r.accuracy());
        m.put("valid_accuracy_fraction", r.validAccuracy());
        m.put("balanced_accuracy_fraction", r.balancedAccuracy());
        m.put("auc", finite(r.auc()));
        m.put("sensitivity_fraction", finite(r.sensitivity()));
        m.put("specificity_fraction", finite(r.specificity()));
        m.put("log_likelihood", finite(r.logLikelihood()));
        m.put("ece_fraction", finite(r.ece()));
        m.put("ridge_kind", r.ridgeKind());
        m.put("ridge_used", finite(r.ridgeUsed()));
        m.put("architecture", r.architecture());
        m.put("image_size", r.imageSize());
        m.put("dataset", r.dataset());
        m.put("seconds", r.seconds());
        m.put("kernel_seconds", r.kernelSeconds());
        return m;
    }

    static Map<String, Object> row(SummaryRow s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", s.model());
        m.put("kernel", s.kernel());
        m.put("train_size", s.trainSize());
        m.put("seeds", s.seeds());
        m.put("accuracy_mean_fraction", s.mean());
        m.put("accuracy_std_fraction", s.std());
        m.put("accuracy_ci95_low_fraction", s.accuracyCi().low());
        m.put("accuracy_ci95_high_fraction", s.accuracyCi().high());
        m.put("accuracy_min_fraction", s.min());
        m.put("accuracy_max_fraction", s.max());
        m.put("balanced_accuracy_fraction", s.balancedAccuracy());
        m.put("auc", finite(s.auc()));
        m.put("sensitivity_fraction", finite(s.sensitivity()));
        m.put("specificity_fraction", finite(s.specificity()));
        m.put("log_likelihood", finite(s.logLikelihood()));
        m.put("ece_fraction", finite(s.ece()));
        m.put("architecture", s.architecture());
        return m;
    }

    static Map<String, Object> row(ExperimentRunner.Comparison c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel", c.kernel());
        m.put("train_size", c.trainSize());
        m.put("model", c.model());
        m.put("baseline", c.baseline());
        m.put("seeds", c.seeds());
        m.put("test_images", c.testImages());
        m.put("accuracy_difference_fraction", c.difference().mean());
        m.put("ci95_low_fraction", c.difference().low());
        m.put("ci95_high_fraction", c.difference().high());
        m.put("excludes_zero", c.difference().excludesZero());
        return m;
    }

    /** NaN (a metric that does not apply) as JSON null and an empty CSV cell. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** What run.json records about the invocation (besides the settings and timings of the run). */
    record Invocation(String version, String commandLine, String timestamp, String store, int threads,
                      double loadSeconds, double seconds, String precision) {
    }

    /**
     * Writes every output file into {@code dir} (created), each atomically; the plot last.
     *
     * @param predictions also write predictions.csv (every test image of every combination)
     */
    static void writeAll(Path dir, ExperimentRunner.Result res, ExperimentData data, Invocation inv,
                         boolean predictions) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EqntkException("cannot create output folder " + dir + ": " + e.getMessage(), e);
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<Map<String, Object>> rows = res.rows().stream().map(ExperimentOutput::row).collect(Collectors.toList());
        List<Map<String, Object>> summary = res.summary().stream().map(ExperimentOutput::row)
            .collect(Collectors.toList());
        List<Map<String, Object>> comparisons = res.comparisons().stream().map(ExperimentOutput::row)
            .collect(Collectors.toList());
        writeJson(json, dir.resolve("results.json"), rows);
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(RESULT_KEYS, rows));
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("summary", summary);
        sum.put("comparisons", comparisons);
        sum.put("confusion", confusions(res));
        writeJson(json, dir.resolve("summary.json"), sum);
        AtomicFiles.writeString(dir.resolve("summary.csv"), csv(SUMMARY_KEYS, summary));
        AtomicFiles.writeString(dir.resolve("comparisons.csv"), csv(COMPARISON_KEYS, comparisons));
        AtomicFiles.writeString(dir.resolve("confusion.csv"), confusionCsv(res));
        if (predictions) {
            AtomicFiles.writeString(dir.resolve("predictions.csv"), predictionsCsv(res));
        }
        writeJson(json, dir.resolve("run.json"), run(res, data, inv));
        writePlot(dir.resolve("accuracy.png"), res);
    }

    private static List<Map<String, Object>> confusions(ExperimentRunner.Result res) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ExperimentRunner.Confusion c : res.confusions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", c.model());
            m.put("kernel", c.kernel());
            m.put("train_size", c.trainSize());
            m.put("seeds", c.seeds());
            m.put("classes", res.classNames());
            m.put("rows_true_columns_predicted", c.counts());
            out.add(m);
        }
        return out;
    }

    /** One line per model, kernel and true class; one column per predicted class (counts summed over seeds). */
    static String confusionCsv(ExperimentRunner.Result res) {
        StringBuilder s = new StringBuilder("model,kernel,train_size,seeds,true_class");
        for (String c : res.classNames()) {
            s.append(",predicted_").append(cell(c));
        }
        s.append('\n');
        for (ExperimentRunner.Confusion c : res.confusions()) {
            for (int t = 0; t < c.counts().length; t++) {
                s.append(cell(c.model())).append(',').append(c.kernel()).append(',').append(c.trainSize()).append(',')
                    .append(c.seeds()).append(',').append(cell(res.classNames().get(t)));
                for (int v : c.counts()[t]) {
                    s.append(',').append(v);
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    /** Every test image of every combination: predicted class, regression scores and (NNGP) probabilities. */
    static String predictionsCsv(ExperimentRunner.Result res) {
        List<String> classes = res.classNames();
        StringBuilder s = new StringBuilder("model,kernel,train_size,seed,image,label,predicted");
        for (String c : classes) {
            s.append(",score_").append(cell(c));
        }
        for (String c : classes) {
            s.append(",probability_").append(cell(c));
        }
        s.append('\n');
        int k = classes.size();
        for (ResultRow r : res.rows()) {
            for (int i = 0; i < res.testCount(); i++) {
                s.append(cell(r.model())).append(',').append(r.kernel()).append(',').append(r.trainSize()).append(',')
                    .append(r.seed()).append(',').append(cell(res.testIds().get(i))).append(',')
                    .append(cell(classes.get(res.testLabels()[i]))).append(',')
                    .append(cell(classes.get(r.predicted()[i])));
                for (int c = 0; c < k; c++) {
                    s.append(',').append(repr(r.scores()[i * k + c]));
                }
                for (int c = 0; c < k; c++) {
                    s.append(',').append(r.probabilities() == null ? "" : repr(r.probabilities()[i * k + c]));
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    private static Map<String, Object> run(ExperimentRunner.Result res, ExperimentData data, Invocation inv) {
        ExperimentConfig c = res.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eqntk_version", inv.version());
        m.put("command_line", inv.commandLine());
        m.put("timestamp", inv.timestamp());
        m.put("store", inv.store());
        m.put("dataset", c.dataset());
        m.put("image_size", c.imageSize());
        m.put("crop_center", c.cropCenter() == 0 ? null : c.cropCenter());
        m.put("color", c.color() == null ? "dataset default (" + (data.channels() == 1 ? "grayscale" : "rgb") + ")"
            : c.color().name().toLowerCase(Locale.ROOT));
        m.put("channels", data.channels());
        m.put("classes", data.numClasses());
        m.put("class_names", res.classNames());
        Map<String, String> models = new LinkedHashMap<>();
        c.models().forEach(x -> models.put(x.name(), x.spec()));
        m.put("models", models);
        m.put("kernels", c.kernels().stream().map(k -> k.label()).toList());
        m.put("train_sizes", c.trainSizes());
        m.put("seeds", c.seeds());
        m.put("ridges", c.ridges().stream().map(Object::toString).toList());
        m.put("rotate_test", data.rotatedBy() == null ? null : data.rotatedBy().name());
        m.put("data_seed", c.dataSeed());
        m.put("train_pool", data.train().count());
        m.put("kernel_pool", res.poolSize());
        m.put("valid", res.validCount());
        m.put("test", res.testCount());
        m.put("threads", inv.threads());
        m.put("kernel_precision", inv.precision());
        // what each kernel model actually ran in: spherical kernels are float64 whatever --precision says
        Map<String, String> effective = new LinkedHashMap<>();
        Precision asked = Precision.of(inv.precision());
        for (ModelSpec x : c.models()) {
            if (!x.isFinite()) {
                effective.put(x.name(), x.architecture().isSpherical() ? Precision.FLOAT64.label()
                    : new KernelEngine(x.architecture(), 1).withPrecision(asked).precision().label());
            }
        }
        m.put("kernel_precision_by_model", effective);
        m.put("load_seconds", inv.loadSeconds());
        m.put("warmup_seconds", res.warmupSeconds());
        m.put("kernel_seconds", res.kernelSeconds());
        m.put("seconds", inv.seconds());
        m.put("units", "accuracies, rates, AUC and ECE are fractions in [0, 1]; the table and plot show percent");
        m.put("notes", data.notes());
        m.put("warnings", res.warnings());
        return m;
    }

    private static void writeJson(ObjectMapper json, Path p, Object value) {
        AtomicFiles.write(p, out -> json.writeValue(new NonClosing(out), value));
    }

    /** Jackson closes the stream it writes to; the atomic writer closes it itself. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    static String csv(List<String> keys, List<Map<String, Object>> rows) {
        StringBuilder s = new StringBuilder(String.join(",", keys)).append('\n');
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String k : keys) {
                cells.add(cell(r.get(k)));
            }
            s.append(String.join(",", cells)).append('\n');
        }
        return s.toString();
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        String t = v instanceof Double d ? repr(d) : v.toString();
        if (t.contains(",") || t.contains("\"") || t.contains("\n")) {
            return "\"" + t.replace("\"", "\"\"") + "\"";
        }
        return t;
    }

    /** The shortest decimal that reads back as the same double. */
    private static String repr(double d) {
        return Double.toString(d);
    }

    private static final java.awt.Color[] PALETTE = {new java.awt.Color(31, 119, 180), new java.awt.Color(214, 39, 40),
        new java.awt.Color(44, 160, 44), new java.awt.Color(148, 103, 189), new java.awt.Color(255, 127, 14),
        new java.awt.Color(140, 86, 75), new java.awt.Color(227, 119, 194), new java.awt.Color(23, 190, 207)};
    /** Horizontal offset between neighbouring lines at one size, in decades of the log axis. */
    private static final double OFFSET_DECADES = 0.012;

    /** The chart of {@link #writePlot}, with the labels it puts under each training size (for tests). */
    record Plot(XYChart chart, List<String> sizeLabels) {
    }

    /**
     * Test accuracy (percent) against training-set size on a log axis: one line per model and kernel (NNGP
     * dashed), each point with its 95% bootstrap interval over test images and seeds as a vertical bar; the lines
     * are shifted slightly sideways so that the bars of one size do not hide each other. The x axis is
     * log10(size) drawn linearly, with a labelled grid line at every training size (XChart's own log axis labels
     * only powers of ten).
     */
    static Plot plot(ExperimentRunner.Result res) {
        System.setProperty("java.awt.headless", "true");
        ExperimentConfig c = res.config();
        String crop = c.cropCenter() > 0 ? "centre " + c.cropCenter() + " px, " : "";
        XYChart chart = new XYChartBuilder().width(1000).height(650)
            .title("Test accuracy on " + c.dataset() + " (" + crop + c.imageSize() + "x" + c.imageSize() + ", "
                + c.seeds() + (c.seeds() == 1 ? " seed" : " seeds") + ", " + res.testCount()
                + " test images; bars: 95% bootstrap interval)")
            .xAxisTitle("training-set size (images, log scale)").yAxisTitle("test accuracy (%)").build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setxAxisTickLabelsFormattingFunction(v -> "");
        st.setPlotGridVerticalLinesVisible(false);
        Map<String, List<SummaryRow>> lines = new LinkedHashMap<>();
        for (SummaryRow s : res.summary()) {
            lines.computeIfAbsent(s.model() + " " + s.kernel(), k -> new ArrayList<>()).add(s);
        }
        List<String> models = new ArrayList<>();
        c.models().forEach(m -> models.add(m.name()));
        double lo = 100;
        double hi = 0;
        int line = 0;
        for (Map.Entry<String, List<SummaryRow>> e : lines.entrySet()) {
            List<SummaryRow> l = e.getValue();
            double shift = OFFSET_DECADES * (line - (lines.size() - 1) / 2.0);
            java.awt.Color color = PALETTE[models.indexOf(l.get(0).model()) % PALETTE.length];
            boolean dashed = l.get(0).kernel().equals("nngp");
            double[] x = new double[l.size()];
            double[] y = new double[l.size()];
            for (int i = 0; i < l.size(); i++) {
                SummaryRow s = l.get(i);
                x[i] = Math.log10(s.trainSize()) + shift;
                y[i] = 100 * s.mean();
                double ciLo = 100 * s.accuracyCi().low();
                double ciHi = 100 * s.accuracyCi().high();
                lo = Math.min(lo, ciLo);
                hi = Math.max(hi, ciHi);
                XYSeries bar = chart.addSeries(e.getKey() + " ci " + s.trainSize(), new double[] {x[i], x[i]},
                    new double[] {ciLo, ciHi});
                bar.setMarker(SeriesMarkers.NONE);
                bar.setLineColor(color);
                bar.setLineStyle(new java.awt.BasicStroke(1.5f));
                bar.setShowInLegend(false);
            }
            XYSeries series = chart.addSeries(shortName(e.getKey()), x, y);
            series.setMarker(dashed ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
            series.setMarkerColor(color);
            series.setLineColor(color);
            series.setLineStyle(dashed ? new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f) : new java.awt.BasicStroke(2f));
            line++;
        }
        double pad = Math.max(1, 0.05 * (hi - lo));
        double yMin = Math.max(0, Math.floor(lo - 2 * pad));
        double yMax = Math.min(100, Math.ceil(hi + pad));
        st.setYAxisMin(yMin);
        st.setYAxisMax(yMax);
        double span = OFFSET_DECADES * lines.size();
        st.setXAxisMin(Math.log10(c.trainSizes().get(0)) - span - 0.05);
        st.setXAxisMax(Math.log10(c.maxTrainSize()) + span + 0.05);
        List<String> labels = new ArrayList<>();
        for (int n : c.trainSizes()) {
            double x = Math.log10(n);
            AnnotationLine grid = new AnnotationLine(x, true, false);
            chart.addAnnotation(grid);
            String label = "n = " + n;
            chart.addAnnotation(new AnnotationText(label, x, yMin + 0.35 * pad, false));
            labels.add(label);
        }
        st.setAnnotationLineColor(new java.awt.Color(200, 200, 200));
        st.setAnnotationTextFontColor(java.awt.Color.DARK_GRAY);
        st.setAnnotationTextFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 13));
        return new Plot(chart, List.copyOf(labels));
    }

    static void writePlot(Path p, ExperimentRunner.Result res) {
        byte[] png;
        try {
            png = BitmapEncoder.getBitmapBytes(plot(res).chart(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new EqntkException("cannot render accuracy.png: " + e.getMessage(), e);
        }
        AtomicFiles.writeBytes(p, png);
    }

    private static String shortName(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /**
     * Three tables: test accuracy (percent) per size and model/kernel as mean ± std over seeds; the paired
     * difference of every model against the first one (percentage points) with its 95% bootstrap interval, a
     * star where the interval excludes zero; and the other metrics at the largest size.
     */
    static String table(ExperimentRunner.Result res) {
        List<String> cols = new ArrayList<>();
        Map<String, SummaryRow> cell = new LinkedHashMap<>();
        for (SummaryRow s : res.summary()) {
            String col = s.model() + "/" + s.kernel();
            if (!cols.contains(col)) {
                cols.add(col);
            }
            cell.put(col + "\u0000" + s.trainSize(), s);
        }
        List<String> names = new ArrayList<>();
        for (String col : cols) {
            names.add(col.length() > 24 ? col.substring(0, 21) + "..." : col);
        }
        int w = 13;
        for (String n : names) {
            w = Math.max(w, n.length());
        }
        StringBuilder sb = new StringBuilder();
        int seeds = res.config().seeds();
        sb.append(String.format(Locale.ROOT, "test accuracy (%%), mean \u00b1 std over %d seed%s, %d test images%n",
            seeds, seeds == 1 ? "" : "s", res.testCount()));
        sb.append(String.format(Locale.ROOT, "%6s", "n"));
        for (String n : names) {
            sb.append("  ").append(pad(n, w));
        }
        sb.append('\n');
        for (int size : res.config().trainSizes()) {
            sb.append(String.format(Locale.ROOT, "%6d", size));
            for (String col : cols) {
                SummaryRow s = cell.get(col + "\u0000" + size);
                String v = s == null ? "-" : String.format(Locale.ROOT, "%.1f \u00b1 %.1f", 100 * s.mean(), 100 * s.std());
                sb.append("  ").append(pad(v, w));
            }
            sb.append('\n');
        }
        // every model against the first model of its kind (kernel models per kernel; trained networks)
        Map<String, String> firstOf = new LinkedHashMap<>();
        res.comparisons().forEach(c -> firstOf.putIfAbsent(c.kernel(), c.baseline()));
        List<ExperimentRunner.Comparison> vsBase = res.comparisons().stream()
            .filter(c -> c.baseline().equals(firstOf.get(c.kernel()))).toList();
        if (!vsBase.isEmpty()) {
            List<String> dcols = new ArrayList<>();
            Map<String, ExperimentRunner.Comparison> dcell = new LinkedHashMap<>();
            for (ExperimentRunner.Comparison c : vsBase) {
                String col = c.model() + "-" + c.baseline() + "/" + c.kernel();
                if (!dcols.contains(col)) {
                    dcols.add(col);
                }
                dcell.put(col + "\u0000" + c.trainSize(), c);
            }
            int dw = 20;
            for (String col : dcols) {
                dw = Math.max(dw, Math.min(col.length(), 28));
            }
            sb.append(String.format(Locale.ROOT, "%npaired difference in test accuracy (percentage points) with 95%% "
                + "bootstrap interval over test images and seeds; * = interval excludes 0%n"));
            sb.append(String.format(Locale.ROOT, "%6s", "n"));
            for (String col : dcols) {
                sb.append("  ").append(pad(col.length() > 28 ? col.substring(0, 25) + "..." : col, dw));
            }
            sb.append('\n');
            for (int size : res.config().trainSizes()) {
                sb.append(String.format(Locale.ROOT, "%6d", size));
                for (String col : dcols) {
                    ExperimentRunner.Comparison c = dcell.get(col + "\u0000" + size);
                    String v = c == null ? "-" : String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]%s",
                        100 * c.difference().mean(), 100 * c.difference().low(), 100 * c.difference().high(),
                        c.difference().excludesZero() ? "*" : " ");
                    sb.append("  ").append(pad(v, dw));
                }
                sb.append('\n');
            }
        }
        int n = res.config().maxTrainSize();
        boolean binary = res.classNames().size() == 2;
        sb.append(String.format(Locale.ROOT, "%nat n = %d, means over seeds (%%, log-likelihood in nats; "
            + "LL and ECE from the NNGP posterior, for sgd rows from the network's softmax)%n", n));
        sb.append(String.format(Locale.ROOT, "%-24s %8s %8s %8s", "model/kernel", "acc", "bal.acc", "AUC"));
        if (binary) {
            sb.append(String.format(Locale.ROOT, " %8s %8s", "sens", "spec"));
        }
        sb.append(String.format(Locale.ROOT, " %8s %8s%n", "LL", "ECE"));
        for (SummaryRow s : res.summary()) {
            if (s.trainSize() != n) {
                continue;
            }
            String name = s.model() + "/" + s.kernel();
            sb.append(String.format(Locale.ROOT, "%-24s %8.1f %8.1f %8.1f", name.length() > 24
                ? name.substring(0, 21) + "..." : name, 100 * s.mean(), 100 * s.balancedAccuracy(), 100 * s.auc()));
            if (binary) {
                sb.append(String.format(Locale.ROOT, " %8.1f %8.1f", 100 * s.sensitivity(), 100 * s.specificity()));
            }
            sb.append(Double.isFinite(s.logLikelihood())
                ? String.format(Locale.ROOT, " %8.3f %8.1f%n", s.logLikelihood(), 100 * s.ece())
                : String.format(Locale.ROOT, " %8s %8s%n", "-", "-"));
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        StringBuilder b = new StringBuilder();
        for (int i = s.length(); i < w; i++) {
            b.append(' ');
        }
        return b.append(s).toString();
    }
}
