package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 full-block and diagonal paths ({@link Float32State}): within one in a million of float64 on networks
 * that only those paths take. (Their vector loops give their scalar loops' bits: StencilTest, PatchProductsTest.)
 */
class Float32FullPathTest {
    @ParameterizedTest(name = "{0} on {1}x{1}")
    @CsvSource(delimiter = ';', value = {
        // strided stems straight from the patches, then stride-1 and strided stencils
        "conv(5, VALID, stride=3) relu conv(3, VALID) relu gap dense; 14; FULL",
        "lift(C4, 5, VALID, stride=3) relu gconv(3, VALID) relu gpool dense; 14; FULL",
        "lift(D4, 3, SAME, stride=2) erf gconv(3, SAME, stride=2) relu gpool dense; 9; FULL",
        "conv(3, SAME) relu conv(3, SAME, stride=2) relu avgpool(3, SAME, stride=2) gap dense; 10; FULL",
        // circular padding, window pools, the standard parameterisation, normalisation, branches
        "conv(3, CIRCULAR) relu avgpool(2) conv(3, CIRCULAR, param=standard, n=4) gelu gap dense; 8; FULL",
        "lift(C4, 3, CIRCULAR) layernorm(all) relu gconv(3, CIRCULAR) abs gpool dense; 8; FULL",
        "conv(3, SAME, stride=2) res(relu conv(3, SAME) relu conv(3, SAME)) relu gap dense; 10; FULL",
        // a flatten readout: the diagonal path
        "conv(3, SAME, stride=2) relu conv(3, SAME) erf flatten dense; 10; DIAGONAL",
        "wrn(10, 1); 32; FULL",
    })
    void float32WithinOneInAMillionOfFloat64(String spec, int n, String path) {
        KernelEngine e64 = new KernelEngine(Architecture.parse(spec), 2);
        KernelEngine e32 = e64.withPrecision(Precision.FLOAT32);
        assertEquals(Precision.FLOAT32, e32.precision());
        assertEquals(path, e32.evaluation().name());
        assertTrue(!e32.usesHybridPath(), spec + " takes the hybrid path");
        ImageBatch x = TestImages.gaussian(n > 16 ? 2 : 3, n, n, 3, spec.hashCode());
        ImageBatch y = TestImages.gaussian(n > 16 ? 1 : 2, n, n, 3, 7L + spec.hashCode());
        double worst = Math.max(Float32BenchNetworksTest.worst(e64.gram(x, ProgressListener.NONE), e32.gram(x, ProgressListener.NONE)),
            Float32BenchNetworksTest.worst(e64.cross(x, y, ProgressListener.NONE), e32.cross(x, y, ProgressListener.NONE)));
        assertTrue(worst <= 1e-6, spec + ": worst relative difference " + worst);
        // not float64 in disguise: single precision leaves visible differences
        assertTrue(worst > 1e-10, spec + ": float32 equals float64 to " + worst);
    }

    @Test
    void referenceEnginesStayFloat64() {
        KernelEngine e = new KernelEngine(Architecture.parse("conv(3, SAME) relu gap dense"), 1)
            .withPrecision(Precision.FLOAT32);
        assertEquals(Precision.FLOAT32, e.precision());
        assertEquals(Precision.FLOAT64, e.withFullBlocks().precision());
    }
}
