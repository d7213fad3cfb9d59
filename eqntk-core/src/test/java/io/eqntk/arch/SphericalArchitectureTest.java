package io.eqntk.arch;

import io.eqntk.EqntkException;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.model.ArchitectureException;
import io.eqntk.nonlin.ErfActivation;
import io.eqntk.nonlin.GeluActivation;
import io.eqntk.nonlin.ReluActivation;
import io.eqntk.sphere.SphericalLayer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spherical layers in the one architecture parser: round trips, shapes, and planar/spherical mixing errors. */
class SphericalArchitectureTest {
    private static final String NET =
        "s2lift(4, 0.5, b=0.1, n_alpha=6) relu so3conv(3, 0.4, w=1.5, n_gamma=4) erf so3pool dense(b=0.2)";

    @Test
    void parsesIntoTheSphericalLayersAndPrintsBack() {
        Architecture a = Architecture.parse(NET);
        assertTrue(a.isSpherical());
        assertEquals(List.of(new SphericalLayer.S2Lift(4, 0.5, 1, 0.1, 6, 3),
            new SphericalLayer.Activation(ReluActivation.INSTANCE),
            new SphericalLayer.So3Conv(3, 0.4, 1.5, 0, 8, 3, 4),
            new SphericalLayer.Activation(ErfActivation.INSTANCE),
            new SphericalLayer.So3Pool(), new SphericalLayer.Dense(1, 0.2)), a.sphericalLayers());
        assertEquals(NET, a.spec());
        assertEquals(a, Architecture.parse(a.spec()));
        // keys in any case and order, defaults spelled out, and the repeat syntax all give the same network
        Architecture b = Architecture.parse("S2LIFT(L=4, MAX_BETA=0.5, n_beta=3, N_ALPHA=6, b=0.1, w=1) [relu]*1 "
            + "so3conv(3, 0.4, n_gamma=4, w=1.5, b=0) erf so3pool dense(b=0.2)");
        assertEquals(a, b);
        assertEquals(a.sphericalLayers(), b.sphericalLayers());
        assertFalse(Architecture.parse("conv(3) relu gap dense").isSpherical());
    }

    @Test
    void anyRegisteredNonlinearityIsASphericalNonlinearity() {
        Architecture a = Architecture.parse("s2lift(2, 1.0) gelu so3pool leakyrelu(0.2) dense");
        List<SphericalLayer> l = a.sphericalLayers();
        assertEquals(new SphericalLayer.Activation(GeluActivation.INSTANCE), l.get(1));
        assertEquals("leakyrelu(0.2)", l.get(3).describe());
        assertEquals(4, a.sphericalPlan(2, 1).steps().size() - 1);
    }

    @Test
    void planarLayersInASphericalNetworkAreRefusedByName() {
        assertEquals("layer 3 'conv(3, SAME)': a planar layer in a spherical network (layer 1 's2lift(4, 0.5)' is "
                + "spherical): planar and spherical layers cannot be mixed; spherical networks take s2lift, so3conv, "
                + "so3pool, dense and nonlinearities",
            message(() -> Architecture.parse("s2lift(4, 0.5) relu conv(3) so3pool dense").sphericalLayers()));
        assertTrue(message(() -> Architecture.parse("conv(3) relu s2lift(4, 0.5) so3pool dense").sphericalLayers())
            .startsWith("layer 1 'conv(3, SAME)': a planar layer before a spherical network (layer 3 's2lift(4, 0.5)'"));
        assertTrue(message(() -> Architecture.parse("s2lift(4, 0.5) relu so3pool gap").sphericalLayers())
            .startsWith("layer 4 'gap': a planar layer in a spherical network"));
        assertEquals("not a spherical network: it has no s2lift, so3conv or so3pool layer (a spherical network "
            + "starts with s2lift(L, max_beta))", message(() -> Architecture.parse("conv(3) gap").sphericalLayers()));
    }

    @Test
    void sphericalLayersInAPlanarNetworkAreRefusedByName() {
        assertEquals("layer 1 's2lift(4, 0.5)': s2lift is a spherical layer and cannot act on the image map "
                + "[8, 8, 1]: planar and spherical layers cannot be mixed (spherical networks need spherical inputs, "
                + "e.g. experiment --dataset spherical-mnist)",
            message(() -> Architecture.parse("s2lift(4, 0.5) relu so3pool dense").validate(8, 8, 1)));
        assertTrue(message(() -> Architecture.parse("conv(3) relu gap so3pool").validate(8, 8, 1))
            .startsWith("layer 4 'so3pool': so3pool is a spherical layer and cannot act on the vector [1]"));
        assertTrue(message(() -> Architecture.parse("lift(C4, 3) relu so3conv(2, 0.5) gpool").validate(8, 8, 1))
            .startsWith("layer 3 'so3conv(2, 0.5)': so3conv is a spherical layer and cannot act on the group map"));
        // the planar engine refuses them with one line, whichever of its doors is used
        Architecture s = Architecture.parse("s2lift(2, 0.5) relu so3pool dense");
        ImageBatch x = new ImageBatch(new double[2 * 16], 2, 4, 4, 1);
        String m = message(() -> new KernelEngine(s, 1).gram(x, ProgressListener.NONE));
        assertTrue(m.contains("s2lift is a spherical layer") && !m.contains("\n"), m);
    }

    @Test
    void shapesAndArgumentsAreCheckedWithTheLayerNamed() {
        assertEquals("layer 1 'so3conv(4, 0.5)': so3conv needs an SO(3) feature map, but it gets a signal on S2: "
            + "put s2lift(L_out, max_beta) before it",
            message(() -> Architecture.parse("so3conv(4, 0.5) so3pool dense").sphericalPlan(4, 1)));
        assertEquals("layer 1 's2lift(8, 0.5)': output bandwidth 8 exceeds the input's bandwidth 4 (a layer can "
            + "only keep or lower the bandwidth)",
            message(() -> Architecture.parse("s2lift(8, 0.5) so3pool dense").sphericalPlan(4, 1)));
        assertEquals("layer 2 'dense': dense needs a vector, but it gets an SO(3) feature map: put so3pool before it",
            message(() -> Architecture.parse("s2lift(2, 0.5) dense").sphericalPlan(4, 1)));
        assertEquals("spherical network: it must end on a vector (so3pool, then dense layers), but it ends on an "
            + "SO(3) feature map", message(() -> Architecture.parse("s2lift(2, 0.5) relu").sphericalPlan(4, 1)));
        assertEquals("layer 1 's2lift(4, 4.0)': max_beta must lie in (0, pi], got 4.0",
            message(() -> Architecture.parse("s2lift(4, 4.0) so3pool")));
        assertEquals("layer 1 'so3conv(4)': missing argument 'max_beta'",
            message(() -> Architecture.parse("so3conv(4)")));
        assertEquals("layer 1 's2lift(0, 0.5)': bandwidth L_out must be between 1 and 64, got 0",
            message(() -> Architecture.parse("s2lift(0, 0.5)")));
        assertEquals("layer 2 'so3conv(2, 0.5, n_gamma=0)': filter grid sizes must be positive with at most 4096 "
            + "points, got 8 x 3 x 0", message(() -> Architecture.parse("s2lift(2, 0.5) so3conv(2, 0.5, n_gamma=0)")));
        assertTrue(message(() -> Architecture.parse("so3pool(2)")).startsWith("layer 1 'so3pool(2)': takes no"));
    }

    private static String message(Runnable r) {
        EqntkException e = assertThrows(EqntkException.class, r::run);
        assertTrue(e instanceof ArchitectureException || e.getMessage().startsWith("layer ")
            || e.getMessage().startsWith("spherical network"), e.getMessage());
        return e.getMessage();
    }
}
