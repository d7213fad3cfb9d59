package io.eqntk.sphere;

import io.eqntk.EqntkException;

import java.util.List;
import java.util.Random;

/**
 * A finite spherical network on the grids (docs/SO3_KERNELS.md §1): every s2lift, so3conv and hidden dense layer
 * has {@code width} channels, the last dense layer {@code outputs}. Weights are standard normal (NTK
 * parameterisation: the scales W_std / sqrt(fan-in) sit in the forward pass). {@link #forward} and
 * {@link #gradient} give outputs and parameter gradients, for Monte-Carlo kernel estimates. Not thread-safe.
 */
public final class SphericalNetwork {
    private final SphericalPlan plan;
    private final int width;
    private final int outputs;
    private final int[] channelsIn;
    private final int[] channelsOut;
    private final int[] paramOffset;
    private final int parameterCount;
    /** Filter spectra of the last parameter array seen (the same array is reused across inputs). */
    private double[] cachedParams;
    private double[][][][] filterCache;

    /** The activations of one forward pass, kept for the backward pass. */
    public static final class Trace {
        final Object[] saved;
        final Object[] maps;
        final double[] output;

        Trace(int steps, double[] output) {
            this.saved = new Object[steps];
            this.maps = new Object[steps];
            this.output = output;
        }

        /** Output of layer i: double[channel][grid point] for SO(3) maps, double[channel] for vectors. */
        public Object map(int i) {
            return maps[i];
        }

        public double[] output() {
            return output.clone();
        }
    }

    public SphericalNetwork(List<SphericalLayer> layers, int inputBandwidth, int inputChannels, int width,
                            int outputs) {
        this(SphericalPlan.of(layers, inputBandwidth, inputChannels), width, outputs);
    }

    public SphericalNetwork(SphericalPlan plan, int width, int outputs) {
        if (width < 1 || outputs < 1) {
            throw new EqntkException("spherical network: width and outputs must be positive, got " + width + ", "
                + outputs);
        }
        this.plan = plan;
        this.width = width;
        this.outputs = outputs;
        List<SphericalPlan.Step> steps = plan.steps();
        int lastDense = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).layer instanceof SphericalLayer.Dense) {
                lastDense = i;
            }
        }
        channelsIn = new int[steps.size()];
        channelsOut = new int[steps.size()];
        paramOffset = new int[steps.size() + 1];
        int c = plan.inputChannels();
        long count = 0;
        for (int i = 0; i < steps.size(); i++) {
            SphericalPlan.Step s = steps.get(i);
            channelsIn[i] = c;
            paramOffset[i] = (int) count;
            if (s.layer instanceof SphericalLayer.S2Lift || s.layer instanceof SphericalLayer.So3Conv
                || s.layer instanceof SphericalLayer.Dense) {
                int out = i == lastDense ? outputs : width;
                int fan = s.layer instanceof SphericalLayer.Dense ? c : c * s.filterPoints();
                count += (long) out * fan + (bStd(s.layer) > 0 ? out : 0);
                c = out;
            }
            channelsOut[i] = c;
        }
        if (count > 50_000_000) {
            throw new EqntkException("spherical network: " + count + " parameters is too many (at most 50 million)");
        }
        paramOffset[steps.size()] = (int) count;
        parameterCount = (int) count;
    }

    public int parameterCount() {
        return parameterCount;
    }

    public int outputCount() {
        return channelsOut[channelsOut.length - 1];
    }

    public SphericalPlan plan() {
        return plan;
    }

    /** Standard normal parameters from the seed. */
    public double[] init(long seed) {
        Random rng = new Random(seed);
        double[] p = new double[parameterCount];
        for (int i = 0; i < p.length; i++) {
            p[i] = rng.nextGaussian();
        }
        return p;
    }

    private static double wStd(SphericalLayer l) {
        if (l instanceof SphericalLayer.S2Lift x) {
            return x.wStd();
        }
        if (l instanceof SphericalLayer.So3Conv x) {
            return x.wStd();
        }
        return ((SphericalLayer.Dense) l).wStd();
    }

    private static double bStd(SphericalLayer l) {
        if (l instanceof SphericalLayer.S2Lift x) {
            return x.bStd();
        }
        if (l instanceof SphericalLayer.So3Conv x) {
            return x.bStd();
        }
        if (l instanceof SphericalLayer.Dense x) {
            return x.bStd();
        }
        return 0;
    }

    public Trace forward(double[] params, SphereSignal x) {
        plan.requireInput(x, "x");
        List<SphericalPlan.Step> steps = plan.steps();
        Object cur = x.channels();
        Trace trace = new Trace(steps.size(), new double[outputCount()]);
        for (int i = 0; i < steps.size(); i++) {
            SphericalPlan.Step s = steps.get(i);
            if (s.layer instanceof SphericalLayer.S2Lift) {
                double[][][] coef = analyzeS2((double[][]) cur, s);
                trace.saved[i] = coef;
                cur = spectralForward(params, i, s, coef, true);
            } else if (s.layer instanceof SphericalLayer.So3Conv) {
                double[][][] coef = analyzeSo3((double[][]) cur, s);
                trace.saved[i] = coef;
                cur = spectralForward(params, i, s, coef, false);
            } else if (s.layer instanceof SphericalLayer.So3Pool) {
                double[][] f = (double[][]) cur;
                double[] q = plan.so3(s.bandwidthIn).meanWeights();
                double[] v = new double[f.length];
                for (int c = 0; c < f.length; c++) {
                    double acc = 0;
                    for (int a = 0; a < q.length; a++) {
                        acc += q[a] * f[c][a];
                    }
                    v[c] = acc;
                }
                cur = v;
            } else if (s.layer instanceof SphericalLayer.Activation act) {
                trace.saved[i] = cur;
                if (cur instanceof double[][] f) {
                    double[][] g = new double[f.length][];
                    for (int c = 0; c < f.length; c++) {
                        g[c] = new double[f[c].length];
                        for (int a = 0; a < f[c].length; a++) {
                            g[c][a] = act.apply(f[c][a]);
                        }
                    }
                    cur = g;
                } else {
                    double[] v = (double[]) cur, g = new double[v.length];
                    for (int c = 0; c < v.length; c++) {
                        g[c] = act.apply(v[c]);
                    }
                    cur = g;
                }
            } else if (s.layer instanceof SphericalLayer.Dense dense) {
                double[] v = (double[]) cur;
                trace.saved[i] = v;
                int out = channelsOut[i], in = channelsIn[i], off = paramOffset[i];
                double scale = dense.wStd() / Math.sqrt(in);
                double[] g = new double[out];
                for (int o = 0; o < out; o++) {
                    double acc = 0;
                    for (int c = 0; c < in; c++) {
                        acc += params[off + o * in + c] * v[c];
                    }
                    g[o] = scale * acc + (dense.bStd() > 0 ? dense.bStd() * params[off + out * in + o] : 0);
                }
                cur = g;
            }
            trace.maps[i] = cur;
        }
        System.arraycopy((double[]) cur, 0, trace.output, 0, trace.output.length);
        return trace;
    }

    /** Coefficients {re, im}[c] of degrees below the lift's output bandwidth. */
    private double[][][] analyzeS2(double[][] x, SphericalPlan.Step s) {
        S2Transform t = plan.s2(s.bandwidthIn);
        int bw = s.bandwidthOut;
        double[][][] coef = new double[2][x.length][bw * bw];
        for (int c = 0; c < x.length; c++) {
            t.analyze(x[c], bw, coef[0][c], coef[1][c]);
        }
        return coef;
    }

    private double[][][] analyzeSo3(double[][] f, SphericalPlan.Step s) {
        So3Transform t = plan.so3(s.bandwidthIn);
        int size = WignerD.size(s.bandwidthOut);
        double[][][] coef = new double[2][f.length][size];
        for (int c = 0; c < f.length; c++) {
            t.analyze(f[c], null, s.bandwidthOut, coef[0][c], coef[1][c]);
        }
        return coef;
    }

    /**
     * Filter spectra of output channel k and input channel c: lift ψ^l_n = scale sum_i w_kci B_ln(ω_i) (index
     * l^2+l+n); conv ψ^l_{k'n} = scale sum_i w_kci D^l_{k'n}(Q_i) (WignerD layout).
     */
    private double[][] filter(double[] params, int stepIndex, SphericalPlan.Step s, int k, int c) {
        if (params != cachedParams) {
            cachedParams = params;
            filterCache = new double[plan.steps().size()][][][];
        }
        int in = channelsIn[stepIndex];
        if (filterCache[stepIndex] == null) {
            filterCache[stepIndex] = new double[channelsOut[stepIndex] * in][][];
        }
        double[][] f = filterCache[stepIndex][k * in + c];
        if (f == null) {
            f = computeFilter(params, stepIndex, s, k, c);
            filterCache[stepIndex][k * in + c] = f;
        }
        return f;
    }

    private double[][] computeFilter(double[] params, int stepIndex, SphericalPlan.Step s, int k, int c) {
        int pts = s.filterPoints(), in = channelsIn[stepIndex];
        double scale = wStd(s.layer) / Math.sqrt((double) in * pts);
        int size = s.basis[0][0].length;
        double[] re = new double[size], im = new double[size];
        int off = paramOffset[stepIndex] + (k * in + c) * pts;
        for (int i = 0; i < pts; i++) {
            double w = scale * params[off + i];
            double[] br = s.basis[0][i], bi = s.basis[1][i];
            for (int j = 0; j < size; j++) {
                re[j] += w * br[j];
                im[j] += w * bi[j];
            }
        }
        return new double[][] {re, im};
    }

    private double[][] spectralForward(double[] params, int stepIndex, SphericalPlan.Step s, double[][][] coef,
                                       boolean lift) {
        So3Transform out = plan.so3(s.bandwidthOut);
        int bw = s.bandwidthOut, size = WignerD.size(bw);
        int in = channelsIn[stepIndex], outCh = channelsOut[stepIndex];
        double b = bStd(s.layer);
        int biasOff = paramOffset[stepIndex] + outCh * in * s.filterPoints();
        double[][] result = new double[outCh][out.gridSize()];
        double[] gr = new double[size], gi = new double[size];
        for (int k = 0; k < outCh; k++) {
            java.util.Arrays.fill(gr, 0);
            java.util.Arrays.fill(gi, 0);
            for (int c = 0; c < in; c++) {
                double[][] psi = filter(params, stepIndex, s, k, c);
                multiply(coef[0][c], coef[1][c], psi[0], psi[1], bw, lift, gr, gi);
            }
            out.synthesize(gr, gi, bw, result[k], null);
            if (b > 0) {
                double bias = b * params[biasOff + k];
                for (int a = 0; a < result[k].length; a++) {
                    result[k][a] += bias;
                }
            }
        }
        return result;
    }

    /** g^l_{mk} += sum_n f^l_{mn} ψ^l_{kn} (conv) or g^l_{mk} += x_lm ψ_lk (lift). */
    private static void multiply(double[] fr, double[] fi, double[] pr, double[] pi, int bw, boolean lift,
                                 double[] gr, double[] gi) {
        for (int l = 0; l < bw; l++) {
            for (int m = -l; m <= l; m++) {
                for (int k = -l; k <= l; k++) {
                    int at = WignerD.index(l, m, k);
                    if (lift) {
                        int u = S2Transform.index(l, m), v = S2Transform.index(l, k);
                        gr[at] += fr[u] * pr[v] - fi[u] * pi[v];
                        gi[at] += fr[u] * pi[v] + fi[u] * pr[v];
                    } else {
                        double sr = 0, si = 0;
                        for (int n = -l; n <= l; n++) {
                            int u = WignerD.index(l, m, n), v = WignerD.index(l, k, n);
                            sr += fr[u] * pr[v] - fi[u] * pi[v];
                            si += fr[u] * pi[v] + fi[u] * pr[v];
                        }
                        gr[at] += sr;
                        gi[at] += si;
                    }
                }
            }
        }
    }

    /** ∂ output[o] / ∂ params. */
    public double[] gradient(double[] params, Trace trace, int o) {
        List<SphericalPlan.Step> steps = plan.steps();
        double[] grad = new double[parameterCount];
        Object delta = null;
        double[] top = new double[trace.output.length];
        top[o] = 1;
        delta = top;
        for (int i = steps.size() - 1; i >= 0; i--) {
            SphericalPlan.Step s = steps.get(i);
            if (s.layer instanceof SphericalLayer.Dense dense) {
                double[] v = (double[]) trace.saved[i], d = (double[]) delta;
                int out = channelsOut[i], in = channelsIn[i], off = paramOffset[i];
                double scale = dense.wStd() / Math.sqrt(in);
                double[] back = new double[in];
                for (int k = 0; k < out; k++) {
                    for (int c = 0; c < in; c++) {
                        grad[off + k * in + c] = scale * v[c] * d[k];
                        back[c] += scale * params[off + k * in + c] * d[k];
                    }
                    if (dense.bStd() > 0) {
                        grad[off + out * in + k] = dense.bStd() * d[k];
                    }
                }
                delta = back;
            } else if (s.layer instanceof SphericalLayer.Activation act) {
                if (trace.saved[i] instanceof double[][] pre) {
                    double[][] d = (double[][]) delta;
                    for (int c = 0; c < pre.length; c++) {
                        for (int a = 0; a < pre[c].length; a++) {
                            d[c][a] *= act.derivative(pre[c][a]);
                        }
                    }
                } else {
                    double[] pre = (double[]) trace.saved[i], d = (double[]) delta;
                    for (int c = 0; c < pre.length; c++) {
                        d[c] *= act.derivative(pre[c]);
                    }
                }
            } else if (s.layer instanceof SphericalLayer.So3Pool) {
                double[] d = (double[]) delta;
                double[] q = plan.so3(s.bandwidthIn).meanWeights();
                double[][] back = new double[d.length][q.length];
                for (int c = 0; c < d.length; c++) {
                    for (int a = 0; a < q.length; a++) {
                        back[c][a] = q[a] * d[c];
                    }
                }
                delta = back;
            } else {
                delta = spectralBackward(params, i, s, (double[][][]) trace.saved[i], (double[][]) delta, grad,
                    s.layer instanceof SphericalLayer.S2Lift);
            }
        }
        return grad;
    }

    /** Weight gradients of a lift or conv; returns the input gradient (null for the lift). */
    private double[][] spectralBackward(double[] params, int stepIndex, SphericalPlan.Step s, double[][][] coef,
                                        double[][] delta, double[] grad, boolean lift) {
        So3Transform out = plan.so3(s.bandwidthOut);
        int bw = s.bandwidthOut, size = WignerD.size(bw);
        int in = channelsIn[stepIndex], outCh = channelsOut[stepIndex], pts = s.filterPoints();
        double scale = wStd(s.layer) / Math.sqrt((double) in * pts);
        int off = paramOffset[stepIndex];
        double b = bStd(s.layer);
        double[][] dr = new double[outCh][size], di = new double[outCh][size];
        for (int k = 0; k < outCh; k++) {
            out.project(delta[k], null, bw, false, dr[k], di[k]);
            if (b > 0) {
                double acc = 0;
                for (double v : delta[k]) {
                    acc += v;
                }
                grad[off + outCh * in * pts + k] = b * acc;
            }
        }
        int basisSize = s.basis[0][0].length;
        double[] gr = new double[basisSize], gi = new double[basisSize];
        for (int k = 0; k < outCh; k++) {
            for (int c = 0; c < in; c++) {
                // G = sum_m f^l_{m·} conj(δ^l_{m·}) in the filter's basis layout
                java.util.Arrays.fill(gr, 0);
                java.util.Arrays.fill(gi, 0);
                double[] fr = coef[0][c], fi = coef[1][c];
                for (int l = 0; l < bw; l++) {
                    for (int m = -l; m <= l; m++) {
                        for (int kk = -l; kk <= l; kk++) {
                            int at = WignerD.index(l, m, kk);
                            double er = dr[k][at], ei = -di[k][at];
                            if (lift) {
                                int u = S2Transform.index(l, m), v = S2Transform.index(l, kk);
                                gr[v] += fr[u] * er - fi[u] * ei;
                                gi[v] += fr[u] * ei + fi[u] * er;
                            } else {
                                for (int n = -l; n <= l; n++) {
                                    int u = WignerD.index(l, m, n), v = WignerD.index(l, kk, n);
                                    gr[v] += fr[u] * er - fi[u] * ei;
                                    gi[v] += fr[u] * ei + fi[u] * er;
                                }
                            }
                        }
                    }
                }
                int w = off + (k * in + c) * pts;
                for (int i = 0; i < pts; i++) {
                    double[] br = s.basis[0][i], bi = s.basis[1][i];
                    double acc = 0;
                    for (int j = 0; j < basisSize; j++) {
                        acc += br[j] * gr[j] - bi[j] * gi[j];
                    }
                    grad[w + i] = scale * acc;
                }
            }
        }
        if (lift) {
            return null;
        }
        // input gradient: e_c = sum_k δ_k conj(ψ_kc), then the adjoint of the analysis: q_a Re synth(c_l e_c)
        So3Transform t = plan.so3(s.bandwidthIn);
        double[][] back = new double[in][t.gridSize()];
        double[] er = new double[size], ei = new double[size];
        double[] raw = rawWeights(t);
        for (int c = 0; c < in; c++) {
            java.util.Arrays.fill(er, 0);
            java.util.Arrays.fill(ei, 0);
            for (int k = 0; k < outCh; k++) {
                double[][] psi = filter(params, stepIndex, s, k, c);
                for (int l = 0; l < bw; l++) {
                    for (int m = -l; m <= l; m++) {
                        for (int n = -l; n <= l; n++) {
                            double sr = 0, si = 0;
                            for (int kk = -l; kk <= l; kk++) {
                                int u = WignerD.index(l, m, kk), v = WignerD.index(l, kk, n);
                                sr += dr[k][u] * psi[0][v] + di[k][u] * psi[1][v];
                                si += di[k][u] * psi[0][v] - dr[k][u] * psi[1][v];
                            }
                            er[WignerD.index(l, m, n)] += sr;
                            ei[WignerD.index(l, m, n)] += si;
                        }
                    }
                }
            }
            for (int l = 0; l < bw; l++) {
                double norm = (2 * l + 1) / (8 * Math.PI * Math.PI);
                for (int j = WignerD.offset(l); j < WignerD.offset(l + 1); j++) {
                    er[j] *= norm;
                    ei[j] *= norm;
                }
            }
            t.synthesize(er, ei, bw, back[c], null);
            for (int a = 0; a < back[c].length; a++) {
                back[c][a] *= raw[a];
            }
        }
        return back;
    }

    /** Quadrature weight of each grid point (summing to 8π^2). */
    private static double[] rawWeights(So3Transform t) {
        double[] q = t.meanWeights();
        for (int a = 0; a < q.length; a++) {
            q[a] *= 8 * Math.PI * Math.PI;
        }
        return q;
    }
}
