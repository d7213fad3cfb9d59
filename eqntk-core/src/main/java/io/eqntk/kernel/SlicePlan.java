package io.eqntk.kernel;

import io.eqntk.kernel.map.Nonlinearity;
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
            this.branch = null;
            this.weight = 0;
            this.depth = 0;
        }

        /** A branch instruction (null for a stencil or nonlinearity), the weight it adds with, its nesting level. */
        final KernelProgram.BranchStep branch;
        final double weight;
        final int depth;
        /** For NEXT and CLOSE: the branch that just ended had no steps (the identity), so the slice is its input. */
        boolean afterEmptyBranch;

        /** A branch instruction at nesting level {@code depth} (0 for the outermost), on an h x w grid. */
        private Step(KernelProgram.BranchStep branch, int layer, double weight, int depth, int height, int width) {
            this.phi = null;
            this.layer = layer;
            this.r = 0;
            this.same = false;
            this.alpha = 0;
            this.beta = 0;
            this.height = height;
            this.width = width;
            this.branch = branch;
            this.weight = weight;
            this.depth = depth;
        }

        boolean isStencil() {
            return phi == null && branch == null;
        }

        boolean isNonlinearity() {
            return phi != null;
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
     * that they end in (the hybrid path: slices up to the first average pooling, then {@link #next}).
     */
    int poolK;
    /** The deepest nesting of branches: how many slices a pair keeps aside at once (two per level). */
    final int branchDepth;

    private SlicePlan(List<Step> steps, int poolLayer, PointGroup group, int height, int width, int minHeight,
                      int minWidth, int maxRadius) {
        this(steps, poolLayer, group, height, width, minHeight, minWidth, maxRadius, 0);
    }

    private SlicePlan(List<Step> steps, int poolLayer, PointGroup group, int height, int width, int minHeight,
                      int minWidth, int maxRadius, int branchDepth) {
        this.branchDepth = branchDepth;
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
     * slices: it must be stencils (SAME or VALID; a lift only as the very first operation, or the first of
     * branches that start at the input), nonlinearities and branches of them, then a spatial or group mean outside
     * any branch, then anything acting on the pooled vector.
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
        SlicePlan first = compile(program, 0, PointGroup.C1, height, width, true);
        // the layers between two poolings run as slices of the pooled kernel too, while they are stencils and
        // nonlinearities that end in the next pooling: each stage's pooled slices are the next one's input
        for (SlicePlan stage = first; stage != null; stage = stage.next) {
            int h = stage.minHeight / stage.poolK;
            int w = stage.minWidth / stage.poolK;
            if (h < 1 || w < 1) {
                break;
            }
            SlicePlan next = compile(program, stage.poolLayer + 1, stage.group, h, w, true);
            stage.next = next != null && next.steps.length > 0 ? next : null;
        }
        return first;
    }

    /**
     * On the hybrid path, the plan of the layers after this one's pooling up to the next pooling, run on slices of
     * this plan's pooled kernel; null when full blocks take over after this pooling.
     */
    SlicePlan next;

    /** The last stage of the chain of {@link #next} plans (this one when there is none). */
    SlicePlan lastStage() {
        SlicePlan s = this;
        while (s.next != null) {
            s = s.next;
        }
        return s;
    }

    /** True when {@link #compileToAvgPool} gives a plan for this program. */
    static boolean supportsToAvgPool(KernelProgram program) {
        return compileToAvgPool(program, 1 << 12, 1 << 12) != null;
    }

    private static SlicePlan compile(KernelProgram program, int height, int width, boolean toAvgPool) {
        return compile(program, 0, PointGroup.C1, height, width, toAvgPool);
    }

    /**
     * The plan of the layers from {@code from} on, whose input is a map of {@code group} (C1: an image map); from a
     * layer after the input no lift is allowed.
     */
    private static SlicePlan compile(KernelProgram program, int from, PointGroup inputGroup, int height, int width,
                                     boolean toAvgPool) {
        List<Step> steps = new ArrayList<>();
        PointGroup group = inputGroup;
        int h = height;
        int w = width;
        int minH = h;
        int minW = w;
        int maxR = 0;
        // branches (stencils and nonlinearities inside) keep slices apart too: each level keeps its input's grid and
        // whether it is still the raw input (where a lift may start, as the very first stencil of every branch)
        java.util.ArrayDeque<int[]> open = new java.util.ArrayDeque<>();
        boolean atInput = from == 0;
        int deepest = 0;
        for (int l = from; l < program.size(); l++) {
            KernelOp op = program.ops.get(l);
            KernelProgram.BranchStep branch = program.branchStep(l);
            if (branch != null) {
                if (toAvgPool) {
                    return null; // the hybrid path pools plain stacks only (branches then run on full blocks)
                }
                if (branch == KernelProgram.BranchStep.OPEN) {
                    open.push(new int[] {h, w, atInput ? 1 : 0, 0});
                    deepest = Math.max(deepest, open.size());
                    steps.add(new Step(branch, l, 0, open.size() - 1, h, w));
                } else {
                    int[] in = open.peek();
                    in[3] |= atInput ? 0 : 1; // this branch left the raw input
                    Step previous = steps.get(steps.size() - 1);
                    Step step = new Step(branch, l, program.branchWeight(l), open.size() - 1, h, w);
                    step.afterEmptyBranch = previous.branch != null && previous.branch != KernelProgram.BranchStep.CLOSE
                        && previous.depth == step.depth;
                    steps.add(step);
                    if (branch == KernelProgram.BranchStep.NEXT) {
                        h = in[0];
                        w = in[1];
                        atInput = in[2] == 1;
                    } else {
                        open.pop();
                        atInput = in[2] == 1 && in[3] == 0; // only when every branch was the identity
                    }
                }
                continue;
            }
            if (!toAvgPool && (op == KernelOp.Mean.SPATIAL || op == KernelOp.Mean.GROUP)) {
                return open.isEmpty() ? new SlicePlan(steps, l, group, height, width, minH, minW, maxR, deepest)
                    : null;
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
                    if (!atInput || (group != PointGroup.C1 && group != s.lift())) {
                        return null; // the lift would need the whole block of its input to permute
                    }
                    group = s.lift();
                }
                atInput = false;
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
