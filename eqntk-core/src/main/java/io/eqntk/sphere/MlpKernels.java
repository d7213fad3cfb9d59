package io.eqntk.sphere;

import io.eqntk.nonlin.ReluActivation;
import java.util.List;

/**
 * The non-equivariant baseline: NNGP and NTK of an MLP (dense relu)* dense on the flattened grid signal, with the
 * input kernel Σ0(x, x') = (1/C) Σ_c Σ_i q_i x_c(ω_i) x'_c(ω_i) (quadrature mean over S^2, so the grid size does
 * not change the scale). Every dense layer: Σ = W^2 Σ + b^2, Θ = Σ + W^2 Θ (first layer Θ = Σ).
 */
public final class MlpKernels {
    private final int hidden;
    private final double bStd;
    private final java.util.Map<Integer, double[]> weights = new java.util.HashMap<>();

    /** {@code hidden} (dense relu) blocks, then the readout dense; W_std = 1, b_std as given. */
    public MlpKernels(int hidden, double bStd) {
        this.hidden = hidden;
        this.bStd = bStd;
    }

    public double input(SphereSignal x, SphereSignal y) {
        double[] q = weights.computeIfAbsent(x.bandwidth(), bw -> new S2Transform(bw).meanWeights());
        double s = 0;
        for (int c = 0; c < x.channelCount(); c++) {
            for (int i = 0; i < q.length; i++) {
                s += q[i] * x.channels()[c][i] * y.channels()[c][i];
            }
        }
        return s / x.channelCount();
    }

    /** {nngp, ntk} between all pairs of xs (rows) and ys (columns), row-major. */
    public double[][] cross(List<SphereSignal> xs, List<SphereSignal> ys) {
        double[] selfX = new double[xs.size()], selfY = new double[ys.size()];
        for (int i = 0; i < xs.size(); i++) {
            selfX[i] = input(xs.get(i), xs.get(i));
        }
        for (int j = 0; j < ys.size(); j++) {
            selfY[j] = input(ys.get(j), ys.get(j));
        }
        double[] nngp = new double[xs.size() * ys.size()], ntk = new double[nngp.length];
        double[] out = new double[2];
        for (int i = 0; i < xs.size(); i++) {
            for (int j = 0; j < ys.size(); j++) {
                double[] r = pair(selfX[i], selfY[j], input(xs.get(i), ys.get(j)), out);
                nngp[i * ys.size() + j] = r[0];
                ntk[i * ys.size() + j] = r[1];
            }
        }
        return new double[][] {nngp, ntk};
    }

    private double[] pair(double q11, double q22, double q12, double[] out) {
        double b2 = bStd * bStd;
        double s11 = q11 + b2, s22 = q22 + b2, s12 = q12 + b2, t = s12;
        double[] tmp = new double[2];
        for (int h = 0; h < hidden; h++) {
            ReluActivation.INSTANCE.expectations(s11, s22, s12, tmp, 0);
            double e12 = tmp[0], dot = tmp[1];
            ReluActivation.INSTANCE.expectations(s11, s11, s11, tmp, 0);
            double e11 = tmp[0];
            ReluActivation.INSTANCE.expectations(s22, s22, s22, tmp, 0);
            double e22 = tmp[0];
            s11 = e11 + b2;
            s22 = e22 + b2;
            s12 = e12 + b2;
            t = s12 + dot * t;
        }
        out[0] = s12;
        out[1] = t;
        return out;
    }
}
