package io.eqntk.arch;

import io.eqntk.EqntkException;
import io.eqntk.group.PointGroup;
import io.eqntk.layer.AvgPool;
import io.eqntk.layer.Conv;
import io.eqntk.layer.Dense;
import io.eqntk.layer.Erf;
import io.eqntk.layer.Flatten;
import io.eqntk.layer.GlobalAvgPool;
import io.eqntk.layer.GroupConv;
import io.eqntk.layer.GroupPool;
import io.eqntk.layer.Layer;
import io.eqntk.layer.Lift;
import io.eqntk.layer.Relu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses architecture strings: layers separated by whitespace, each {@code name} or {@code name(args)} with
 * positional arguments first, then {@code key=value}; names and keywords are case-insensitive. A group of layers
 * can be repeated: {@code [conv(3) relu]*21}.
 */
final class ArchitectureParser {
    static final String KNOWN = "conv, lift, gconv, dense, relu, erf, avgpool, gap, gpool, flatten";

    private final String text;
    private int pos;
    private int layerNumber;

    private ArchitectureParser(String text) {
        this.text = text;
    }

    static Architecture parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new ArchitectureException("empty architecture string");
        }
        ArchitectureParser p = new ArchitectureParser(spec);
        List<Layer> layers = p.items(false);
        return new Architecture(layers);
    }

    private List<Layer> items(boolean inGroup) {
        List<Layer> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= text.length()) {
                if (inGroup) {
                    throw error("missing ']' to close the repeated group");
                }
                return out;
            }
            char ch = text.charAt(pos);
            if (ch == ']') {
                if (!inGroup) {
                    throw error("unexpected ']'");
                }
                pos++;
                return out;
            }
            if (ch == '[') {
                pos++;
                List<Layer> group = items(true);
                skipSpace();
                if (pos >= text.length() || (text.charAt(pos) != '*' && text.charAt(pos) != 'x')) {
                    throw error("a repeated group [ ... ] must be followed by *N");
                }
                pos++;
                skipSpace();
                int start = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                if (start == pos) {
                    throw error("expected a repeat count after '*'");
                }
                int n = Limits.repeatCount(text.substring(start, pos), group.size(), out.size());
                for (int i = 0; i < n; i++) {
                    out.addAll(group);
                }
                continue;
            }
            out.add(layer());
        }
    }

    private Layer layer() {
        int start = pos;
        layerNumber++;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error("unexpected character '" + text.charAt(pos) + "'");
        }
        String name = text.substring(start, pos).toLowerCase(Locale.ROOT);
        List<String> positional = new ArrayList<>();
        Map<String, String> keys = new LinkedHashMap<>();
        skipSpaceNoNewLayer();
        if (pos < text.length() && text.charAt(pos) == '(') {
            int close = text.indexOf(')', pos);
            if (close < 0) {
                throw layerError(text.substring(start), "missing ')'");
            }
            String inner = text.substring(pos + 1, close);
            pos = close + 1;
            if (!inner.isBlank()) {
                for (String part : inner.split(",", -1)) {
                    String a = part.trim();
                    if (a.isEmpty()) {
                        throw layerError(text.substring(start, pos), "empty argument");
                    }
                    int eq = a.indexOf('=');
                    if (eq >= 0) {
                        String k = a.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                        String v = a.substring(eq + 1).trim();
                        if (k.isEmpty() || v.isEmpty()) {
                            throw layerError(text.substring(start, pos), "malformed argument '" + a + "'");
                        }
                        if (keys.put(k, v) != null) {
                            throw layerError(text.substring(start, pos), "argument '" + k + "' given twice");
                        }
                    } else {
                        if (!keys.isEmpty()) {
                            throw layerError(text.substring(start, pos),
                                "positional argument '" + a + "' after key=value arguments");
                        }
                        positional.add(a);
                    }
                }
            }
        }
        String source = text.substring(start, pos);
        try {
            return build(name, positional, keys);
        } catch (EqntkException e) {
            throw layerError(source, e.getMessage());
        }
    }

    private Layer build(String name, List<String> positional, Map<String, String> keys) {
        Args a;
        switch (name) {
            case "conv":
                a = new Args(positional, keys, "q", "pad", "w", "b");
                return new Conv(a.integer("q", null), a.padding(), a.number("w", 1.0), a.optional("b"));
            case "lift":
                a = new Args(positional, keys, "group", "q", "pad", "w", "b");
                return new Lift(PointGroup.of(a.required("group")), a.integer("q", null), a.padding(),
                    a.number("w", 1.0), a.optional("b"));
            case "gconv":
                a = new Args(positional, keys, "q", "pad", "w", "b");
                return new GroupConv(a.integer("q", null), a.padding(), a.number("w", 1.0), a.optional("b"));
            case "dense":
                a = new Args(positional, keys, "w", "b");
                return new Dense(a.number("w", 1.0), a.optional("b"));
            case "avgpool":
                a = new Args(positional, keys, "k");
                return new AvgPool(a.integer("k", null));
            case "relu":
                new Args(positional, keys);
                return Relu.INSTANCE;
            case "erf":
                new Args(positional, keys);
                return Erf.INSTANCE;
            case "gap":
                new Args(positional, keys);
                return GlobalAvgPool.INSTANCE;
            case "gpool":
                new Args(positional, keys);
                return GroupPool.INSTANCE;
            case "flatten":
                new Args(positional, keys);
                return Flatten.INSTANCE;
            default:
                throw new ArchitectureException("unknown layer '" + name + "' (known: " + KNOWN + ")");
        }
    }

    /** A layer's arguments, matched to its parameter names. */
    private static final class Args {
        private final Map<String, String> values = new LinkedHashMap<>();

        Args(List<String> positional, Map<String, String> keys, String... names) {
            if (positional.size() > names.length) {
                throw new ArchitectureException(names.length == 0 ? "takes no arguments"
                    : "too many arguments (expected at most " + names.length + ": " + String.join(", ", names) + ")");
            }
            for (int i = 0; i < positional.size(); i++) {
                values.put(names[i], positional.get(i));
            }
            List<String> allowed = List.of(names);
            for (Map.Entry<String, String> e : keys.entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    throw new ArchitectureException("unknown argument '" + e.getKey() + "'"
                        + (names.length == 0 ? " (takes no arguments)" : " (allowed: " + String.join(", ", names) + ")"));
                }
                if (values.put(e.getKey(), e.getValue()) != null) {
                    throw new ArchitectureException("argument '" + e.getKey() + "' given twice");
                }
            }
        }

        String required(String name) {
            String v = values.get(name);
            if (v == null) {
                throw new ArchitectureException("missing argument '" + name + "'");
            }
            return v;
        }

        int integer(String name, Integer dflt) {
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

        double number(String name, double dflt) {
            String v = values.get(name);
            return v == null ? dflt : parseNumber(name, v);
        }

        Double optional(String name) {
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

        Padding padding() {
            String v = values.get("pad");
            if (v == null) {
                return Padding.SAME;
            }
            try {
                return Padding.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ArchitectureException("unknown padding '" + v + "' (SAME, VALID or CIRCULAR)");
            }
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    /** Allows "conv (3)" but not a newline-separated next layer: only spaces before a '('. */
    private void skipSpaceNoNewLayer() {
        int p = pos;
        while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
            p++;
        }
        if (p < text.length() && text.charAt(p) == '(') {
            pos = p;
        }
    }

    private ArchitectureException error(String message) {
        return new ArchitectureException("architecture string, at character " + (pos + 1) + ": " + message);
    }

    private ArchitectureException layerError(String source, String message) {
        return new ArchitectureException("layer " + layerNumber + " '" + source.trim() + "': " + message);
    }
}
