package io.eqntk.model;

import io.eqntk.group.PointGroup;
import io.eqntk.nonlin.Activation;

/**
 * A layer's analytic kernel map, as data: what the layer does to the NNGP Σ and NTK Θ of a pair of inputs
 * (KERNELS.md §2-3). Layers hand these to the kernel engine, which compiles an architecture's operations into one
 * program and alone decides how to evaluate it (displacement slices, full blocks or diagonals); the engine never
 * sees a concrete layer.
 */
public sealed interface KernelOp {
    /**
     * True when the map is exact only for jointly Gaussian, zero-mean inputs (a nonlinearity's expectations, a
     * normalisation), which the engine checks along the program (as neural-tangents' {@code is_gaussian}).
     */
    default boolean needsGaussianInput() {
        return false;
    }

    /** Whether the output is jointly Gaussian (zero mean) in the infinite-width limit, given whether the input is. */
    default boolean gaussianOutput(boolean gaussianInput) {
        return gaussianInput;
    }

    /**
     * A convolution-type affine map with an odd q x q filter, stride 1: Σ ← W²/q² Σ_b Σ(t + b, t' + g·b) + b²,
     * Θ ← W²/q² Σ_b Θ(...) + Σ_new for every group element g. {@code lift} is the group a lifting convolution maps
     * an image onto, or null for a map that keeps the group of its input (conv on an image, gconv on a group map:
     * in the element frames of KERNELS.md §3 they are the same stencil).
     */
    record Stencil(int q, Padding padding, double wStd, double bStd, PointGroup lift) implements KernelOp {
        /** W²/q², the weight of each filter tap. */
        public double alpha() {
            return wStd * wStd / ((double) q * q);
        }

        /** The filter radius (q - 1) / 2. */
        public int radius() {
            return (q - 1) / 2;
        }

        @Override
        public boolean gaussianOutput(boolean gaussianInput) {
            return true;
        }
    }

    /** An entrywise nonlinearity: Σ ← E[φ(u) φ(v)], Θ ← E[φ'(u) φ'(v)] Θ for Gaussian pre-activations. */
    record Pointwise(Activation activation) implements KernelOp {
        @Override
        public boolean needsGaussianInput() {
            return true;
        }

        @Override
        public boolean gaussianOutput(boolean gaussianInput) {
            return false;
        }
    }

    /**
     * Layer normalisation in the infinite-width limit: for zero-mean Gaussian inputs the channel mean tends to 0
     * and the channel variance to the self-variance, so Σ(t, t') ← Σ(t, t') / sqrt(v(t) v'(t')) and Θ likewise,
     * with v(t) = Σ(x, x)(t, t) ({@link Axes#CHANNELS}: each position and group element on its own) or its mean
     * over positions and group elements ({@link Axes#ALL}); a zero variance gives 0 (the finite layer's 0 / ε).
     * Exact only for Gaussian inputs (after a nonlinearity the channel mean does not vanish); keeps them Gaussian.
     */
    record Normalize(Axes axes) implements KernelOp {
        /** Which axes the statistics are taken over (neural-tangents' LayerNorm {@code axis}). */
        public enum Axes { CHANNELS, ALL }

        @Override
        public boolean needsGaussianInput() {
            return true;
        }
    }

    /** A dense layer on a feature vector: Σ ← W² Σ + b², Θ ← W² Θ + Σ_new. */
    record Dense(double wStd, double bStd) implements KernelOp {
        @Override
        public boolean gaussianOutput(boolean gaussianInput) {
            return true;
        }
    }

    /** Average pooling over k x k cells with stride k, on every block (mixes displacements). */
    record AvgPool(int k) implements KernelOp {
    }

    /** A mean of the pair's kernel that ends the spatial part of a network. */
    enum Mean implements KernelOp {
        /** Global average pooling of an image map: the mean over all (t, t'). */
        SPATIAL,
        /** Group pooling: the mean over group elements and all (t, t'). */
        GROUP,
        /** Flatten (then a dense readout): the mean over the diagonal t = t' of the identity block. */
        FLATTEN
    }
}
