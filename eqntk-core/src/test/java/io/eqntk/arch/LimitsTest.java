package io.eqntk.arch;

import io.eqntk.model.FeatureShape;
import io.eqntk.model.Padding;
import io.eqntk.model.ArchitectureException;
import io.eqntk.model.Limits;
import io.eqntk.EqntkException;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.ProgressListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sizes that imply unbounded work or memory are refused at once, with the limit and the reason. */
class LimitsTest {
    private static void refusedFast(String spec, int side, String expected) {
        EqntkException e = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertThrows(EqntkException.class,
            () -> Architecture.parse(spec).validate(side, side, 2)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[conv(3) relu]*99999999999 gap|6|repeat count 99999999999 of 2 layers gives more than 2^31 layers",
        "[conv(3) relu]*1000000000 gap|6|gives 2000000000 layers; at most 1000",
        "[conv(3) relu]*100000 gap|6|at most 1000 are allowed",
        "[[conv(3) relu]*400]*400 gap|6|gives 320000 layers",
        "[[[relu]*10]*10]*10 gap|6|the architecture has 1001 layers; at most 1000",
        "[relu]*600 [relu]*600 gap|6|gives 1200 layers",
        "conv(2147483647) relu gap|6|filter 2147483647x2147483647 on the 6x6 input: the padded buffers of a SAME",
        "conv(46341) relu gap|6|stencil would need 796 TB, above the limit of 1.00 GB (taps farther than 5",
        "conv(99999, CIRCULAR) gap|6|buffers of a CIRCULAR stencil would need",
        "conv(3) conv(1001) gap|6|layer 2 'conv(1001, SAME)': filter 1001x1001 on the 6x6 input",
        "conv(7, VALID) gap|6|larger than its VALID input 6x6 (VALID would leave nothing)",
        "lift(C4, 99999) gpool|6|layer 1 'lift(C4, 99999, SAME)': filter",
    })
    void hugeSizesAreRefusedInWellUnderASecond(String spec, int side, String expected) {
        refusedFast(spec, side, expected);
    }

    @Test
    void sizesWithinTheLimitsStillWork() {
        assertEquals(1000, Architecture.parse("[[relu]*10]*99 [dense]*10").size());
        Architecture.parse("conv(11) relu gap").validate(6, 6, 1); // taps up to 5 away reach the 6x6 input
        Architecture.parse("conv(3, VALID) conv(5) relu gap").validate(4, 4, 1); // wider than the 2x2 map: allowed
        Limits.filter(401, Padding.CIRCULAR, FeatureShape.image(6, 6, 1)); // 401 x 406^2 x 8 bytes = 0.53 GB
        assertThrows(ArchitectureException.class, () -> Limits.filter(601, Padding.SAME, FeatureShape.image(6, 6, 1)));
    }

    @Test
    void inputsOfAMagnitudeTheKernelCannotRepresentAreAnError() {
        double[] d = new double[2 * 4 * 4];
        for (int i = 0; i < d.length; i++) {
            d[i] = 1e200 * Math.sin(i + 1);
        }
        ImageBatch x = new ImageBatch(d, 2, 4, 4, 1);
        KernelEngine e = new KernelEngine(Architecture.parse("conv(3) relu gap dense"), 1);
        EqntkException ex = assertThrows(EqntkException.class, () -> e.gram(x, ProgressListener.NONE));
        assertTrue(ex.getMessage().contains("image 0 has the value") && ex.getMessage().contains("rescale"),
            ex.getMessage());
    }

    @Test
    void pairsOfHugeImagesAreRefusedBeforeAnyAllocation() {
        KernelEngine e = new KernelEngine(Architecture.parse("[conv(3) relu]*21 gap dense"), 1);
        ImageBatch x = new ImageBatch(new double[512 * 512], 1, 512, 512, 1);
        EqntkException ex = assertTimeoutPreemptively(Duration.ofSeconds(2),
            () -> assertThrows(EqntkException.class, () -> e.gram(x, ProgressListener.NONE)));
        assertTrue(ex.getMessage().contains("one pair of 512x512 images needs"), ex.getMessage());
        ImageBatch huge = new ImageBatch(new double[2000 * 3], 1, 2000, 3, 1);
        assertTrue(assertThrows(EqntkException.class, () -> e.gram(huge, ProgressListener.NONE)).getMessage()
            .contains("above the limit of 1024 per side"));
        assertTrue(assertThrows(EqntkException.class, () -> Limits.imageSide("--image-size", 3000)).getMessage()
            .startsWith("--image-size 3000 is above the limit of 1024"));
    }
}
