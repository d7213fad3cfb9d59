package io.eqntk.finite;

import io.eqntk.model.FeatureShape;

/** The finite face of global average and group pooling: the mean over group copies and positions. */
public final class FiniteMean extends ShapedLayer implements BatchedLayer {
    private final int c;
    private final int cells;

    public FiniteMean(FeatureShape in, FeatureShape out) {
        super(in, out);
        this.c = in.channels();
        this.cells = in.size() / c;
    }

    @Override
    public void forward(double[] p, int off, double[] x, double[] y) {
        java.util.Arrays.fill(y, 0, c, 0.0);
        for (int t = 0; t < cells; t++) {
            for (int ch = 0; ch < c; ch++) {
                y[ch] += x[t * c + ch];
            }
        }
        for (int ch = 0; ch < c; ch++) {
            y[ch] /= cells;
        }
    }

    @Override
    public void backward(double[] p, int off, double[] x, double[] y, double[] gy, double[] gp, double[] gx) {
        for (int t = 0; t < cells; t++) {
            for (int ch = 0; ch < c; ch++) {
                gx[t * c + ch] = gy[ch] / cells;
            }
        }
    }

    /** Batched: cells are (position, group copy) runs of C values in either layout. */
    @Override
    public void forward(Compute cp, Object prepared, Object x, Object y, int n) {
        Floats f = cp.floats();
        for (int img = 0; img < n; img++) {
            int xb = img * cells * c;
            f.scaled(x, xb, y, img * c, c, 1.0 / cells);
            for (int t = 1; t < cells; t++) {
                f.addScaled(x, xb + t * c, y, img * c, c, 1.0 / cells);
            }
        }
    }

    @Override
    public void backward(Compute cp, Object prepared, Object x, Object y, Object gy, Object gx, int n,
                         double[] gradParams, int off) {
        if (gx == null) {
            return;
        }
        for (int img = 0; img < n; img++) {
            for (int t = 0; t < cells; t++) {
                cp.floats().scaled(gy, img * c, gx, (img * cells + t) * c, c, 1.0 / cells);
            }
        }
    }
}
