package io.eqntk.store;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.model.Precision;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Experiments compute float32 kernels by default: a store must never serve one precision's matrix for the other. */
class PrecisionKeyTest {
    @Test
    void theKeyNamesThePrecision() {
        KernelEngine e64 = new KernelEngine(Architecture.parse("conv(3, VALID) relu conv(3, VALID) relu gap dense"), 1);
        KernelEngine e32 = e64.withPrecision(Precision.FLOAT32);
        ImageBatch x = TestImages.gaussian(3, 8, 8, 3, 4);
        ImageBatch y = TestImages.gaussian(2, 8, 8, 3, 5);
        assertEquals("float32", KernelKey.gram(e32, x).precision());
        assertNotEquals(KernelKey.gram(e64, x).id(), KernelKey.gram(e32, x).id());
        assertNotEquals(KernelKey.cross(e64, x, y).id(), KernelKey.cross(e32, x, y).id());
        // the same engine and images: the same entry
        assertEquals(KernelKey.gram(e32, x).id(), KernelKey.gram(e64.withPrecision(Precision.FLOAT32), x).id());
    }
}
