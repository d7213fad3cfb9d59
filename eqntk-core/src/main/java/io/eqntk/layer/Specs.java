package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;

/** Formatting of layer specs: numbers without trailing zeros, optional keys. */
final class Specs {
    private Specs() {
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** Checks an affine layer's W_std and b_std (null: no bias). */
    static void checkAffine(double wStd, Double bStd) {
        if (!(wStd >= 0) || Double.isInfinite(wStd)) {
            throw new ArchitectureException("w must be a finite non-negative number, got " + wStd);
        }
        if (bStd != null && (!(bStd >= 0) || Double.isInfinite(bStd))) {
            throw new ArchitectureException("b must be a finite non-negative number, got " + bStd);
        }
    }

    /** ", w=1.5, b=0.1" with w omitted at its default 1 and b omitted when absent. */
    static String affineKeys(double wStd, Double bStd) {
        StringBuilder sb = new StringBuilder();
        if (wStd != 1.0) {
            sb.append(", w=").append(num(wStd));
        }
        if (bStd != null) {
            sb.append(", b=").append(num(bStd));
        }
        return sb.toString();
    }
}
