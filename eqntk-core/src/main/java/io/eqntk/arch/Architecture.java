package io.eqntk.arch;

import io.eqntk.model.FeatureShape;
import io.eqntk.model.ArchitectureException;
import io.eqntk.model.KernelOp;
import io.eqntk.model.Limits;
import io.eqntk.layer.Flatten;
import io.eqntk.layer.Layer;
import io.eqntk.layer.SphereLayer;
import io.eqntk.sphere.SphericalLayer;
import io.eqntk.sphere.SphericalPlan;

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

    /** The layers' kernel maps, in order: what the kernel engine compiles. */
    public List<KernelOp> kernelOps() {
        return layers.stream().map(Layer::kernelOp).collect(Collectors.toList());
    }

    /** The largest group order of any lifting layer (1 for an ordinary CNN). */
    public int maxGroupOrder() {
        if (isSpherical()) {
            return 1; // SO(3) is no point group; its kernels come from the spherical evaluator
        }
        int m = 1;
        for (KernelOp op : kernelOps()) {
            if (op instanceof KernelOp.Stencil s && s.lift() != null) {
                m = Math.max(m, s.lift().order());
            }
        }
        return m;
    }

    /** True when the network has spherical layers (s2lift, so3conv, so3pool): see {@link #sphericalLayers()}. */
    public boolean isSpherical() {
        return SphereLayer.anySpherical(layers);
    }

    /**
     * The network as the spherical evaluator's layers ({@link io.eqntk.sphere.SphericalKernels},
     * {@link io.eqntk.sphere.SphericalNetwork}); {@link io.eqntk.sphere.SphericalPlan#of} then checks the shapes
     * for an input bandwidth.
     *
     * @throws ArchitectureException when the network has no spherical layer or mixes in planar ones (naming them)
     */
    public List<SphericalLayer> sphericalLayers() {
        return SphereLayer.spherical(layers);
    }

    /** The validated spherical network for inputs of the given bandwidth and channels; errors name the layer. */
    public SphericalPlan sphericalPlan(int inputBandwidth, int inputChannels) {
        return SphericalPlan.of(sphericalLayers(), inputBandwidth, inputChannels);
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
