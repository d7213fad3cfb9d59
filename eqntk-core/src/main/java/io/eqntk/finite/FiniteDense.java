package io.eqntk.finite;

import io.eqntk.model.FeatureShape;

/**
 * The finite dense layer {@code y_o = W_std/sqrt(C_in) sum_c w_{o,c} x_c + b_std bias_o}; weights [C_out][C_in],
 * then the bias. Batched: one product X W^T per batch.
 */
public final class FiniteDense extends ShapedLayer implements BatchedLayer {
    private final int cin;
    private final int cout;
    private final double scale;
    private final double b;
    private final boolean hasBias;
    private final double wStd;
    /** Standard deviations of the drawn weights and biases: 1 in the NTK parameterisation. */
    private final double initW;
    private final double initB;

    public FiniteDense(FeatureShape in, FeatureShape out, double wStd, Double bStd) {
        this(in, out, wStd, bStd, wStd / Math.sqrt(in.channels()), bStd == null ? 0 : bStd, 1, 1);
    }

    private FiniteDense(FeatureShape in, FeatureShape out, double wStd, Double bStd, double scale, double b,
                        double initW, double initB) {
        super(in, out);
        this.wStd = wStd;
        this.cin = in.channels();
        this.cout = out.channels();
        this.scale = scale;
        this.hasBias = bStd != null;
        this.b = b;
        this.initW = initW;
        this.initB = initB;
    }

    /**
     * The standard parameterisation: weights drawn N(0, W_std² / n), biases N(0, b_std²), used as they are; the
     * product is divided by sqrt(s) for an input of s·n values (s = 1 at the base width: He initialisation).
     */
    public static FiniteDense standard(FeatureShape in, FeatureShape out, double wStd, Double bStd, int baseWidth) {
        double s = (double) in.channels() / baseWidth;
        return new FiniteDense(in, out, wStd, bStd, 1 / Math.sqrt(s), 1, wStd / Math.sqrt(baseWidth),
            bStd == null ? 0 : bStd);
    }

    @Override
    public void init(double[] params, int off, java.util.Random rng) {
        for (int i = 0; i < parameterCount(); i++) {
            params[off + i] = (i < cout * cin ? initW : initB) * rng.nextGaussian();
        }
    }

    /**
     * The NNGP of this layer's outputs given its inputs, averaged over its N(0, 1) weights and bias:
     * {@code W_std^2 / C_in z_i . z_j + b_std^2} for inputs z (n x C_in row-major), n x n.
     */
    public double[] outputCovariance(double[] z, int n) {
        double[] k = new double[n * n];
        Blas.system().dgemm(1, false, true, n, n, cin, wStd * wStd / cin, z, 0, cin, z, 0, cin, 0, k, 0, n);
        for (int e = 0; e < n * n; e++) {
            k[e] += b * b;
        }
        return k;
    }

    @Override
    public int parameterCount() {
        return cout * cin + (hasBias ? cout : 0);
    }

    @Override
    public void forward(double[] p, int off, double[] x, double[] y) {
        for (int o = 0; o < cout; o++) {
            double acc = 0;
            int row = off + o * cin;
            for (int c = 0; c < cin; c++) {
                acc += p[row + c] * x[c];
            }
            y[o] = scale * acc + (hasBias ? b * p[off + cout * cin + o] : 0);
        }
    }

    @Override
    public void backward(double[] p, int off, double[] x, double[] y, double[] gy, double[] gp, double[] gx) {
        java.util.Arrays.fill(gx, 0, cin, 0.0);
        for (int o = 0; o < cout; o++) {
            double g = gy[o];
            int row = off + o * cin;
            for (int c = 0; c < cin; c++) {
                gp[row + c] += scale * g * x[c];
                gx[c] += scale * p[row + c] * g;
            }
            if (hasBias) {
                gp[off + cout * cin + o] += b * g;
            }
        }
    }

    /** Weights in the pass's precision and the bias row b_std bias. */
    private record Weights(Object w, Object biasRow) {
    }

    @Override
    public Object prepare(Compute c, double[] params, int off) {
        Floats f = c.floats();
        Object w = f.alloc(cout * cin);
        f.fromDouble(params, off, w, 0, cout * cin);
        Object biasRow = f.alloc(cout);
        if (hasBias) {
            double[] row = new double[cout];
            for (int o = 0; o < cout; o++) {
                row[o] = b * params[off + cout * cin + o];
            }
            f.fromDouble(row, 0, biasRow, 0, cout);
        }
        return new Weights(w, biasRow);
    }

    @Override
    public void forward(Compute c, Object prepared, Object x, Object y, int n) {
        Weights w = (Weights) prepared;
        if (hasBias) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(w.biasRow(), 0, y, i * cout, cout);
            }
        }
        c.floats().gemm(c.blas(), c.threads(), false, true, n, cout, cin, scale, x, 0, cin, w.w(), 0, cin,
            hasBias ? 1 : 0, y, 0, cout);
    }

    @Override
    public void backward(Compute c, Object prepared, Object x, Object y, Object gy, Object gx, int n,
                         double[] gradParams, int off) {
        Weights w = (Weights) prepared;
        Floats f = c.floats();
        if (gradParams != null) {
            Object gw = f.alloc(cout * cin);
            f.gemm(c.blas(), c.threads(), true, false, cout, cin, n, scale, gy, 0, cout, x, 0, cin, 0, gw, 0, cin);
            f.addToDouble(gw, 0, gradParams, off, cout * cin, 1);
            for (int i = 0; hasBias && i < n; i++) {
                f.addToDouble(gy, i * cout, gradParams, off + cout * cin, cout, b);
            }
        }
        if (gx != null) {
            f.gemm(c.blas(), c.threads(), false, false, n, cin, cout, scale, gy, 0, cout, w.w(), 0, cin, 0, gx, 0,
                cin);
        }
    }

    @Override
    public double productFlops(boolean inputGradient) {
        return (inputGradient ? 3 : 2) * 2.0 * cin * cout;
    }

    @Override
    public void perSample(Compute c, Object prepared, Object x, Object gy, int n, double[] rows) {
        Floats f = c.floats();
        int params = parameterCount();
        java.util.Arrays.fill(rows, 0, n * params, 0.0);
        Object gw = f.alloc(cout * cin);
        for (int i = 0; i < n; i++) {
            // the outer product scale gy_i x_i^T as a product with inner dimension 1
            f.gemm(c.blas(), 1, true, false, cout, cin, 1, scale, gy, i * cout, cout, x, i * cin, cin, 0, gw, 0,
                cin);
            f.addToDouble(gw, 0, rows, i * params, cout * cin, 1);
            if (hasBias) {
                f.addToDouble(gy, i * cout, rows, i * params + cout * cin, cout, b);
            }
        }
    }
}
