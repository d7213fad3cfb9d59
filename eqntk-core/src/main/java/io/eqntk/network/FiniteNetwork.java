package io.eqntk.network;

import io.eqntk.arch.Architecture;
import io.eqntk.finite.BatchedNetwork;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.finite.FiniteStack;
import io.eqntk.model.FeatureShape;
import io.eqntk.layer.Layer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A finite-width network built from the same {@link Architecture} objects as the analytic kernels: every affine
 * layer has {@code width} output channels except the last, which has {@code outputs}. Parameters live in one
 * flat array; the network itself is immutable and thread-safe. {@link #forward} and {@link #backward} are the
 * plain single-image loops (the reference); {@link #batched} gives the fast batched passes.
 */
public final class FiniteNetwork implements FiniteStack {
    private final Architecture arch;
    private final List<FiniteLayer> layers = new ArrayList<>();
    private final int[] offsets;
    private final int parameterCount;
    private final FeatureShape input;
    private final FeatureShape output;

    public FiniteNetwork(Architecture arch, FeatureShape input, int width, int outputs) {
        if (width < 1 || outputs < 1) {
            throw new io.eqntk.EqntkException("width and outputs must be at least 1, got " + width + " and " + outputs);
        }
        this.arch = arch;
        this.input = input;
        List<FeatureShape> shapes = arch.shapes(input, width, outputs);
        offsets = new int[arch.size() + 1];
        int off = 0;
        for (int i = 0; i < arch.size(); i++) {
            Layer l = arch.layers().get(i);
            FiniteLayer f = l.finite(shapes.get(i), shapes.get(i + 1), width);
            layers.add(f);
            offsets[i] = off;
            off += f.parameterCount();
        }
        offsets[arch.size()] = off;
        parameterCount = off;
        output = shapes.get(shapes.size() - 1);
    }

    public Architecture architecture() {
        return arch;
    }

    @Override
    public int parameterCount() {
        return parameterCount;
    }

    @Override
    public FeatureShape inputShape() {
        return input;
    }

    @Override
    public FeatureShape outputShape() {
        return output;
    }

    @Override
    public int layerCount() {
        return layers.size();
    }

    @Override
    public FiniteLayer layer(int i) {
        return layers.get(i);
    }

    @Override
    public int offset(int i) {
        return offsets[i];
    }

    @Override
    public String layerSpec(int i) {
        return arch.layers().get(i).spec();
    }

    /**
     * The fast batched face of this network (BLAS products, {@code threads} workers per product); the methods
     * below are the plain single-image loops it is tested against.
     */
    public BatchedNetwork batched(io.eqntk.model.Precision precision, int threads) {
        return new BatchedNetwork(this, precision, threads);
    }

    /** Fresh N(0, 1) parameters from the seed. */
    public double[] init(long seed) {
        Random rng = new Random(seed);
        double[] p = new double[parameterCount];
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).init(p, offsets[i], rng);
        }
        return p;
    }

    /** All activations: element 0 is the input, element L the output. */
    public double[][] forward(double[] params, double[] x) {
        if (x.length != input.size()) {
            throw new io.eqntk.EqntkException("input has " + x.length + " values, the network expects " + input.size());
        }
        double[][] acts = new double[layers.size() + 1][];
        acts[0] = x;
        for (int i = 0; i < layers.size(); i++) {
            FiniteLayer f = layers.get(i);
            acts[i + 1] = new double[f.outputShape().size()];
            f.forward(params, offsets[i], acts[i], acts[i + 1]);
        }
        return acts;
    }

    public double[] output(double[] params, double[] x) {
        double[][] a = forward(params, x);
        return a[a.length - 1];
    }

    /**
     * Back-propagates dL/d(output) = {@code gradOutput}: adds dL/d(params) into {@code gradParams} and
     * returns dL/d(input).
     */
    public double[] backward(double[] params, double[][] acts, double[] gradOutput, double[] gradParams) {
        double[] g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) {
            FiniteLayer f = layers.get(i);
            double[] gin = new double[f.inputShape().size()];
            f.backward(params, offsets[i], acts[i], acts[i + 1], g, gradParams, gin);
            g = gin;
        }
        return g;
    }
}
