package io.eqntk.layer;

import io.eqntk.arch.FeatureShape;
import io.eqntk.finite.ShapedLayer;

/** The finite face of global average and group pooling: the mean over group copies and positions. */
final class MeanReadout extends ShapedLayer {
    MeanReadout(FeatureShape in, FeatureShape out) {
        super(in, out);
    }

    @Override
    public void forward(double[] p, int off, double[] x, double[] y) {
        int c = inputShape().channels();
        int cells = inputShape().size() / c;
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
        int c = inputShape().channels();
        int cells = inputShape().size() / c;
        for (int t = 0; t < cells; t++) {
            for (int ch = 0; ch < c; ch++) {
                gx[t * c + ch] = gy[ch] / cells;
            }
        }
    }
}
