package io.eqntk.kernel;

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

    private KernelProgram(Architecture arch) {
        this.ops = arch.kernelOps();
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
        for (KernelOp op : ops) {
            if (op == KernelOp.Mean.FLATTEN) {
                return true;
            }
            if (!(op instanceof KernelOp.Stencil) && !(op instanceof KernelOp.Pointwise) && !isChannelNorm(op)) {
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
        if (maps[l] != null) {
            st.pointwise(maps[l]);
        } else if (op instanceof KernelOp.Stencil s) {
            PointGroup out = s.lift() != null ? s.lift() : st.group() != null ? st.group() : PointGroup.C1;
            st.stencil(out, s.q(), s.padding(), s.wStd(), s.bStd());
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
