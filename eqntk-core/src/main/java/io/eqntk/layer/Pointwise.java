package io.eqntk.layer;

import io.eqntk.arch.FeatureShape;
import io.eqntk.arch.KernelOp;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.finite.ShapedLayer;
import io.eqntk.nonlin.Activation;

/** An entrywise nonlinearity layer: φ entry by entry, with the kernel map of its {@link Activation}. */
public final class Pointwise implements Layer {
    private final Activation activation;
    private final KernelOp.Pointwise op;

    public Pointwise(Activation activation) {
        this.activation = activation;
        this.op = new KernelOp.Pointwise(activation);
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String spec() {
        return activation.name();
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        return in;
    }

    @Override
    public KernelOp kernelOp() {
        return op;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        int n = in.size();
        return new ShapedLayer(in, out) {
            @Override
            public void forward(double[] p, int off, double[] x, double[] y) {
                for (int i = 0; i < n; i++) {
                    y[i] = activation.phi(x[i]);
                }
            }

            @Override
            public void backward(double[] p, int off, double[] x, double[] y, double[] gy, double[] gp,
                                 double[] gx) {
                for (int i = 0; i < n; i++) {
                    gx[i] = activation.dphi(x[i]) * gy[i];
                }
            }
        };
    }
}
