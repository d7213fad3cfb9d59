package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.group.PointGroup;
import io.eqntk.layer.Layer;
import io.eqntk.model.ArchitectureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strides, general average pooling, the standard parameterisation and rectangular group inputs: every engine path
 * against the slow reference, the orbit identity for strided group networks, invariance of pooled group kernels
 * (also on rectangles), and the one-line errors for what cannot be equivariant.
 */
class StrideKernelTest {

    private static void assertMatchesReference(String spec, int h, int w, int c, KernelEngine engine) {
        Architecture arch = Architecture.parse(spec);
        ImageBatch x = TestImages.gaussian(2, h, w, c, spec.hashCode());
        KernelMatrices k = engine.gram(x, ProgressListener.NONE);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double[] ref = ReferenceKernel.pair(arch, x.image(i), x.image(j), h, w, c);
                String what = spec + " [" + engine.evaluation() + "] ";
                assertEquals(ref[0], k.nngp(i, j), 1e-11 * Math.abs(ref[0]) + 1e-14, what + "nngp " + i + j);
                assertEquals(ref[1], k.ntk(i, j), 1e-11 * Math.abs(ref[1]) + 1e-14, what + "ntk " + i + j);
            }
        }
    }

    /** Every path the engine picks (diagonal for flatten readouts, else full blocks) and forced full blocks. */
    @ParameterizedTest(name = "{0} on {1}x{2}")
    @CsvSource(delimiter = ';', value = {
        "conv(3, SAME, stride=2) relu conv(3) relu gap dense; 6; 6",
        "conv(3, VALID, b=0.1, stride=2) erf conv(3, stride=3) relu flatten dense; 7; 8",
        "conv(1, stride=2, w=1.2) relu flatten dense(b=0.2); 5; 6",
        "conv(3) relu avgpool(3, SAME, stride=2) conv(3, VALID) relu gap; 7; 6",
        "conv(3) relu avgpool(2, stride=1) gap dense; 5; 5",
        "conv(3, b=0.2, param=standard) relu conv(3, param=standard, n=4, stride=2) relu gap dense(param=standard, n=4, b=0.1); 6; 5",
        "conv(3, VALID, param=standard) erf flatten dense(param=standard, n=12); 4; 5",
        "lift(C4, 3, SAME, stride=2, b=0.1) relu gconv(3) relu gpool dense; 7; 7",
        "lift(D4, 3, VALID, stride=2) relu gconv(3, SAME, stride=2) relu gpool; 7; 7",
        "lift(D4, 3, stride=2) relu gconv(3) relu flatten dense; 5; 5",
        "lift(C4, 3) relu avgpool(3, SAME, stride=2) gconv(3) relu gpool; 5; 5",
        "lift(C2, 3, SAME, stride=2) relu gconv(3, VALID) relu gpool dense; 7; 5",
        "lift(D2, 3) relu avgpool(3, SAME, stride=2) gconv(3, SAME, b=0.2) relu gpool; 7; 5",
        "lift(D1, 3, VALID, stride=2) relu gconv(3) erf gpool; 6; 7",
        "conv(3) relu lift(D2, 3, SAME, stride=2, b=0.1) relu gconv(3, VALID, stride=2) relu gpool; 9; 5",
        "conv(3, param=standard) relu lift(C4, 3, VALID, stride=2, param=standard, n=5, b=0.2) relu gpool; 7; 7",
        "lift(C4, 3, param=standard) relu gconv(3, param=standard, n=3, b=0.1) erf flatten dense(param=standard, n=300); 5; 5",
        "lift(C4, 3, param=standard, b=0.3) relu gconv(3, param=standard, n=3, stride=2) relu gpool dense(param=standard, n=3); 7; 7",
        // the 32x32 experiment's stem (README, paper setting) on the smallest grid it leaves three layers on
        "lift(D4, 5, VALID, stride=3) relu gconv(3, VALID) relu gconv(3, VALID) relu gpool dense; 17; 17",
    })
    void everyPathMatchesTheReference(String spec, int h, int w) {
        KernelEngine engine = new KernelEngine(Architecture.parse(spec), 2);
        assertMatchesReference(spec, h, w, 2, engine);
        if (engine.evaluation() != KernelEngine.Evaluation.FULL) {
            assertMatchesReference(spec, h, w, 2, engine.withFullBlocks());
        }
    }

    @Test
    void flattenReadoutsOfStridedNetworksKeepTheDiagonalPath() {
        assertEquals(KernelEngine.Evaluation.DIAGONAL,
            new KernelEngine(Architecture.parse("conv(3, stride=2) relu lift(C4, 3, stride=2) relu flatten dense"), 1)
                .evaluation());
        assertEquals(KernelEngine.Evaluation.FULL,
            new KernelEngine(Architecture.parse("conv(3, stride=2) relu conv(3) relu gap"), 1).evaluation());
    }

    /** stride=1 and the NTK parameterisation keep today's specs (and so the store keys of stored kernels). */
    @Test
    void defaultsKeepTheirSpecsAndStridesChangeThem() {
        assertEquals("conv(3, SAME) relu avgpool(2) lift(C4, 3, VALID) gpool dense",
            Architecture.parse("conv(3, stride=1) relu avgpool(2, stride=2) lift(C4, 3, VALID, param=ntk) gpool dense")
                .spec());
        String strided = "conv(3, SAME, stride=2) avgpool(3, SAME, stride=2) gconv(3, VALID, stride=3, param=standard, n=8) "
            + "dense(b=1, param=standard, n=4)";
        assertEquals(strided, Architecture.parse(strided.replace("gconv", "lift(C4, 3) gconv")).spec()
            .replace("lift(C4, 3, SAME) ", ""));
        assertTrue(!Architecture.parse("conv(3, stride=2) gap").equals(Architecture.parse("conv(3) gap")));
    }

    /** The whole-network switch writes param and the base width of a width-16 network on every affine layer. */
    @Test
    void wholeNetworkSwitchSetsEveryAffineLayer() {
        Architecture a = Architecture.parse("conv(3, b=0.1) relu avgpool(2) lift(C4, 3, stride=2) relu gconv(3) relu "
            + "flatten dense(b=0.2)");
        io.eqntk.model.FeatureShape input = io.eqntk.model.FeatureShape.image(10, 10, 2);
        Architecture s = a.withParameterization(io.eqntk.model.Parameterization.STANDARD, 16, input);
        assertEquals("conv(3, SAME, b=0.1, param=standard) relu avgpool(2) lift(C4, 3, SAME, stride=2, param=standard, "
            + "n=16) relu gconv(3, SAME, param=standard, n=16) relu flatten dense(b=0.2, param=standard, n=576)", s.spec());
        assertEquals(a.spec(), s.withParameterization(io.eqntk.model.Parameterization.NTK, 16, input).spec());
        assertMatchesReference(s.spec(), 10, 10, 2, new KernelEngine(s, 2));
    }

    private static Architecture planar(Architecture a) {
        List<Layer> l = a.layers().stream().map(Layer::planarCounterpart).collect(Collectors.toList());
        return new Architecture(l);
    }

    /** K_G(x, x') = (1/|H|) sum_g K_CNN(x, g·x') for strided group networks, on squares and rectangles. */
    @ParameterizedTest(name = "{0} on {1}x{2}")
    @CsvSource(delimiter = ';', value = {
        "lift(C4, 3, SAME, stride=2, w=1.3, b=0.2) relu gconv(3, VALID, b=0.1) erf gpool dense(b=0.3); 7; 7",
        "lift(D4, 3, VALID, stride=2) relu gconv(3, SAME, stride=2) relu gpool dense; 7; 7",
        "lift(D4, 3) relu avgpool(3, SAME, stride=2) gconv(3) relu gpool; 7; 7",
        "lift(C2, 3, SAME, stride=2) relu gconv(3, b=0.2) relu gpool dense; 7; 5",
        "lift(D2, 3) relu gconv(3, VALID) relu gpool dense; 5; 8",
        "lift(D1, 3, VALID, stride=2) relu gconv(3) relu gpool; 6; 7",
        // the 32x32 experiment's C4 and D4 models as run (README, paper setting)
        "lift(C4, 5, VALID, stride=3) relu gconv(3, VALID) relu gconv(3, VALID) relu gpool dense; 32; 32",
        "lift(D4, 5, VALID, stride=3) relu gconv(3, VALID) relu gconv(3, VALID) relu gpool dense; 32; 32",
    })
    void orbitIdentityHoldsForStridedGroupNetworks(String spec, int h, int w) {
        Architecture gcnn = Architecture.parse(spec);
        PointGroup group = ((io.eqntk.layer.Lift) gcnn.layers().get(0)).group();
        int c = 2;
        ImageBatch x = TestImages.gaussian(2, h, w, c, spec.hashCode());
        KernelMatrices kg = new KernelEngine(gcnn, 2).gram(x, ProgressListener.NONE);
        int size = h * w * c;
        double[] orbit = new double[group.order() * 2 * size];
        for (int g = 0; g < group.order(); g++) {
            for (int j = 0; j < 2; j++) {
                System.arraycopy(group.transformImage(g, x.image(j), h, w, c), 0, orbit, (g * 2 + j) * size, size);
            }
        }
        KernelMatrices kc = new KernelEngine(planar(gcnn), 2).cross(x, new ImageBatch(orbit, 2 * group.order(), h, w, c),
            ProgressListener.NONE);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double nngp = 0;
                double ntk = 0;
                for (int g = 0; g < group.order(); g++) {
                    nngp += kc.nngp(i, g * 2 + j) / group.order();
                    ntk += kc.ntk(i, g * 2 + j) / group.order();
                }
                assertEquals(nngp, kg.nngp(i, j), 1e-12 * Math.abs(nngp), "NNGP " + i + j);
                assertEquals(ntk, kg.ntk(i, j), 1e-12 * Math.abs(ntk), "NTK " + i + j);
            }
        }
    }

    /** A pooled group kernel is invariant, K(g·x, g'·x') = K(x, x'), also on rectangles for C2 and D2. */
    @ParameterizedTest(name = "{0} on {1}x{2}")
    @CsvSource(delimiter = ';', value = {
        "lift(C4, 3, SAME, stride=2) relu gconv(3, b=0.2) relu gpool dense; 7; 7",
        "lift(D4, 3) relu avgpool(3, SAME, stride=2) gconv(3, VALID, stride=2) relu gpool; 9; 9",
        "lift(C2, 3) relu gconv(3, VALID, b=0.1) relu gpool dense; 6; 9",
        "lift(D2, 3, SAME, stride=2) relu avgpool(2) gconv(3) relu gpool; 7; 11",
        "lift(D2, 3, VALID) relu gconv(3, CIRCULAR) erf gpool; 5; 8",
    })
    void pooledGroupKernelsAreInvariant(String spec, int h, int w) {
        Architecture arch = Architecture.parse(spec);
        PointGroup group = ((io.eqntk.layer.Lift) arch.layers().get(0)).group();
        ImageBatch x = TestImages.gaussian(2, h, w, 1, 5);
        int size = h * w;
        double[] a = new double[group.order() * size];
        double[] b = new double[group.order() * size];
        for (int g = 0; g < group.order(); g++) {
            System.arraycopy(group.transformImage(g, x.image(0), h, w, 1), 0, a, g * size, size);
            System.arraycopy(group.transformImage(g, x.image(1), h, w, 1), 0, b, g * size, size);
        }
        KernelMatrices k = new KernelEngine(arch, 2).cross(new ImageBatch(a, group.order(), h, w, 1),
            new ImageBatch(b, group.order(), h, w, 1), ProgressListener.NONE);
        double nngp = k.nngp(0, 0);
        double ntk = k.ntk(0, 0);
        for (int e = 0; e < k.nngp().length; e++) {
            assertEquals(nngp, k.nngp()[e], 1e-12 * Math.abs(nngp), "NNGP entry " + e);
            assertEquals(ntk, k.ntk()[e], 1e-12 * Math.abs(ntk), "NTK entry " + e);
        }
    }

    private static String error(String spec, int h, int w) {
        return assertThrows(ArchitectureException.class, () -> Architecture.parse(spec).validate(h, w, 1)).getMessage();
    }

    @Test
    void strideThatBreaksEquivarianceSaysWhichSizesWork() {
        String m = error("lift(C4, 3, SAME, stride=2) relu gpool", 8, 8);
        assertTrue(m.startsWith("layer 1 'lift(C4, 3, SAME, stride=2)'"), m);
        assertTrue(m.contains("breaks C4 equivariance") && m.contains("sides that work: ") && m.contains(" 7, 9,"), m);
        assertTrue(!m.contains("\n"), m);
        m = error("lift(D4, 3) gconv(3, VALID, stride=2) gpool", 8, 8);
        assertTrue(m.startsWith("layer 2 'gconv(3, VALID, stride=2)'") && m.contains("VALID needs s to divide n - k"), m);
        m = error("lift(C4, 3) avgpool(2, SAME, stride=1) gpool", 6, 6);
        assertTrue(m.startsWith("layer 2 'avgpool(2, SAME, stride=1)'") && m.contains("no side within 12"), m);
        // D1 mirrors columns only: rows may be subsampled asymmetrically, columns not
        Architecture.parse("lift(D1, 3, stride=2) gpool").validate(8, 7, 1);
        m = error("lift(D1, 3, stride=2) gpool", 7, 8);
        assertTrue(m.contains("its columns are not subsampled symmetrically"), m);
        // a plain CNN has nothing to break
        Architecture.parse("conv(3, stride=2) relu avgpool(2, SAME, stride=1) gap").validate(8, 8, 1);
    }

    @Test
    void badParametersAreOneLineErrorsNamingTheLayer() {
        // a filter larger than the input: the strided first layer falls back from patches to the input block
        assertMatchesReference("conv(9, stride=2) relu conv(3) relu gap", 5, 6, 2,
            new KernelEngine(Architecture.parse("conv(9, stride=2) relu conv(3) relu gap"), 1));
        for (String[] c : new String[][] {
            {"conv(3, stride=0) gap", "stride must be at least 1, got 0"},
            {"gconv(3, stride=-2) gap", "stride must be at least 1, got -2"},
            {"avgpool(0) gap", "pooling size must be positive, got 0"},
            {"avgpool(2, stride=0) gap", "stride must be at least 1, got 0"},
            {"conv(3, CIRCULAR, stride=2) gap", "CIRCULAR is stride 1 only"},
            {"avgpool(2, CIRCULAR) gap", "SAME or VALID padding"},
            {"conv(3, param=wide) gap", "unknown parameterization 'wide'"},
            {"conv(3, n=4) gap", "n (the base width) applies only with param=standard"},
            {"conv(3, param=standard, w=0) gap", "param=standard needs w > 0"},
            {"conv(3) relu conv(3, param=standard) gap", "layer 3 'conv(3, SAME, param=standard)': param=standard needs n=N"},
            {"conv(3) gap dense(param=standard)", "param=standard needs n=N, the base length"},
        }) {
            ArchitectureException e = assertThrows(ArchitectureException.class, () -> Architecture.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && !e.getMessage().contains("\n"), c[0] + ": " + e.getMessage());
        }
        String m = error("conv(3) avgpool(9, SAME, stride=2) gap", 6, 8);
        assertTrue(m.contains("window 9x9 is larger than its SAME input 6x8"), m);
        m = error("lift(C4, 3) gpool", 6, 8);
        assertTrue(m.contains("C4 rotates the grid by 90 degrees and needs square inputs, got 6x8"), m);
        m = error("lift(D4, 3) gpool", 8, 6);
        assertTrue(m.contains("D4 rotates the grid") && m.startsWith("layer 1 'lift(D4, 3, SAME)'"), m);
    }
}
