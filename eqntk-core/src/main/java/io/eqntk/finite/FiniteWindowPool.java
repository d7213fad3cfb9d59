package io.eqntk.finite;

import io.eqntk.model.FeatureShape;
import io.eqntk.model.Subsampling;

/**
 * Average pooling with a k x k window moved with a stride, SAME or VALID ({@link Subsampling}), on image and group
 * maps (each group copy on its own): every output is the sum of the window's taps inside the input divided by k²
 * (taps in the padding count as zeros, as neural-tangents' default {@code normalize_edges=False}).
 */
public final class FiniteWindowPool extends ShapedLayer implements BatchedLayer {
    /** taps[po] = the input positions (i * w + j) read by output position po. */
    private final int[][] taps;
    private final double inv;

    public FiniteWindowPool(FeatureShape in, FeatureShape out, int k, int stride, boolean same) {
        super(in, out);
        Subsampling rows = new Subsampling(in.height(), k, stride, same);
        Subsampling cols = new Subsampling(in.width(), k, stride, same);
        taps = new int[out.height() * out.width()][];
        for (int oi = 0; oi < out.height(); oi++) {
            for (int oj = 0; oj < out.width(); oj++) {
                java.util.List<Integer> t = new java.util.ArrayList<>();
                for (int a = 0; a < k; a++) {
                    int i = rows.start(oi) + a;
                    for (int b = 0; b < k; b++) {
                        int j = cols.start(oj) + b;
                        if (i >= 0 && i < in.height() && j >= 0 && j < in.width()) {
                            t.add(i * in.width() + j);
                        }
                    }
                }
                taps[oi * out.width() + oj] = t.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        inv = 1.0 / ((double) k * k);
    }

    @Override
    public void forward(double[] p, int off, double[] x, double[] y) {
        java.util.Arrays.fill(y, 0, outputShape().size(), 0.0);
        pass(x, y, true);
    }

    @Override
    public void backward(double[] p, int off, double[] x, double[] y, double[] gy, double[] gp, double[] gx) {
        java.util.Arrays.fill(gx, 0, inputShape().size(), 0.0);
        pass(gy, gx, false);
    }

    /** Forward: out(window) += inv · in(tap); backward the transpose, out(tap) += inv · in(window). */
    private void pass(double[] in, double[] out, boolean forward) {
        FeatureShape shape = inputShape();
        int c = shape.channels();
        int pi = shape.positions();
        int po = taps.length;
        for (int s = 0; s < shape.groupSize(); s++) {
            for (int o = 0; o < po; o++) {
                int yb = (s * po + o) * c;
                for (int t : taps[o]) {
                    int xb = (s * pi + t) * c;
                    int src = forward ? xb : yb;
                    int dst = forward ? yb : xb;
                    for (int ch = 0; ch < c; ch++) {
                        out[dst + ch] += inv * in[src + ch];
                    }
                }
            }
        }
    }

    /** Batched: runs of |G| C values per position, summed tap by tap in the plain loops' order. */
    @Override
    public void forward(Compute c, Object prepared, Object x, Object y, int n) {
        FeatureShape in = inputShape();
        int run = in.groupSize() * in.channels();
        for (int img = 0; img < n; img++) {
            int xb = img * in.size();
            int yb = img * outputShape().size();
            for (int o = 0; o < taps.length; o++) {
                c.floats().clear(y, yb + o * run, run);
                for (int t : taps[o]) {
                    c.floats().addScaled(x, xb + t * run, y, yb + o * run, run, inv);
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
        c.floats().clear(gx, 0, n * in.size());
        for (int img = 0; img < n; img++) {
            int xb = img * in.size();
            int yb = img * outputShape().size();
            for (int o = 0; o < taps.length; o++) {
                for (int t : taps[o]) {
                    c.floats().addScaled(gy, yb + o * run, gx, xb + t * run, run, inv);
                }
            }
        }
    }
}
