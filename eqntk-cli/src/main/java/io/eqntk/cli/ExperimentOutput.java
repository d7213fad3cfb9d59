package io.eqntk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eqntk.EqntkException;
import io.eqntk.experiment.ExperimentConfig;
import io.eqntk.experiment.ExperimentData;
import io.eqntk.experiment.ExperimentRunner;
import io.eqntk.experiment.ResultRow;
import io.eqntk.experiment.SummaryRow;
import io.eqntk.io.AtomicFiles;
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

    static final List<String> RESULT_KEYS = List.of("model", "kernel", "train_size", "seed", "ridge", "accuracy",
        "valid_accuracy", "ridge_kind", "ridge_used", "architecture", "image_size", "dataset", "seconds",
        "kernel_seconds");
    static final List<String> SUMMARY_KEYS = List.of("model", "kernel", "train_size", "seeds", "mean", "std", "min",
        "max", "architecture");

    static Map<String, Object> row(ResultRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.model());
        m.put("kernel", r.kernel());
        m.put("train_size", r.trainSize());
        m.put("seed", r.seed());
        m.put("ridge", r.ridge());
        m.put("accuracy", r.accuracy());
        m.put("valid_accuracy", r.validAccuracy());
        m.put("ridge_kind", r.ridgeKind());
        m.put("ridge_used", r.ridgeUsed());
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
        m.put("mean", s.mean());
        m.put("std", s.std());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("architecture", s.architecture());
        return m;
    }

    /** Writes every output file into {@code dir} (created), each atomically; the plot last. */
    static void writeAll(Path dir, ExperimentRunner.Result res, ExperimentData data, double loadSeconds,
                         double seconds, int threads) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EqntkException("cannot create output folder " + dir + ": " + e.getMessage(), e);
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<Map<String, Object>> rows = res.rows().stream().map(ExperimentOutput::row).collect(Collectors.toList());
        List<Map<String, Object>> summary = res.summary().stream().map(ExperimentOutput::row)
            .collect(Collectors.toList());
        writeJson(json, dir.resolve("results.json"), rows);
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(RESULT_KEYS, rows));
        writeJson(json, dir.resolve("summary.json"), summary);
        AtomicFiles.writeString(dir.resolve("summary.csv"), csv(SUMMARY_KEYS, summary));
        writeJson(json, dir.resolve("run.json"), run(res, data, loadSeconds, seconds, threads));
        writePlot(dir.resolve("accuracy.png"), res);
    }

    private static Map<String, Object> run(ExperimentRunner.Result res, ExperimentData data, double loadSeconds,
                                           double seconds, int threads) {
        ExperimentConfig c = res.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", c.dataset());
        m.put("image_size", c.imageSize());
        m.put("channels", data.channels());
        m.put("classes", data.numClasses());
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
        m.put("threads", threads);
        m.put("load_seconds", loadSeconds);
        m.put("kernel_seconds", res.kernelSeconds());
        m.put("seconds", seconds);
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

    /** Accuracy (percent) against training-set size, one line per model and kernel, error bars = std over seeds. */
    static void writePlot(Path p, ExperimentRunner.Result res) {
        System.setProperty("java.awt.headless", "true");
        ExperimentConfig c = res.config();
        XYChart chart = new XYChartBuilder().width(900).height(600)
            .title("Test accuracy on " + c.dataset() + " (" + c.imageSize() + "x" + c.imageSize() + ", " + c.seeds()
                + (c.seeds() == 1 ? " seed)" : " seeds, mean \u00b1 std)"))
            .xAxisTitle("training-set size").yAxisTitle("test accuracy (%)").build();
        var st = chart.getStyler();
        st.setXAxisLogarithmic(true);
        st.setLegendPosition(Styler.LegendPosition.InsideSE);
        st.setErrorBarsColorSeriesColor(true);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setXAxisDecimalPattern("#");
        Map<String, List<SummaryRow>> lines = new LinkedHashMap<>();
        for (SummaryRow s : res.summary()) {
            lines.computeIfAbsent(s.model() + " " + s.kernel(), k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, List<SummaryRow>> e : lines.entrySet()) {
            List<SummaryRow> l = e.getValue();
            double[] x = new double[l.size()];
            double[] y = new double[l.size()];
            double[] err = new double[l.size()];
            for (int i = 0; i < l.size(); i++) {
                x[i] = l.get(i).trainSize();
                y[i] = 100 * l.get(i).mean();
                err[i] = 100 * l.get(i).std();
            }
            XYSeries series = chart.addSeries(shortName(e.getKey()), x, y, err);
            series.setMarker(SeriesMarkers.CIRCLE);
            if (e.getKey().endsWith(" nngp")) {
                series.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT,
                    java.awt.BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
            }
        }
        byte[] png;
        try {
            png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new EqntkException("cannot render accuracy.png: " + e.getMessage(), e);
        }
        AtomicFiles.writeBytes(p, png);
    }

    private static String shortName(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** Rows: training-set size; columns: model/kernel, test accuracy in percent as mean ± std over seeds. */
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
        sb.append(String.format(Locale.ROOT, "test accuracy (%%), mean \u00b1 std over %d seed%s%n",
            res.config().seeds(), res.config().seeds() == 1 ? "" : "s"));
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
