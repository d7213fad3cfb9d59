package io.eqntk.predict;

import io.eqntk.EqntkException;

import java.math.BigDecimal;

/** Argument checks and number formatting shared by this package. */
final class Checks {
    private Checks() {
    }

    /** Requires {@code count >= min}. */
    static void requireAtLeast(String name, int count, int min) {
        if (count < min) {
            throw new EqntkException(name + " must be at least " + min + ", got " + count);
        }
    }

    /** {@code a * b} as an array length, or an exception when it does not fit in an int. */
    static int size(String name, int a, int b) {
        long s = (long) a * (long) b;
        if (s > Integer.MAX_VALUE - 8) {
            throw new EqntkException(name + " would need " + a + " x " + b + " = " + s
                    + " entries, more than a Java array can hold");
        }
        return (int) s;
    }

    /**
     * Requires a non-null matrix of {@code rows x cols} entries, all finite.
     *
     * @param name the argument's name, used in the message
     * @param shape how the expected size is written, e.g. {@code "nTest x n"}
     */
    static void requireMatrix(String name, double[] a, int rows, int cols, String shape) {
        int expected = size(name, rows, cols);
        if (a == null) {
            throw new EqntkException(name + " is null (expected " + shape + " = " + rows + " x " + cols + " = "
                    + expected + " values)");
        }
        if (a.length != expected) {
            throw new EqntkException(name + " has the wrong length: expected " + shape + " = " + rows + " x " + cols
                    + " = " + expected + " values, got " + a.length);
        }
        requireFinite(name, a, cols);
    }

    /** Requires a non-null vector of {@code length} finite entries. */
    static void requireVector(String name, double[] a, int length, String shape) {
        if (a == null) {
            throw new EqntkException(name + " is null (expected " + shape + " = " + length + " values)");
        }
        if (a.length != length) {
            throw new EqntkException(name + " has the wrong length: expected " + shape + " = " + length
                    + " values, got " + a.length);
        }
        requireFinite(name, a, 0);
    }

    /** Requires every entry finite; {@code cols > 0} adds the row and column of the first bad entry. */
    static void requireFinite(String name, double[] a, int cols) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                String where = cols > 0 ? " (row " + (i / cols) + ", column " + (i % cols) + ")" : "";
                throw new EqntkException(name + " has a non-finite value (" + a[i] + ") at index " + i + where);
            }
        }
    }

    /** Requires a non-null array of {@code length} ints. */
    static void requireLength(String name, int[] a, int length, String shape) {
        if (a == null) {
            throw new EqntkException(name + " is null (expected " + shape + " = " + length + " values)");
        }
        if (a.length != length) {
            throw new EqntkException(name + " has the wrong length: expected " + shape + " = " + length
                    + " values, got " + a.length);
        }
    }

    /**
     * A short form of a number: plain for moderate magnitudes ({@code 0.5}, {@code 20}), otherwise scientific
     * with a bare exponent ({@code 1e-3}, {@code 2.5e-7}, {@code 1e8}).
     */
    static String format(double x) {
        if (x == 0) {
            return "0";
        }
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        BigDecimal d = BigDecimal.valueOf(x).stripTrailingZeros();
        double a = Math.abs(x);
        if (a >= 1e-2 && a < 1e6) {
            return d.toPlainString();
        }
        String digits = d.unscaledValue().abs().toString();
        int exponent = d.precision() - d.scale() - 1;
        StringBuilder s = new StringBuilder();
        if (x < 0) {
            s.append('-');
        }
        s.append(digits.charAt(0));
        if (digits.length() > 1) {
            s.append('.').append(digits, 1, digits.length());
        }
        return s.append('e').append(exponent).toString();
    }
}
