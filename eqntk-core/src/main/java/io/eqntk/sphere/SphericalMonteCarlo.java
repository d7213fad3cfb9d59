package io.eqntk.sphere;

import io.eqntk.EqntkException;

import java.util.List;

/**
 * Monte-Carlo NNGP and NTK of finite spherical networks: the mean over random networks (and their outputs) of
 * f(x) f(x') and of the parameter-gradient product, with the standard error of the mean over networks.
 */
public final class SphericalMonteCarlo {
    /** Means and standard errors, n x n row-major. */
    public record Estimate(int n, double[] nngp, double[] nngpError, double[] ntk, double[] ntkError) {
    }

    private SphericalMonteCarlo() {
    }

    public static Estimate estimate(SphericalNetwork net, List<SphereSignal> xs, int samples, long seed) {
        if (samples < 2) {
            throw new EqntkException("samples must be at least 2 to give a standard error, got " + samples);
        }
        int n = xs.size(), outs = net.outputCount();
        double[] s1 = new double[n * n], s2 = new double[n * n], t1 = new double[n * n], t2 = new double[n * n];
        for (int s = 0; s < samples; s++) {
            double[] params = net.init(seed + 1_000_003L * s);
            double[][] out = new double[n][];
            double[][][] grads = new double[n][outs][];
            for (int i = 0; i < n; i++) {
                SphericalNetwork.Trace tr = net.forward(params, xs.get(i));
                out[i] = tr.output();
                for (int o = 0; o < outs; o++) {
                    grads[i][o] = net.gradient(params, tr, o);
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double f = 0, g = 0;
                    for (int o = 0; o < outs; o++) {
                        f += out[i][o] * out[j][o];
                        g += dot(grads[i][o], grads[j][o]);
                    }
                    f /= outs;
                    g /= outs;
                    s1[i * n + j] += f;
                    s2[i * n + j] += f * f;
                    t1[i * n + j] += g;
                    t2[i * n + j] += g * g;
                }
            }
        }
        double[] nm = new double[n * n], ne = new double[n * n], tm = new double[n * n], te = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            nm[i] = s1[i] / samples;
            ne[i] = Math.sqrt(Math.max(s2[i] / samples - nm[i] * nm[i], 0) / (samples - 1));
            tm[i] = t1[i] / samples;
            te[i] = Math.sqrt(Math.max(t2[i] / samples - tm[i] * tm[i], 0) / (samples - 1));
        }
        return new Estimate(n, nm, ne, tm, te);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
