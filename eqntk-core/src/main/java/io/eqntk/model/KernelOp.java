package io.eqntk.model;

import io.eqntk.group.PointGroup;
import io.eqntk.nonlin.Activation;

import java.util.List;

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
     * Whether the output has zero mean (over the weights), given whether the input has: true after an affine layer
     * with fresh N(0, 1) weights, kept by linear maps without weights, false otherwise (the safe default; a
     * nonlinearity's output has a nonzero mean). Two independent branches of a sum add without a cross term in the
     * kernel only when one of them has zero mean.
     */
    default boolean zeroMeanOutput(boolean zeroMeanInput) {
        return false;
    }

    /** The group a lifting convolution maps an image onto; null for every other operation. */
    default PointGroup liftGroup() {
        return null;
    }

    /**
     * A convolution-type affine map with an odd q x q filter, stride 1: Σ ← W²/q² Σ_b Σ(t + b, t' + g·b) + b²,
     * Θ ← W²/q² Σ_b Θ(...) + Σ_new for every group element g. {@code lift} is the group a lifting convolution maps
     * an image onto, or null for a map that keeps the group of its input (conv on an image, gconv on a group map:
     * in the element frames of KERNELS.md §3 they are the same stencil).
     */
    record Stencil(int q, Padding padding, double wStd, double bStd, PointGroup lift) implements KernelOp {
        @Override
        public PointGroup liftGroup() {
            return lift;
        }

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

        @Override
        public boolean zeroMeanOutput(boolean zeroMeanInput) {
            return true;
        }
    }

    /**
     * A convolution-type affine map with a stride or the standard parameterisation (the plain stride-1 NTK case is
     * {@link Stencil}, kept as it was): output o reads the window starting at {@code o·stride - padBefore} on each
     * axis ({@link Subsampling}), Σ ← W² A(P) + b², and Θ ← W² A(Θ) + Σ_new (NTK) or
     * Θ ← W² A(Θ) + fanIn A(P) + [bias] (standard, with fanIn = baseWidth·|G_in|·q², baseWidth 0 meaning the
     * network input's channels), A the mean over the q² taps.
     */
    record AffineStencil(int q, int stride, Padding padding, double wStd, double bStd, boolean bias,
                         PointGroup lift, Parameterization param, int baseWidth) implements KernelOp {
        @Override
        public PointGroup liftGroup() {
            return lift;
        }

        /** W²/q², the weight of each filter tap. */
        public double alpha() {
            return wStd * wStd / ((double) q * q);
        }

        @Override
        public boolean gaussianOutput(boolean gaussianInput) {
            return true;
        }
    }

    /**
     * Average pooling with window k, stride s and SAME or VALID padding ({@link Subsampling}; SAME divides by k²
     * at the edges too, as neural-tangents' default), on every block. {@link AvgPool} is the k = s, VALID case.
     */
    record WindowPool(int k, int stride, Padding padding) implements KernelOp {
    }

    /**
     * A dense layer in the standard parameterisation: Σ ← W² Σ + b², Θ ← W² Θ + baseWidth·Σ + [bias], with
     * baseWidth the base length of the input vector.
     */
    record StandardDense(double wStd, double bStd, boolean bias, int baseWidth) implements KernelOp {
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

        @Override
        public boolean zeroMeanOutput(boolean zeroMeanInput) {
            return true;
        }
    }

    /** Average pooling over k x k cells with stride k, on every block (mixes displacements). */
    record AvgPool(int k) implements KernelOp {
        @Override
        public boolean zeroMeanOutput(boolean zeroMeanInput) {
            return zeroMeanInput;
        }
    }

    /** A mean of the pair's kernel that ends the spatial part of a network. */
    enum Mean implements KernelOp {
        /** Global average pooling of an image map: the mean over all (t, t'). */
        SPATIAL,
        /** Group pooling: the mean over group elements and all (t, t'). */
        GROUP,
        /** Flatten (then a dense readout): the mean over the diagonal t = t' of the identity block. */
        FLATTEN;

        @Override
        public boolean zeroMeanOutput(boolean zeroMeanInput) {
            return zeroMeanInput;
        }
    }

    /** How parallel branches are combined. */
    enum Combine {
        /** x ↦ Σ_b f_b(x) (a residual block is the sum of the identity and one branch): the kernels add. */
        SUM,
        /**
         * Channel concatenation: the next layer's 1/C sum over channels makes the kernel the channel-weighted mean
         * of the branch kernels; at infinite width every branch has the network's width, so the plain mean.
         */
        CONCAT
    }

    /**
     * Parallel branches on the same input, each a serial list of operations with its own weights (an empty list is
     * the identity), combined by {@code combine}. The kernel is Σ_b w_b K_b, w_b = 1 for a sum, 1/(number of
     * branches) for a concatenation: branches with weights of their own have no cross terms (for a sum the
     * architecture checks that of any two branches one has weights of its own and one has zero mean).
     */
    record Branches(List<List<KernelOp>> branches, Combine combine) implements KernelOp {
        public Branches {
            branches = branches.stream().map(List::copyOf).toList();
        }

        /** The weight of each branch's kernel in the combination. */
        public double weight() {
            return combine == Combine.SUM ? 1.0 : 1.0 / branches.size();
        }

        /** Gaussian iff every branch's output is. */
        @Override
        public boolean gaussianOutput(boolean gaussianInput) {
            return everyBranch(gaussianInput, KernelOp::gaussianOutput);
        }

        /** Zero mean iff every branch's output has. */
        @Override
        public boolean zeroMeanOutput(boolean zeroMeanInput) {
            return everyBranch(zeroMeanInput, KernelOp::zeroMeanOutput);
        }

        /** True when the flag, carried from {@code in} through each branch's operations by {@code step}, ends true. */
        private boolean everyBranch(boolean in, java.util.function.BiPredicate<KernelOp, Boolean> step) {
            for (List<KernelOp> b : branches) {
                boolean flag = in;
                for (KernelOp op : b) {
                    flag = step.test(op, flag);
                }
                if (!flag) {
                    return false;
                }
            }
            return true;
        }
    }
}
