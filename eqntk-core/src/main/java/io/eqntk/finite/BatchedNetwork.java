package io.eqntk.finite;

import io.eqntk.EqntkException;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.Precision;

/**
 * The fast face of a network's finite layers (a {@link FiniteStack}: {@code io.eqntk.network.FiniteNetwork}):
 * forward and backward passes over a batch of inputs in float64 or float32, the heavy work in BLAS products (see
 * {@link BatchedLayer}), each product cut into blocks run on {@code threads} workers. Parameters and gradients
 * stay float64 arrays in the network's flat layout; a float32 pass converts them once per pass. Results do not
 * depend on the number of threads. Immutable and thread-safe; a {@link Pass} belongs to one thread.
 */
public final class BatchedNetwork {
    private final FiniteStack net;
    private final BatchedLayer[] layers;
    private final BatchedLayer.Compute compute;

    public BatchedNetwork(FiniteStack net, Precision precision, int threads) {
        this(net, precision, threads, Blas.system());
    }

    public BatchedNetwork(FiniteStack net, Precision precision, int threads, Blas blas) {
        if (threads < 1) {
            throw new EqntkException("threads must be at least 1, got " + threads);
        }
        this.net = net;
        this.layers = new BatchedLayer[net.layerCount()];
        for (int i = 0; i < layers.length; i++) {
            FiniteLayer f = net.layer(i);
            if (!(f instanceof BatchedLayer b)) {
                throw new EqntkException("layer " + (i + 1) + " '" + net.layerSpec(i)
                    + "' has no batched finite face");
            }
            layers[i] = b;
        }
        this.compute = new BatchedLayer.Compute(Floats.of(precision), blas, threads);
    }

    public FiniteStack network() {
        return net;
    }

    public Precision precision() {
        return compute.floats().precision();
    }

    /** Floating-point operations of the matrix products per image, one forward and one backward pass. */
    public double productFlopsPerImage() {
        double s = 0;
        for (int i = 0; i < layers.length; i++) {
            s += layers[i].productFlops(i > 0);
        }
        return s;
    }

    /** Sum over layers of the parameters in per-sample gradient blocks: receives each layer's block in turn. */
    public interface GradientBlocks {
        /**
         * Rows of dL_i/d(params[offset, offset + length)) for each sample i: {@code rows} is count x length
         * row-major (reused after the call returns).
         */
        void accept(int offset, int length, double[] rows);
    }

    /** Forward pass of {@code count} inputs, {@code inputs} holding them one after another in the plain layout. */
    public Pass forward(double[] params, double[] inputs, int count) {
        if (params.length != net.parameterCount()) {
            throw new EqntkException("params have " + params.length + " values, the network has "
                + net.parameterCount());
        }
        int size = net.inputShape().size();
        if (count < 1 || inputs.length < (long) count * size) {
            throw new EqntkException("a batch of " + count + " inputs needs " + (long) count * size
                + " values, got " + inputs.length);
        }
        Floats f = compute.floats();
        Object[] acts = new Object[layers.length + 1];
        Object[] prepared = new Object[layers.length];
        acts[0] = toBatched(inputs, net.inputShape(), count);
        for (int i = 0; i < layers.length; i++) {
            prepared[i] = layers[i].prepare(compute, params, net.offset(i));
            acts[i + 1] = f.alloc(count * layers[i].outputShape().size());
            layers[i].forward(compute, prepared[i], acts[i], acts[i + 1], count);
        }
        return new Pass(count, acts, prepared);
    }

    /** Whether maps of this shape are laid out differently in the batched face (group maps). */
    private static boolean reordered(FeatureShape s) {
        return !s.reduced() && s.groupSize() > 1;
    }

    /** Batched-precision copy of plain maps of the given shape. */
    private Object toBatched(double[] plain, FeatureShape shape, int count) {
        Floats f = compute.floats();
        if (!reordered(shape)) {
            return f.copyOf(plain, count * shape.size());
        }
        Object out = f.alloc(count * shape.size());
        reorder(shape, count, (plainAt, batchedAt, run) -> f.fromDouble(plain, plainAt, out, batchedAt, run));
        return out;
    }

    /** Plain double copy of batched maps of the given shape. */
    private double[] toPlain(Object batched, FeatureShape shape, int count) {
        Floats f = compute.floats();
        if (!reordered(shape)) {
            return f.toDouble(batched, count * shape.size());
        }
        double[] out = new double[count * shape.size()];
        reorder(shape, count, (plainAt, batchedAt, run) -> f.addToDouble(batched, batchedAt, out, plainAt, run, 1));
        return out;
    }

    private interface RunCopy {
        void copy(int plainAt, int batchedAt, int run);
    }

    /** Visits the channel runs of group maps: plain [|G|][H][W][C] against batched [H][W][|G|][C]. */
    private static void reorder(FeatureShape shape, int count, RunCopy copy) {
        int g = shape.groupSize(), pos = shape.positions(), c = shape.channels();
        for (int img = 0; img < count; img++) {
            for (int s = 0; s < g; s++) {
                for (int p = 0; p < pos; p++) {
                    copy.copy(img * shape.size() + (s * pos + p) * c, img * shape.size() + (p * g + s) * c, c);
                }
            }
        }
    }

    /** One forward pass, with what its backward passes need. */
    public final class Pass {
        private final int count;
        private final Object[] acts;
        private final Object[] prepared;

        private Pass(int count, Object[] acts, Object[] prepared) {
            this.count = count;
            this.acts = acts;
            this.prepared = prepared;
        }

        public int count() {
            return count;
        }

        /** The outputs, count x k row-major, in double. */
        public double[] outputs() {
            return toPlain(acts[layers.length], net.outputShape(), count);
        }

        /** The activations after layer {@code layer} (0: the inputs), count x size in the plain layout, in double. */
        public double[] activation(int layer) {
            FeatureShape shape = layer == 0 ? net.inputShape() : layers[layer - 1].outputShape();
            return toPlain(acts[layer], shape, count);
        }

        /** Back-propagates dL/d(outputs) (count x k) and adds dL/d(params), summed over the batch, into gradParams. */
        public void backward(double[] gradOutputs, double[] gradParams) {
            backpropagate(gradOutputs, gradParams, null);
        }

        /**
         * Per-sample parameter gradients of L_i = gradOutputs_i . f(x_i): hands each layer's block of rows to
         * {@code blocks} (layers with parameters only, from the last to the first).
         */
        public void perSampleGradients(double[] gradOutputs, GradientBlocks blocks) {
            backpropagate(gradOutputs, null, blocks);
        }

        private void backpropagate(double[] gradOutputs, double[] gradParams, GradientBlocks blocks) {
            int k = net.outputShape().size();
            if (gradOutputs.length != count * k) {
                throw new EqntkException("output gradients have " + gradOutputs.length + " values, expected "
                    + count + " x " + k);
            }
            if (gradParams != null && gradParams.length != net.parameterCount()) {
                throw new EqntkException("gradParams has " + gradParams.length + " values, the network has "
                    + net.parameterCount() + " parameters");
            }
            Floats f = compute.floats();
            Object g = toBatched(gradOutputs, net.outputShape(), count);
            for (int i = layers.length - 1; i >= 0; i--) {
                BatchedLayer l = layers[i];
                Object gx = i == 0 ? null : f.alloc(count * l.inputShape().size());
                if (blocks != null && l.parameterCount() > 0) {
                    int at = net.offset(i);
                    l.perSampleBlocks(compute, prepared[i], acts[i], g, count,
                        (off, len, rows) -> blocks.accept(at + off, len, rows));
                }
                if (gx != null || gradParams != null) {
                    l.backward(compute, prepared[i], acts[i], acts[i + 1], g, gx, count, gradParams, net.offset(i));
                }
                g = gx;
            }
        }
    }
}
