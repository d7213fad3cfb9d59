package io.eqntk.layer;

import io.eqntk.finite.FiniteLayer;
import io.eqntk.finite.FiniteLayerNorm;
import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.KernelOp;

import java.util.Locale;

/**
 * Layer normalisation, {@code layernorm(channels)} (over the channels at each position and group element) or
 * {@code layernorm(all)} (over channels, positions and group elements of each map), as neural-tangents'
 * {@code LayerNorm}: y = (x - mean) / sqrt(var + ε), no learned scale or shift. On a vector both are the same.
 */
public final class LayerNorm implements Layer {
    private final KernelOp.Normalize op;

    public LayerNorm(KernelOp.Normalize.Axes axes) {
        this.op = new KernelOp.Normalize(axes);
    }

    /** From the architecture string's argument: {@code channels} (default) or {@code all}. */
    static LayerNorm parse(String axes) {
        try {
            return new LayerNorm(KernelOp.Normalize.Axes.valueOf(axes.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new ArchitectureException("unknown axes '" + axes + "' (channels or all)");
        }
    }

    public KernelOp.Normalize.Axes axes() {
        return op.axes();
    }

    @Override
    public String spec() {
        return "layernorm(" + op.axes().name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        return in;
    }

    @Override
    public KernelOp kernelOp() {
        return op;
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        boolean all = op.axes() == KernelOp.Normalize.Axes.ALL;
        return new FiniteLayerNorm(in, out, all || in.reduced() ? in.size() : in.channels());
    }
}
