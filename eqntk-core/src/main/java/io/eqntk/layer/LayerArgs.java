package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.Padding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A layer's arguments from an architecture string, matched to its parameter names (positional ones first). */
public final class LayerArgs {
    private final Map<String, String> values = new LinkedHashMap<>();

    LayerArgs(List<String> positional, Map<String, String> keys, List<String> names) {
        if (positional.size() > names.size()) {
            throw new ArchitectureException(names.isEmpty() ? "takes no arguments"
                : "too many arguments (expected at most " + names.size() + ": " + String.join(", ", names) + ")");
        }
        for (int i = 0; i < positional.size(); i++) {
            values.put(names.get(i), positional.get(i));
        }
        for (Map.Entry<String, String> e : keys.entrySet()) {
            if (!names.contains(e.getKey())) {
                throw new ArchitectureException("unknown argument '" + e.getKey() + "'"
                    + (names.isEmpty() ? " (takes no arguments)" : " (allowed: " + String.join(", ", names) + ")"));
            }
            if (values.put(e.getKey(), e.getValue()) != null) {
                throw new ArchitectureException("argument '" + e.getKey() + "' given twice");
            }
        }
    }

    public String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new ArchitectureException("missing argument '" + name + "'");
        }
        return v;
    }

    /** A word argument, {@code dflt} when absent. */
    public String text(String name, String dflt) {
        String v = values.get(name);
        return v == null ? dflt : v;
    }

    /** An integer argument; {@code dflt} null makes it required. */
    public int integer(String name, Integer dflt) {
        String v = values.get(name);
        if (v == null) {
            if (dflt == null) {
                throw new ArchitectureException("missing argument '" + name + "'");
            }
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ArchitectureException(name + " must be an integer, got '" + v + "'");
        }
    }

    /** A required number. */
    public double number(String name) {
        return parseNumber(name, required(name));
    }

    public double number(String name, double dflt) {
        String v = values.get(name);
        return v == null ? dflt : parseNumber(name, v);
    }

    /** A number that may be absent (null). */
    public Double optional(String name) {
        String v = values.get(name);
        return v == null ? null : parseNumber(name, v);
    }

    private static double parseNumber(String name, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ArchitectureException(name + " must be a finite number, got '" + v + "'");
        }
    }

    /** The {@code pad} argument, SAME when absent. */
    public Padding padding() {
        return padding(Padding.SAME);
    }

    /** The {@code stride} argument, 1 when absent; it must be at least 1. */
    public int stride(int dflt) {
        int s = integer("stride", dflt);
        if (s < 1) {
            throw new ArchitectureException("stride must be at least 1, got " + s);
        }
        return s;
    }

    /** The {@code param} argument (ntk or standard), NTK when absent. */
    public io.eqntk.model.Parameterization parameterization() {
        String v = values.get("param");
        return v == null ? io.eqntk.model.Parameterization.NTK : io.eqntk.model.Parameterization.of(v);
    }

    /** The {@code pad} argument, {@code dflt} when absent. */
    public Padding padding(Padding dflt) {
        String v = values.get("pad");
        if (v == null) {
            return dflt;
        }
        try {
            return Padding.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ArchitectureException("unknown padding '" + v + "' (SAME, VALID or CIRCULAR)");
        }
    }
}
