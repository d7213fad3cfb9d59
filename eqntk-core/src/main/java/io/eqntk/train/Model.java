package io.eqntk.train;

import io.eqntk.finite.FiniteNetwork;

/**
 * A differentiable function f(x; p) with a flat parameter vector, as gradient descent sees it: a forward pass that
 * keeps what its backward pass (a vector-Jacobian product) needs. Implementations are immutable and thread-safe;
 * a {@link Pass} belongs to one thread.
 */
public interface Model {
    int parameterCount();

    /** Number of outputs k. */
    int outputs();

    /** Values per input image. */
    int inputSize();

    /** Evaluates f(x; params). */
    Pass forward(double[] params, double[] x);

    /** One forward evaluation. */
    interface Pass {
        /** f(x; p), length k. */
        double[] output();

        /** Adds (df/dp)^T gradOutput into gradParams. */
        void backward(double[] gradOutput, double[] gradParams);
    }

    /** The finite network itself (NTK parameterisation, as built by {@link FiniteNetwork}). */
    static Model of(FiniteNetwork net) {
        return new Model() {
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

            @Override
            public Pass forward(double[] params, double[] x) {
                double[][] acts = net.forward(params, x);
                return new Pass() {
                    @Override
                    public double[] output() {
                        return acts[acts.length - 1];
                    }

                    @Override
                    public void backward(double[] gradOutput, double[] gradParams) {
                        net.backward(params, acts, gradOutput, gradParams);
                    }
                };
            }
        };
    }
}
