package io.eqntk.store;

import java.util.Locale;

/**
 * One block of a stored kernel matrix: block row {@code bi}, block column {@code bj}, covering matrix rows
 * [r0, r1) and columns [c0, c1). For a Gram matrix only blocks with bi &lt;= bj are stored.
 */
public record BlockId(int bi, int bj, int r0, int r1, int c0, int c1) implements java.io.Serializable {

    public int rows() {
        return r1 - r0;
    }

    public int cols() {
        return c1 - c0;
    }

    /** Entries (pairs) in the block. */
    public long entries() {
        return (long) rows() * cols();
    }

    /** The file name stem {@code r<r0>-<r1>.c<c0>-<c1>}, six digits or more each: the block's place. */
    public String stem() {
        return String.format(Locale.ROOT, "r%06d-%06d.c%06d-%06d", r0, r1, c0, c1);
    }

    @Override
    public String toString() {
        return "(" + bi + ", " + bj + ") [" + r0 + ":" + r1 + ", " + c0 + ":" + c1 + "]";
    }
}
