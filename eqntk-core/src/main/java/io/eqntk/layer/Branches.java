package io.eqntk.layer;

import io.eqntk.finite.FiniteBranches;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.KernelOp;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Parallel branches on one input, each a serial stack of layers with its own weights, combined by a sum or a
 * channel concatenation: {@code res(A)} is x + A(x), {@code sum(A | B | ...)} the sum of the branches,
 * {@code concat(A | B | ...)} their channels side by side; {@code id} is the identity branch. Branches must give
 * equal shapes (a concatenation equal channel counts too: at infinite width every branch has the network's
 * width, so its kernel is the plain mean of the branch kernels).
 */
public final class Branches implements ParallelLayer {
    private final List<List<Layer>> branches;
    private final KernelOp.Combine combine;

    /**
     * @param branches the branches' layers; {@link Identity} layers are dropped (an empty branch is the identity)
     */
    public Branches(List<List<Layer>> branches, KernelOp.Combine combine) {
        if (branches.size() < 2) {
            throw new ArchitectureException(combineName(combine) + " needs at least two branches separated by '|', got "
                + branches.size() + (combine == KernelOp.Combine.SUM ? " (res(A) is x + A(x))" : ""));
        }
        List<List<Layer>> copy = new ArrayList<>();
        for (List<Layer> b : branches) {
            copy.add(b.stream().filter(l -> l != Identity.INSTANCE).toList());
        }
        this.branches = List.copyOf(copy);
        this.combine = combine;
    }

    /** The residual block x + f(x): an identity branch and {@code f}. */
    public static Branches residual(List<Layer> f) {
        return new Branches(List.of(List.of(), f), KernelOp.Combine.SUM);
    }

    @Override
    public List<List<Layer>> branches() {
        return branches;
    }

    @Override
    public KernelOp.Combine combine() {
        return combine;
    }

    private static String combineName(KernelOp.Combine c) {
        return c == KernelOp.Combine.SUM ? "sum" : "concat";
    }

    /** True when this is written {@code res(A)}: a sum of the identity and one branch. */
    private boolean isResidual() {
        return combine == KernelOp.Combine.SUM && branches.size() == 2 && branches.get(0).isEmpty()
            && !branches.get(1).isEmpty();
    }

    @Override
    public String branchLabel(int b) {
        if (isResidual()) {
            return b == 0 ? "the identity" : "the residual branch";
        }
        return "branch " + (b + 1) + " '" + branchSpec(branches.get(b)) + "'";
    }

    private static String branchSpec(List<Layer> b) {
        return b.isEmpty() ? "id" : b.stream().map(Layer::spec).collect(Collectors.joining(" "));
    }

    @Override
    public String spec() {
        if (isResidual()) {
            return "res(" + branchSpec(branches.get(1)) + ")";
        }
        return combineName(combine) + "(" + branches.stream().map(Branches::branchSpec)
            .collect(Collectors.joining(" | ")) + ")";
    }

    /** The shapes along branch b (element 0 is the input); inner affine layers get {@code width} channels. */
    private List<FeatureShape> branchShapes(int b, FeatureShape in, int width) {
        List<FeatureShape> shapes = new ArrayList<>();
        shapes.add(in);
        FeatureShape cur = in;
        List<Layer> layers = branches.get(b);
        for (int j = 0; j < layers.size(); j++) {
            Layer l = layers.get(j);
            try {
                cur = l.outputShape(cur, width);
            } catch (ArchitectureException e) {
                throw new ArchitectureException(branchLabel(b) + ", layer " + (j + 1) + " '" + l.spec() + "': "
                    + e.getMessage());
            }
            shapes.add(cur);
        }
        return shapes;
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        FeatureShape first = null;
        for (int b = 0; b < branches.size(); b++) {
            List<FeatureShape> s = branchShapes(b, in, outChannels);
            FeatureShape out = s.get(s.size() - 1);
            if (first == null) {
                first = out;
                continue;
            }
            if (out.equals(first)) {
                continue;
            }
            if (combine == KernelOp.Combine.CONCAT && out.isGroupMap() != first.isGroupMap()) {
                throw new ArchitectureException("concat of a " + (first.isGroupMap() ? first.group() + " group map"
                    : "plain map") + " " + first + " (" + branchLabel(0) + ") with a " + (out.isGroupMap()
                    ? out.group() + " group map" : "plain map") + " " + out + " (" + branchLabel(b) + ")");
            }
            boolean widthAgainstInput = Math.min(out.channels(), first.channels()) == Math.min(in.channels(),
                outChannels) && Math.max(out.channels(), first.channels()) == Math.max(in.channels(), outChannels);
            String hint = out.withChannels(first.channels()).equals(first) && widthAgainstInput
                ? " (layers with weights give the network's width, " + outChannels + " here, and a branch without "
                + "them keeps its input's " + in.channels() + " channels; at infinite width the two never match)" : "";
            throw new ArchitectureException("branches must give equal shapes, but " + branchLabel(0) + " gives "
                + first + " and " + branchLabel(b) + " gives " + out + hint);
        }
        return combine == KernelOp.Combine.SUM ? first : first.withChannels(first.channels() * branches.size());
    }

    @Override
    public KernelOp kernelOp() {
        List<List<KernelOp>> ops = new ArrayList<>();
        for (List<Layer> b : branches) {
            ops.add(b.stream().map(Layer::kernelOp).toList());
        }
        return new KernelOp.Branches(ops, combine);
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        // the width the inner layers had: the output's channels (per branch, for a concatenation)
        int width = combine == KernelOp.Combine.SUM ? out.channels() : out.channels() / branches.size();
        return finite(in, out, width);
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out, int width) {
        if (!outputShape(in, width).equals(out)) {
            throw new ArchitectureException(spec() + ": gives " + outputShape(in, width) + " at width " + width
                + ", not " + out);
        }
        List<List<FiniteLayer>> finite = new ArrayList<>();
        for (int b = 0; b < branches.size(); b++) {
            List<FeatureShape> s = branchShapes(b, in, width);
            List<FiniteLayer> layers = new ArrayList<>();
            for (int j = 0; j < branches.get(b).size(); j++) {
                layers.add(branches.get(b).get(j).finite(s.get(j), s.get(j + 1), width));
            }
            finite.add(layers);
        }
        return new FiniteBranches(in, out, finite, combine == KernelOp.Combine.CONCAT);
    }

    @Override
    public Layer planarCounterpart() {
        List<List<Layer>> planar = new ArrayList<>();
        for (List<Layer> b : branches) {
            planar.add(b.stream().map(Layer::planarCounterpart).toList());
        }
        return new Branches(planar, combine);
    }
}
