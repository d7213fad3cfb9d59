package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.group.PointGroup;
import io.eqntk.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Myrtle networks on the full-block path: the hybrid evaluation (displacement slices up to the first average
 * pooling, full blocks after it) against the pure full-block path and the slow reference, in float64 and float32,
 * and the orbit identity for a lifted Myrtle network.
 */
class MyrtleKernelTest {
    /** Myrtle-5's layers with one pooling fewer at the end: 8x8 -> 4 -> 2 -> 1 (the real net needs 32x32). */
    static final String MINI = "[conv(3, w=1.4142135623730951) relu]*2 avgpool(2) conv(3, w=1.4142135623730951) relu "
        + "avgpool(2) conv(3, w=1.4142135623730951) relu avgpool(2) flatten dense(w=1.4142135623730951)";
    static final String MINI_C4 = "lift(C4, 3, w=1.4142135623730951) relu gconv(3, w=1.4142135623730951) relu "
        + "avgpool(2) gconv(3, w=1.4142135623730951) relu avgpool(2) gconv(3, w=1.4142135623730951) relu avgpool(2) "
        + "gpool dense(w=1.4142135623730951)";

    /** Stages of slices after the first pooling with a VALID stencil, erf, a bias and a 1x1 stencil: 12 -> 6 -> 4 -> 2. */
    static final String STAGES = "conv(3) relu avgpool(2) conv(3, VALID, b=0.3) erf avgpool(2) conv(1) relu flatten dense";
    static final String STAGES_D2 = "lift(D2, 3) relu avgpool(2) gconv(3, VALID, b=0.3) erf avgpool(2) gconv(1) relu "
        + "gpool dense";

    @Test
    void layersBetweenPoolingsRunAsStagesOfSlices() {
        // Myrtle-5 at 32x32: slices to 16x16, a stage of conv + relu pooled to 8x8, another pooled to 4x4, then full
        // blocks of the 4x4 grid for the three last poolings
        SlicePlan plan = SlicePlan.compileToAvgPool(KernelProgram.compile(Architecture.parse("myrtle5")), 32, 32);
        assertEquals(16, plan.minHeight / plan.poolK);
        assertEquals(16, plan.next.height);
        assertEquals(8, plan.next.next.height);
        assertEquals(null, plan.next.next.next, "avgpool(2) avgpool(2): nothing between them to run as slices");
        assertEquals(2, plan.next.steps.length);
        SlicePlan stages = SlicePlan.compileToAvgPool(KernelProgram.compile(Architecture.parse(STAGES_D2)), 12, 12);
        assertEquals(PointGroup.D2, stages.next.group);
        assertEquals(2, stages.next.minHeight / stages.next.poolK, "the VALID stencil shrinks the stage's grid 6 -> 4");
        assertEquals(null, stages.next.next, "gpool is no average pooling: full blocks after the second pooling");
    }

    private static double relative(double a, double b) {
        return Math.abs(a - b) / Math.abs(b);
    }

    private static double worst(KernelMatrices a, KernelMatrices b) {
        double w = 0;
        for (int i = 0; i < a.nngp().length; i++) {
            w = Math.max(w, relative(a.nngp()[i], b.nngp()[i]));
            w = Math.max(w, relative(a.ntk()[i], b.ntk()[i]));
        }
        return w;
    }

    @ParameterizedTest
    @ValueSource(strings = {MINI, MINI_C4, "lift(D1, 3, VALID) relu gconv(1) avgpool(2) gconv(3) erf gpool dense",
        "avgpool(2) conv(3, b=0.1) relu gap dense", "conv(1) relu avgpool(4) conv(3) relu flatten dense",
        "lift(D4, 3, b=0.2) erf avgpool(2) avgpool(2) gconv(3) relu gpool dense(b=0.1)", STAGES, STAGES_D2})
    void hybridMatchesFullBlocksAndReference(String spec) {
        Architecture arch = Architecture.parse(spec);
        KernelEngine hybrid = new KernelEngine(arch, 2);
        assertTrue(hybrid.usesHybridPath(), spec);
        KernelEngine full = hybrid.withFullBlocks();
        assertFalse(full.usesHybridPath());
        int n = spec.equals(STAGES) || spec.equals(STAGES_D2) ? 12 : spec.contains("VALID") ? 10 : 8;
        ImageBatch x = TestImages.gaussian(3, n, n, 2, spec.hashCode());
        KernelMatrices a = hybrid.gram(x, ProgressListener.NONE);
        KernelMatrices b = full.gram(x, ProgressListener.NONE);
        assertTrue(worst(a, b) < 1e-12, spec + ": hybrid vs full blocks " + worst(a, b));
        for (int i = 0; i < 2; i++) {
            double[] ref = ReferenceKernel.pair(arch, x.image(i), x.image(2), n, n, 2);
            assertEquals(ref[0], a.nngp(i, 2), 1e-12 * Math.abs(ref[0]), spec + " nngp");
            assertEquals(ref[1], a.ntk(i, 2), 1e-12 * Math.abs(ref[1]), spec + " ntk");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {MINI, MINI_C4})
    void float32HybridStaysCloseToFloat64(String spec) {
        KernelEngine e64 = new KernelEngine(Architecture.parse(spec), 2);
        KernelEngine e32 = e64.withPrecision(Precision.FLOAT32);
        assertEquals(Precision.FLOAT32, e32.precision());
        ImageBatch x = TestImages.gaussian(3, 8, 8, 3, 7);
        double w = worst(e32.gram(x, ProgressListener.NONE), e64.gram(x, ProgressListener.NONE));
        assertTrue(w <= 1e-5, spec + ": float32 vs float64 " + w);
        assertTrue(w > 1e-12, spec + ": float32 equals float64 to " + w);
    }

    @Test
    void liftedMyrtleIsTheOrbitMeanOfTheCnn() {
        // K_C4(x, x') = (1/4) sum_g K_CNN(x, g x') with the CNN's readout a global mean (flatten at 1x1)
        int n = 8;
        ImageBatch x = TestImages.gaussian(2, n, n, 2, 3);
        KernelEngine group = new KernelEngine(Architecture.parse(MINI_C4), 2);
        KernelEngine cnn = new KernelEngine(Architecture.parse(MINI.replace("flatten", "gap")), 2);
        PointGroup c4 = PointGroup.C4;
        double[] orbit = new double[c4.order() * n * n * 2];
        for (int g = 0; g < c4.order(); g++) {
            System.arraycopy(c4.transformImage(g, x.image(1), n, 2), 0, orbit, g * n * n * 2, n * n * 2);
        }
        KernelMatrices kg = group.cross(new ImageBatch(x.image(0), 1, n, n, 2), new ImageBatch(x.image(1), 1, n, n, 2),
            ProgressListener.NONE);
        KernelMatrices kc = cnn.cross(new ImageBatch(x.image(0), 1, n, n, 2), new ImageBatch(orbit, 4, n, n, 2),
            ProgressListener.NONE);
        double nngp = 0;
        double ntk = 0;
        for (int g = 0; g < 4; g++) {
            nngp += kc.nngp(0, g) / 4;
            ntk += kc.ntk(0, g) / 4;
        }
        assertEquals(nngp, kg.nngp(0, 0), 1e-12 * Math.abs(nngp));
        assertEquals(ntk, kg.ntk(0, 0), 1e-12 * Math.abs(ntk));
        // and not trivially: the CNN kernel varies along the orbit
        assertTrue(Math.abs(kc.nngp(0, 0) - kc.nngp(0, 1)) > 1e-6 * Math.abs(nngp));
    }

    @Test
    void realMyrtle5AtThirtyTwoAgreesAcrossPaths() {
        // the named network itself at 32x32 on two images: hybrid float64 and float32 against full blocks
        ImageBatch a = TestImages.gaussian(1, 32, 32, 3, 1);
        ImageBatch b = TestImages.gaussian(1, 32, 32, 3, 2);
        KernelEngine hybrid = new KernelEngine(Architecture.parse("myrtle5"), 2);
        KernelMatrices h = hybrid.cross(a, b, ProgressListener.NONE);
        KernelMatrices f = hybrid.withFullBlocks().cross(a, b, ProgressListener.NONE);
        KernelMatrices s = hybrid.withPrecision(Precision.FLOAT32).cross(a, b, ProgressListener.NONE);
        assertTrue(worst(h, f) < 1e-12, "hybrid vs full " + worst(h, f));
        assertTrue(worst(s, f) < 1e-5, "float32 vs full " + worst(s, f));
        assertTrue(h.nngp()[0] > 0 && h.ntk()[0] > h.nngp()[0]);
    }
}
