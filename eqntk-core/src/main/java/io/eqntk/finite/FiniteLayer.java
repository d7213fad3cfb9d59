package io.eqntk.finite;

import io.eqntk.model.FeatureShape;

import java.util.Random;

/**
 * A layer at finite width, NTK parameterisation: parameters are N(0, 1) and the layer scales them
 * (W_std / sqrt(fan_in), b_std). Stateless: parameters live in the network's flat array and activations are
 * kept by the caller, so one instance serves many networks and threads.
 */
public interface FiniteLayer {
    FeatureShape inputShape();

    FeatureShape outputShape();

    default int parameterCount() {
        return 0;
    }

    /** Draws this layer's parameters params[off, off + parameterCount()) from N(0, 1). */
    default void init(double[] params, int off, Random rng) {
        for (int i = 0; i < parameterCount(); i++) {
            params[off + i] = rng.nextGaussian();
        }
    }

    /** out = layer(in); out has outputShape().size() entries and is overwritten. */
    void forward(double[] params, int off, double[] in, double[] out);

    /**
     * Back-propagation: given dL/d(out), adds dL/d(params) into gradParams[off, ...) and overwrites
     * gradIn with dL/d(in). {@code in} and {@code out} are the forward pass's values.
     */
    void backward(double[] params, int off, double[] in, double[] out, double[] gradOut,
                  double[] gradParams, double[] gradIn);
}
