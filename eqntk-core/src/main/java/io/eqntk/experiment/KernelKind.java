package io.eqntk.experiment;

import io.eqntk.EqntkException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Which infinite-width kernel a predictor uses. */
public enum KernelKind {
    /** The neural tangent kernel: the mean of gradient-flow training of an infinitely wide network. */
    NTK,
    /** The NNGP kernel: Bayesian inference with the infinite-width prior. */
    NNGP;

    /** {@code ntk} or {@code nngp}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code ntk,nngp} (either order, case-insensitive, no duplicates). */
    public static List<KernelKind> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new EqntkException("--kernels is empty (use ntk, nngp or ntk,nngp)");
        }
        List<KernelKind> out = new ArrayList<>();
        for (String s : text.split(",")) {
            String k = s.trim().toUpperCase(Locale.ROOT);
            KernelKind kind;
            try {
                kind = valueOf(k);
            } catch (IllegalArgumentException e) {
                throw new EqntkException("unknown kernel '" + s.trim() + "' in --kernels (use ntk, nngp)");
            }
            if (out.contains(kind)) {
                throw new EqntkException("kernel '" + kind.label() + "' is listed twice in --kernels");
            }
            out.add(kind);
        }
        return out;
    }
}
