package io.eqntk.finite;

import io.eqntk.model.FeatureShape;

/**
 * Layer normalisation at finite width: each run of {@code length} consecutive values (the C channels of one
 * position and group copy, or a whole map; consecutive in both layouts) becomes y = (x - μ) / s with μ its mean,
 * s = sqrt(var + ε), var the mean of (x - μ)². Back-propagation, exact for this y:
 * dL/dx = (g - mean(g) - y mean(g y)) / s for g = dL/dy.
 */
public final class FiniteLayerNorm extends ShapedLayer implements BatchedLayer {
    /** ε of the variance (as neural-tangents' default). */
    public static final double EPSILON = 1e-12;
    private final int length;

    public FiniteLayerNorm(FeatureShape in, FeatureShape out, int length) {
        super(in, out);
        if (length < 1 || in.size() % length != 0) {
            throw new IllegalArgumentException("normalisation runs of " + length + " do not tile " + in);
        }
        this.length = length;
    }

    /** Normalises every run of x[0, n) into y; returns nothing, y may not alias x. */
    private void normalize(double[] x, double[] y, int n) {
        for (int r = 0; r < n; r += length) {
            normalizeRun(x, r, y, r);
        }
    }

    /** The run of x starting at r, normalised into y from yOff; returns 1 / its standard deviation. */
    private double normalizeRun(double[] x, int r, double[] y, int yOff) {
        double mean = 0;
        for (int i = 0; i < length; i++) {
            mean += x[r + i];
        }
        mean /= length;
        double var = 0;
        for (int i = 0; i < length; i++) {
            double d = x[r + i] - mean;
            var += d * d;
        }
        double inv = 1 / Math.sqrt(var / length + EPSILON);
        for (int i = 0; i < length; i++) {
            y[yOff + i] = (x[r + i] - mean) * inv;
        }
        return inv;
    }

    /** gx from x and gy over n values (y recomputed from x). */
    private void gradient(double[] x, double[] gy, double[] gx, int n) {
        double[] y = new double[length];
        for (int r = 0; r < n; r += length) {
            double inv = normalizeRun(x, r, y, 0);
            double meanG = 0;
            double meanGy = 0;
            for (int i = 0; i < length; i++) {
                meanG += gy[r + i];
                meanGy += gy[r + i] * y[i];
            }
            meanG /= length;
            meanGy /= length;
            for (int i = 0; i < length; i++) {
                gx[r + i] = (gy[r + i] - meanG - y[i] * meanGy) * inv;
            }
        }
    }

    @Override
    public void forward(double[] p, int off, double[] x, double[] y) {
        normalize(x, y, inputShape().size());
    }

    @Override
    public void backward(double[] p, int off, double[] x, double[] y, double[] gy, double[] gp, double[] gx) {
        gradient(x, gy, gx, inputShape().size());
    }

    @Override
    public void forward(Compute c, Object prepared, Object x, Object y, int n) {
        int size = n * inputShape().size();
        double[] out = new double[size];
        normalize(c.floats().view(x, size, null), out, size);
        c.floats().fromDouble(out, 0, y, 0, size);
    }

    @Override
    public void backward(Compute c, Object prepared, Object x, Object y, Object gy, Object gx, int n,
                         double[] gradParams, int off) {
        if (gx == null) {
            return;
        }
        int size = n * inputShape().size();
        double[] out = new double[size];
        gradient(c.floats().view(x, size, null), c.floats().view(gy, size, null), out, size);
        c.floats().fromDouble(out, 0, gx, 0, size);
    }
}
