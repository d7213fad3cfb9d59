package io.eqntk.sphere;

import io.eqntk.EqntkException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated list of spherical layers for inputs of a given bandwidth and channel count, with what the finite
 * and the analytic evaluators share: the transforms of every bandwidth used and the filters' spectral bases.
 * Not thread-safe (the transforms keep work buffers): use one plan per thread.
 */
public final class SphericalPlan {
    public enum Shape { S2, SO3, VECTOR }

    /** One layer with its input and output shapes and bandwidths (0 for vectors). */
    public static final class Step {
        public final SphericalLayer layer;
        public final int index;
        public final Shape in;
        public final Shape out;
        public final int bandwidthIn;
        public final int bandwidthOut;
        /** s2lift: B_ln(ω_i) = exp(-inφ_i) d^l_{n0}(θ_i) as {re, im}[i][l^2 + l + n]; so3conv: D^l_{kn}(Q_i). */
        public final double[][][] basis;
        private double[][][] pairOperator;

        Step(SphericalLayer layer, int index, Shape in, Shape out, int bandwidthIn, int bandwidthOut,
             double[][][] basis) {
            this.layer = layer;
            this.index = index;
            this.in = in;
            this.out = out;
            this.bandwidthIn = bandwidthIn;
            this.bandwidthOut = bandwidthOut;
            this.basis = basis;
        }

        public int filterPoints() {
            return basis == null ? 0 : basis[0].length;
        }

        /**
         * so3conv's operator on two-sided coefficients (docs/SO3_KERNELS.md §3): for degrees l, l' the
         * (2l+1)(2l'+1) x (2l+1)(2l'+1) matrix T[(k,k'),(n,n')] = (1/n) sum_i D^l_{kn}(Q_i) conj(D^l'_{k'n'}(Q_i)),
         * as {re, im}[l·L + l'].
         */
        public synchronized double[][][] pairOperator() {
            if (pairOperator == null) {
                int bw = bandwidthOut;
                int n = filterPoints();
                double[][] re = new double[bw * bw][], im = new double[bw * bw][];
                for (int l = 0; l < bw; l++) {
                    for (int lp = 0; lp < bw; lp++) {
                        int a = 2 * l + 1, b = 2 * lp + 1, s = a * b;
                        double[] tr = new double[s * s], ti = new double[s * s];
                        for (int i = 0; i < n; i++) {
                            double[] dr = basis[0][i], di = basis[1][i];
                            for (int k = 0; k < a; k++) {
                                for (int kp = 0; kp < b; kp++) {
                                    int row = (k * b + kp) * s;
                                    for (int nn = 0; nn < a; nn++) {
                                        int u = WignerD.offset(l) + k * a + nn;
                                        double ur = dr[u], ui = di[u];
                                        for (int np = 0; np < b; np++) {
                                            int v = WignerD.offset(lp) + kp * b + np;
                                            // u · conj(v)
                                            tr[row + nn * b + np] += (ur * dr[v] + ui * di[v]) / n;
                                            ti[row + nn * b + np] += (ui * dr[v] - ur * di[v]) / n;
                                        }
                                    }
                                }
                            }
                        }
                        re[l * bw + lp] = tr;
                        im[l * bw + lp] = ti;
                    }
                }
                pairOperator = new double[][][] {re, im};
            }
            return pairOperator;
        }
    }

    private final List<Step> steps;
    private final int inputBandwidth;
    private final int inputChannels;
    private final Map<Integer, So3Transform> so3 = new HashMap<>();
    private final Map<Integer, S2Transform> s2 = new HashMap<>();

    private SphericalPlan(List<Step> steps, int inputBandwidth, int inputChannels) {
        this.steps = steps;
        this.inputBandwidth = inputBandwidth;
        this.inputChannels = inputChannels;
    }

    /** Validates the layers for S^2 inputs of the given bandwidth and channels; errors name the layer. */
    public static SphericalPlan of(List<SphericalLayer> layers, int inputBandwidth, int inputChannels) {
        DriscollHealy.requireBandwidth(inputBandwidth, "input");
        if (inputChannels < 1) {
            throw new EqntkException("input: at least one channel is needed, got " + inputChannels);
        }
        if (layers.isEmpty()) {
            throw new EqntkException("spherical network: no layers");
        }
        List<Step> steps = new ArrayList<>();
        Shape shape = Shape.S2;
        int bw = inputBandwidth;
        for (int i = 0; i < layers.size(); i++) {
            SphericalLayer layer = layers.get(i);
            String where = "layer " + (i + 1) + " '" + layer.describe() + "': ";
            Step step;
            if (layer instanceof SphericalLayer.S2Lift lift) {
                if (shape != Shape.S2) {
                    throw new EqntkException(where + "s2lift needs a signal on S2 (the input), but it gets "
                        + describe(shape));
                }
                requireBandwidth(where, lift.bandwidth(), bw);
                step = new Step(layer, i, shape, Shape.SO3, bw, lift.bandwidth(),
                    liftBasis(lift.bandwidth(), CapGrid.s2Cap(lift.maxBeta(), lift.nAlpha(), lift.nBeta())));
                shape = Shape.SO3;
                bw = lift.bandwidth();
            } else if (layer instanceof SphericalLayer.So3Conv conv) {
                if (shape != Shape.SO3) {
                    throw new EqntkException(where + "so3conv needs an SO(3) feature map, but it gets "
                        + describe(shape) + (shape == Shape.S2 ? ": put s2lift(L_out, max_beta) before it" : ""));
                }
                requireBandwidth(where, conv.bandwidth(), bw);
                step = new Step(layer, i, shape, Shape.SO3, bw, conv.bandwidth(),
                    rotationBasis(conv.bandwidth(),
                        CapGrid.so3Cap(conv.maxBeta(), conv.nAlpha(), conv.nBeta(), conv.nGamma())));
                bw = conv.bandwidth();
            } else if (layer instanceof SphericalLayer.So3Pool) {
                if (shape != Shape.SO3) {
                    throw new EqntkException(where + "so3pool needs an SO(3) feature map, but it gets "
                        + describe(shape));
                }
                step = new Step(layer, i, shape, Shape.VECTOR, bw, 0, null);
                shape = Shape.VECTOR;
                bw = 0;
            } else if (layer instanceof SphericalLayer.Activation) {
                if (shape == Shape.S2) {
                    throw new EqntkException(where + "a nonlinearity on the input signal is not supported: "
                        + "start with s2lift");
                }
                step = new Step(layer, i, shape, shape, bw, bw, null);
            } else if (layer instanceof SphericalLayer.Dense) {
                if (shape != Shape.VECTOR) {
                    throw new EqntkException(where + "dense needs a vector, but it gets " + describe(shape)
                        + ": put so3pool before it");
                }
                step = new Step(layer, i, shape, shape, 0, 0, null);
            } else {
                throw new EqntkException(where + "not a spherical layer");
            }
            steps.add(step);
        }
        if (shape != Shape.VECTOR) {
            throw new EqntkException("spherical network: it must end on a vector (so3pool, then dense layers), "
                + "but it ends on " + describe(shape));
        }
        return new SphericalPlan(List.copyOf(steps), inputBandwidth, inputChannels);
    }

    private static void requireBandwidth(String where, int out, int in) {
        if (out > in) {
            throw new EqntkException(where + "output bandwidth " + out + " exceeds the input's bandwidth " + in
                + " (a layer can only keep or lower the bandwidth)");
        }
    }

    private static String describe(Shape s) {
        return switch (s) {
            case S2 -> "a signal on S2";
            case SO3 -> "an SO(3) feature map";
            case VECTOR -> "a vector";
        };
    }

    private static double[][][] liftBasis(int bw, double[][] points) {
        double[][] re = new double[points.length][bw * bw], im = new double[points.length][bw * bw];
        for (int i = 0; i < points.length; i++) {
            double[] d = WignerD.small(bw, points[i][0]);
            for (int l = 0; l < bw; l++) {
                for (int n = -l; n <= l; n++) {
                    double v = d[WignerD.index(l, n, 0)];
                    re[i][S2Transform.index(l, n)] = v * Math.cos(-n * points[i][1]);
                    im[i][S2Transform.index(l, n)] = v * Math.sin(-n * points[i][1]);
                }
            }
        }
        return new double[][][] {re, im};
    }

    private static double[][][] rotationBasis(int bw, double[][] euler) {
        double[][] re = new double[euler.length][], im = new double[euler.length][];
        for (int i = 0; i < euler.length; i++) {
            double[][] d = WignerD.full(bw, euler[i][0], euler[i][1], euler[i][2]);
            re[i] = d[0];
            im[i] = d[1];
        }
        return new double[][][] {re, im};
    }

    public List<Step> steps() {
        return steps;
    }

    public int inputBandwidth() {
        return inputBandwidth;
    }

    public int inputChannels() {
        return inputChannels;
    }

    public So3Transform so3(int bandwidth) {
        return so3.computeIfAbsent(bandwidth, So3Transform::new);
    }

    public S2Transform s2(int bandwidth) {
        return s2.computeIfAbsent(bandwidth, S2Transform::new);
    }

    /** Checks that a signal fits the plan's input. */
    public void requireInput(SphereSignal x, String name) {
        if (x.bandwidth() != inputBandwidth) {
            throw new EqntkException(name + ": bandwidth " + x.bandwidth() + " does not match the network's input "
                + "grid of bandwidth " + inputBandwidth);
        }
        if (x.channelCount() != inputChannels) {
            throw new EqntkException(name + ": " + x.channelCount() + " channels, but the network expects "
                + inputChannels);
        }
    }
}
