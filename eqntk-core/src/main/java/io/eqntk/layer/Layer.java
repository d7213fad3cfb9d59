package io.eqntk.layer;

import io.eqntk.arch.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.kernel.KernelState;
import io.eqntk.kernel.Nonlinearity;

/**
 * One layer of a network with its faces: the output shape it gives an input shape, its analytic kernel map
 * (NNGP and NTK, acting on a {@link KernelState}), and its finite-width version.
 */
public interface Layer {
    /** The canonical architecture-string form, e.g. {@code conv(3, VALID, w=1.5, b=0.1)}. */
    String spec();

    /**
     * The shape this layer produces from {@code in}; affine layers produce {@code outChannels} channels.
     *
     * @throws io.eqntk.arch.ArchitectureException if the layer cannot act on {@code in} (message without position)
     */
    FeatureShape outputShape(FeatureShape in, int outChannels);

    /** The analytic kernel map. Nonlinearities find their variances already set on the state by the engine. */
    void kernel(KernelState state);

    /** The finite-width layer for the given input and output shapes (from {@link #outputShape}). */
    FiniteLayer finite(FeatureShape in, FeatureShape out);

    /** True for layers with weights (their output channel count is the network's width). */
    default boolean isAffine() {
        return false;
    }

    /** The entrywise nonlinearity of this layer, or null. */
    default Nonlinearity nonlinearity() {
        return null;
    }

    /**
     * True when the diagonal t = t' of this layer's output depends only on the diagonal of its input, so a
     * network can be evaluated on diagonals alone below a flatten readout.
     */
    default boolean preservesDiagonal() {
        return false;
    }
}
