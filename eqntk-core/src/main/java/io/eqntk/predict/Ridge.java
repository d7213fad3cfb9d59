package io.eqntk.predict;

import io.eqntk.EqntkException;

import java.util.Locale;

/**
 * The diagonal regulariser added to the train-train kernel: {@code K_dd = K(X, X) + lambda I}.
 *
 * <p>A {@linkplain #relative(double) relative} ridge (the default in eqntk) scales with the kernel:
 * {@code lambda = diagReg * trace(K(X, X)) / n}, so the same {@code diagReg} means the same thing for kernels of
 * any overall scale. An {@linkplain #absolute(double) absolute} ridge is {@code lambda} itself.
 *
 * <p>Its string form is {@code rel 1e-3} or {@code abs 0.5}, which {@link #parse(String)} reads back.
 *
 * @param kind  whether {@code value} is relative to the mean diagonal or absolute
 * @param value {@code diagReg} for a relative ridge, {@code lambda} for an absolute one; finite and {@code >= 0}
 */
public record Ridge(Kind kind, double value) {

    /** How {@link Ridge#value()} is turned into the added diagonal. */
    public enum Kind {
        /** {@code lambda = value * trace(K) / n}. */
        RELATIVE("rel"),
        /** {@code lambda = value}. */
        ABSOLUTE("abs");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        /** The short tag used in the string form: {@code rel} or {@code abs}. */
        public String tag() {
            return tag;
        }
    }

    /** No regularisation (the kernel must then be positive definite, or the ridge is raised with a warning). */
    public static final Ridge NONE = absolute(0);

    public Ridge {
        if (kind == null) {
            throw new EqntkException("ridge kind is null");
        }
        if (!Double.isFinite(value) || value < 0) {
            throw new EqntkException("ridge must be finite and >= 0, got " + kind.tag + " " + value);
        }
    }

    /** {@code lambda = diagReg * trace(K) / n}. */
    public static Ridge relative(double diagReg) {
        return new Ridge(Kind.RELATIVE, diagReg);
    }

    /** {@code lambda} given directly. */
    public static Ridge absolute(double lambda) {
        return new Ridge(Kind.ABSOLUTE, lambda);
    }

    /**
     * Reads {@code rel X} or {@code abs X} (also {@code rel=X}, {@code abs:X}; case-insensitive), or a bare number,
     * which is taken as relative.
     */
    public static Ridge parse(String text) {
        if (text == null || text.isBlank()) {
            throw new EqntkException("ridge is empty; expected 'rel X' or 'abs X'");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        Kind kind = Kind.RELATIVE;
        String number = s;
        for (Kind k : Kind.values()) {
            if (s.startsWith(k.tag)) {
                kind = k;
                number = s.substring(k.tag.length()).trim();
                if (number.startsWith("=") || number.startsWith(":")) {
                    number = number.substring(1).trim();
                }
                break;
            }
        }
        double v;
        try {
            v = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new EqntkException("cannot read ridge '" + text.trim() + "'; expected 'rel X' or 'abs X'", e);
        }
        return new Ridge(kind, v);
    }

    /**
     * The absolute diagonal {@code lambda} for a train-train kernel.
     *
     * @param kTrain the n x n kernel, row-major (only its diagonal is read)
     * @param n      the number of training points
     */
    public double lambda(double[] kTrain, int n) {
        Checks.requireAtLeast("n", n, 1);
        if (kTrain == null || kTrain.length != Checks.size("kTrain", n, n)) {
            throw new EqntkException("kTrain has the wrong length: expected n x n = " + n + " x " + n + " = "
                    + ((long) n * n) + " values, got " + (kTrain == null ? "null" : kTrain.length));
        }
        if (kind == Kind.ABSOLUTE) {
            return value;
        }
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += kTrain[i * n + i];
        }
        return value * trace / n;
    }

    /** {@code rel 1e-3} or {@code abs 0.5}. */
    @Override
    public String toString() {
        return kind.tag + " " + Checks.format(value);
    }
}
