package io.eqntk.kernel;

import io.eqntk.model.KernelOp;
import io.eqntk.model.Padding;
import io.eqntk.group.PointGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * A network's spatial part compiled for evaluation by displacement slices (see {@link SliceEvaluator}): the
 * stencil and nonlinearity steps from the input up to the global pooling layer, with the grid size at each step.
 *
 * <p>Why slices: a convolution's stencil sums (t + b, t' + b) and, in the element frames of {@link KernelState},
 * lifting and group convolutions do the same; a nonlinearity acts entry by entry. None of them mixes entries of
 * different displacement d = t' - t, so the kernel splits into independent 2-D slices, one per displacement (and
 * group element), each small enough to stay in the first-level cache through every layer. Average pooling,
 * flatten and circular padding (which identifies d with d + n) break this; such networks use full blocks.
 */
final class SlicePlan {
    /** One step: a stencil (conv, lift, gconv) or a nonlinearity. */
    static final class Step {
        final Nonlinearity phi;
        final int layer;
        final int r;
        final boolean same;
        final double alpha;
        final double beta;
        /** The grid (height, width) this step reads. */
        final int height;
        final int width;

        private Step(Nonlinearity phi, int layer, int r, boolean same, double alpha, double beta, int height,
                     int width) {
            this.phi = phi;
            this.layer = layer;
            this.r = r;
            this.same = same;
            this.alpha = alpha;
            this.beta = beta;
            this.height = height;
            this.width = width;
        }

        boolean isStencil() {
            return phi == null;
        }
    }

    final Step[] steps;
    /** Index of the global pooling layer (gap or gpool); later layers act on scalars. */
    final int poolLayer;
    /** The group of the lifting layer, or C1. */
    final PointGroup group;
    final int height;
    final int width;
    /** The smallest grid of any step: displacements must be smaller in magnitude than it. */
    final int minHeight;
    final int minWidth;
    /** The largest stencil radius (q - 1) / 2. */
    final int maxRadius;
    /**
     * 0 when the slices end in a global mean; else the cell size k of the average pooling at {@link #poolLayer}
     * that they end in (the hybrid path: slices up to the first average pooling, full blocks after it).
     */
    int poolK;

    private SlicePlan(List<Step> steps, int poolLayer, PointGroup group, int height, int width, int minHeight,
                      int minWidth, int maxRadius) {
        this.steps = steps.toArray(new Step[0]);
        this.poolLayer = poolLayer;
        this.group = group;
        this.height = height;
        this.width = width;
        this.minHeight = minHeight;
        this.minWidth = minWidth;
        this.maxRadius = maxRadius;
    }

    /**
     * The plan for {@code program} on h x w inputs, or null when the network does not split into displacement
     * slices: it must be stencils (SAME or VALID; a lift only as the very first operation) and nonlinearities,
     * then a spatial or group mean, then anything acting on the pooled vector.
     */
    static SlicePlan compile(KernelProgram program, int height, int width) {
        return compile(program, height, width, false);
    }

    /**
     * The plan of the operations before the first average pooling layer, for the hybrid path: null unless they
     * are stencils (no circular padding, a lift only first) and nonlinearities and an {@code avgpool} follows.
     * Its slices are pooled into full blocks of the pooled grid, on which the full-block path continues.
     */
    static SlicePlan compileToAvgPool(KernelProgram program, int height, int width) {
        return compile(program, height, width, true);
    }

    /** True when {@link #compileToAvgPool} gives a plan for this program. */
    static boolean supportsToAvgPool(KernelProgram program) {
        return compileToAvgPool(program, 1 << 12, 1 << 12) != null;
    }

    private static SlicePlan compile(KernelProgram program, int height, int width, boolean toAvgPool) {
        List<Step> steps = new ArrayList<>();
        PointGroup group = PointGroup.C1;
        int h = height;
        int w = width;
        int minH = h;
        int minW = w;
        int maxR = 0;
        for (int l = 0; l < program.size(); l++) {
            KernelOp op = program.ops.get(l);
            if (!toAvgPool && (op == KernelOp.Mean.SPATIAL || op == KernelOp.Mean.GROUP)) {
                return new SlicePlan(steps, l, group, height, width, minH, minW, maxR);
            }
            if (toAvgPool && op instanceof KernelOp.AvgPool a) {
                SlicePlan plan = new SlicePlan(steps, l, group, height, width, minH, minW, maxR);
                plan.poolK = a.k();
                return plan;
            }
            if (program.map(l) != null) {
                steps.add(new Step(program.map(l), l, 0, false, 0, 0, h, w));
            } else if (op instanceof KernelOp.Stencil s) {
                if (s.lift() != null) {
                    if (l != 0) {
                        return null; // the lift would need the whole block of its input to permute
                    }
                    group = s.lift();
                }
                Padding pad = s.padding();
                if (pad == Padding.CIRCULAR) {
                    return null;
                }
                int q = s.q();
                int r = s.radius();
                double b = s.bStd();
                steps.add(new Step(null, l, r, pad == Padding.SAME, s.wStd() * s.wStd() / (q * q), b * b, h, w));
                h = pad.outputSize(h, q);
                w = pad.outputSize(w, q);
                minH = Math.min(minH, h);
                minW = Math.min(minW, w);
                maxR = Math.max(maxR, r);
            } else {
                return null;
            }
        }
        return null;
    }

    /** True when {@link #compile} gives a plan for this program (at any input size it accepts). */
    static boolean supports(KernelProgram program) {
        return compile(program, 1 << 12, 1 << 12) != null;
    }

    /** Number of blocks (group elements) per pair. */
    int blocks() {
        return group.order();
    }
}
