package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.model.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Branches (res, sum, concat, id) on every evaluation path the engine picks, and on full blocks forced, against
 * the slow reference kernel extended to branches (each branch run on a copy of the state, the kernels added with
 * the combination's weights).
 */
class BranchPathsTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "conv(3) res(relu conv(3)) relu gap dense; SLICES",
        "sum(conv(3) | conv(5, b=0.1)) relu gap; SLICES",
        "conv(3, VALID, b=0.1) res(relu conv(3, SAME, w=1.3)) erf sum(conv(3, VALID) | conv(1, VALID, b=0.2) relu conv(3, VALID)) relu gap; SLICES",
        "conv(3) relu concat(conv(3) relu | conv(5) erf | conv(1, w=0.7)) conv(3) relu gap dense; SLICES",
        "conv(3) res(relu conv(3) res(relu conv(3, b=0.2))) relu gap dense(b=0.1); SLICES",
        "conv(3) id relu gap; SLICES",
        "conv(3) relu gap dense res(relu dense(w=1.2)) relu dense; SLICES",
        "conv(3) res(relu conv(3) relu conv(3)) relu flatten dense; DIAGONAL",
        "concat(conv(3) | conv(5)) relu flatten dense; DIAGONAL",
        "conv(3) res(relu conv(3)) relu avgpool(2) conv(3) res(relu conv(3)) relu gap dense; FULL",
        "conv(3, CIRCULAR) res(relu conv(3, CIRCULAR)) relu gap; FULL",
        "conv(3) relu sum(flatten dense | gap dense) relu dense; FULL",
        "lift(C4, 3) res(relu gconv(3)) relu gpool dense; SLICES",
        "lift(D4, 3, b=0.1) res(relu gconv(3) relu gconv(3)) relu gpool; SLICES",
        "concat(lift(D2, 3) | lift(D2, 5, b=0.2)) relu gconv(3) relu gpool; SLICES",
        "lift(C2, 3) sum(relu gconv(3) | id | erf gconv(1)) relu flatten dense; DIAGONAL",
        "lift(D1, 3) relu concat(gconv(3) | gconv(3) relu gconv(1)) relu avgpool(2) gpool; FULL",
    })
    void everyPathMatchesTheReference(String spec, KernelEngine.Evaluation path) {
        Architecture arch = Architecture.parse(spec);
        ImageBatch x = TestImages.gaussian(2, 6, 6, 2, spec.hashCode());
        KernelEngine engine = new KernelEngine(arch, 1);
        assertEquals(path, engine.evaluation(), spec);
        KernelMatrices fast = engine.gram(x, ProgressListener.NONE);
        KernelMatrices full = engine.withFullBlocks().gram(x, ProgressListener.NONE);
        KernelMatrices single = engine.withPrecision(Precision.FLOAT32).gram(x, ProgressListener.NONE);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double[] ref = ReferenceKernel.pair(arch, x.image(i), x.image(j), 6, 6, 2);
                for (KernelMatrices k : new KernelMatrices[] {fast, full}) {
                    assertEquals(ref[0], k.nngp(i, j), 1e-12 * Math.abs(ref[0]) + 1e-14, spec + " nngp " + i + j);
                    assertEquals(ref[1], k.ntk(i, j), 1e-12 * Math.abs(ref[1]) + 1e-14, spec + " ntk " + i + j);
                }
                assertEquals(ref[0], single.nngp(i, j), 1e-4 * Math.abs(ref[0]), spec + " float32 nngp");
                assertEquals(ref[1], single.ntk(i, j), 1e-4 * Math.abs(ref[1]), spec + " float32 ntk");
            }
        }
    }
}
