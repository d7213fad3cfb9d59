package io.eqntk.layer;

import io.eqntk.EqntkException;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.KernelOp;
import io.eqntk.sphere.SphericalLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * A layer of a spherical network in an architecture string: {@code s2lift}, {@code so3conv} or {@code so3pool}
 * (docs/SO3_KERNELS.md). Spherical networks share {@code dense} and the nonlinearities with planar ones. Their
 * kernels and finite versions are evaluated by {@link io.eqntk.sphere} (through
 * {@link io.eqntk.arch.Architecture#sphericalLayers()}), never by the planar engine: on planar shapes this layer
 * refuses to act, with a message saying so.
 */
public final class SphereLayer implements Layer {
    private final SphericalLayer layer;

    public SphereLayer(SphericalLayer layer) {
        if (!(layer instanceof SphericalLayer.S2Lift || layer instanceof SphericalLayer.So3Conv
            || layer instanceof SphericalLayer.So3Pool)) {
            throw new IllegalArgumentException("not a spherical-only layer: " + layer.describe());
        }
        this.layer = layer;
    }

    public SphericalLayer layer() {
        return layer;
    }

    /** The registry's factory for s2lift: (L, max_beta, w=, b=, n_alpha=, n_beta=); no bias when b is absent. */
    static Layer lift(LayerArgs a) {
        return build(() -> new SphericalLayer.S2Lift(a.integer("l", null), a.number("max_beta"),
            a.number("w", 1.0), a.number("b", 0.0), a.integer("n_alpha", 8), a.integer("n_beta", 3)));
    }

    /** The registry's factory for so3conv: (L, max_beta, w=, b=, n_alpha=, n_beta=, n_gamma=). */
    static Layer conv(LayerArgs a) {
        return build(() -> new SphericalLayer.So3Conv(a.integer("l", null), a.number("max_beta"),
            a.number("w", 1.0), a.number("b", 0.0), a.integer("n_alpha", 8), a.integer("n_beta", 3),
            a.integer("n_gamma", 8)));
    }

    /** The spherical layer's own checks name it ("s2lift(4, 4.000): ..."); the parser names it already. */
    private static Layer build(java.util.function.Supplier<SphericalLayer> make) {
        try {
            return new SphereLayer(make.get());
        } catch (ArchitectureException e) {
            throw e;
        } catch (EqntkException e) {
            String m = e.getMessage();
            int colon = m.indexOf("): ");
            throw new ArchitectureException(colon >= 0 ? m.substring(colon + 3) : m);
        }
    }

    @Override
    public String spec() {
        if (layer instanceof SphericalLayer.S2Lift s) {
            return "s2lift(" + s.bandwidth() + ", " + Specs.num(s.maxBeta()) + keys(s.wStd(), s.bStd())
                + grid("n_alpha", s.nAlpha(), 8) + grid("n_beta", s.nBeta(), 3) + ")";
        }
        if (layer instanceof SphericalLayer.So3Conv c) {
            return "so3conv(" + c.bandwidth() + ", " + Specs.num(c.maxBeta()) + keys(c.wStd(), c.bStd())
                + grid("n_alpha", c.nAlpha(), 8) + grid("n_beta", c.nBeta(), 3) + grid("n_gamma", c.nGamma(), 8)
                + ")";
        }
        return "so3pool";
    }

    private static String keys(double w, double b) {
        return Specs.affineKeys(w, b == 0 ? null : b);
    }

    private static String grid(String key, int value, int dflt) {
        return value == dflt ? "" : ", " + key + "=" + value;
    }

    private String name() {
        return layer instanceof SphericalLayer.S2Lift ? "s2lift"
            : layer instanceof SphericalLayer.So3Conv ? "so3conv" : "so3pool";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        throw new ArchitectureException(name() + " is a spherical layer and cannot act on the "
            + (in.reduced() ? "vector " : in.isGroupMap() ? "group map " : "image map ") + in
            + ": planar and spherical layers cannot be mixed (spherical networks need spherical inputs, "
            + "e.g. experiment --dataset spherical-mnist)");
    }

    @Override
    public KernelOp kernelOp() {
        throw notPlanar();
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        throw notPlanar();
    }

    private ArchitectureException notPlanar() {
        return new ArchitectureException(name() + " is a spherical layer: its kernels and finite networks come "
            + "from the spherical evaluator (io.eqntk.sphere.kernel.SphericalKernels), not the planar kernel engine");
    }

    @Override
    public boolean isAffine() {
        return !(layer instanceof SphericalLayer.So3Pool);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SphereLayer s && s.layer.equals(layer);
    }

    @Override
    public int hashCode() {
        return layer.hashCode();
    }

    /** True when some layer is spherical (s2lift, so3conv or so3pool). */
    public static boolean anySpherical(List<Layer> layers) {
        return layers.stream().anyMatch(l -> l instanceof SphereLayer);
    }

    /**
     * The network as spherical layers: spherical layers as they are, {@code dense} and nonlinearities as their
     * spherical twins; any other layer is planar and cannot be mixed in. The shapes (S2 -> SO(3) -> vector) are
     * checked by {@link io.eqntk.sphere.SphericalPlan#of} for an input bandwidth.
     *
     * @throws ArchitectureException naming the first planar layer, and a spherical one it is mixed with
     */
    public static List<SphericalLayer> spherical(List<Layer> layers) {
        int firstSpherical = -1;
        for (int i = 0; i < layers.size() && firstSpherical < 0; i++) {
            if (layers.get(i) instanceof SphereLayer) {
                firstSpherical = i;
            }
        }
        if (firstSpherical < 0) {
            throw new ArchitectureException("not a spherical network: it has no s2lift, so3conv or so3pool layer "
                + "(a spherical network starts with s2lift(L, max_beta))");
        }
        List<SphericalLayer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof SphereLayer s) {
                out.add(s.layer);
            } else if (l instanceof Pointwise p) {
                out.add(new SphericalLayer.Activation(p.activation()));
            } else if (l instanceof Dense d) {
                KernelOp.Dense op = (KernelOp.Dense) d.kernelOp();
                try {
                    out.add(new SphericalLayer.Dense(op.wStd(), op.bStd()));
                } catch (EqntkException e) {
                    throw new ArchitectureException("layer " + (i + 1) + " '" + l.spec() + "': " + e.getMessage());
                }
            } else {
                throw new ArchitectureException("layer " + (i + 1) + " '" + l.spec() + "': a planar layer "
                    + (i < firstSpherical ? "before" : "in") + " a spherical network (layer " + (firstSpherical + 1)
                    + " '" + layers.get(firstSpherical).spec() + "' is spherical): planar and spherical layers "
                    + "cannot be mixed; spherical networks take s2lift, so3conv, so3pool, dense and nonlinearities");
            }
        }
        return out;
    }
}
