package io.eqntk.cli;

import io.eqntk.data.ColorMode;
import io.eqntk.experiment.ExperimentConfig;
import io.eqntk.experiment.ExperimentData;
import io.eqntk.experiment.ExperimentRunner;
import io.eqntk.experiment.KernelKind;
import io.eqntk.experiment.KernelSource;
import io.eqntk.experiment.ModelSpec;
import io.eqntk.predict.Ridge;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYSeries;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The experiment's plot: every training size labelled, lines offset so that interval bars do not coincide. */
class ExperimentPlotTest {
    @Test
    void everyTrainingSizeIsLabelledAndLinesAreOffset() throws Exception {
        List<Integer> sizes = List.of(4, 8, 16, 30);
        ExperimentConfig c = new ExperimentConfig("pcam-1000", 6,
            ModelSpec.parseList("a=conv(3, SAME) relu gap dense;b=lift(C2, 3, SAME) relu gpool dense"),
            List.of(KernelKind.NTK, KernelKind.NNGP), sizes, 1, 12, 12, 0, List.of(Ridge.relative(1e-2)),
            ColorMode.RGB, null, 0, 0);
        ExperimentRunner.Result res = new ExperimentRunner(KernelSource.engine(2)).run(c, ExperimentData.load(c),
            null, null);
        ExperimentOutput.Plot plot = ExperimentOutput.plot(res);
        assertEquals(List.of("n = 4", "n = 8", "n = 16", "n = 30"), plot.sizeLabels());
        // XChart's own x tick labels are blank (its log axis would label only 10): the sizes come from the grid
        Set<String> xTicks = new HashSet<>();
        for (double v = 0; v < 2; v += 0.1) {
            xTicks.add(plot.chart().getStyler().getxAxisTickLabelsFormattingFunction().apply(v));
        }
        assertEquals(Set.of(""), xTicks);
        // four lines (2 models x 2 kernels), each with its own x position at every size
        Set<Double> xAt16 = new HashSet<>();
        int lines = 0;
        for (XYSeries s : plot.chart().getSeriesCollection()) {
            if (s.isShowInLegend()) {
                lines++;
                double[] x = s.getXData();
                assertEquals(sizes.size(), x.length);
                xAt16.add(x[2]);
                assertEquals(Math.log10(16), x[2], 0.05, "close to its size on the log axis");
            }
        }
        assertEquals(4, lines);
        assertEquals(4, xAt16.size(), "no two lines share an x position");
        assertTrue(plot.chart().getYAxisTitle().contains("%") && plot.chart().getXAxisTitle().contains("log"));
        byte[] png = BitmapEncoder.getBitmapBytes(plot.chart(), BitmapEncoder.BitmapFormat.PNG);
        assertTrue(png.length > 1000);
    }
}
