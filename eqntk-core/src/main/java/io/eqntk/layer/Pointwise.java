package io.eqntk.layer;

import io.eqntk.arch.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.finite.ShapedLayer;
import io.eqntk.kernel.KernelState;

/** An entrywise nonlinearity: the kernel map comes from its {@link io.eqntk.kernel.Nonlinearity}. */
public abstract class Pointwise implements Layer {
    /** φ(x). */
    protected abstract double apply(double x);

    /** φ'(x). */
    protected abstract double derivative(double x);

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        return in;
    }

    @Override
    public void kernel(KernelState state) {
        state.pointwise(nonlinearity());
    }

    @Override
    public boolean preservesDiagonal() {
        return true;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        int n = in.size();
        return new ShapedLayer(in, out) {
                        @Override
            public void forward(double[] p, int off, double[] x, double[] y) {
                for (int i = 0; i < n; i++) {
                    y[i] = apply(x[i]);
                }
            }

            @Override
            public void backward(double[] p, int off, double[] x, double[] y, double[] gy, double[] gp,
                                 double[] gx) {
                for (int i = 0; i < n; i++) {
                    gx[i] = derivative(x[i]) * gy[i];
                }
            }
        };
    }
}
