package io.eqntk.finite;

import io.eqntk.model.FeatureShape;

/**
 * Flatten a map into one vector in the plain order (group copy, row, column, channel); the batched face reorders
 * its [H][W][|G|][C] maps into that order, so the dense layer after it sees the same vector either way.
 */
public final class FiniteFlatten extends ShapedLayer implements BatchedLayer {
    public FiniteFlatten(FeatureShape in, FeatureShape out) {
        super(in, out);
    }

    @Override
    public void forward(double[] p, int off, double[] x, double[] y) {
        System.arraycopy(x, 0, y, 0, inputShape().size());
    }

    @Override
    public void backward(double[] p, int off, double[] x, double[] y, double[] gy, double[] gp, double[] gx) {
        System.arraycopy(gy, 0, gx, 0, inputShape().size());
    }

    /** Copies channel runs between the batched order (toPlain) and the plain order (else). */
    private void reorder(Object src, Object dst, int n, boolean toPlain) {
        FeatureShape in = inputShape();
        int g = in.groupSize(), h = in.height(), w = in.width(), c = in.channels();
        for (int img = 0; img < n; img++) {
            int base = img * in.size();
            for (int s = 0; s < g; s++) {
                for (int pos = 0; pos < h * w; pos++) {
                    int batched = base + (pos * g + s) * c;
                    int plain = base + (s * h * w + pos) * c;
                    System.arraycopy(src, toPlain ? batched : plain, dst, toPlain ? plain : batched, c);
                }
            }
        }
    }

    @Override
    public void forward(Compute c, Object prepared, Object x, Object y, int n) {
        reorder(x, y, n, true);
    }

    @Override
    public void backward(Compute c, Object prepared, Object x, Object y, Object gy, Object gx, int n,
                         double[] gradParams, int off) {
        if (gx != null) {
            reorder(gy, gx, n, false);
        }
    }
}
