package io.eqntk.bench;

import io.eqntk.network.FiniteNetwork;
import io.eqntk.finite.BatchedNetwork;
import io.eqntk.finite.Blas;
import io.eqntk.arch.Architecture;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.Precision;

import java.util.Random;

/**
 * Timings of the batched finite networks for {@code bench --case finite}: the GEMM rate of the BLAS, and
 * forward + backward passes of whole networks (images per second, GFLOP/s of their matrix products).
 * Reports only; nothing here fails on timing.
 */
public final class FiniteTimings {
    /** Seconds a timed measurement runs at least. */
    private static final double MIN_SECONDS = 0.4;

    private FiniteTimings() {
    }

    /** GFLOP/s of one square product n x n x n through {@link Blas} on {@code threads} workers. */
    public static double gemmGflops(Blas blas, Precision precision, int n, int threads) {
        double[] a = gaussian(n * n, 1);
        double[] b = gaussian(n * n, 2);
        double[] c = new double[n * n];
        float[] a32 = toFloat(a);
        float[] b32 = toFloat(b);
        float[] c32 = new float[n * n];
        Runnable product = precision == Precision.FLOAT64
            ? () -> blas.dgemm(threads, false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n)
            : () -> blas.sgemm(threads, false, false, n, n, n, 1, a32, 0, n, b32, 0, n, 0, c32, 0, n);
        product.run();
        int reps = 0;
        long t0 = System.nanoTime();
        double secs;
        do {
            product.run();
            reps++;
            secs = (System.nanoTime() - t0) / 1e9;
        } while (secs < MIN_SECONDS);
        return 2.0 * n * n * n * reps / secs / 1e9;
    }

    /**
     * One network's timing.
     *
     * @param msPerImage  forward + backward (parameter gradients) per image, milliseconds
     * @param gflops      GFLOP/s of the matrix products
     * @param batch       images per timed pass
     */
    public record Pass(String spec, int size, int width, Precision precision, int batch, double msPerImage,
                       double imagesPerSecond, double gflops, int parameters) {
    }

    /** Times forward + backward of {@code spec} at {@code width} on n x n x 3 standard-normal images. */
    public static Pass time(String spec, int n, int width, Precision precision, int threads, Blas blas) {
        FiniteNetwork net = new FiniteNetwork(Architecture.parse(spec), FeatureShape.image(n, n, 3), width, 2);
        BatchedNetwork b = new BatchedNetwork(net, precision, threads, blas);
        double flops = b.productFlopsPerImage();
        // enough images per pass that the products are large; at least a few
        int batch = (int) Math.max(4, Math.min(64, Math.ceil(4e8 / Math.max(1, flops))));
        double[] params = net.init(1);
        double[] x = gaussian(batch * n * n * 3, 3);
        double[] r = gaussian(batch * 2, 4);
        double[] grad = new double[net.parameterCount()];
        b.forward(params, x, batch).backward(r, grad); // warm-up: JIT and first touches
        int reps = 0;
        long t0 = System.nanoTime();
        double secs;
        do {
            b.forward(params, x, batch).backward(r, grad);
            reps++;
            secs = (System.nanoTime() - t0) / 1e9;
        } while (secs < MIN_SECONDS);
        double perImage = secs / ((double) reps * batch);
        return new Pass(spec, n, width, precision, batch, perImage * 1e3, 1 / perImage, flops / perImage / 1e9,
            net.parameterCount());
    }

    /** Milliseconds per image of forward + backward through the plain single-image loops. */
    public static double plainMsPerImage(String spec, int n, int width) {
        FiniteNetwork net = new FiniteNetwork(Architecture.parse(spec), FeatureShape.image(n, n, 3), width, 2);
        double[] params = net.init(1);
        double[] x = gaussian(n * n * 3, 3);
        double[] r = gaussian(2, 4);
        double[] grad = new double[net.parameterCount()];
        net.backward(params, net.forward(params, x), r, grad);
        int reps = 0;
        long t0 = System.nanoTime();
        double secs;
        do {
            net.backward(params, net.forward(params, x), r, grad);
            reps++;
            secs = (System.nanoTime() - t0) / 1e9;
        } while (secs < MIN_SECONDS);
        return secs * 1e3 / reps;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextGaussian();
        }
        return d;
    }
}
