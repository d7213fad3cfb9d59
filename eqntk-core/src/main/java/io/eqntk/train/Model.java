package io.eqntk.train;

import io.eqntk.finite.BatchedNetwork;
import io.eqntk.network.FiniteNetwork;
import io.eqntk.model.Precision;

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

    /**
     * Evaluates f on a batch of inputs. The default runs {@link #forward(double[], double[])} input by input;
     * finite networks override it with one batched pass.
     */
    default BatchPass forward(double[] params, double[][] inputs) {
        Pass[] passes = new Pass[inputs.length];
        int k = outputs();
        double[] out = new double[inputs.length * k];
        for (int i = 0; i < inputs.length; i++) {
            passes[i] = forward(params, inputs[i]);
            System.arraycopy(passes[i].output(), 0, out, i * k, k);
        }
        return new BatchPass() {
            @Override
            public double[] outputs() {
                return out;
            }

            @Override
            public void backward(double[] gradOutputs, double[] gradParams) {
                for (int i = 0; i < passes.length; i++) {
                    passes[i].backward(java.util.Arrays.copyOfRange(gradOutputs, i * k, (i + 1) * k), gradParams);
                }
            }
        };
    }

    /** One forward evaluation of a batch. */
    interface BatchPass {
        /** f(x_i; p) for every input, n x k row-major. */
        double[] outputs();

        /** Adds sum_i (df(x_i)/dp)^T gradOutputs_i into gradParams (gradOutputs n x k). */
        void backward(double[] gradOutputs, double[] gradParams);
    }

    /** One forward evaluation. */
    interface Pass {
        /** f(x; p), length k. */
        double[] output();

        /** Adds (df/dp)^T gradOutput into gradParams. */
        void backward(double[] gradOutput, double[] gradParams);
    }

    /** The finite network itself (NTK parameterisation), float64, batched passes on one thread. */
    static Model of(FiniteNetwork net) {
        return of(net, Precision.FLOAT64, 1);
    }

    /**
     * The finite network through its batched face ({@link BatchedNetwork}) in the given precision, each matrix
     * product cut over {@code threads} workers (1 when networks already run in parallel).
     */
    static Model of(FiniteNetwork net, Precision precision, int threads) {
        BatchedNetwork batched = net.batched(precision, threads);
        int size = net.inputShape().size();
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
                return size;
            }

            @Override
            public Pass forward(double[] params, double[] x) {
                BatchPass b = forward(params, new double[][] {x});
                double[] out = b.outputs();
                return new Pass() {
                    @Override
                    public double[] output() {
                        return out;
                    }

                    @Override
                    public void backward(double[] gradOutput, double[] gradParams) {
                        b.backward(gradOutput, gradParams);
                    }
                };
            }

            @Override
            public BatchPass forward(double[] params, double[][] inputs) {
                double[] flat = new double[inputs.length * size];
                for (int i = 0; i < inputs.length; i++) {
                    if (inputs[i].length != size) {
                        throw new io.eqntk.EqntkException("input has " + inputs[i].length
                            + " values, the network expects " + size);
                    }
                    System.arraycopy(inputs[i], 0, flat, i * size, size);
                }
                BatchedNetwork.Pass pass = batched.forward(params, flat, inputs.length);
                double[] out = pass.outputs();
                return new BatchPass() {
                    @Override
                    public double[] outputs() {
                        return out;
                    }

                    @Override
                    public void backward(double[] gradOutputs, double[] gradParams) {
                        pass.backward(gradOutputs, gradParams);
                    }
                };
            }
        };
    }
}
