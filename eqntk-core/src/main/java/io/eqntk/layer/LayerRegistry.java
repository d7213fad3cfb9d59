package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.group.PointGroup;
import io.eqntk.nonlin.AbReluActivation;
import io.eqntk.nonlin.Activation;
import io.eqntk.nonlin.ErfActivation;
import io.eqntk.nonlin.ExpActivation;
import io.eqntk.nonlin.FallbackActivation;
import io.eqntk.nonlin.GaussianActivation;
import io.eqntk.nonlin.GeluActivation;
import io.eqntk.nonlin.PolynomialActivation;
import io.eqntk.nonlin.RectifiedMonomialActivation;
import io.eqntk.nonlin.ReluActivation;
import io.eqntk.nonlin.SignActivation;
import io.eqntk.nonlin.SinActivation;
import io.eqntk.nonlin.TanhActivation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
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
        new Entry("conv", "conv(q, PAD, w=, b=, stride=, param=, n=)",
            "convolution: odd q, PAD = `SAME` (default), `VALID` or `CIRCULAR` (stride 1 only); `stride=s`; "
                + "`param=standard` (base input width `n=`, see docs/STRIDES.md)",
            List.of("q", "pad", "w", "b", "stride", "param", "n"),
            a -> new Conv(a.integer("q", null), a.padding(), a.number("w", 1.0), a.optional("b"), a.stride(1),
                a.parameterization(), a.integer("n", 0))),
        new Entry("lift", "lift(GROUP, q, PAD, w=, b=, stride=, param=, n=)",
            "lifting convolution: image -> functions on group x grid; GROUP = " + PointGroup.names()
                + "; C4 and D4 need square inputs",
            List.of("group", "q", "pad", "w", "b", "stride", "param", "n"),
            a -> new Lift(PointGroup.of(a.required("group")), a.integer("q", null), a.padding(), a.number("w", 1.0),
                a.optional("b"), a.stride(1), a.parameterization(), a.integer("n", 0))),
        new Entry("gconv", "gconv(q, PAD, w=, b=, stride=, param=, n=)",
            "group convolution: group map -> group map, on the group of the preceding `lift`",
            List.of("q", "pad", "w", "b", "stride", "param", "n"),
            a -> new GroupConv(a.integer("q", null), a.padding(), a.number("w", 1.0), a.optional("b"), a.stride(1),
                a.parameterization(), a.integer("n", 0))),
        new Entry("dense", "dense(w=, b=, param=, n=)",
            "dense layer on feature vectors; `param=standard` needs `n=`, the base input length",
            List.of("w", "b", "param", "n"),
            a -> new Dense(a.number("w", 1.0), a.optional("b"), a.parameterization(), a.integer("n", 0))),
        activation(ReluActivation.INSTANCE, "ReLU max(x, 0) (arc-cosine kernel, closed form)"),
        activation(ErfActivation.INSTANCE, "error function (arcsine kernel, closed form)"),
        activation(GeluActivation.INSTANCE, "GELU x Φ(x) (closed form)"),
        new Entry("leakyrelu", "leakyrelu(a)", "LeakyReLU: a·x for x < 0, x above (closed form)", List.of("a"),
            a -> new Pointwise(AbReluActivation.leaky(a.number("a")))),
        new Entry("abrelu", "abrelu(a, b)", "a·min(x, 0) + b·max(x, 0) (closed form; `abrelu(-1, 1)` is abs)",
            List.of("a", "b"), a -> new Pointwise(new AbReluActivation(a.number("a"), a.number("b")))),
        activation(TanhActivation.INSTANCE, "tanh (no closed form: kernel by the default 2-D quadrature, error below 1e-10 at variances up to 4)"),
        activation(AbReluActivation.abs(), "|x| = `abrelu(-1, 1)` (closed form)"),
        new Entry("sin", "sin(shift, a=, b=)",
            "a·sin(b·x + shift), default shift 0, a = b = 1 (closed form from E[cos(u ± v)])",
            List.of("shift", "a", "b"), a -> pointwise(() -> SinActivation.sin(a.number("shift", 0.0),
                a.number("a", 1.0), a.number("b", 1.0)))),
        new Entry("cos", "cos(shift, a=, b=)", "a·cos(b·x + shift), defaults as `sin` (closed form)",
            List.of("shift", "a", "b"), a -> pointwise(() -> SinActivation.cos(a.number("shift", 0.0),
                a.number("a", 1.0), a.number("b", 1.0)))),
        new Entry("rbf", "rbf(gamma)", "√2·sin(√(2γ)·x + π/4), γ > 0 (default 1): NNGP exp(-γ(q11 + q22 - 2q12)), "
            + "the RBF kernel of the pre-activations (closed form)", List.of("gamma"),
            a -> pointwise(() -> SinActivation.rbf(a.number("gamma", 1.0)))),
        new Entry("gaussian", "gaussian(a, b)", "a·exp(b·x²), b < 0; default a = 1, b = -1/2: exp(-x²/2) "
            + "(closed form 1/sqrt(det(I - 2bQ)))", List.of("a", "b"),
            a -> pointwise(() -> new GaussianActivation(a.number("a", 1.0), a.number("b", -0.5)))),
        new Entry("exp", "exp(a, b)", "a·exp(b·x), default a = b = 1 (closed form; kernels grow like exp(2b²q))",
            List.of("a", "b"), a -> pointwise(() -> new ExpActivation(a.number("a", 1.0), a.number("b", 1.0)))),
        activation(SignActivation.INSTANCE, "sign(x): NNGP (2/π)·asin(ρ) (closed form); φ' = 0, so its NTK "
            + "derivative term is zero (only the layers above it train)"),
        new Entry("relumono", "relumono(k)", "max(x, 0)^k, k = 0.." + RectifiedMonomialActivation.MAX_DEGREE
            + ": arc-cosine kernel of degree k (Cho & Saul, closed form); k = 0 is the step, with a zero NTK "
            + "derivative term", List.of("k"), a -> pointwise(() -> new RectifiedMonomialActivation(
                a.integer("k", null)))),
        new Entry("monomial", "monomial(n)", "x^n, n = 0.." + PolynomialActivation.MAX_DEGREE
            + " (closed form by the Hermite expansion, any variance)", List.of("n"),
            a -> pointwise(() -> PolynomialActivation.monomial(a.integer("n", null)))),
        new Entry("hermite", "hermite(n)", "He_n(x)/sqrt(n!), n = 0.." + PolynomialActivation.MAX_DEGREE
            + ": NNGP ρ^n for unit-variance inputs (put `layernorm` before it); closed form at any variance",
            List.of("n"), a -> pointwise(() -> PolynomialActivation.hermite(a.integer("n", null)))),
        activation(FallbackActivation.sigmoid(), "logistic 1/(1 + e^-x) (no closed form: default 2-D quadrature, "
            + "error below 1e-13 of the kernel's scale at variances up to 4)"),
        activation(FallbackActivation.softplus(), "log(1 + e^x) (quadrature, error below 1e-13 at "
            + "variances up to 4)"),
        activation(FallbackActivation.silu(), "SiLU / swish x·sigmoid(x) (quadrature, error below 1e-13 at "
            + "variances up to 4)"),
        new Entry("elu", "elu(alpha)", "ELU: x above 0, α(e^x - 1) below, default α = 1 (kink-aware quadrature, "
            + "error below 1e-13 at variances up to 4)", List.of("alpha"),
            a -> pointwise(() -> FallbackActivation.elu(a.number("alpha", 1.0)))),
        new Entry("layernorm", "layernorm(AXES)", "layer normalisation (no learned scale): AXES = `channels` "
            + "(default; at each position and group element) or `all` (channels, positions and group elements); "
            + "kernel Σ/sqrt(v v'), Θ likewise, for Gaussian inputs (put it after an affine layer); `channels` "
            + "keeps the slice path, `all` needs full blocks", List.of("axes"),
            a -> LayerNorm.parse(a.text("axes", "channels"))),
        new Entry("avgpool", "avgpool(k, PAD, stride=)",
            "average pooling, window k x k, stride k (default) or `stride=s`, PAD `VALID` (default) or `SAME`, on "
                + "image and group maps",
            List.of("k", "pad", "stride"), a -> {
                int k = a.integer("k", null);
                return new AvgPool(k, a.stride(Math.max(k, 1)), a.padding(io.eqntk.model.Padding.VALID));
            }),
        new Entry("gap", "gap", "global average pooling: image map -> vector (on a group map use `gpool`)",
            List.of(), a -> GlobalAvgPool.INSTANCE),
        new Entry("gpool", "gpool", "group pooling: mean over group elements and positions, an invariant vector",
            List.of(), a -> GroupPool.INSTANCE),
        new Entry("flatten", "flatten", "any map -> vector (kernels then need only diagonals)", List.of(),
            a -> Flatten.INSTANCE),
        branching("res", "res(A)", "residual block x + A(x), A an architecture string (kernel: the input's plus A's)"),
        branching("sum", "sum(A \\| B \\| ...)",
            "sum of parallel branches with their own weights (kernel: the sum of the branch kernels)"),
        branching("concat", "concat(A \\| B \\| ...)",
            "channel concatenation of branches (kernel: their mean; equal shapes, no group map beside an image map)"),
        new Entry("id", "id", "the identity, as a branch: `sum(id \\| conv(3) relu conv(3))` is `res(conv(3) relu conv(3))`",
            List.of(), a -> Identity.INSTANCE),
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

    /** An entry for a layer written with branches in its parentheses (the parser reads those itself). */
    private static Entry branching(String name, String syntax, String description) {
        return new Entry(name, syntax, description, List.of(), a -> {
            throw new ArchitectureException(name + " needs its branches in parentheses, e.g. "
                + syntax.replace("\\|", "|").replace("A", "conv(3) relu").replace("B", "conv(5)"));
        });
    }

    private LayerRegistry() {
    }

    /** An entry for a nonlinearity without parameters, named by its spec. */
    private static Entry activation(Activation phi, String description) {
        Pointwise layer = new Pointwise(phi);
        return new Entry(phi.name(), phi.name(), description, List.of(), a -> layer);
    }

    /** A nonlinearity layer from a factory whose argument checks become one-line architecture errors. */
    private static Layer pointwise(Supplier<Activation> phi) {
        try {
            return new Pointwise(phi.get());
        } catch (IllegalArgumentException e) {
            throw new ArchitectureException(e.getMessage());
        }
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
        return ENTRIES.stream().map(e -> e.syntax().replace("\\|", "|")).collect(Collectors.joining(" "));
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
