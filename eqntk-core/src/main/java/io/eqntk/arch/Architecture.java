package io.eqntk.arch;

import io.eqntk.model.FeatureShape;
import io.eqntk.model.ArchitectureException;
import io.eqntk.model.KernelOp;
import io.eqntk.model.Limits;
import io.eqntk.layer.Flatten;
import io.eqntk.layer.Layer;
import io.eqntk.layer.ParallelLayer;
import io.eqntk.model.Parameterization;
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
        Limits.depth(countLayers(layers)); // the layers inside branches too
        this.layers = List.copyOf(layers);
        checkBaseWidths();
    }

    /** A standard-parameterised layer reads the input's channels as its base width only as the first layer. */
    private void checkBaseWidths() {
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).takesInputChannelsAsBaseWidth()) {
                throw new ArchitectureException("layer " + (i + 1) + " '" + layers.get(i).spec()
                    + "': param=standard needs n=N, "
                    + "the base width of its input (only a first layer takes the input's channels)");
            }
        }
    }

    /** Layers with those inside branches, each branch layer counted once itself. */
    private static int countLayers(List<Layer> layers) {
        long n = 0;
        for (Layer l : layers) {
            n++;
            if (l instanceof ParallelLayer br) {
                for (List<Layer> b : br.branches()) {
                    n += countLayers(b);
                }
            }
            if (n > Integer.MAX_VALUE / 2) {
                break;
            }
        }
        return (int) Math.min(n, Integer.MAX_VALUE / 2);
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
            // branches with weights inside after the last affine layer: every affine layer keeps the width
            if (layers.get(i).isAffine() || (layers.get(i) instanceof ParallelLayer b && containsAffine(b))) {
                lastAffine = i;
            }
        }
        if (lastAffine >= 0 && !layers.get(lastAffine).isAffine()) {
            lastAffine = -1;
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

    private static boolean containsAffine(ParallelLayer br) {
        for (List<Layer> b : br.branches()) {
            if (containsAffine(b)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAffine(List<Layer> branch) {
        for (Layer l : branch) {
            if (l.isAffine() || (l instanceof ParallelLayer inner && containsAffine(inner))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a branch's output is independent of its input at infinite width, given whether the input already is:
     * an affine layer's fresh weights make each output channel so (one input channel's share vanishes), later
     * layers keep it, and branches keep it only when every branch does (an identity branch carries the input).
     */
    private static boolean independent(List<Layer> branch, boolean in) {
        boolean ind = in;
        for (Layer l : branch) {
            if (l instanceof ParallelLayer br) {
                boolean all = true;
                for (List<Layer> b : br.branches()) {
                    all &= independent(b, ind);
                }
                ind = all;
            } else if (l.isAffine()) {
                ind = true;
            }
        }
        return ind;
    }

    /**
     * Branches a and b of a sum add without a cross term in the kernel when one of them has weights of its own
     * (then, at infinite width, each of its channels is independent of the other branch) and one of them has zero
     * mean (so E[f_a] E[f_b] vanishes too).
     */
    private static void checkUncorrelated(String name, ParallelLayer br, int a, int b, boolean[] own, boolean[] zeroMean) {
        String pair = br.branchLabel(a) + " and " + br.branchLabel(b);
        if (!own[a] && !own[b]) {
            throw new ArchitectureException(name + ": " + pair + " have no weights of their own, so they are "
                + "correlated and the sum's kernel is not the sum of the branch kernels (give one of them conv, gconv "
                + "or dense)");
        }
        if (!zeroMean[a] && !zeroMean[b]) {
            throw new ArchitectureException(name + ": " + pair + " both have a nonzero mean (they end in a "
                + "nonlinearity), so the sum's kernel is not the sum of the branch kernels (end one of them with "
                + "conv, gconv or dense)");
        }
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
        if (layers.stream().anyMatch(l -> l instanceof ParallelLayer)) {
            // at infinite width hidden layers never have the input's channel count: check branches at another width
            shapes(FeatureShape.image(height, width, channels), channels + 1, 1);
        }
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

    /** The largest group order of any lifting layer (1 for an ordinary CNN), inside branches too. */
    public int maxGroupOrder() {
        if (isSpherical()) {
            return 1; // SO(3) is no point group; its kernels come from the spherical evaluator
        }
        return maxGroupOrder(kernelOps());
    }

    private static int maxGroupOrder(List<KernelOp> ops) {
        int m = 1;
        for (KernelOp op : ops) {
            if (op.liftGroup() != null) {
                m = Math.max(m, op.liftGroup().order());
            } else if (op instanceof KernelOp.Branches b) {
                for (List<KernelOp> branch : b.branches()) {
                    m = Math.max(m, maxGroupOrder(branch));
                }
            }
        }
        return m;
    }

    /**
     * Checks what the infinite-width kernel maps assume, reading only the operations' declarations
     * ({@link KernelOp#needsGaussianInput}, {@link KernelOp#gaussianOutput}, {@link KernelOp#zeroMeanOutput}):
     * an operation that needs a Gaussian input gets one (the raw input image is deterministic, not Gaussian; a
     * nonlinearity's output is not Gaussian), and in a sum of branches, of any two branches one has weights of its
     * own and one has zero mean (else the two are correlated and the kernel of the sum is not the sum of their
     * kernels).
     *
     * @throws ArchitectureException naming the layer (its position and spec) and why
     */
    public void checkKernelAssumptions() {
        walk(layers, new Flow(false, false, "the raw input image (deterministic, not Gaussian: start with conv, "
            + "lift or dense)"), "");
    }

    /** What the kernel maps know about a layer's input: Gaussian, zero mean, and what made it not Gaussian. */
    private record Flow(boolean gaussian, boolean zeroMean, String source) {
    }

    private static Flow walk(List<Layer> stack, Flow in, String where) {
        Flow cur = in;
        for (int i = 0; i < stack.size(); i++) {
            Layer l = stack.get(i);
            String name = where + "layer " + (i + 1) + " '" + l.spec() + "'";
            KernelOp op = l.kernelOp();
            if (l instanceof ParallelLayer br) {
                boolean gaussian = true;
                boolean zeroMeanAll = true;
                String source = null;
                int k = br.branches().size();
                boolean[] own = new boolean[k];
                boolean[] zeroMean = new boolean[k];
                for (int b = 0; b < k; b++) {
                    Flow out = walk(br.branches().get(b), cur, name + ", " + br.branchLabel(b) + ", ");
                    if (!out.gaussian() && source == null) {
                        source = out.source(); // names the way through the branches
                    }
                    gaussian &= out.gaussian();
                    zeroMeanAll &= out.zeroMean();
                    zeroMean[b] = out.zeroMean();
                    own[b] = independent(br.branches().get(b), false);
                    for (int a = 0; a < b && br.combine() == KernelOp.Combine.SUM; a++) {
                        checkUncorrelated(name, br, a, b, own, zeroMean);
                    }
                }
                cur = new Flow(gaussian, zeroMeanAll, gaussian ? null : source);
                continue;
            }
            if (op.needsGaussianInput() && !cur.gaussian()) {
                throw new ArchitectureException(name + ": needs a Gaussian input (its kernel map is an expectation "
                    + "over Gaussian pre-activations), but its input is " + cur.source());
            }
            boolean gaussian = op.gaussianOutput(cur.gaussian());
            cur = new Flow(gaussian, op.zeroMeanOutput(cur.zeroMean()), gaussian ? null
                : cur.gaussian() ? "the output of " + name + ", which is not Gaussian (put conv, gconv or dense "
                + "after it)" : cur.source());
        }
        return cur;
    }

    /** True when the network has spherical layers (s2lift, so3conv, so3pool): see {@link #sphericalLayers()}. */
    public boolean isSpherical() {
        return SphereLayer.anySpherical(layers);
    }

    /**
     * The network as the spherical evaluator's layers ({@link io.eqntk.sphere.kernel.SphericalKernels},
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
