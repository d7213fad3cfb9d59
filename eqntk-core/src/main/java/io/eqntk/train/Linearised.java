package io.eqntk.train;

import io.eqntk.network.FiniteNetwork;

/**
 * The first-order Taylor expansion of a finite network around parameters p0:
 * {@code f_lin(x; p) = f(x; p0) + J(x; p0) (p - p0)}. Gradient flow on it is exactly kernel regression with the
 * network's empirical NTK at p0 (plus the untrained part f(x; p0)), which is what makes it the reference for
 * checking {@link GradientDescent}. Each pass costs one forward and k backward passes of the network (the
 * Jacobian rows), so it is meant for small networks and tests.
 */
public final class Linearised implements Model {
    private final FiniteNetwork net;
    private final double[] p0;
    /** f(x; p0) and J(x; p0) per input array (by identity), so repeated passes over a training set are cheap. */
    private final java.util.Map<double[], double[][]> cache =
        java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    public Linearised(FiniteNetwork net, double[] p0) {
        if (p0.length != net.parameterCount()) {
            throw new io.eqntk.EqntkException("p0 has " + p0.length + " values, the network has "
                + net.parameterCount() + " parameters");
        }
        this.net = net;
        this.p0 = p0.clone();
    }

    @Override
    public int parameterCount() {
        return net.parameterCount();
    }

    @Override
    public int outputs() {
        return net.outputShape().size();
    }

    @Override
    public int inputSize() {
        return net.inputShape().size();
    }

    /** The Jacobian rows J(x; p0), k x P. */
    public double[][] jacobian(double[] x) {
        double[][] acts = net.forward(p0, x);
        int k = outputs();
        double[][] j = new double[k][net.parameterCount()];
        for (int o = 0; o < k; o++) {
            double[] unit = new double[k];
            unit[o] = 1;
            net.backward(p0, acts, unit, j[o]);
        }
        return j;
    }

    @Override
    public Pass forward(double[] params, double[] x) {
        double[][] cached = cache.computeIfAbsent(x, xx -> {
            double[][] jj = jacobian(xx);
            double[][] r = new double[jj.length + 1][];
            r[0] = net.output(p0, xx);
            System.arraycopy(jj, 0, r, 1, jj.length);
            return r;
        });
        double[] f0 = cached[0];
        double[][] jac = java.util.Arrays.copyOfRange(cached, 1, cached.length);
        int k = outputs();
        double[] out = new double[k];
        for (int o = 0; o < k; o++) {
            double s = f0[o];
            double[] row = jac[o];
            for (int p = 0; p < row.length; p++) {
                s += row[p] * (params[p] - p0[p]);
            }
            out[o] = s;
        }
        return new Pass() {
            @Override
            public double[] output() {
                return out;
            }

            @Override
            public void backward(double[] gradOutput, double[] gradParams) {
                for (int o = 0; o < k; o++) {
                    double g = gradOutput[o];
                    if (g == 0) {
                        continue;
                    }
                    double[] row = jac[o];
                    for (int p = 0; p < row.length; p++) {
                        gradParams[p] += g * row[p];
                    }
                }
            }
        };
    }
}
