package io.eqntk.arch;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.Limits;
import io.eqntk.EqntkException;
import io.eqntk.layer.Branches;
import io.eqntk.layer.Layer;
import io.eqntk.model.KernelOp;
import io.eqntk.layer.LayerRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses architecture strings: layers separated by whitespace, each {@code name} or {@code name(args)} with
 * positional arguments first, then {@code key=value}; names and keywords are case-insensitive. A group of layers
 * can be repeated: {@code [conv(3) relu]*21}. Branches: {@code res(A)}, {@code sum(A | B)}, {@code concat(A | B)}, with
 * {@code id} the identity branch (see {@link Branches}).
 */
final class ArchitectureParser {
    /** The layers written with branches in their parentheses. */
    private static final java.util.Set<String> BRANCHING = java.util.Set.of("res", "sum", "concat");
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
        List<Layer> layers = p.items((char) 0);
        return new Architecture(layers);
    }

    /** The layers up to the end of the text (close 0), a ']' (consumed) or a branch's '|' or ')' (not consumed). */
    private List<Layer> items(char close) {
        boolean inGroup = close == ']';
        List<Layer> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= text.length()) {
                if (inGroup) {
                    throw error("missing ']' to close the repeated group");
                }
                if (close == ')') {
                    throw error("missing ')' to close the branches");
                }
                return out;
            }
            char ch = text.charAt(pos);
            if (close == ')' && (ch == '|' || ch == ')')) {
                return out;
            }
            if (ch == '|' || ch == ')') {
                throw error("unexpected '" + ch + "'" + (ch == '|' ? " (a '|' separates branches: sum(A | B))" : ""));
            }
            if (ch == ']') {
                if (!inGroup) {
                    throw error("unexpected ']'");
                }
                pos++;
                return out;
            }
            if (ch == '[') {
                pos++;
                List<Layer> group = items(']');
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
            List<Layer> named = namedNetwork();
            if (named != null) {
                out.addAll(named);
            } else {
                out.add(layer());
            }
        }
    }

    /**
     * A named network ({@link NamedArchitectures}) at the current position, {@code name}, {@code name(args)} or
     * either followed by {@code @GROUP}, read as the layers of its expansion; null (nothing consumed) when the
     * name there is a layer's. An unknown name is an error that lists the layers and the networks.
     */
    private List<Layer> namedNetwork() {
        int start = pos;
        int end = pos;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        String name = text.substring(start, end).toLowerCase(Locale.ROOT);
        boolean isLayer = LayerRegistry.entries().stream().anyMatch(e -> e.name().equals(name));
        if (name.isEmpty() || isLayer) {
            return null;
        }
        if (NamedArchitectures.find(name) == null) {
            layerNumber++;
            throw layerError(name, "unknown layer '" + name + "' (known: " + LayerRegistry.names()
                + "; networks: " + NamedArchitectures.names() + ", each also NAME@GROUP)");
        }
        layerNumber++;
        pos = end;
        skipSpaceNoNewLayer();
        if (pos < text.length() && text.charAt(pos) == '(') {
            int close = text.indexOf(')', pos);
            if (close < 0) {
                throw layerError(text.substring(start), "missing ')'");
            }
            pos = close + 1;
        }
        if (pos < text.length() && text.charAt(pos) == '@') {
            pos++;
            while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                pos++;
            }
        }
        String source = text.substring(start, pos);
        String expansion;
        try {
            expansion = NamedArchitectures.expand(source);
        } catch (EqntkException e) {
            throw layerError(source, e.getMessage());
        }
        try {
            return parse(expansion).layers();
        } catch (EqntkException e) {
            throw layerError(source, "its expansion '" + expansion + "' does not parse here: " + e.getMessage());
        }
    }

    /**
     * The branches of {@code res(A)}, {@code sum(A | B ...)} or {@code concat(A | B ...)} after the name, from the
     * '(' to its ')': each branch an architecture string of its own (nested branches allowed), {@code id} the
     * identity.
     */
    private Layer branches(String name, int start, int number) {
        pos++; // '('
        List<List<Layer>> branches = new ArrayList<>();
        while (true) {
            List<Layer> b = items(')');
            if (b.isEmpty()) {
                throw new ArchitectureException("layer " + number + " '" + name + "': empty branch at character "
                    + (pos + 1) + " (write id for the identity)");
            }
            branches.add(b);
            if (text.charAt(pos++) == ')') {
                break;
            }
        }
        try {
            if (name.equals("res")) {
                if (branches.size() != 1) {
                    throw new ArchitectureException("res(A) takes one branch (x + A(x)); for more write sum(id | A | B)");
                }
                return Branches.residual(branches.get(0));
            }
            return new Branches(branches, name.equals("sum") ? KernelOp.Combine.SUM : KernelOp.Combine.CONCAT);
        } catch (ArchitectureException e) {
            throw new ArchitectureException("layer " + number + " '" + text.substring(start, pos).trim() + "': "
                + e.getMessage());
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
        skipSpaceNoNewLayer();
        if (BRANCHING.contains(name) && pos < text.length() && text.charAt(pos) == '(') {
            return branches(name, start, layerNumber);
        }
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
            return LayerRegistry.build(name, positional, keys);
        } catch (EqntkException e) {
            throw layerError(source, e.getMessage());
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
