package io.eqntk.finite;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.arch.FeatureShape;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.util.Parallel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Monte-Carlo kernels of finite networks (KERNELS.md §4): the empirical NNGP, the mean over random networks of
 * f_k(x) f_k(x') (also averaged over the outputs k), and the empirical NTK, sum over parameters of
 * ∂f_k(x)/∂p ∂f_k(x')/∂p averaged over outputs and networks; each with the standard error of its mean over
 * networks. Results do not depend on the number of threads.
 */
public final class EmpiricalKernels {
    /** Mean and standard error of an n1 x n2 matrix estimate, row-major. */
    public record Estimate(int rows, int cols, double[] mean, double[] stdError) {
        public double mean(int i, int j) {
            return mean[i * cols + j];
        }

        public double stdError(int i, int j) {
            return stdError[i * cols + j];
        }
    }

    public record Result(Estimate nngp, Estimate ntk, int width, int outputs, int samples, int parameters) {
    }

    private EmpiricalKernels() {
    }

    /**
     * Estimates both kernels on all pairs of {@code x} from {@code samples} networks of the given width.
     */
    public static Result estimate(Architecture arch, ImageBatch x, int width, int outputs, int samples, long seed,
                                  int threads, ProgressListener progress) {
        if (samples < 2) {
            throw new EqntkException("samples must be at least 2 to give a standard error, got " + samples);
        }
        arch.validate(x.height(), x.width(), x.channels());
        x.requireFinite("x");
        FiniteNetwork net = new FiniteNetwork(arch, FeatureShape.image(x.height(), x.width(), x.channels()),
            width, outputs);
        int n = x.count();
        double[][] nngpSamples = new double[samples][];
        double[][] ntkSamples = new double[samples][];
        AtomicLong done = new AtomicLong();
        Parallel.forEach(Math.max(1, threads), samples, s -> {
            double[][] one = sample(net, x, Parallel.seed(seed, s));
            nngpSamples[s] = one[0];
            ntkSamples[s] = one[1];
            progress.progress(done.incrementAndGet(), samples);
        });
        return new Result(summarise(nngpSamples, n), summarise(ntkSamples, n), width, outputs, samples,
            net.parameterCount());
    }

    /** One network's {NNGP sample, NTK sample}, each n x n row-major. */
    static double[][] sample(FiniteNetwork net, ImageBatch x, long seed) {
        int n = x.count();
        double[] params = net.init(seed);
        int k = net.outputShape().size();
        double[][][] acts = new double[n][][];
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            acts[i] = net.forward(params, x.image(i));
            out[i] = acts[i][acts[i].length - 1];
        }
        double[] nngp = new double[n * n];
        double[] ntk = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int o = 0; o < k; o++) {
                    acc += out[i][o] * out[j][o];
                }
                nngp[i * n + j] = acc / k;
            }
        }
        double[][] grads = new double[n][];
        for (int o = 0; o < k; o++) {
            double[] unit = new double[k];
            unit[o] = 1;
            for (int i = 0; i < n; i++) {
                grads[i] = new double[net.parameterCount()];
                net.backward(params, acts[i], unit, grads[i]);
            }
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double dot = 0;
                    double[] gi = grads[i];
                    double[] gj = grads[j];
                    for (int p = 0; p < gi.length; p++) {
                        dot += gi[p] * gj[p];
                    }
                    ntk[i * n + j] += dot / k;
                    if (j != i) {
                        ntk[j * n + i] += dot / k;
                    }
                }
            }
        }
        return new double[][] {nngp, ntk};
    }

    private static Estimate summarise(double[][] samples, int n) {
        int m = samples.length;
        double[] mean = new double[n * n];
        double[] se = new double[n * n];
        for (int e = 0; e < n * n; e++) {
            double s = 0;
            for (double[] v : samples) {
                s += v[e];
            }
            double mu = s / m;
            double ss = 0;
            for (double[] v : samples) {
                ss += (v[e] - mu) * (v[e] - mu);
            }
            mean[e] = mu;
            se[e] = Math.sqrt(ss / (m - 1) / m);
        }
        return new Estimate(n, n, mean, se);
    }
}
