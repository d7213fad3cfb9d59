package io.eqntk.finite;

import io.eqntk.model.FeatureShape;

/** Average pooling over k x k cells with stride k, on image and group maps (each group copy on its own). */
public final class FiniteAvgPool extends ShapedLayer implements BatchedLayer {
    private final int k;

    public FiniteAvgPool(FeatureShape in, FeatureShape out, int k) {
        super(in, out);
        this.k = k;
    }

    @Override
    public void forward(double[] p, int off, double[] x, double[] y) {
        FeatureShape in = inputShape();
        FeatureShape out = outputShape();
        int h = in.height(), w = in.width(), c = in.channels();
        double inv = 1.0 / (k * k);
        java.util.Arrays.fill(y, 0, out.size(), 0.0);
        for (int s = 0; s < in.groupSize(); s++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int xb = ((s * h + i) * w + j) * c;
                    int yb = ((s * out.height() + i / k) * out.width() + j / k) * c;
                    for (int ch = 0; ch < c; ch++) {
                        y[yb + ch] += inv * x[xb + ch];
                    }
                }
            }
        }
    }

    @Override
    public void backward(double[] p, int off, double[] x, double[] y, double[] gy, double[] gp, double[] gx) {
        FeatureShape in = inputShape();
        FeatureShape out = outputShape();
        int h = in.height(), w = in.width(), c = in.channels();
        double inv = 1.0 / (k * k);
        for (int s = 0; s < in.groupSize(); s++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int xb = ((s * h + i) * w + j) * c;
                    int yb = ((s * out.height() + i / k) * out.width() + j / k) * c;
                    for (int ch = 0; ch < c; ch++) {
                        gx[xb + ch] = inv * gy[yb + ch];
                    }
                }
            }
        }
    }

    /**
     * Batched: runs of |G| C values per position; the first position of each cell sets the output run, the
     * others add, in the plain loops' order.
     */
    @Override
    public void forward(Compute c, Object prepared, Object x, Object y, int n) {
        FeatureShape in = inputShape();
        int run = in.groupSize() * in.channels();
        int h = in.height(), w = in.width(), wo = outputShape().width();
        double inv = 1.0 / (k * k);
        for (int img = 0; img < n; img++) {
            int xb = img * in.size();
            int yb = img * outputShape().size();
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int src = xb + (i * w + j) * run;
                    int dst = yb + ((i / k) * wo + j / k) * run;
                    if (i % k == 0 && j % k == 0) {
                        c.floats().scaled(x, src, y, dst, run, inv);
                    } else {
                        c.floats().addScaled(x, src, y, dst, run, inv);
                    }
                }
            }
        }
    }

    @Override
    public void backward(Compute c, Object prepared, Object x, Object y, Object gy, Object gx, int n,
                         double[] gradParams, int off) {
        if (gx == null) {
            return;
        }
        FeatureShape in = inputShape();
        int run = in.groupSize() * in.channels();
        int h = in.height(), w = in.width(), wo = outputShape().width();
        for (int img = 0; img < n; img++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    c.floats().scaled(gy, img * outputShape().size() + ((i / k) * wo + j / k) * run, gx,
                        img * in.size() + (i * w + j) * run, run, 1.0 / (k * k));
                }
            }
        }
    }
}
