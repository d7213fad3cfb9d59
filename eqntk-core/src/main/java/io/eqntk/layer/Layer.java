package io.eqntk.layer;

import io.eqntk.model.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.KernelOp;

/**
 * One layer of a network with its faces: the output shape it gives an input shape, its analytic kernel map as
 * data (a {@link KernelOp} that the kernel engine compiles and evaluates), and its finite-width version.
 */
public interface Layer {
    /** The canonical architecture-string form, e.g. {@code conv(3, VALID, w=1.5, b=0.1)}. */
    String spec();

    /**
     * The shape this layer produces from {@code in}; affine layers produce {@code outChannels} channels.
     *
     * @throws io.eqntk.model.ArchitectureException if the layer cannot act on {@code in} (message without position)
     */
    FeatureShape outputShape(FeatureShape in, int outChannels);

    /** The analytic kernel map, as an operation for the kernel engine. */
    KernelOp kernelOp();

    /** The finite-width layer for the given input and output shapes (from {@link #outputShape}). */
    FiniteLayer finite(FeatureShape in, FeatureShape out);

    /**
     * The finite-width layer in a network of the given width: the same as {@link #finite(FeatureShape,
     * FeatureShape)} except for layers that hold layers of their own (branches), whose inner shapes need the width.
     */
    default FiniteLayer finite(FeatureShape in, FeatureShape out, int width) {
        return finite(in, out);
    }

    /**
     * The same layer in an ordinary CNN, for the orbit identity's counterpart of a group network (a lifting or
     * group convolution becomes a convolution with the same filter and scales, group pooling becomes gap); the
     * layer itself when it does not depend on the group.
     */
    default Layer planarCounterpart() {
        return this;
    }

    /**
     * The same layer in parameterisation {@code p} with base input width {@code baseWidth} (0: the network input's
     * channels, first layer only); layers without weights return themselves.
     */
    default Layer withParameterization(io.eqntk.model.Parameterization p, int baseWidth) {
        return this;
    }

    /** True for layers with weights (their output channel count is the network's width). */
    default boolean isAffine() {
        return false;
    }

    /**
     * True for a standard-parameterised layer that takes the input's channels as its base width (n = 0), which
     * only a first layer can: deeper layers' inputs have the network's width, which the layer does not know.
     */
    default boolean takesInputChannelsAsBaseWidth() {
        return false;
    }

}
