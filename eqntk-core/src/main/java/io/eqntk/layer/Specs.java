package io.eqntk.layer;

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
