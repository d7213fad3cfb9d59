package io.eqntk.finite;

import io.eqntk.model.FeatureShape;

/**
 * A network's finite layers in order, with where each layer's parameters start in the network's one flat array:
 * what {@link BatchedNetwork} runs. {@code io.eqntk.network.FiniteNetwork} builds one from an architecture; this
 * package stays below the layers and architectures that make its faces.
 */
public interface FiniteStack {
    int layerCount();

    FiniteLayer layer(int i);

    /** Where layer i's parameters start in the flat array. */
    int offset(int i);

    int parameterCount();

    FeatureShape inputShape();

    FeatureShape outputShape();

    /** How messages name layer i (its spec). */
    String layerSpec(int i);
}
