package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.model.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The networks of the benchmark cases (nt21, paper's CNN, C4 and D4; myrtle5 and wrn at their smallest size, 32x32)
 * and the experiment's default models (README main command) in float32, at small sizes: within 1e-6 relative of float64 in every Gram and cross entry, the
 * tolerance under which experiments compute their kernels in float32 by default (README, Experiments).
 */
class Float32BenchNetworksTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "[conv(3, SAME) relu]*21 gap dense; 10",
        "conv(3, VALID) relu conv(3, VALID) relu gap dense relu dense; 10",
        "lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense relu dense; 10",
        "lift(D4, 3, VALID) relu gconv(3, VALID) relu gpool dense relu dense; 8",
        "conv(3, VALID) relu conv(3, VALID) relu gap dense; 8",
        "lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense; 8",
        "lift(D4, 3, VALID) relu gconv(3, VALID) relu gpool dense; 8",
        // myrtle5 (the hybrid path) and wrn (full blocks) need 32x32: one image against one there
        "myrtle5; 32",
        "myrtle5@c4; 32",
        "myrtle5@d4; 32",
        "wrn(16, 1); 32",
    })
    void float32WithinOneInAMillionOfFloat64(String spec, int size) {
        KernelEngine e64 = new KernelEngine(Architecture.parse(spec), 2);
        KernelEngine e32 = e64.withPrecision(Precision.FLOAT32);
        ImageBatch x = TestImages.gaussian(size < 32 ? 3 : 1, size, size, 3, 31L * size + spec.length());
        ImageBatch y = TestImages.gaussian(size < 32 ? 2 : 1, size, size, 3, 17L * size + spec.length());
        double worst = Math.max(worst(e64.gram(x, ProgressListener.NONE), e32.gram(x, ProgressListener.NONE)),
            worst(e64.cross(x, y, ProgressListener.NONE), e32.cross(x, y, ProgressListener.NONE)));
        assertTrue(worst <= 1e-6, spec + ": worst relative difference " + worst);
        assertTrue(worst > 0, spec + ": float32 gave float64's bits");
    }

    /** The largest relative difference of b from a over every NNGP and NTK entry. */
    static double worst(KernelMatrices a, KernelMatrices b) {
        double worst = 0;
        for (int i = 0; i < a.nngp().length; i++) {
            worst = Math.max(worst, Math.abs(b.nngp()[i] - a.nngp()[i]) / Math.abs(a.nngp()[i]));
            worst = Math.max(worst, Math.abs(b.ntk()[i] - a.ntk()[i]) / Math.abs(a.ntk()[i]));
        }
        return worst;
    }
}
