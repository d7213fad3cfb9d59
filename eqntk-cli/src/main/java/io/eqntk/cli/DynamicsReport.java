package io.eqntk.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqntk.dynamics.Dynamics;

import java.util.List;
import java.util.Locale;

/** The text table, dynamics.json and dynamics.csv of a {@link DynamicsCommand} run. */
final class DynamicsReport {
    final Dynamics.Config cfg;
    final Dynamics.Result res;
    final DynamicsCommand.Inputs in;
    final double seconds;

    DynamicsReport(Dynamics.Config cfg, Dynamics.Result res, DynamicsCommand.Inputs in, double seconds) {
        this.cfg = cfg;
        this.res = res;
        this.in = in;
        this.seconds = seconds;
    }

    /** Name of test input i, output o (the output index only when there are several). */
    String label(int i, int o) {
        return in.testNames().get(i) + (res.k() > 1 ? "[" + o + "]" : "");
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "GCNN %s%nCNN  %s (trained on the %s-augmented set, %d x %d images)%n",
            cfg.gcnn().spec(), cfg.cnn().spec(), cfg.group().name(), res.nTrain(), cfg.group().order()));
        sb.append(in.description()).append('\n');
        sb.append(String.format(Locale.ROOT, "lr %.4g (t = lr x steps), ridge %.3g (GCNN) / %.3g (augmented CNN), "
            + "lr lambda_max / (n k) = %.3g%n", cfg.learningRate(), res.ridgeGcnn(), res.ridgeAugmented(),
            res.stepRatio()));
        List<Dynamics.Curve> curves = res.curves();
        sb.append(String.format(Locale.ROOT, "%8s %-18s %10s %10s %9s", "t", "input", "gcnn_ntk", "aug_cnn_ntk",
            "diff"));
        for (Dynamics.Curve c : curves) {
            sb.append(String.format(Locale.ROOT, " %19s", (c.model().equals("gcnn") ? "gcnn" : "aug") + " w=" + c.width()));
        }
        sb.append('\n');
        int k = res.k();
        for (int ti = 0; ti < res.times().length; ti++) {
            for (int i = 0; i < res.nTest(); i++) {
                for (int o = 0; o < k; o++) {
                    int e = i * k + o;
                    double g = res.gcnnFlow()[ti][e];
                    double a = res.augmentedFlow()[ti][e];
                    sb.append(String.format(Locale.ROOT, "%8.4g %-18s %10.5f %10.5f %9.1e", res.times()[ti],
                        label(i, o), g, a, a - g));
                    for (Dynamics.Curve c : curves) {
                        sb.append(String.format(Locale.ROOT, " %9.5f +- %6.4f", c.mean()[ti][e], c.stdError()[ti][e]));
                    }
                    sb.append('\n');
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "max |gcnn - augmented cnn| (analytic, all t and inputs): %.3e%n",
            res.maxAnalyticDifference()));
        sb.append(String.format(Locale.ROOT, "max |gradient flow - %d-step discrete curve| (analytic GCNN): %.3e%n",
            res.steps()[res.steps().length - 1], res.maxDiscretisationGap()));
        if (!curves.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%-14s %6s %8s %10s %12s %12s %12s %8s%n", "ensemble", "width",
                "members", "params", "distance", "dist_flow", "rms_se", "seconds"));
            for (Dynamics.Curve c : curves) {
                sb.append(String.format(Locale.ROOT, "%-14s %6d %8d %10d %12.5f %12.5f %12.5f %8.1f%n", c.model(),
                    c.width(), c.members(), c.parameters(), c.distance(), c.distanceFlow(), c.rmsStdError(),
                    c.seconds()));
            }
            sb.append("distance: root mean square over t and inputs of (ensemble mean - analytic discrete-step curve)\n");
            sb.append(String.format(Locale.ROOT, "log-log slope of distance against width: gcnn %.3f, augmented_cnn %.3f%n",
                slope("gcnn"), slope("augmented_cnn")));
        }
        sb.append(String.format(Locale.ROOT, "total %.1f s%n", seconds));
        return sb.toString();
    }

    /** Least-squares slope of log distance against log width for one model's ensembles (NaN below 2 widths). */
    double slope(String model) {
        List<Dynamics.Curve> cs = res.curves().stream().filter(c -> c.model().equals(model)).toList();
        return io.eqntk.network.Convergence.slope(cs.stream().mapToInt(Dynamics.Curve::width).toArray(),
            cs.stream().mapToDouble(c -> Math.max(c.distance(), 1e-300)).toArray());
    }

    String json() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("gcnn_architecture", cfg.gcnn().spec());
        root.put("cnn_architecture", cfg.cnn().spec());
        root.put("group", cfg.group().name());
        root.put("data", in.description());
        root.put("train_count", res.nTrain());
        root.put("augmented_train_count", res.nTrain() * cfg.group().order());
        root.put("outputs", res.k());
        root.put("learning_rate", cfg.learningRate());
        root.put("batch_size", cfg.batchSize());
        root.put("ridge_gcnn", res.ridgeGcnn());
        root.put("ridge_augmented_cnn", res.ridgeAugmented());
        root.put("step_ratio", res.stepRatio());
        root.put("max_analytic_difference", res.maxAnalyticDifference());
        root.put("max_discretisation_gap", res.maxDiscretisationGap());
        root.put("seed", cfg.seed());
        root.put("seconds", seconds);
        ArrayNode ts = root.putArray("times");
        ArrayNode ss = root.putArray("steps");
        for (int i = 0; i < res.times().length; i++) {
            ts.add(res.times()[i]);
            ss.add(res.steps()[i]);
        }
        ArrayNode names = root.putArray("test_inputs");
        in.testNames().forEach(names::add);
        ObjectNode slopes = root.putObject("distance_slope");
        slopes.put("gcnn", slope("gcnn"));
        slopes.put("augmented_cnn", slope("augmented_cnn"));
        ArrayNode ens = root.putArray("ensembles");
        for (Dynamics.Curve c : res.curves()) {
            ObjectNode e = ens.addObject();
            e.put("model", c.model());
            e.put("width", c.width());
            e.put("members", c.members());
            e.put("antithetic", cfg.antithetic());
            e.put("parameters", c.parameters());
            e.put("distance", c.distance());
            e.put("distance_flow", c.distanceFlow());
            e.put("rms_std_error", c.rmsStdError());
            e.put("seconds", c.seconds());
            ArrayNode loss = e.putArray("mean_loss");
            for (double l : c.meanLoss()) {
                loss.add(l);
            }
        }
        ArrayNode preds = root.putArray("predictions");
        int k = res.k();
        for (int ti = 0; ti < res.times().length; ti++) {
            for (int i = 0; i < res.nTest(); i++) {
                for (int o = 0; o < k; o++) {
                    int idx = i * k + o;
                    ObjectNode p = preds.addObject();
                    p.put("t", res.times()[ti]);
                    p.put("step", res.steps()[ti]);
                    p.put("input", in.testNames().get(i));
                    p.put("output", o);
                    p.put("gcnn_analytic", res.gcnnFlow()[ti][idx]);
                    p.put("augmented_cnn_analytic", res.augmentedFlow()[ti][idx]);
                    p.put("difference", res.augmentedFlow()[ti][idx] - res.gcnnFlow()[ti][idx]);
                    p.put("gcnn_analytic_discrete", res.gcnnGd()[ti][idx]);
                    p.put("augmented_cnn_analytic_discrete", res.augmentedGd()[ti][idx]);
                    ArrayNode ea = p.putArray("ensembles");
                    for (Dynamics.Curve c : res.curves()) {
                        ObjectNode e = ea.addObject();
                        e.put("model", c.model());
                        e.put("width", c.width());
                        e.put("mean", c.mean()[ti][idx]);
                        e.put("std_error", c.stdError()[ti][idx]);
                    }
                }
            }
        }
        try {
            return Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Long format: one row per (t, input, output, curve). */
    String csv() {
        StringBuilder sb = new StringBuilder("t,step,input,output,model,width,mean,std_error\n");
        int k = res.k();
        for (int ti = 0; ti < res.times().length; ti++) {
            for (int i = 0; i < res.nTest(); i++) {
                for (int o = 0; o < k; o++) {
                    int idx = i * k + o;
                    String head = String.format(Locale.ROOT, "%s,%d,%s,%d,", num(res.times()[ti]), res.steps()[ti],
                        csvText(in.testNames().get(i)), o);
                    sb.append(head).append("gcnn_analytic,,").append(num(res.gcnnFlow()[ti][idx])).append(",\n");
                    sb.append(head).append("augmented_cnn_analytic,,").append(num(res.augmentedFlow()[ti][idx]))
                        .append(",\n");
                    sb.append(head).append("gcnn_analytic_discrete,,").append(num(res.gcnnGd()[ti][idx])).append(",\n");
                    sb.append(head).append("augmented_cnn_analytic_discrete,,")
                        .append(num(res.augmentedGd()[ti][idx])).append(",\n");
                    for (Dynamics.Curve c : res.curves()) {
                        sb.append(head).append(c.model()).append(',').append(c.width()).append(',')
                            .append(num(c.mean()[ti][idx])).append(',').append(num(c.stdError()[ti][idx])).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.toString(v);
    }

    private static String csvText(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
