package io.eqntk.finite;

/**
 * The batched face of a finite layer, in either precision: a batch of n maps, each laid out position-major with
 * the group axis folded into the channels, [H][W][|G|][C] (so that a group convolution is one ordinary
 * convolution with |G| C channels), or [C] for vectors. The single-image {@link FiniteLayer} methods keep the
 * plain [|G|][H][W][C] loops; {@link BatchedNetwork} converts at the boundaries (only flatten sees the order).
 */
interface BatchedLayer extends FiniteLayer {
    /** How a pass computes: the precision's arithmetic, the BLAS, and the worker threads of each product. */
    record Compute(Floats floats, Blas blas, int threads) {
    }

    /** Per-step state built once from the parameters (a group-expanded filter bank); null when none. */
    default Object prepare(Compute c, double[] params, int off) {
        return null;
    }

    /** y = layer(x) for n maps; y is overwritten. */
    void forward(Compute c, Object prepared, Object x, Object y, int n);

    /**
     * Adds dL/d(params), summed over the batch, into gradParams[off, off + parameterCount()) when gradParams is
     * not null, and overwrites gx with dL/dx when gx is not null.
     */
    void backward(Compute c, Object prepared, Object x, Object y, Object gy, Object gx, int n, double[] gradParams,
                  int off);

    /**
     * Floating-point operations per image of this layer's matrix products in one forward and one backward pass
     * (without the input gradient when {@code inputGradient} is false); 0 for layers without products.
     */
    default double productFlops(boolean inputGradient) {
        return 0;
    }

    /**
     * Per-sample parameter gradients: row i of {@code rows} (n x parameterCount(), row-major, overwritten) is
     * dL_i/d(params) for sample i alone. Only layers with parameters are asked.
     */
    default void perSample(Compute c, Object prepared, Object x, Object gy, int n, double[] rows) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no parameters");
    }

    /** Receives blocks of per-sample gradient rows: n x length row-major, for params[offset, offset + length). */
    interface GradientRows {
        void accept(int offset, int length, double[] rows);
    }

    /**
     * Per-sample parameter gradients in blocks (offsets relative to this layer's first parameter), so that a wide
     * layer need not hold n x parameterCount() values at once; {@code rows} may be reused after each call. The
     * default hands over the whole layer as one block of {@link #perSample}.
     */
    default void perSampleBlocks(Compute c, Object prepared, Object x, Object gy, int n, GradientRows blocks) {
        double[] rows = new double[n * parameterCount()];
        perSample(c, prepared, x, gy, n, rows);
        blocks.accept(0, parameterCount(), rows);
    }
}
