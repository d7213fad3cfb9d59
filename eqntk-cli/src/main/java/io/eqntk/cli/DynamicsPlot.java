package io.eqntk.cli;

import io.eqntk.dynamics.Dynamics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * dynamics.png (legend in the first panel): one panel per test input (output 0) with the two analytic mean predictions against t as lines
 * and the finite ensembles as points with error bars (slightly offset in t so they do not overlap), and a last
 * panel with each ensemble's distance to the analytic curve against width (log-log).
 */
final class DynamicsPlot {
    private static final Color[] GCNN = {new Color(0x9ecae1), new Color(0x4292c6), new Color(0x08519c),
        new Color(0x08306b)};
    private static final Color[] AUG = {new Color(0xfdae6b), new Color(0xf16913), new Color(0xa63603),
        new Color(0x7f2704)};

    private DynamicsPlot() {
    }

    static byte[] png(DynamicsReport r) {
        System.setProperty("java.awt.headless", "true");
        Dynamics.Result res = r.res;
        List<XYChart> charts = new ArrayList<>();
        double[] t = res.times();
        double span = t[t.length - 1] - t[0];
        int k = res.k();
        for (int i = 0; i < res.nTest(); i++) {
            XYChart c = new XYChartBuilder().width(520).height(380).title(r.in.testNames().get(i))
                .xAxisTitle("training time t").yAxisTitle("mean prediction").build();
            style(c);
            if (i > 0) {
                c.getStyler().setLegendVisible(false);
            }
            double[] g = column(res.gcnnFlowFine(), i * k);
            double[] a = column(res.augmentedFlowFine(), i * k);
            double[] tf = res.fineTimes();
            XYSeries sg = c.addSeries("GCNN NTK (analytic)", tf, g);
            sg.setMarker(SeriesMarkers.NONE);
            sg.setLineColor(Color.BLACK);
            sg.setLineStyle(new BasicStroke(2.5f));
            XYSeries sa = c.addSeries("augmented CNN NTK (analytic)", tf, a);
            sa.setMarker(SeriesMarkers.NONE);
            sa.setLineColor(new Color(0xd62728));
            sa.setLineStyle(SeriesLines.DASH_DASH);
            int gi = 0;
            int ai = 0;
            int idx = 0;
            int nCurves = res.curves().size();
            for (Dynamics.Curve cv : res.curves()) {
                boolean gc = cv.model().equals("gcnn");
                double off = span * 0.012 * (idx - (nCurves - 1) / 2.0);
                double[] x = new double[t.length];
                for (int j = 0; j < t.length; j++) {
                    x[j] = t[j] + off;
                }
                XYSeries s = c.addSeries((gc ? "GCNN" : "aug. CNN") + " width " + cv.width(), x,
                    column(cv.mean(), i * k), column(cv.stdError(), i * k));
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                Color col = gc ? GCNN[Math.min(gi++, GCNN.length - 1)] : AUG[Math.min(ai++, AUG.length - 1)];
                s.setMarkerColor(col);
                s.setLineColor(col);
                s.setMarker(gc ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                idx++;
            }
            charts.add(c);
        }
        if (!res.curves().isEmpty()) {
            XYChart c = new XYChartBuilder().width(520).height(380).title("distance to the analytic curve")
                .xAxisTitle("width").yAxisTitle("rms(ensemble mean - analytic)").build();
            style(c);
            c.getStyler().setXAxisLogarithmic(true);
            c.getStyler().setYAxisLogarithmic(true);
            for (String model : new String[] {"gcnn", "augmented_cnn"}) {
                List<Double> w = new ArrayList<>();
                List<Double> d = new ArrayList<>();
                List<Double> se = new ArrayList<>();
                for (Dynamics.Curve cv : res.curves()) {
                    if (cv.model().equals(model)) {
                        w.add((double) cv.width());
                        d.add(Math.max(cv.distance(), 1e-12));
                        se.add(Math.max(cv.rmsStdError(), 1e-12));
                    }
                }
                boolean gc = model.equals("gcnn");
                XYSeries s = c.addSeries(String.format(java.util.Locale.ROOT, "%s (slope %.2f)",
                    gc ? "GCNN" : "augmented CNN", r.slope(model)), w, d);
                s.setMarker(gc ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                s.setLineColor(gc ? GCNN[2] : AUG[2]);
                s.setMarkerColor(gc ? GCNN[2] : AUG[2]);
                XYSeries f = c.addSeries((gc ? "GCNN" : "aug. CNN") + " rms std. error", w, se);
                f.setMarker(SeriesMarkers.NONE);
                f.setLineStyle(SeriesLines.DOT_DOT);
                f.setLineColor(gc ? GCNN[0] : AUG[0]);
            }
            charts.add(c);
        }
        int cols = Math.min(3, charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        while (charts.size() < rows * cols) {
            XYChart blank = new XYChartBuilder().width(520).height(380).build();
            blank.getStyler().setLegendVisible(false);
            blank.getStyler().setChartTitleVisible(false);
            blank.getStyler().setAxisTicksVisible(false);
            blank.getStyler().setPlotBorderVisible(false);
            blank.getStyler().setChartBackgroundColor(Color.WHITE);
            blank.getStyler().setPlotBackgroundColor(Color.WHITE);
            blank.getStyler().setPlotGridLinesVisible(false);
            blank.addSeries(" ", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
            charts.add(blank);
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(charts, rows, cols, bytes, BitmapEncoder.BitmapFormat.PNG);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void style(XYChart c) {
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(9f));
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        c.getStyler().setLegendBackgroundColor(new Color(255, 255, 255, 170));
        c.getStyler().setMarkerSize(6);
        c.getStyler().setErrorBarsColorSeriesColor(true);
    }

    private static double[] column(double[][] m, int e) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][e];
        }
        return out;
    }
}
