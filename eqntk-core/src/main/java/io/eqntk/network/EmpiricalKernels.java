package io.eqntk.network;

import io.eqntk.finite.BatchedNetwork;
import io.eqntk.finite.Blas;
import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.model.FeatureShape;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.model.Precision;
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
     * Estimates both kernels on all pairs of {@code x} from {@code samples} networks of the given width (float64,
     * networks in parallel on {@code threads} workers).
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
        BatchedNetwork batched = net.batched(Precision.FLOAT64, 1);
        int n = x.count();
        double[][] nngpSamples = new double[samples][];
        double[][] ntkSamples = new double[samples][];
        AtomicLong done = new AtomicLong();
        Parallel.forEach(Math.max(1, threads), samples, s -> {
            double[][] one = sample(batched, net.init(Parallel.seed(seed, s)), x);
            nngpSamples[s] = one[0];
            ntkSamples[s] = one[1];
            progress.progress(done.incrementAndGet(), samples);
        });
        return new Result(summarise(nngpSamples, n), summarise(ntkSamples, n), width, outputs, samples,
            net.parameterCount());
    }

    /**
     * One network's {NNGP sample, NTK sample}, each n x n row-major: f f^T / k from one batched forward pass, and
     * for each output o the per-sample gradients G_o (n x P, one block of layers at a time) contracted as
     * G_o G_o^T / k by a matrix product, as neural-tangents' empirical NTK does.
     */
    static double[][] sample(BatchedNetwork net, double[] params, ImageBatch x) {
        int n = x.count();
        BatchedNetwork.Pass pass = net.forward(params, x.data(), n);
        double[] out = pass.outputs();
        int k = out.length / n;
        Blas blas = Blas.system();
        double[] nngp = new double[n * n];
        blas.dgemm(1, false, true, n, n, k, 1.0 / k, out, 0, k, out, 0, k, 0, nngp, 0, n);
        return new double[][] {nngp, ntk(pass, k)};
    }

    /** The empirical NTK of a pass averaged over its k outputs: per-sample gradients contracted by GEMM. */
    static double[] ntk(BatchedNetwork.Pass pass, int k) {
        int n = pass.count();
        Blas blas = Blas.system();
        double[] ntk = new double[n * n];
        double[] unit = new double[n * k];
        for (int o = 0; o < k; o++) {
            for (int i = 0; i < n; i++) {
                unit[i * k + o] = 1;
            }
            pass.perSampleGradients(unit, (off, len, rows) ->
                blas.dgemm(1, false, true, n, n, len, 1.0 / k, rows, 0, len, rows, 0, len, 1, ntk, 0, n));
            for (int i = 0; i < n; i++) {
                unit[i * k + o] = 0;
            }
        }
        return ntk;
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
