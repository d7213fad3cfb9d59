package io.eqntk.layer;

import io.eqntk.arch.ArchitectureException;
import io.eqntk.arch.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.finite.ShapedLayer;
import io.eqntk.arch.KernelOp;

/** A fully connected layer on a feature vector: {@code dense(w=, b=)}. */
public final class Dense implements Layer {
    private final double wStd;
    private final Double bStd;

    public Dense(double wStd, Double bStd) {
        Specs.checkAffine(wStd, bStd);
        this.wStd = wStd;
        this.bStd = bStd;
    }

    @Override
    public String spec() {
        String keys = Specs.affineKeys(wStd, bStd);
        return keys.isEmpty() ? "dense" : "dense(" + keys.substring(2) + ")";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        if (!in.reduced()) {
            throw new ArchitectureException("dense needs a feature vector, but its input is the map " + in
                + "; put gap, gpool or flatten before it");
        }
        return FeatureShape.vector(outChannels);
    }

    @Override
    public KernelOp kernelOp() {
        return new KernelOp.Dense(wStd, bStd == null ? 0 : bStd);
    }

    @Override
    public boolean isAffine() {
        return true;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        int cin = in.channels();
        int cout = out.channels();
        double scale = wStd / Math.sqrt(cin);
        double b = bStd == null ? 0 : bStd;
        boolean hasBias = bStd != null;
        return new ShapedLayer(in, out) {
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
            public void backward(double[] p, int off, double[] x, double[] y, double[] gy, double[] gp,
                                 double[] gx) {
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
        };
    }
}
