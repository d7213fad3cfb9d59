package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.Padding;
import io.eqntk.model.Parameterization;

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

    /** A stride must be positive; circular padding is only supported at stride 1. */
    static void checkStride(int stride, Padding padding) {
        if (stride < 1) {
            throw new ArchitectureException("stride must be at least 1, got " + stride);
        }
        if (stride > 1 && padding == Padding.CIRCULAR) {
            throw new ArchitectureException("stride " + stride + " needs SAME or VALID padding (CIRCULAR is stride 1 only)");
        }
    }

    /** The standard parameterisation needs w > 0 (its NTK is derived from the NNGP) and a base width >= 0. */
    static void checkParameterization(Parameterization param, double wStd, int baseWidth) {
        if (baseWidth < 0) {
            throw new ArchitectureException("n (the base width) must be positive, got " + baseWidth);
        }
        if (param == Parameterization.NTK && baseWidth != 0) {
            throw new ArchitectureException("n (the base width) applies only with param=standard");
        }
        if (param == Parameterization.STANDARD && !(wStd > 0)) {
            throw new ArchitectureException("param=standard needs w > 0, got " + wStd);
        }
    }

    /** ", stride=2, param=standard, n=64", each omitted at its default (stride 1, NTK, n from the input). */
    static String strideKeys(int stride, Parameterization param, int baseWidth) {
        StringBuilder sb = new StringBuilder();
        if (stride != 1) {
            sb.append(", stride=").append(stride);
        }
        if (param != Parameterization.NTK) {
            sb.append(", param=").append(param.key());
        }
        if (baseWidth != 0) {
            sb.append(", n=").append(baseWidth);
        }
        return sb.toString();
    }
}
