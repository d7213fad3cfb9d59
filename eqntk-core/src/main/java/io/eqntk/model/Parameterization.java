package io.eqntk.model;

import java.util.Locale;

/**
 * How an affine layer scales its parameters (neural-tangents' {@code parameterization}). NTK: weights and biases
 * N(0, 1), the layer multiplies by W_std / sqrt(fan_in) and b_std. STANDARD: weights N(0, W_std^2 / fan_in_base),
 * biases N(0, b_std^2), used as they are; a finite network of width s * N (base width N) divides by sqrt(s), and the
 * infinite-width limit is s -> infinity at fixed N. The NNGP is the same in both; the NTK of a standard layer is
 * {@code W_std^2 A(Θ) + fan_in_base A(P) + [bias] 1} instead of {@code W_std^2 A(Θ) + W_std^2 A(P) + b_std^2}.
 */
public enum Parameterization {
    NTK,
    STANDARD;

    /** The parameterisation named {@code v} (case-insensitive). */
    public static Parameterization of(String v) {
        try {
            return valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ArchitectureException("unknown parameterization '" + v + "' (ntk or standard)");
        }
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
