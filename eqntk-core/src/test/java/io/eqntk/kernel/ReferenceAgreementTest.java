package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine (|G| blocks, separable stencil, fast atan2, diagonal path, self-variances from diagonals) against
 * the slow reference that keeps all |G|^2 blocks and sums filters directly.
 */
class ReferenceAgreementTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "conv(3, SAME, w=1.2, b=0.3) gap",
        "conv(3, VALID) relu gap dense(w=1.5, b=0.1)",
        "conv(3, CIRCULAR, b=0.2) erf conv(1, VALID) relu gap dense",
        "conv(5, SAME) relu flatten dense(b=0.4)",
        "conv(3, VALID, b=0.1) erf conv(3, CIRCULAR) relu flatten dense(w=0.8) relu dense",
        "conv(3, SAME) relu avgpool(2) conv(3, SAME, b=0.1) relu gap dense relu dense(b=0.2)",
        "conv(3, SAME) relu avgpool(3) flatten dense",
        "flatten dense(w=1.1, b=0.5) relu dense erf dense",
        "lift(C4, 3, SAME, w=1.3, b=0.2) relu gpool dense",
        "lift(D4, 3, VALID) relu gconv(3, CIRCULAR, b=0.3) erf gpool dense relu dense",
        "lift(C2, 3, CIRCULAR) erf gconv(3, SAME) relu gpool",
        "lift(D1, 3, SAME, b=0.1) relu gconv(1, VALID) relu flatten dense",
        "lift(D2, 5, SAME) relu gconv(3, VALID, w=1.4) relu gpool dense(b=1)",
        "lift(C4, 3, SAME) relu avgpool(3) gconv(3, SAME) relu gpool dense",
        "lift(D4, 3, CIRCULAR) relu gconv(3, SAME) relu flatten dense",
        "lift(C1, 3, SAME) relu gconv(3, SAME) relu gpool dense",
        // layer normalisation on every path: slices (channels), full blocks (all), diagonal (flatten), vectors
        "conv(3, SAME, b=0.2) layernorm relu conv(3, VALID) layernorm(channels) erf gap dense",
        "conv(3, SAME) layernorm(all) gelu conv(3, SAME, b=0.1) layernorm(all) relu gap dense",
        "conv(3, SAME, b=0.3) layernorm relu flatten dense layernorm(all) relu dense",
        "lift(D4, 3, SAME, b=0.2) layernorm relu gconv(3, SAME) layernorm(all) erf gpool dense layernorm relu dense",
        "lift(C4, 3, VALID) layernorm(all) sin(0.4) gconv(3, SAME) layernorm relumono(2) gpool dense",
    })
    void engineMatchesReference(String spec) {
        Architecture arch = Architecture.parse(spec);
        ImageBatch x = TestImages.gaussian(2, 6, 6, 2, spec.hashCode());
        // one odd-sized case exercises centring on odd grids
        KernelMatrices k = new KernelEngine(arch, 1).gram(x, ProgressListener.NONE);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double[] ref = ReferenceKernel.pair(arch, x.image(i), x.image(j), 6, 6, 2);
                assertEquals(ref[0], k.nngp(i, j), 1e-12 * Math.abs(ref[0]) + 1e-14, spec + " nngp " + i + j);
                assertEquals(ref[1], k.ntk(i, j), 1e-12 * Math.abs(ref[1]) + 1e-14, spec + " ntk " + i + j);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "lift(C4, 3, VALID) relu gconv(3, SAME) relu gpool dense",
        "lift(D4, 3, SAME, b=0.2) erf gpool",
        "conv(3, CIRCULAR) relu conv(3, VALID) relu gap dense",
    })
    void oddGridMatchesReference(String spec) {
        Architecture arch = Architecture.parse(spec);
        ImageBatch x = TestImages.gaussian(2, 5, 5, 1, 11);
        KernelMatrices k = new KernelEngine(arch, 2).cross(x, TestImages.gaussian(1, 5, 5, 1, 12),
            ProgressListener.NONE);
        ImageBatch y = TestImages.gaussian(1, 5, 5, 1, 12);
        for (int i = 0; i < 2; i++) {
            double[] ref = ReferenceKernel.pair(arch, x.image(i), y.image(0), 5, 5, 1);
            assertEquals(ref[0], k.nngp(i, 0), 1e-12 * Math.abs(ref[0]) + 1e-14, spec);
            assertEquals(ref[1], k.ntk(i, 0), 1e-12 * Math.abs(ref[1]) + 1e-14, spec);
        }
    }
}
