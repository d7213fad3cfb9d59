package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.group.PointGroup;
import io.eqntk.nonlin.AbReluActivation;
import io.eqntk.nonlin.Activation;
import io.eqntk.nonlin.ErfActivation;
import io.eqntk.nonlin.GeluActivation;
import io.eqntk.nonlin.ReluActivation;
import io.eqntk.nonlin.TanhActivation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one list of layer names: the architecture parser builds layers from it, and the error for an unknown name,
 * the command line's help and the README's layer table are written from it. A new layer is one class and one
 * entry here; a new nonlinearity is one {@link Activation} and one {@link #activation} entry.
 */
public final class LayerRegistry {
    /**
     * One layer name: its syntax (as the README shows it), what it is, its parameter names in positional order,
     * and how to build it from parsed arguments.
     */
    public record Entry(String name, String syntax, String description, List<String> parameters,
                        Function<LayerArgs, Layer> factory) {
    }

    private static final List<Entry> ENTRIES = List.of(
        new Entry("conv", "conv(q, PAD, w=, b=)",
            "convolution: odd q, stride 1, PAD = `SAME` (default), `VALID` or `CIRCULAR`",
            List.of("q", "pad", "w", "b"),
            a -> new Conv(a.integer("q", null), a.padding(), a.number("w", 1.0), a.optional("b"))),
        new Entry("lift", "lift(GROUP, q, PAD, w=, b=)",
            "lifting convolution: image -> functions on group x grid; GROUP = " + PointGroup.names(),
            List.of("group", "q", "pad", "w", "b"),
            a -> new Lift(PointGroup.of(a.required("group")), a.integer("q", null), a.padding(), a.number("w", 1.0),
                a.optional("b"))),
        new Entry("gconv", "gconv(q, PAD, w=, b=)",
            "group convolution: group map -> group map, on the group of the preceding `lift`",
            List.of("q", "pad", "w", "b"),
            a -> new GroupConv(a.integer("q", null), a.padding(), a.number("w", 1.0), a.optional("b"))),
        new Entry("dense", "dense(w=, b=)", "dense layer on feature vectors", List.of("w", "b"),
            a -> new Dense(a.number("w", 1.0), a.optional("b"))),
        activation(ReluActivation.INSTANCE, "ReLU max(x, 0) (arc-cosine kernel, closed form)"),
        activation(ErfActivation.INSTANCE, "error function (arcsine kernel, closed form)"),
        activation(GeluActivation.INSTANCE, "GELU x Φ(x) (closed form)"),
        new Entry("leakyrelu", "leakyrelu(a)", "LeakyReLU: a·x for x < 0, x above (closed form)", List.of("a"),
            a -> new Pointwise(AbReluActivation.leaky(a.number("a")))),
        new Entry("abrelu", "abrelu(a, b)", "a·min(x, 0) + b·max(x, 0) (closed form; `abrelu(-1, 1)` is abs)",
            List.of("a", "b"), a -> new Pointwise(new AbReluActivation(a.number("a"), a.number("b")))),
        activation(TanhActivation.INSTANCE, "tanh (no closed form: kernel by the default 2-D quadrature, error below 1e-10 at variances up to 4)"),
        new Entry("avgpool", "avgpool(k)", "average pooling over k x k cells, stride k, on image and group maps",
            List.of("k"), a -> new AvgPool(a.integer("k", null))),
        new Entry("gap", "gap", "global average pooling: image map -> vector (on a group map use `gpool`)",
            List.of(), a -> GlobalAvgPool.INSTANCE),
        new Entry("gpool", "gpool", "group pooling: mean over group elements and positions, an invariant vector",
            List.of(), a -> GroupPool.INSTANCE),
        new Entry("flatten", "flatten", "any map -> vector (kernels then need only diagonals)", List.of(),
            a -> Flatten.INSTANCE),
        new Entry("s2lift", "s2lift(L, max_beta, w=, b=, n_alpha=, n_beta=)",
            "spherical lifting convolution: signal on S2 -> SO(3) map of bandwidth L; filter on a cap of opening "
                + "max_beta in (0, pi] sampled on n_alpha x n_beta points (default 8 x 3); docs/SO3_KERNELS.md",
            List.of("l", "max_beta", "w", "b", "n_alpha", "n_beta"), SphereLayer::lift),
        new Entry("so3conv", "so3conv(L, max_beta, w=, b=, n_alpha=, n_beta=, n_gamma=)",
            "SO(3) group convolution: SO(3) map -> SO(3) map of bandwidth L (at most the input's); filter on "
                + "n_alpha x n_beta x n_gamma rotations (default 8 x 3 x 8)",
            List.of("l", "max_beta", "w", "b", "n_alpha", "n_beta", "n_gamma"), SphereLayer::conv),
        new Entry("so3pool", "so3pool", "SO(3) pooling: Haar mean over the rotation grid, an invariant vector "
            + "(spherical networks also take `dense` and the nonlinearities)", List.of(),
            a -> new SphereLayer(new io.eqntk.sphere.SphericalLayer.So3Pool())));

    private LayerRegistry() {
    }

    /** An entry for a nonlinearity without parameters, named by its spec. */
    private static Entry activation(Activation phi, String description) {
        Pointwise layer = new Pointwise(phi);
        return new Entry(phi.name(), phi.name(), description, List.of(), a -> layer);
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The registered names, for messages: "conv, lift, ...". */
    public static String names() {
        return ENTRIES.stream().map(Entry::name).collect(Collectors.joining(", "));
    }

    /**
     * Builds the layer {@code name} (lower case) from its parsed positional and key=value arguments.
     *
     * @throws ArchitectureException for an unknown name or bad arguments (message without position)
     */
    public static Layer build(String name, List<String> positional, Map<String, String> keys) {
        for (Entry e : ENTRIES) {
            if (e.name().equals(name)) {
                return e.factory().apply(new LayerArgs(positional, keys, e.parameters()));
            }
        }
        throw new ArchitectureException("unknown layer '" + name + "' (known: " + names() + ")");
    }

    /** The layer syntaxes on one line, for help text. */
    public static String syntaxLine() {
        return ENTRIES.stream().map(Entry::syntax).collect(Collectors.joining(" "));
    }

    /** The Markdown table of layers that the README shows (a test keeps the two equal). */
    public static String markdownTable() {
        List<String> rows = new ArrayList<>();
        rows.add("| layer | string | what it is |");
        rows.add("|---|---|---|");
        for (Entry e : ENTRIES) {
            rows.add("| `" + e.name() + "` | `" + e.syntax() + "` | " + e.description() + " |");
        }
        return String.join("\n", rows) + "\n";
    }
}
