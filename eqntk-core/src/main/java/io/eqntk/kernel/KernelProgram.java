package io.eqntk.kernel;

import io.eqntk.kernel.map.EntryMaps;
import io.eqntk.kernel.map.Nonlinearity;
import io.eqntk.kernel.map.NormalizeMap;
import io.eqntk.arch.Architecture;
import io.eqntk.model.KernelOp;
import io.eqntk.group.PointGroup;

import java.util.List;

/**
 * An architecture compiled for the engine: its layers' kernel operations in order, each nonlinearity's entry
 * map, and the evaluation path the operations allow. This is the only place that reads the operations; the
 * engine's paths (full blocks, diagonals, displacement slices) interpret the program, never the layers.
 */
final class KernelProgram {
    final List<KernelOp> ops;
    /** The entry map of operation l when it is a nonlinearity, else null. */
    private final Nonlinearity[] maps;
    /** The fastest path that evaluates every operation exactly. */
    final KernelEngine.Evaluation evaluation;
    /** The most blocks a state holds (the largest lifted group's order). */
    final int maxBlocks;

    /** The branch instruction at operation l (null for an ordinary operation), and its branches' weight. */
    private final BranchStep[] branchSteps;
    private final double[] branchWeights;
    /** The deepest nesting of branches (0 without). */
    final int branchDepth;

    /**
     * How branches run on the linear program: ops holds, for {@code Branches(A | B)}, the instruction OPEN (keep
     * the input), A's operations, NEXT (add A's kernel, weighted, to the combination and restore the input), B's
     * operations, CLOSE (add B's kernel; the combination becomes the state). Each operation inside a branch has
     * an index of its own, so the self-variances recorded per index work unchanged.
     */
    enum BranchStep { OPEN, NEXT, CLOSE }

    private KernelProgram(Architecture arch) {
        arch.checkKernelAssumptions();
        List<KernelOp> flat = new java.util.ArrayList<>();
        List<BranchStep> steps = new java.util.ArrayList<>();
        this.branchDepth = flatten(arch.kernelOps(), flat, steps, 0);
        this.ops = List.copyOf(flat);
        this.branchSteps = steps.toArray(new BranchStep[0]);
        this.branchWeights = new double[ops.size()];
        for (int l = 0; l < ops.size(); l++) {
            if (branchSteps[l] != null) {
                branchWeights[l] = ((KernelOp.Branches) ops.get(l)).weight();
            }
        }
        this.maps = new Nonlinearity[ops.size()];
        for (int l = 0; l < ops.size(); l++) {
            if (ops.get(l) instanceof KernelOp.Pointwise p) {
                maps[l] = EntryMaps.of(p.activation());
            } else if (ops.get(l) instanceof KernelOp.Normalize n && n.axes() == KernelOp.Normalize.Axes.CHANNELS) {
                maps[l] = NormalizeMap.INSTANCE; // an entry map with variance factors: every path runs it
            }
        }
        this.maxBlocks = arch.maxGroupOrder();
        this.evaluation = diagonalOnly() ? KernelEngine.Evaluation.DIAGONAL
            : SlicePlan.supports(this) ? KernelEngine.Evaluation.SLICES : KernelEngine.Evaluation.FULL;
    }

    /**
     * The first operation when it is a strided conv or lift, which the full-block path computes straight from the
     * images' patches ({@link KernelState#initStridedStencil}), else null.
     */
    KernelOp.AffineStencil stridedFirstStencil() {
        return ops.get(0) instanceof KernelOp.AffineStencil s && s.stride() > 1 ? s : null;
    }

    /** Appends {@code in} to the flat program (branches as OPEN ... NEXT ... CLOSE); returns the nesting depth. */
    private static int flatten(List<KernelOp> in, List<KernelOp> flat, List<BranchStep> steps, int depth) {
        int deepest = depth;
        for (KernelOp op : in) {
            if (op instanceof KernelOp.Branches b) {
                flat.add(op);
                steps.add(BranchStep.OPEN);
                for (int i = 0; i < b.branches().size(); i++) {
                    deepest = Math.max(deepest, flatten(b.branches().get(i), flat, steps, depth + 1));
                    flat.add(op);
                    steps.add(i == b.branches().size() - 1 ? BranchStep.CLOSE : BranchStep.NEXT);
                }
            } else {
                flat.add(op);
                steps.add(null);
            }
        }
        return deepest;
    }

    /** The branch instruction at operation l, or null. */
    BranchStep branchStep(int l) {
        return branchSteps[l];
    }

    /** The weight of a branch's kernel in its combination (1 for a sum, 1/branches for a concatenation). */
    double branchWeight(int l) {
        return branchWeights[l];
    }

    static KernelProgram compile(Architecture arch) {
        return new KernelProgram(arch);
    }

    int size() {
        return ops.size();
    }

    /** The entry map of operation l, or null when it is not a nonlinearity. */
    Nonlinearity map(int l) {
        return maps[l];
    }

    /**
     * True when a flatten readout has only stencils and nonlinearities below it: they map the diagonal t = t' to
     * itself, so the kernel needs only diagonals (cost linear in the number of positions per pair).
     */
    private boolean diagonalOnly() {
        int depth = 0;
        for (int l = 0; l < ops.size(); l++) {
            KernelOp op = ops.get(l);
            if (op == KernelOp.Mean.FLATTEN) {
                return depth == 0; // a flatten inside a branch: the other branches may need more than diagonals
            }
            if (branchSteps[l] != null) {
                // branch instructions add and restore diagonals like any other entries
                depth += branchSteps[l] == BranchStep.OPEN ? 1 : branchSteps[l] == BranchStep.CLOSE ? -1 : 0;
            } else if (!(op instanceof KernelOp.Stencil) && !(op instanceof KernelOp.AffineStencil)
                && !(op instanceof KernelOp.Pointwise) && !isChannelNorm(op)) {
                return false;
            }
        }
        return false;
    }

    private static boolean isChannelNorm(KernelOp op) {
        return op instanceof KernelOp.Normalize n && n.axes() == KernelOp.Normalize.Axes.CHANNELS;
    }

    /**
     * True when operation l reads the self-variances the engine sets: a nonlinearity, or a normalisation over all
     * positions (which needs their mean, so it runs on full blocks only).
     */
    boolean readsVariances(int l) {
        return maps[l] != null || ops.get(l) instanceof KernelOp.Normalize;
    }

    /** Operation l on a full, diagonal or reduced state; a nonlinearity reads the variances the engine set. */
    void apply(KernelState st, int l) {
        KernelOp op = ops.get(l);
        if (branchSteps[l] != null) {
            switch (branchSteps[l]) {
                case OPEN -> st.openBranches();
                case NEXT -> st.nextBranch(branchWeights[l]);
                default -> st.closeBranches(branchWeights[l]);
            }
        } else if (maps[l] != null) {
            st.pointwise(maps[l]);
        } else if (op instanceof KernelOp.Stencil s) {
            PointGroup out = s.lift() != null ? s.lift() : st.group() != null ? st.group() : PointGroup.C1;
            st.stencil(out, s.q(), s.padding(), s.wStd(), s.bStd());
        } else if (op instanceof KernelOp.AffineStencil s) {
            PointGroup out = s.lift() != null ? s.lift() : st.group() != null ? st.group() : PointGroup.C1;
            st.affineStencil(out, s);
        } else if (op instanceof KernelOp.WindowPool w) {
            st.windowPool(w.k(), w.stride(), w.padding());
        } else if (op instanceof KernelOp.StandardDense d) {
            st.standardDense(d);
        } else if (op instanceof KernelOp.Dense d) {
            st.dense(d.wStd(), d.bStd());
        } else if (op instanceof KernelOp.AvgPool a) {
            st.avgPool(a.k());
        } else if (op == KernelOp.Mean.SPATIAL) {
            st.globalMean();
        } else if (op == KernelOp.Mean.GROUP) {
            st.groupMean();
        } else if (op == KernelOp.Mean.FLATTEN) {
            st.flattenMean();
        } else if (op instanceof KernelOp.Normalize) {
            st.normalizeAll();
        } else {
            throw new IllegalStateException("no kernel map for " + op);
        }
    }
}
