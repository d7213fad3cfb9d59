package io.eqntk.model;

import io.eqntk.EqntkException;

import java.util.Locale;

/**
 * Arithmetic precision of the kernel engine's blocks and slices. FLOAT32 halves the memory per entry and doubles
 * the vector lanes (results within 1e-6 relative of FLOAT64 on the benchmark networks, tested); sums that reduce a
 * block, and the reduced scalars, stay in double.
 */
public enum Precision {
    FLOAT64,
    FLOAT32;

    /** "float64" or "float32" (case-insensitive; also "double", "single", "fp64", "fp32"). */
    public static Precision of(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "float64":
            case "double":
            case "fp64":
                return FLOAT64;
            case "float32":
            case "single":
            case "fp32":
                return FLOAT32;
            default:
                throw new EqntkException("unknown precision '" + name + "' (float64 or float32)");
        }
    }

    /** The lower-case name, as in keys and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
