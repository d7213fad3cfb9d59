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
        double[] selfX = selves(xs), selfY = selves(ys);
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

    /**
     * {nngp, ntk} sums over groups (molecules of atoms): group g of xs holds inputs startsX[g] .. startsX[g + 1] - 1,
     * likewise for ys; G1 x G2 row-major, without the atom matrices. With the same list and starts on both sides
     * each atom pair is computed once and the result is symmetric.
     */
    public double[][] groupCross(List<SphereSignal> xs, int[] startsX, List<SphereSignal> ys, int[] startsY) {
        boolean gram = xs == ys && java.util.Arrays.equals(startsX, startsY);
        double[] selfX = selves(xs), selfY = gram ? selfX : selves(ys);
        int g1 = startsX.length - 1, g2 = startsY.length - 1;
        double[] nngp = new double[g1 * g2], ntk = new double[g1 * g2];
        double[] out = new double[2];
        for (int a = 0; a < g1; a++) {
            for (int b = gram ? a : 0; b < g2; b++) {
                double sn = 0, st = 0;
                for (int i = startsX[a]; i < startsX[a + 1]; i++) {
                    for (int j = gram && a == b ? i : startsY[b]; j < startsY[b + 1]; j++) {
                        double[] r = pair(selfX[i], selfY[j], input(xs.get(i), ys.get(j)), out);
                        double times = gram && a == b && i != j ? 2 : 1;
                        sn += times * r[0];
                        st += times * r[1];
                    }
                }
                nngp[a * g2 + b] = sn;
                ntk[a * g2 + b] = st;
                if (gram) {
                    nngp[b * g2 + a] = sn;
                    ntk[b * g2 + a] = st;
                }
            }
        }
        return new double[][] {nngp, ntk};
    }

    private double[] selves(List<SphereSignal> xs) {
        double[] s = new double[xs.size()];
        for (int i = 0; i < xs.size(); i++) {
            s[i] = input(xs.get(i), xs.get(i));
        }
        return s;
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
