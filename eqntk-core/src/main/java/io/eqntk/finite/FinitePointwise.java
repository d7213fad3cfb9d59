package io.eqntk.finite;

import io.eqntk.model.FeatureShape;

import java.util.function.DoubleUnaryOperator;

/** An entrywise nonlinearity φ at finite width; ReLU has its own loops, any other φ is evaluated in double. */
public final class FinitePointwise extends ShapedLayer implements BatchedLayer {
    private final DoubleUnaryOperator phi;
    private final DoubleUnaryOperator dphi;
    private final boolean relu;

    private FinitePointwise(FeatureShape in, FeatureShape out, DoubleUnaryOperator phi, DoubleUnaryOperator dphi,
                            boolean relu) {
        super(in, out);
        this.phi = phi;
        this.dphi = dphi;
        this.relu = relu;
    }

    /** φ with derivative φ'. */
    public static FinitePointwise of(FeatureShape in, FeatureShape out, DoubleUnaryOperator phi,
                                     DoubleUnaryOperator dphi) {
        return new FinitePointwise(in, out, phi, dphi, false);
    }

    /** max(x, 0), with derivative 1 for x > 0 and 0 otherwise. */
    public static FinitePointwise relu(FeatureShape in, FeatureShape out) {
        return new FinitePointwise(in, out, x -> x > 0 ? x : 0, x -> x > 0 ? 1 : 0, true);
    }

    @Override
    public void forward(double[] p, int off, double[] x, double[] y) {
        int n = inputShape().size();
        for (int i = 0; i < n; i++) {
            y[i] = phi.applyAsDouble(x[i]);
        }
    }

    @Override
    public void backward(double[] p, int off, double[] x, double[] y, double[] gy, double[] gp, double[] gx) {
        int n = inputShape().size();
        for (int i = 0; i < n; i++) {
            gx[i] = dphi.applyAsDouble(x[i]) * gy[i];
        }
    }

    @Override
    public void forward(Compute c, Object prepared, Object x, Object y, int n) {
        int size = n * inputShape().size();
        if (relu) {
            c.floats().relu(x, y, size);
        } else {
            c.floats().map(phi, x, y, size);
        }
    }

    @Override
    public void backward(Compute c, Object prepared, Object x, Object y, Object gy, Object gx, int n,
                         double[] gradParams, int off) {
        if (gx == null) {
            return;
        }
        int size = n * inputShape().size();
        if (relu) {
            c.floats().reluBackward(x, gy, gx, size);
        } else {
            c.floats().mapBackward(dphi, x, gy, gx, size);
        }
    }
}
