package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.KernelOp;
import io.eqntk.finite.FiniteFlatten;

/**
 * Flatten a map (image or group map) into one vector. Its kernel is the mean over the diagonal t = t' of the
 * identity block: the readout that follows sees each (group element, position, channel) as its own input.
 */
public final class Flatten implements Layer {
    public static final Flatten INSTANCE = new Flatten();

    @Override
    public String spec() {
        return "flatten";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        if (in.reduced()) {
            throw new ArchitectureException("flatten needs a spatial input, but the input is already a vector " + in);
        }
        return FeatureShape.vector(in.size());
    }

    @Override
    public KernelOp kernelOp() {
        return KernelOp.Mean.FLATTEN;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return new FiniteFlatten(in, out);
    }
}
