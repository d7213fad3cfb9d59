package io.eqntk.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Test metrics of one model, kernel and training-set size over seeds (fractions in [0, 1]).
 *
 * @param std         the sample standard deviation of the accuracy over seeds (n - 1 in the denominator; 0 for
 *                    one seed)
 * @param accuracyCi  the accuracy's 95% bootstrap interval over test images and seeds ({@link PairedBootstrap})
 * @param balancedAccuracy, auc, sensitivity, specificity, logLikelihood, ece: means over seeds (NaN where the
 *                    metric does not apply)
 */
public record SummaryRow(String model, String architecture, String kernel, int trainSize, int seeds, double mean,
                         double std, double min, double max, PairedBootstrap.Interval accuracyCi,
                         double balancedAccuracy, double auc, double sensitivity, double specificity,
                         double logLikelihood, double ece) {

    /** Groups rows by (model, kernel, size) in their first-seen order and summarises each group. */
    public static List<SummaryRow> of(List<ResultRow> rows, int[] testLabels) {
        Map<String, List<ResultRow>> groups = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            groups.computeIfAbsent(r.model() + "\u0000" + r.kernel() + "\u0000" + r.trainSize(),
                k -> new ArrayList<>()).add(r);
        }
        List<SummaryRow> out = new ArrayList<>();
        for (List<ResultRow> g : groups.values()) {
            int n = g.size();
            double mean = mean(g, ResultRow::accuracy);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double ss = 0;
            for (ResultRow r : g) {
                min = Math.min(min, r.accuracy());
                max = Math.max(max, r.accuracy());
                ss += (r.accuracy() - mean) * (r.accuracy() - mean);
            }
            double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
            ResultRow f = g.get(0);
            PairedBootstrap.Interval ci = PairedBootstrap.mean(ExperimentRunner.correctness(g, testLabels),
                0xC1L + f.trainSize());
            out.add(new SummaryRow(f.model(), f.architecture(), f.kernel(), f.trainSize(), n, mean, std, min, max, ci,
                mean(g, ResultRow::balancedAccuracy), mean(g, ResultRow::auc), mean(g, ResultRow::sensitivity),
                mean(g, ResultRow::specificity), mean(g, ResultRow::logLikelihood), mean(g, ResultRow::ece)));
        }
        return out;
    }

    private static double mean(List<ResultRow> g, ToDoubleFunction<ResultRow> f) {
        double s = 0;
        for (ResultRow r : g) {
            s += f.applyAsDouble(r);
        }
        return s / g.size();
    }
}
