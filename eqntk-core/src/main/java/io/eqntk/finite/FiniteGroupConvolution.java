package io.eqntk.finite;

import io.eqntk.arch.FeatureShape;
import io.eqntk.arch.Padding;
import io.eqntk.group.PointGroup;

/**
 * The finite face shared by convolution, lifting and group convolution (KERNELS.md §3):
 * {@code f(h, t, o) = W_std/sqrt(fan_in) sum_{c, s, b} w_{o,c}(h^-1 s, h^-1 b) g_c(s, t + b) + b_std bias_o}
 * with s ranging over the input's group copies (one for an image: then it is a lifting convolution, and with
 * the trivial group an ordinary convolution). fan_in = C_in * |G_in| * q^2.
 *
 * <p>The filter of each output element h is the base filter transformed by h; forward and backward run an
 * ordinary convolution with it and map gradients back through the same index table.
 */
public final class FiniteGroupConvolution implements FiniteLayer {
    private final FeatureShape in;
    private final FeatureShape out;
    private final PointGroup group;
    private final int q;
    private final Padding pad;
    private final double scale;
    private final double bStd;
    private final boolean bias;
    private final int gin;
    private final int cin;
    private final int cout;
    /** source[h][s * q*q + bIdx] = index (s', b') of the base filter entry used by element h at (s, b). */
    private final int[][] source;

    public FiniteGroupConvolution(FeatureShape in, FeatureShape out, PointGroup group, int q, Padding pad,
                                  double wStd, Double bStd) {
        this.in = in;
        this.out = out;
        this.group = group;
        this.q = q;
        this.pad = pad;
        this.gin = in.groupSize();
        this.cin = in.channels();
        this.cout = out.channels();
        this.scale = wStd / Math.sqrt((double) cin * gin * q * q);
        this.bias = bStd != null;
        this.bStd = bStd == null ? 0 : bStd;
        int r = (q - 1) / 2;
        int qq = q * q;
        source = new int[group.order()][gin * qq];
        for (int h = 0; h < group.order(); h++) {
            int hinv = group.inverse(h);
            for (int s = 0; s < gin; s++) {
                int sSrc = gin > 1 ? group.multiply(hinv, s) : 0;
                for (int bi = -r; bi <= r; bi++) {
                    for (int bj = -r; bj <= r; bj++) {
                        int ti = group.actRow(hinv, bi, bj);
                        int tj = group.actCol(hinv, bi, bj);
                        source[h][s * qq + (bi + r) * q + (bj + r)] = sSrc * qq + (ti + r) * q + (tj + r);
                    }
                }
            }
        }
    }

    @Override
    public FeatureShape inputShape() {
        return in;
    }

    @Override
    public FeatureShape outputShape() {
        return out;
    }

    @Override
    public int parameterCount() {
        return cout * cin * gin * q * q + (bias ? cout : 0);
    }

    /** Weight layout: [cout][cin][gin * q*q]; then the bias [cout]. */
    private int weightIndex(int o, int c, int sb) {
        return (o * cin + c) * gin * q * q + sb;
    }

    /** Transformed filters, laid out [h][s*q*q + b][c][o] and already scaled. */
    private double[] transformedFilters(double[] params, int off) {
        int g = group.order();
        int sbCount = gin * q * q;
        double[] wt = new double[g * sbCount * cin * cout];
        for (int h = 0; h < g; h++) {
            for (int sb = 0; sb < sbCount; sb++) {
                int src = source[h][sb];
                int base = ((h * sbCount + sb) * cin) * cout;
                for (int c = 0; c < cin; c++) {
                    for (int o = 0; o < cout; o++) {
                        wt[base + c * cout + o] = scale * params[off + weightIndex(o, c, src)];
                    }
                }
            }
        }
        return wt;
    }

    /** Input position along an axis for output position o and offset k, or -1 outside (zero padding). */
    private int inputIndex(int o, int k, int n) {
        int i = o + pad.offset(q) + k;
        if (pad == Padding.CIRCULAR) {
            return Math.floorMod(i, n);
        }
        return i < 0 || i >= n ? -1 : i;
    }

    @Override
    public void forward(double[] params, int off, double[] x, double[] y) {
        double[] wt = transformedFilters(params, off);
        int g = group.order();
        int h0 = in.height(), w0 = in.width();
        int ho = out.height(), wo = out.width();
        int r = (q - 1) / 2;
        int qq = q * q;
        int sbCount = gin * qq;
        int biasOff = off + cout * cin * gin * qq;
        for (int h = 0; h < g; h++) {
            for (int oi = 0; oi < ho; oi++) {
                for (int oj = 0; oj < wo; oj++) {
                    int yb = ((h * ho + oi) * wo + oj) * cout;
                    for (int o = 0; o < cout; o++) {
                        y[yb + o] = bias ? bStd * params[biasOff + o] : 0;
                    }
                    for (int s = 0; s < gin; s++) {
                        for (int bi = -r; bi <= r; bi++) {
                            int ii = inputIndex(oi, bi, h0);
                            if (ii < 0) {
                                continue;
                            }
                            for (int bj = -r; bj <= r; bj++) {
                                int jj = inputIndex(oj, bj, w0);
                                if (jj < 0) {
                                    continue;
                                }
                                int xb = ((s * h0 + ii) * w0 + jj) * cin;
                                int wb = (h * sbCount + s * qq + (bi + r) * q + (bj + r)) * cin * cout;
                                for (int c = 0; c < cin; c++) {
                                    double v = x[xb + c];
                                    if (v == 0) {
                                        continue;
                                    }
                                    int wr = wb + c * cout;
                                    for (int o = 0; o < cout; o++) {
                                        y[yb + o] += wt[wr + o] * v;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void backward(double[] params, int off, double[] x, double[] y, double[] gy,
                         double[] gradParams, double[] gx) {
        double[] wt = transformedFilters(params, off);
        double[] gwt = new double[wt.length];
        java.util.Arrays.fill(gx, 0, in.size(), 0.0);
        int g = group.order();
        int h0 = in.height(), w0 = in.width();
        int ho = out.height(), wo = out.width();
        int r = (q - 1) / 2;
        int qq = q * q;
        int sbCount = gin * qq;
        int biasOff = cout * cin * gin * qq;
        for (int h = 0; h < g; h++) {
            for (int oi = 0; oi < ho; oi++) {
                for (int oj = 0; oj < wo; oj++) {
                    int yb = ((h * ho + oi) * wo + oj) * cout;
                    if (bias) {
                        for (int o = 0; o < cout; o++) {
                            gradParams[off + biasOff + o] += bStd * gy[yb + o];
                        }
                    }
                    for (int s = 0; s < gin; s++) {
                        for (int bi = -r; bi <= r; bi++) {
                            int ii = inputIndex(oi, bi, h0);
                            if (ii < 0) {
                                continue;
                            }
                            for (int bj = -r; bj <= r; bj++) {
                                int jj = inputIndex(oj, bj, w0);
                                if (jj < 0) {
                                    continue;
                                }
                                int xb = ((s * h0 + ii) * w0 + jj) * cin;
                                int wb = (h * sbCount + s * qq + (bi + r) * q + (bj + r)) * cin * cout;
                                for (int c = 0; c < cin; c++) {
                                    double v = x[xb + c];
                                    int wr = wb + c * cout;
                                    double acc = 0;
                                    for (int o = 0; o < cout; o++) {
                                        double go = gy[yb + o];
                                        gwt[wr + o] += go * v;
                                        acc += wt[wr + o] * go;
                                    }
                                    gx[xb + c] += acc;
                                }
                            }
                        }
                    }
                }
            }
        }
        // d(out)/d(base weight) sums over every (h, s, b) that reads it
        for (int h = 0; h < g; h++) {
            for (int sb = 0; sb < sbCount; sb++) {
                int src = source[h][sb];
                int base = ((h * sbCount + sb) * cin) * cout;
                for (int c = 0; c < cin; c++) {
                    for (int o = 0; o < cout; o++) {
                        gradParams[off + weightIndex(o, c, src)] += scale * gwt[base + c * cout + o];
                    }
                }
            }
        }
    }
}
