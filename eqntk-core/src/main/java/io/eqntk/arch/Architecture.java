package io.eqntk.arch;

import io.eqntk.model.FeatureShape;
import io.eqntk.model.ArchitectureException;
import io.eqntk.model.KernelOp;
import io.eqntk.model.Limits;
import io.eqntk.layer.Flatten;
import io.eqntk.layer.Layer;
import io.eqntk.layer.StencilLayer;
import io.eqntk.model.Parameterization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A network as the serial composition of layers (the stax style); built in Java or parsed from a string. */
public final class Architecture {
    private final List<Layer> layers;

    public Architecture(List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new ArchitectureException("an architecture needs at least one layer");
        }
        Limits.depth(layers.size());
        this.layers = List.copyOf(layers);
        checkBaseWidths();
    }

    /** A standard-parameterised stencil reads the input's channels as its base width only as the first layer. */
    private void checkBaseWidths() {
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i) instanceof StencilLayer s && s.parameterization() == Parameterization.STANDARD
                && s.baseWidth() == 0) {
                throw new ArchitectureException("layer " + (i + 1) + " '" + s.spec() + "': param=standard needs n=N, "
                    + "the base width of its input (only a first layer takes the input's channels)");
            }
        }
    }

    public static Architecture of(Layer... layers) {
        return new Architecture(Arrays.asList(layers));
    }

    /** Parses an architecture string such as {@code conv(3, VALID, w=1.5) relu gap dense}. */
    public static Architecture parse(String spec) {
        return ArchitectureParser.parse(spec);
    }

    public List<Layer> layers() {
        return layers;
    }

    public int size() {
        return layers.size();
    }

    /** The canonical string, parseable back into an equal architecture. */
    public String spec() {
        return layers.stream().map(Layer::spec).collect(Collectors.joining(" "));
    }

    @Override
    public String toString() {
        return spec();
    }

    /**
     * The shapes after each layer (element 0 is the input), checking every layer against its input; affine
     * layers get {@code width} channels except the last affine layer, which gets {@code outputs}.
     *
     * @throws ArchitectureException naming the offending layer
     */
    public List<FeatureShape> shapes(FeatureShape input, int width, int outputs) {
        int lastAffine = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).isAffine()) {
                lastAffine = i;
            }
        }
        List<FeatureShape> shapes = new ArrayList<>();
        shapes.add(input);
        FeatureShape cur = input;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            try {
                cur = l.outputShape(cur, i == lastAffine ? outputs : width);
            } catch (ArchitectureException e) {
                throw new ArchitectureException("layer " + (i + 1) + " '" + l.spec() + "': " + e.getMessage());
            }
            shapes.add(cur);
        }
        return shapes;
    }

    /**
     * Checks that this architecture accepts inputs of shape [h, w, c] and ends in a feature vector (so its
     * kernel is one number per pair).
     */
    public List<FeatureShape> validate(int height, int width, int channels) {
        if (height < 1 || width < 1 || channels < 1) {
            throw new ArchitectureException("input shape must be positive, got " + height + "x" + width + "x" + channels);
        }
        List<FeatureShape> shapes = shapes(FeatureShape.image(height, width, channels), 1, 1);
        FeatureShape last = shapes.get(shapes.size() - 1);
        if (!last.reduced()) {
            throw new ArchitectureException("the architecture ends in the map " + last
                + ": end it with gap, gpool or flatten (and optionally dense layers)");
        }
        return shapes;
    }

    /**
     * The first {@code count} layers, closed by {@code flatten} when they end on a map: a network whose kernel is
     * the self kernel at that depth (for diagnosing where a kernel first goes wrong). Count 0 reads out the input.
     */
    public Architecture prefixWithReadout(int count, FeatureShape input) {
        List<Layer> probe = new ArrayList<>(layers.subList(0, count));
        List<FeatureShape> shapes = count == 0 ? List.of(input)
            : new Architecture(probe).shapes(input, 1, 1);
        if (!shapes.get(shapes.size() - 1).reduced()) {
            probe.add(Flatten.INSTANCE);
        }
        return new Architecture(probe);
    }

    /**
     * The whole network in parameterisation {@code p}: every affine layer switched, each with the base width of
     * its input in a network of width {@code width} on {@code input} (a first layer reading the input keeps n = 0,
     * the input's channels; a dense layer after flatten gets the flattened length). The result's spec writes
     * {@code param=} and {@code n=} on every affine layer, so it parses back to the same network.
     */
    public Architecture withParameterization(Parameterization p, int width, FeatureShape input) {
        List<FeatureShape> shapes = shapes(input, width, 1);
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (!l.isAffine()) {
                out.add(l);
                continue;
            }
            FeatureShape in = shapes.get(i);
            // the input's channels, or the vector's length after gap, gpool or flatten
            out.add(l.withParameterization(p, i == 0 ? 0 : in.channels()));
        }
        return new Architecture(out);
    }

    /** The layers' kernel maps, in order: what the kernel engine compiles. */
    public List<KernelOp> kernelOps() {
        return layers.stream().map(Layer::kernelOp).collect(Collectors.toList());
    }

    /** The largest group order of any lifting layer (1 for an ordinary CNN). */
    public int maxGroupOrder() {
        int m = 1;
        for (KernelOp op : kernelOps()) {
            if (op instanceof KernelOp.Stencil s && s.lift() != null) {
                m = Math.max(m, s.lift().order());
            }
            if (op instanceof KernelOp.AffineStencil s && s.lift() != null) {
                m = Math.max(m, s.lift().order());
            }
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture && ((Architecture) o).spec().equals(spec());
    }

    @Override
    public int hashCode() {
        return spec().hashCode();
    }
}
