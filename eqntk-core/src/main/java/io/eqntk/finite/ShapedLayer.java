package io.eqntk.finite;

import io.eqntk.model.FeatureShape;

/** A finite layer that knows its input and output shapes: the common part of every layer's finite face. */
public abstract class ShapedLayer implements FiniteLayer {
    private final FeatureShape in;
    private final FeatureShape out;

    protected ShapedLayer(FeatureShape in, FeatureShape out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public final FeatureShape inputShape() {
        return in;
    }

    @Override
    public final FeatureShape outputShape() {
        return out;
    }
}
