package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.data.ColorMode;
import io.eqntk.data.Dataset;
import io.eqntk.data.Datasets;
import io.eqntk.data.Images;
import io.eqntk.data.LoadOptions;
import io.eqntk.data.Preprocess;
import io.eqntk.experiment.ModelSpec;
import io.eqntk.network.Convergence;
import io.eqntk.io.AtomicFiles;
import io.eqntk.kernel.ImageBatch;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "convergence", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "How fast finite networks approach the analytic kernels as their width grows.",
        "",
        "For each width, random networks at",
        "initialisation; per network the relative Frobenius distance ||K_w - K||_F / ||K||_F between its empirical",
        "NNGP (output covariance given its hidden layers) and NTK (per-sample gradients contracted, averaged over",
        "outputs) and the analytic kernels on the same images; mean and standard error over networks, and the",
        "fitted slope of log distance against log width (about -1/2 when fluctuations fall like 1/sqrt(width)).",
        ""},
    footer = {"",
        "Defaults: 8 class-balanced PCam training patches at 8x8 RGB (standardised), the experiment's cnn, c4 and d4",
        "networks, widths 8 to 512, 8 networks per width.",
        "",
        "Example:",
        "  eqntk convergence --models cnn,c4 --widths 8,16,32,64,128 --samples 8 --out runs/convergence"})
public final class ConvergenceCommand implements Callable<Integer> {
    @Option(names = "--models", defaultValue = "cnn,c4,d4", paramLabel = "LIST",
        description = "models as in experiment: cnn, group names, or [name=]architecture separated by ';' (default: ${DEFAULT-VALUE})")
    String models;

    @Option(names = "--data", defaultValue = "pcam", paramLabel = "SOURCE", description = "dataset (name or path) (default: ${DEFAULT-VALUE})")
    String data;

    @Mixin
    CommonOptions.Split split;

    @Option(names = "--images", defaultValue = "8", paramLabel = "N", description = "class-balanced images (default: ${DEFAULT-VALUE})")
    int images;

    @Mixin
    CommonOptions.ImageSize imageSize = new CommonOptions.ImageSize(8);

    @Mixin
    CommonOptions.Color color = new CommonOptions.Color(ColorMode.RGB);

    @Option(names = "--widths", defaultValue = "8,16,32,64,128,256,512", split = ",", paramLabel = "W",
        description = "increasing widths (channels per group element in group layers) (default: ${DEFAULT-VALUE})")
    int[] widths;

    @Option(names = "--samples", defaultValue = "8", paramLabel = "M", description = "networks per width (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--outputs", defaultValue = "1", paramLabel = "K", description = "outputs of the last layer; the NTK is averaged over them (default: ${DEFAULT-VALUE})")
    int outputs;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the image subset and the networks (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    CommonOptions.Threads threads;

    @Mixin
    CommonOptions.OptionalDirOut outDir;

    @Mixin
    CommonOptions.Quiet quiet;

    @Override
    public Integer call() {
        if (images < 2) {
            throw new EqntkException("--images must be at least 2, got " + images);
        }
        if (imageSize.size() < 3) {
            throw new EqntkException("--image-size must be at least 3, got " + imageSize.size());
        }
        int t = threads.resolve();
        Path out = outDir.path();
        Convergence.Config cfg = new Convergence.Config(widths, samples, outputs, seed, t);
        List<ModelSpec> list = ModelSpec.parseList(models);
        LoadOptions opts = LoadOptions.defaults().withSize(imageSize.size()).withColorMode(color.mode()).withSeed(seed);
        Dataset d = Preprocess.standardize(Datasets.open(data, Datasets.defaultDataRoot(), opts));
        Images im = d.split(split.name());
        if (im == null || im.count() < images) {
            throw new EqntkException("--data " + data + " has fewer than " + images + " images in split '" + split.name()
                + "'");
        }
        im = im.hasLabels() ? Preprocess.balancedSubset(im, images, seed) : im;
        ImageBatch x = new ImageBatch(im.data(), images, im.height(), im.width(), im.channels());
        for (ModelSpec m : list) {
            m.architecture().validate(x.height(), x.width(), x.channels());
        }
        long t0 = System.nanoTime();
        List<Convergence.Curve> curves = new ArrayList<>();
        for (ModelSpec m : list) {
            try (Progress p = new Progress(m.name(), !quiet.on())) {
                curves.add(Convergence.run(m.name(), m.architecture(), x, cfg, p));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String description = String.format(Locale.ROOT, "%s %s: %d images %dx%dx%d (standardised), %d networks per width,"
            + " %d output%s", data, split.name(), images, x.height(), x.width(), x.channels(), samples, outputs,
            outputs == 1 ? "" : "s");
        System.out.print(table(curves, description, secs));
        if (out != null) {
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new EqntkException("cannot create --out folder " + out + ": " + e.getMessage());
            }
            AtomicFiles.writeString(out.resolve("convergence.json"), json(curves, description, secs));
            AtomicFiles.writeString(out.resolve("convergence.csv"), csv(curves));
            AtomicFiles.writeBytes(out.resolve("convergence.png"), png(curves, description));
            System.out.println("wrote " + out.resolve("convergence.json") + ", convergence.csv, convergence.png");
        }
        return 0;
    }

    static String table(List<Convergence.Curve> curves, String description, double secs) {
        StringBuilder sb = new StringBuilder();
        sb.append(description).append('\n');
        sb.append("relative Frobenius distance to the analytic kernel, mean ± standard error over networks\n");
        sb.append(String.format(Locale.ROOT, "%-6s %6s %10s %20s %20s %8s%n", "model", "width", "params", "nngp", "ntk",
            "seconds"));
        for (Convergence.Curve c : curves) {
            for (Convergence.Point p : c.points()) {
                sb.append(String.format(Locale.ROOT, "%-6s %6d %10d %10.4f ± %7.4f %10.4f ± %7.4f %8.1f%n", c.model(),
                    p.width(), p.parameters(), p.nngp(), p.nngpStdError(), p.ntk(), p.ntkStdError(), p.seconds()));
            }
            sb.append(String.format(Locale.ROOT, "%-6s log-log slope: nngp %.3f, ntk %.3f%n", c.model(), c.nngpSlope(),
                c.ntkSlope()));
        }
        sb.append(String.format(Locale.ROOT, "%.1f s%n", secs));
        return sb.toString();
    }

    static String json(List<Convergence.Curve> curves, String description, double secs) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("description", description);
        root.put("seconds", secs);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Convergence.Curve c : curves) {
            for (String kernel : new String[] {"nngp", "ntk"}) {
                boolean ntk = kernel.equals("ntk");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", c.model());
                m.put("architecture", c.architecture());
                m.put("kernel", kernel);
                m.put("widths", c.points().stream().mapToInt(Convergence.Point::width).toArray());
                m.put("distances", c.points().stream().mapToDouble(p -> ntk ? p.ntk() : p.nngp()).toArray());
                m.put("std_errors", c.points().stream()
                    .mapToDouble(p -> ntk ? p.ntkStdError() : p.nngpStdError()).toArray());
                m.put("parameters", c.points().stream().mapToInt(Convergence.Point::parameters).toArray());
                m.put("seconds", c.points().stream().mapToDouble(Convergence.Point::seconds).toArray());
                m.put("slope", ntk ? c.ntkSlope() : c.nngpSlope());
                rows.add(m);
            }
        }
        root.put("curves", rows);
        return Json.object(root) + "\n";
    }

    static String csv(List<Convergence.Curve> curves) {
        StringBuilder sb = new StringBuilder("model,kernel,width,parameters,distance,std_error,slope,seconds\n");
        for (Convergence.Curve c : curves) {
            for (String kernel : new String[] {"nngp", "ntk"}) {
                boolean ntk = kernel.equals("ntk");
                for (Convergence.Point p : c.points()) {
                    sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.8g,%.8g,%.6f,%.3f%n", c.model(), kernel,
                        p.width(), p.parameters(), ntk ? p.ntk() : p.nngp(), ntk ? p.ntkStdError() : p.nngpStdError(),
                        ntk ? c.ntkSlope() : c.nngpSlope(), p.seconds()));
                }
            }
        }
        return sb.toString();
    }

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    /** Two log-log panels (NNGP, NTK): distance against width with standard errors, legend with the slopes. */
    static byte[] png(List<Convergence.Curve> curves, String description) {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> charts = new ArrayList<>();
        for (String kernel : new String[] {"NNGP", "NTK"}) {
            boolean ntk = kernel.equals("NTK");
            XYChart c = new XYChartBuilder().width(560).height(420).title(kernel + ": finite width vs analytic")
                .xAxisTitle("width").yAxisTitle("||K_w - K||_F / ||K||_F").build();
            c.getStyler().setChartBackgroundColor(Color.WHITE);
            c.getStyler().setXAxisLogarithmic(true);
            c.getStyler().setYAxisLogarithmic(true);
            c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
            c.getStyler().setErrorBarsColorSeriesColor(true);
            int i = 0;
            for (Convergence.Curve cv : curves) {
                Color col = COLORS[i++ % COLORS.length];
                double[] w = cv.points().stream().mapToDouble(Convergence.Point::width).toArray();
                double[] d = cv.points().stream().mapToDouble(p -> Math.max(1e-12, ntk ? p.ntk() : p.nngp())).toArray();
                double[] se = cv.points().stream().mapToDouble(p -> ntk ? p.ntkStdError() : p.nngpStdError()).toArray();
                double slope = ntk ? cv.ntkSlope() : cv.nngpSlope();
                XYSeries s = c.addSeries(String.format(Locale.ROOT, "%s (slope %.2f)", cv.model(), slope), w, d, se);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setLineColor(col);
                s.setMarkerColor(col);
                // the fitted line through the geometric mean of the points
                double lx = 0;
                double ly = 0;
                for (int j = 0; j < w.length; j++) {
                    lx += Math.log(w[j]) / w.length;
                    ly += Math.log(d[j]) / w.length;
                }
                double[] fit = new double[w.length];
                for (int j = 0; j < w.length; j++) {
                    fit[j] = Math.exp(ly + slope * (Math.log(w[j]) - lx));
                }
                XYSeries f = c.addSeries(cv.model() + " fit " + kernel, w, fit);
                f.setMarker(SeriesMarkers.NONE);
                f.setLineStyle(SeriesLines.DASH_DASH);
                f.setLineColor(col);
                f.setShowInLegend(false);
            }
            charts.add(c);
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(charts, 1, 2, bytes, BitmapEncoder.BitmapFormat.PNG);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
