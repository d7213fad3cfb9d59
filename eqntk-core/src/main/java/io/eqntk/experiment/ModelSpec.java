package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.arch.NamedArchitectures;
import io.eqntk.group.PointGroup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A model of an experiment: a name (as the user gave it) and the architecture whose kernels are compared.
 *
 * <p>Names: {@code cnn} is {@value #CNN_SPEC}; a group name ({@code c1 c2 c4 d1 d2 d4}, {@code p4} = C4,
 * {@code p4m} = D4) is the same network lifted to that group, {@code lift(G, 3, VALID) relu gconv(3, VALID) relu
 * gpool dense}. These are the paper notebook's networks with an affine head (one dense layer after pooling instead
 * of dense relu dense): in the sweep on PCam (README) that head gave the equivariant kernels their clearest
 * advantage, and with it the group kernel is exactly the orbit average of the CNN kernel (KERNELS.md §3).
 * The notebook's own networks are {@code paper-cnn} and {@code paper-G} ({@value #PAPER_CNN_SPEC}).
 * A named network ({@link NamedArchitectures}: {@code myrtle5}, {@code myrtle5@d4}, ...) is its architecture.
 * Anything containing a parenthesis is an architecture string, optionally prefixed by {@code name=}.
 * A known name followed by {@code -sgd} ({@code cnn-sgd}, {@code c4-sgd}) is that architecture as a finite network
 * trained by gradient descent ({@link FiniteBaseline}); {@code -sgd-aug} trains it on D4-augmented images.
 */
public record ModelSpec(String name, Architecture architecture, FiniteBaseline baseline) {
    /** The default CNN: the notebook's convolutions with an affine head. */
    public static final String CNN_SPEC = "conv(3, VALID) relu conv(3, VALID) relu gap dense";
    /** Its group-convolutional version; {@code %s} is the group. */
    public static final String GROUP_SPEC = "lift(%s, 3, VALID) relu gconv(3, VALID) relu gpool dense";
    /** The CNN of the paper's notebook. */
    public static final String PAPER_CNN_SPEC = "conv(3, VALID) relu conv(3, VALID) relu gap dense relu dense";
    /** The notebook's group-convolutional version; {@code %s} is the group. */
    public static final String PAPER_GROUP_SPEC = "lift(%s, 3, VALID) relu gconv(3, VALID) relu gpool dense relu dense";
    /** The default models. */
    public static final String DEFAULT_MODELS = "cnn,c4,d4";

    public ModelSpec {
        if (name == null || name.isBlank()) {
            throw new EqntkException("model name is empty");
        }
        if (architecture == null) {
            throw new EqntkException("model " + name + " has no architecture");
        }
    }

    /** A kernel model. */
    public ModelSpec(String name, Architecture architecture) {
        this(name, architecture, null);
    }

    /** Whether this is a trained finite network rather than a kernel predictor. */
    public boolean isFinite() {
        return baseline != null;
    }

    /** The architecture string. */
    public String spec() {
        return architecture.spec();
    }

    /** The model called {@code name}: {@code cnn}, a group name, or {@code [name=]architecture}. */
    public static ModelSpec of(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new EqntkException("empty model name in --models");
        }
        int paren = t.indexOf('(');
        if (paren >= 0) {
            int eq = t.indexOf('=');
            if (eq > 0 && eq < paren) {
                String name = t.substring(0, eq).trim();
                String spec = t.substring(eq + 1).trim();
                return new ModelSpec(name.isEmpty() ? spec : name, Architecture.parse(spec));
            }
            return new ModelSpec(t, Architecture.parse(t));
        }
        String key = t.toLowerCase(Locale.ROOT);
        for (String suffix : new String[] {"-sgd-aug", "-sgd"}) {
            if (key.endsWith(suffix) && key.length() > suffix.length()) {
                ModelSpec base = of(t.substring(0, t.length() - suffix.length()));
                return new ModelSpec(t, base.architecture(), new FiniteBaseline(FiniteBaseline.DEFAULT_WIDTH,
                    FiniteBaseline.DEFAULT_STEPS, FiniteBaseline.DEFAULT_LEARNING_RATE,
                    suffix.equals("-sgd-aug") ? PointGroup.D4 : null));
            }
        }
        if (NamedArchitectures.isNamed(t)) {
            return new ModelSpec(t, Architecture.parse(t));
        }
        boolean paper = key.startsWith("paper-");
        if (paper) {
            key = key.substring("paper-".length());
        }
        if (key.equals("cnn")) {
            return new ModelSpec(t, Architecture.parse(paper ? PAPER_CNN_SPEC : CNN_SPEC));
        }
        PointGroup g;
        try {
            g = PointGroup.of(key);
        } catch (EqntkException e) {
            throw new EqntkException("unknown model '" + t + "': use cnn, a group name (c1, c2, c4, d1, d2, d4, p4,"
                + " p4m), paper-cnn or paper-GROUP, a named network (" + NamedArchitectures.names()
                + ", each also NAME@GROUP), or an architecture string such as '" + CNN_SPEC + "'");
        }
        return new ModelSpec(t, Architecture.parse(String.format(Locale.ROOT, paper ? PAPER_GROUP_SPEC : GROUP_SPEC,
            g.name())));
    }

    /** The same model with other finite-training settings (kernel models are returned unchanged). */
    public ModelSpec withBaseline(int width, int steps, double learningRate) {
        return baseline == null ? this : new ModelSpec(name, architecture,
            new FiniteBaseline(width, steps, learningRate, baseline.augment()));
    }

    /**
     * Reads a list of models: architecture strings (which contain commas) are separated by {@code ;}, names by
     * {@code ,} or {@code ;}. Names must be unique.
     */
    public static List<ModelSpec> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new EqntkException("--models is empty");
        }
        List<ModelSpec> out = new ArrayList<>();
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            if (part.indexOf('(') >= 0) {
                out.add(of(part));
            } else {
                for (String n : part.split(",")) {
                    if (n.isBlank()) {
                        throw new EqntkException("empty model name in --models '" + text + "'");
                    }
                    out.add(of(n));
                }
            }
        }
        if (out.isEmpty()) {
            throw new EqntkException("--models is empty");
        }
        Set<String> seen = new HashSet<>();
        for (ModelSpec m : out) {
            if (!seen.add(m.name())) {
                throw new EqntkException("model '" + m.name() + "' is listed twice in --models");
            }
        }
        return out;
    }
}
