package io.eqntk.arch;

import io.eqntk.group.PointGroup;
import io.eqntk.model.ArchitectureException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one list of named networks (the counterpart of {@link io.eqntk.layer.LayerRegistry} for whole
 * architectures): each name stands for an architecture string, which the parser reads in its place, so a name works
 * wherever an architecture string does ({@code kernel}, {@code fit}, {@code experiment --models}). The error for an
 * unknown name, the help text and the README's table are written from this list.
 *
 * <p>{@code NAME@GROUP} is the same network lifted to a point group: the first convolution becomes a lifting
 * convolution, the others group convolutions, average pooling acts on the group maps, and the readout is group
 * pooling ({@code gpool}) instead of {@code flatten} or {@code gap}.
 */
public final class NamedArchitectures {
    /** W_std of the Myrtle networks (Shankar et al. 2020, as in neural-tangents' examples): sqrt(2). */
    static final double MYRTLE_W = Math.sqrt(2.0);

    /** One named network: its syntax, what it is, and its expansion for a group (null: the plain CNN). */
    public record Entry(String name, String syntax, String description, int maxArguments, Expansion expansion) {
    }

    /** Writes a network's architecture string from its integer arguments, for the CNN or a group. */
    @FunctionalInterface
    public interface Expansion {
        String expand(List<Integer> args, PointGroup group);
    }

    private static final List<Entry> ENTRIES = List.of(
        myrtle(5, 2, 1, 1),
        myrtle(7, 2, 2, 2),
        myrtle(10, 3, 3, 3),
        new Entry("wrn", "wrn(depth, k)",
            "WideResNet as in neural-tangents' README: conv, 3 groups of (depth-4)/6 residual blocks "
                + "(relu conv relu conv, identity or conv shortcut; stride 2 in groups 2 and 3), avgpool(8), "
                + "flatten, dense; k (channel factor) changes no infinite-width kernel; needs `res`, `sum` and "
                + "strides",
            2, NamedArchitectures::wideResNet),
        new Entry("paper", "paper",
            "the CNN of the equivariant-NTK paper's notebook: conv(3, VALID) relu conv(3, VALID) relu gap dense "
                + "relu dense (`paper@c4` is its group network)",
            0, (a, g) -> {
                Net n = new Net(g);
                n.conv(3, "VALID", 1.0).relu().conv(3, "VALID", 1.0).relu().pool("gap");
                return n.add("dense relu dense").text();
            }));

    private NamedArchitectures() {
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The entry called {@code name} (lower case), or null. */
    static Entry find(String name) {
        for (Entry e : ENTRIES) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The names, for messages: "myrtle5, myrtle7, ...". */
    public static String names() {
        return ENTRIES.stream().map(Entry::name).collect(Collectors.joining(", "));
    }

    /**
     * The architecture string that {@code name(args)@group} stands for.
     *
     * @param group null for the plain network
     * @throws ArchitectureException for an unknown name or bad arguments
     */
    public static String expand(String name, List<String> args, PointGroup group) {
        Entry e = find(name.toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new ArchitectureException("unknown network '" + name + "' (known: " + names() + ")");
        }
        if (args.size() > e.maxArguments()) {
            throw new ArchitectureException(e.maxArguments() == 0 ? "takes no arguments"
                : "takes at most " + e.maxArguments() + " arguments: " + e.syntax());
        }
        List<Integer> ints = new ArrayList<>();
        for (String a : args) {
            try {
                ints.add(Integer.parseInt(a.trim()));
            } catch (NumberFormatException ex) {
                throw new ArchitectureException("arguments must be integers (" + e.syntax() + "), got '" + a.trim()
                    + "'");
            }
        }
        return e.expansion().expand(ints, group);
    }

    /** {@code expand} for a whole token such as {@code myrtle5@d4} or {@code wrn(16, 1)}. */
    public static String expand(String token) {
        String t = token.trim();
        String group = null;
        int at = t.lastIndexOf('@');
        if (at >= 0) {
            group = t.substring(at + 1).trim();
            t = t.substring(0, at).trim();
        }
        List<String> args = new ArrayList<>();
        int paren = t.indexOf('(');
        String name = t;
        if (paren >= 0) {
            if (!t.endsWith(")")) {
                throw new ArchitectureException("network '" + token.trim() + "': missing ')'");
            }
            name = t.substring(0, paren).trim();
            String inner = t.substring(paren + 1, t.length() - 1);
            if (!inner.isBlank()) {
                for (String a : inner.split(",", -1)) {
                    args.add(a);
                }
            }
        }
        return expand(name, args, group == null ? null : PointGroup.of(group));
    }

    /** Whether {@code text} (a model name) is a named network, with or without arguments and a group. */
    public static boolean isNamed(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < t.length() && (Character.isLetterOrDigit(t.charAt(end)) || t.charAt(end) == '_')) {
            end++;
        }
        boolean rest = end == t.length() || t.charAt(end) == '(' || t.charAt(end) == '@';
        return end > 0 && rest && find(t.substring(0, end)) != null;
    }

    /** The networks on one line, for help text. */
    public static String syntaxLine() {
        return ENTRIES.stream().map(Entry::syntax).collect(Collectors.joining(" ")) + " (each also NAME@GROUP)";
    }

    /**
     * The Markdown table of named networks that the README shows (a test keeps the two equal); a branch's '|' is
     * escaped, as table cells need.
     */
    public static String markdownTable() {
        List<String> rows = new ArrayList<>();
        rows.add("| network | string | what it is | expands to (CNN) |");
        rows.add("|---|---|---|---|");
        for (Entry e : ENTRIES) {
            String example = e.name().equals("wrn") ? "wrn(10, 1)" : e.name();
            rows.add("| `" + e.name() + "` | `" + e.syntax() + "`, `" + e.syntax() + "@d4` | " + e.description()
                + " | `" + expand(example).replace("|", "\\|") + "` |");
        }
        return String.join("\n", rows) + "\n";
    }

    // ---------------------------------------------------------------- the networks

    private static Entry myrtle(int depth, int f1, int f2, int f3) {
        return new Entry("myrtle" + depth, "myrtle" + depth,
            "Myrtle-" + depth + " (Shankar et al. 2020): [conv(3) relu] x " + f1 + ", avgpool(2), [conv relu] x " + f2
                + ", avgpool(2), [conv relu] x " + f3 + ", avgpool(2) x 3, flatten, dense; W_std sqrt(2), no bias;"
                + " 32x32 inputs",
            0, (a, g) -> {
                Net n = new Net(g);
                n.repeat(f1, MYRTLE_W).add("avgpool(2)").repeat(f2, MYRTLE_W).add("avgpool(2)").repeat(f3, MYRTLE_W);
                n.add("avgpool(2) avgpool(2) avgpool(2)").pool("flatten");
                return n.add("dense(w=" + MYRTLE_W + ")").text();
            });
    }

    /**
     * WideResNet(block_size = (depth - 4) / 6, k) of neural-tangents' README: a first convolution, three groups of
     * residual blocks whose first block has a convolution shortcut (the channel count changes there) and the
     * group's stride, global average pooling of the 8x8 map, a dense readout. W_std 1, no bias.
     */
    private static String wideResNet(List<Integer> args, PointGroup group) {
        if (args.size() != 2) {
            throw new ArchitectureException("needs two arguments: wrn(depth, k), e.g. wrn(16, 1)");
        }
        int depth = args.get(0);
        int k = args.get(1);
        if (depth < 10 || (depth - 4) % 6 != 0 || depth > 100) {
            throw new ArchitectureException("depth must be 6n + 4 with 1 <= n <= 16 (10, 16, 22, 28, ...), got "
                + depth);
        }
        if (k < 1 || k > 64) {
            throw new ArchitectureException("k must be between 1 and 64, got " + k);
        }
        int blocks = (depth - 4) / 6;
        Net n = new Net(group);
        n.conv(3, null, 1.0);
        for (int stage = 0; stage < 3; stage++) {
            String stride = stage == 0 ? null : "stride=2";
            // first block: the channel count changes, so the shortcut is a convolution (with the group's stride)
            String mainFirst = n.sub().relu().conv(3, stride, 1.0).relu().conv(3, null, 1.0).text();
            String shortcut = n.sub().conv(3, stride, 1.0).text();
            n.add("sum(" + mainFirst + " | " + shortcut + ")");
            for (int b = 1; b < blocks; b++) {
                n.add("res(" + n.sub().relu().conv(3, null, 1.0).relu().conv(3, null, 1.0).text() + ")");
            }
        }
        n.add("avgpool(8)").pool("flatten");
        return n.add("dense").text();
    }

    /**
     * An architecture string being written, for the CNN (group null) or lifted to a group: the first convolution
     * becomes {@code lift(G, ...)}, later ones {@code gconv}, and a readout {@code gpool}.
     */
    private static final class Net {
        private final PointGroup group;
        private final List<String> parts = new ArrayList<>();
        private boolean lifted;

        Net(PointGroup group) {
            this.group = group;
        }

        private Net(PointGroup group, boolean lifted) {
            this.group = group;
            this.lifted = lifted;
        }

        /** A branch written after this point (already lifted when this net has lifted). */
        Net sub() {
            return new Net(group, lifted);
        }

        Net add(String text) {
            parts.add(text);
            return this;
        }

        /** A q x q convolution (SAME unless {@code extra} names a padding; extra may also be "stride=2"). */
        Net conv(int q, String extra, double wStd) {
            StringBuilder sb = new StringBuilder();
            if (group == null) {
                sb.append("conv(").append(q);
            } else if (!lifted) {
                sb.append("lift(").append(group.name()).append(", ").append(q);
            } else {
                sb.append("gconv(").append(q);
            }
            if (extra != null) {
                sb.append(", ").append(extra);
            }
            if (wStd != 1.0) {
                sb.append(", w=").append(wStd);
            }
            lifted = group != null;
            return add(sb.append(')').toString());
        }

        Net relu() {
            return add("relu");
        }

        Net repeat(int times, double wStd) {
            for (int i = 0; i < times; i++) {
                conv(3, null, wStd).relu();
            }
            return this;
        }

        /** The readout of a map: {@code readout} for the CNN, group pooling for a group network. */
        Net pool(String readout) {
            return add(group == null ? readout : "gpool");
        }

        String text() {
            return String.join(" ", parts);
        }
    }
}
