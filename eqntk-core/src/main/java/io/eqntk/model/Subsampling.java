package io.eqntk.model;

import io.eqntk.group.PointGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a window of k taps moved with stride s along one axis of n positions, as in lax / neural-tangents:
 * VALID gives floor((n - k) / s) + 1 outputs without padding; SAME gives ceil(n / s) outputs and pads
 * {@code total = max((out - 1) s + k - n, 0)} zeros, {@code total / 2} (rounded down) before the first position.
 * Output o reads inputs {@code o s - padBefore + e}, e in [0, k). At stride 1 and odd k this is the convolution of
 * KERNELS.md §2 (SAME pads (k - 1) / 2 on each side).
 *
 * <p>Equivariance (docs/STRIDES.md): a group element that reflects this axis about the centre (n - 1) / 2 maps the
 * window centres {@code o s - padBefore + (k - 1) / 2} onto themselves exactly when the first and last centre
 * add up to n - 1, i.e. {@code (out - 1) s + k - n = 2 padBefore}: for VALID, s divides n - k; for SAME, the
 * padding total {@code (out - 1) s + k - n} is even and not negative (so SAME pads as much after as before).
 */
public record Subsampling(int size, int window, int stride, boolean same) {

    public Subsampling {
        if (stride < 1) {
            throw new ArchitectureException("stride must be at least 1, got " + stride);
        }
    }

    /** Number of outputs. */
    public int outputs() {
        return same ? (size + stride - 1) / stride : (size - window) / stride + 1;
    }

    /** Zeros padded before position 0. */
    public int padBefore() {
        if (!same) {
            return 0;
        }
        return Math.max((outputs() - 1) * stride + window - size, 0) / 2;
    }

    /** The input position of output o's first tap (may be negative: padding). */
    public int start(int o) {
        return o * stride - padBefore();
    }

    /** True when a reflection of the axis about its centre maps the window centres onto themselves. */
    public boolean symmetric() {
        if (outputs() < 1) {
            return false;
        }
        return (long) (outputs() - 1) * stride + window - size == 2L * padBefore();
    }

    /** Axis lengths near {@code size} (within 12) for which this window and stride would be symmetric. */
    public List<Integer> symmetricSizesNear() {
        List<Integer> ok = new ArrayList<>();
        for (int n = Math.max(window, size - 12); n <= size + 12; n++) {
            if (new Subsampling(n, window, stride, same).symmetric()) {
                ok.add(n);
            }
        }
        return ok;
    }

    /** Whether some element of {@code g} reverses the row axis (true) or column axis (false) on centred offsets. */
    public static boolean reflects(PointGroup g, boolean rows) {
        for (int e = 0; e < g.order(); e++) {
            int[] m = g.matrix(e);
            if ((rows ? m[0] : m[3]) != 1) {
                return true;
            }
        }
        return false;
    }

    /** Whether some element of {@code g} swaps the two axes (a rotation by 90 degrees): it needs square grids. */
    public static boolean swapsAxes(PointGroup g) {
        for (int e = 0; e < g.order(); e++) {
            if (g.matrix(e)[1] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks that a window of {@code k} with stride {@code s} (SAME or VALID) on the {@code in} grid keeps every
     * element of {@code group} acting on the subsampled grid (centred coordinates), else throws a one-line error
     * naming the sizes that would work. {@code what} names the window, e.g. "filter 3 with stride 2".
     */
    public static void checkEquivariant(PointGroup group, FeatureShape in, int k, int s, boolean same, String what) {
        if (group == null || group.order() == 1 || s == 1 && k % 2 == 1) {
            return;
        }
        for (boolean rows : new boolean[] {true, false}) {
            if (!reflects(group, rows)) {
                continue;
            }
            int n = rows ? in.height() : in.width();
            Subsampling sub = new Subsampling(n, k, s, same);
            if (!sub.symmetric()) {
                List<Integer> ok = sub.symmetricSizesNear();
                String pad = same ? "SAME" : "VALID";
                throw new ArchitectureException(what + " (" + pad + ") on " + in.height() + "x" + in.width()
                    + " breaks " + group.name() + " equivariance: its " + (rows ? "rows" : "columns")
                    + " are not subsampled symmetrically about the centre; " + (ok.isEmpty()
                        ? "no side within 12 of " + n + " works"
                        : "sides that work: " + ok.toString().replaceAll("[\\[\\]]", ""))
                    + " (" + (same ? "SAME needs (ceil(n/s) - 1) s + k - n even and >= 0"
                        : "VALID needs s to divide n - k") + ", see docs/STRIDES.md)");
            }
        }
    }
}
