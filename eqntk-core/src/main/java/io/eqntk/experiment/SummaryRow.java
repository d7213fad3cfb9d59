package io.eqntk.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test accuracy of one model, kernel and training-set size over seeds.
 *
 * @param std the sample standard deviation over seeds (n - 1 in the denominator; 0 for one seed)
 */
public record SummaryRow(String model, String architecture, String kernel, int trainSize, int seeds, double mean,
                         double std, double min, double max) {

    /** Groups rows by (model, kernel, size) in their first-seen order and summarises each group. */
    public static List<SummaryRow> of(List<ResultRow> rows) {
        Map<String, List<ResultRow>> groups = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            groups.computeIfAbsent(r.model() + "\u0000" + r.kernel() + "\u0000" + r.trainSize(),
                k -> new ArrayList<>()).add(r);
        }
        List<SummaryRow> out = new ArrayList<>();
        for (List<ResultRow> g : groups.values()) {
            int n = g.size();
            double mean = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (ResultRow r : g) {
                mean += r.accuracy();
                min = Math.min(min, r.accuracy());
                max = Math.max(max, r.accuracy());
            }
            mean /= n;
            double ss = 0;
            for (ResultRow r : g) {
                ss += (r.accuracy() - mean) * (r.accuracy() - mean);
            }
            double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
            ResultRow f = g.get(0);
            out.add(new SummaryRow(f.model(), f.architecture(), f.kernel(), f.trainSize(), n, mean, std, min, max));
        }
        return out;
    }
}
