package io.eqntk.network;

import io.eqntk.finite.BatchedNetwork;
import io.eqntk.finite.Blas;
import io.eqntk.finite.FiniteDense;
import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.model.FeatureShape;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.model.Precision;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.util.Parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast finite networks approach their infinite-width kernels: for each width, random networks at
 * initialisation, and for each network the relative Frobenius distance {@code ||K_w - K||_F / ||K||_F} between
 * its empirical kernel K_w and the analytic K on the same images; the mean over networks, its standard error,
 * and the least-squares slope of log(mean distance) against log(width) (about -1/2 when fluctuations fall like
 * 1/sqrt(width)).
 *
 * <p>Per network: the empirical NTK is the per-sample-gradient contraction averaged over the outputs (as
 * {@link EmpiricalKernels}); the empirical NNGP is the network's output covariance given its hidden layers,
 * {@code W_std^2 / C z(x) . z(x') + b_std^2} with z the features entering the last dense layer (the
 * expectation over that layer's weights: one network's f f^T alone does not converge with width). Without a
 * dense readout it falls back to f f^T / k.
 */
public final class Convergence {
    /**
     * @param widths  hidden widths (channels per group element for group layers), each at least 1
     * @param samples networks per width, at least 2
     * @param outputs outputs of the last layer (the NTK is averaged over them)
     */
    public record Config(int[] widths, int samples, int outputs, long seed, int threads) {
        public Config {
            if (widths.length == 0) {
                throw new EqntkException("no widths given");
            }
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] < 1) {
                    throw new EqntkException("widths must be at least 1, got " + widths[i]);
                }
                if (i > 0 && widths[i] <= widths[i - 1]) {
                    throw new EqntkException("widths must be increasing, got " + widths[i - 1] + " then " + widths[i]);
                }
            }
            if (samples < 2) {
                throw new EqntkException("samples must be at least 2 for a standard error, got " + samples);
            }
            if (outputs < 1) {
                throw new EqntkException("outputs must be at least 1, got " + outputs);
            }
        }
    }

    /** One width: mean and standard error over networks of the two distances. */
    public record Point(int width, int parameters, double nngp, double nngpStdError, double ntk, double ntkStdError,
                        double seconds) {
    }

    /** One model's curve and fitted log-log slopes. */
    public record Curve(String model, String architecture, List<Point> points, double nngpSlope, double ntkSlope) {
    }

    private Convergence() {
    }

    /**
     * Runs one model on images x.
     *
     * @param progress receives (networks done, total networks)
     */
    public static Curve run(String name, Architecture arch, ImageBatch x, Config c, ProgressListener progress) {
        arch.validate(x.height(), x.width(), x.channels());
        x.requireFinite("images");
        if (x.count() < 2) {
            throw new EqntkException("the convergence study needs at least 2 images, got " + x.count());
        }
        KernelMatrices exact = new KernelEngine(arch, c.threads()).gram(x, ProgressListener.NONE);
        int n = x.count();
        List<Point> points = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        long total = (long) c.widths().length * c.samples();
        for (int w : c.widths()) {
            FiniteNetwork net = new FiniteNetwork(arch, FeatureShape.image(x.height(), x.width(), x.channels()), w,
                c.outputs());
            BatchedNetwork batched = net.batched(Precision.FLOAT64, 1);
            double[] dNngp = new double[c.samples()];
            double[] dNtk = new double[c.samples()];
            long t0 = System.nanoTime();
            Parallel.forEach(c.threads(), c.samples(), s -> {
                double[] params = net.init(Parallel.seed(c.seed() + w, s));
                BatchedNetwork.Pass pass = batched.forward(params, x.data(), n);
                dNngp[s] = relativeDistance(nngp(net, pass), exact.nngp());
                dNtk[s] = relativeDistance(EmpiricalKernels.ntk(pass, c.outputs()), exact.ntk());
                progress.progress(done.incrementAndGet(), total);
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            points.add(new Point(w, net.parameterCount(), mean(dNngp), stdError(dNngp), mean(dNtk), stdError(dNtk),
                secs));
        }
        int[] widths = c.widths();
        return new Curve(name, arch.spec(), points, slope(widths, points.stream().mapToDouble(Point::nngp).toArray()),
            slope(widths, points.stream().mapToDouble(Point::ntk).toArray()));
    }

    /** The finite network's NNGP given its hidden layers (see the class comment), n x n. */
    static double[] nngp(FiniteNetwork net, BatchedNetwork.Pass pass) {
        int last = net.layerCount() - 1;
        int n = pass.count();
        if (net.layer(last) instanceof FiniteDense dense) {
            return dense.outputCovariance(pass.activation(last), n);
        }
        double[] out = pass.outputs();
        int k = out.length / n;
        double[] k0 = new double[n * n];
        Blas.system().dgemm(1, false, true, n, n, k, 1.0 / k, out, 0, k, out, 0, k, 0, k0, 0, n);
        return k0;
    }

    /** ||a - b||_F / ||b||_F. */
    public static double relativeDistance(double[] a, double[] b) {
        double d = 0;
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - b[i]) * (a[i] - b[i]);
            s += b[i] * b[i];
        }
        return Math.sqrt(d / s);
    }

    /** Least-squares slope of log(values) against log(widths); NaN with fewer than two widths. */
    public static double slope(int[] widths, double[] values) {
        int m = widths.length;
        if (m < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < m; i++) {
            mx += Math.log(widths[i]) / m;
            my += Math.log(values[i]) / m;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < m; i++) {
            double dx = Math.log(widths[i]) - mx;
            sxy += dx * (Math.log(values[i]) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double a : v) {
            s += a;
        }
        return s / v.length;
    }

    private static double stdError(double[] v) {
        double mu = mean(v);
        double ss = 0;
        for (double a : v) {
            ss += (a - mu) * (a - mu);
        }
        return Math.sqrt(ss / (v.length - 1) / v.length);
    }
}
