package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.kernel.map.VectorSupport;
import io.eqntk.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lane path (small grids: one pair per vector lane, {@link SliceEvaluator#runLanes}) gives every pair the bits
 * of that pair run alone, in both precisions, for every kind of step a slice plan holds: SAME and VALID stencils of
 * radius 0 to 2, several nonlinearities (one and two factor planes), branches with an identity, group blocks with
 * their frames, rectangular grids, one and several channels; for Gram, cross and Gram-block matrices, with lanes
 * left over, on one and two threads; and on the hybrid path (average poolings) with a pooling per lane.
 */
class LanePathTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "conv(3, VALID) relu conv(3, VALID) relu gap dense; 8; 8; 3; float32",
        "conv(3, VALID) relu conv(3, VALID) relu gap dense; 8; 8; 3; float64",
        "lift(D4, 3, VALID) relu gconv(3, VALID) relu gpool dense; 8; 8; 3; float32",
        "lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense relu dense; 7; 7; 2; float64",
        "[conv(3) relu]*3 gap dense; 6; 6; 3; float32",
        "conv(5) erf conv(1) relu conv(3, VALID) gelu gap dense; 7; 5; 1; float64",
        "conv(3) res(relu conv(3) relu conv(3)) relu gap dense; 6; 6; 3; float32",
        "lift(D1, 3) relu gconv(3, VALID) abs gpool dense; 7; 5; 3; float32",
        "conv(5, VALID) relu conv(3) relu gap dense; 9; 8; 3; float64",
        "conv(3) relu conv(3, VALID) relu gap dense; 9; 8; 4; float32",
        "lift(C2, 3) relu gconv(3) relu gpool dense; 6; 6; 1; float32",
        // the hybrid path: stages of slices up to each average pooling, one pooling per lane, then full blocks
        MyrtleKernelTest.MINI + "; 8; 8; 3; float32",
        MyrtleKernelTest.MINI_C4 + "; 8; 8; 2; float64",
        "lift(D1, 3, VALID) relu gconv(1) avgpool(2) gconv(3) erf gpool dense; 10; 8; 3; float32",
        "avgpool(2) conv(3, b=0.1) relu avgpool(2) conv(3) relu gap dense; 8; 8; 3; float64",
        "conv(3) relu avgpool(3) conv(3) relu gap dense; 9; 9; 3; float32",
    })
    void lanesGiveTheBitsOfOnePairAtATime(String spec, int h, int w, int channels, String precision) {
        assumeTrue(VectorSupport.ENABLED, "the lanes are vector code");
        for (int threads : new int[] {1, 2}) {
            KernelEngine lanes = new KernelEngine(Architecture.parse(spec), threads)
                .withPrecision(Precision.of(precision));
            assertTrue(lanes.evaluation() == KernelEngine.Evaluation.SLICES || lanes.usesHybridPath(), spec);
            assertTrue(lanes.pairLanes(h, w) > 1, spec);
            KernelEngine alone = lanes.withoutLanes();
            assertEquals(1, alone.pairLanes(h, w));
            // 11 x 9 pairs: whole lanes' worth and some left over, in both precisions' lane counts
            ImageBatch x = TestImages.gaussian(11, h, w, channels, 3L + h);
            ImageBatch y = TestImages.gaussian(9, h, w, channels, 7L + w);
            String what = spec + " in " + precision + " on " + threads + " threads";
            same(alone.cross(x, y, ProgressListener.NONE), lanes.cross(x, y, ProgressListener.NONE), what + ", cross");
            ImageBatch z = TestImages.gaussian(26, h, w, channels, 11L);
            same(alone.gram(z, ProgressListener.NONE), lanes.gram(z, ProgressListener.NONE), what + ", gram");
            same(alone.gramBlock(y, 2, x, 0, ProgressListener.NONE), lanes.gramBlock(y, 2, x, 0, ProgressListener.NONE),
                what + ", block");
        }
    }

    @Test
    void lanesAreForSmallGridsOnTheVectorPathOnly() {
        assumeTrue(VectorSupport.ENABLED, "the lanes are vector code");
        KernelProgram program = KernelProgram.compile(Architecture.parse("conv(3) relu conv(3) relu gap dense"));
        SlicePlan small = SlicePlan.compile(program, 32, 32);
        assertNotNull(SliceEvaluator.createLanes(small, 3, true, Precision.FLOAT32));
        assertNull(SliceEvaluator.createLanes(small, 3, false, Precision.FLOAT32), "scalar loops run alone");
        assertNull(SliceEvaluator.createLanes(SlicePlan.compile(program, 33, 32), 3, true, Precision.FLOAT64),
            "beyond " + SliceEvaluator.LANES_UP_TO + " positions");
        // the hybrid path: Myrtle-5's poolings fit in lanes at 32x32 up to D4 (8 blocks, 128 MiB in float32)
        for (String net : new String[] {"myrtle5", "myrtle5@c4", "myrtle5@d4"}) {
            assertTrue(new KernelEngine(Architecture.parse(net), 1).withPrecision(Precision.FLOAT32)
                .pairLanes(32, 32) > 1, net);
        }
        // pooling a D4 map on 32x32 by 1 keeps 32x32 (16 times Myrtle's memory): one pair at a time
        assertEquals(1, new KernelEngine(Architecture.parse("lift(D4, 3) relu avgpool(1) gconv(3) relu gpool dense"), 1)
            .withPrecision(Precision.FLOAT32).pairLanes(32, 32));
    }

    private static void same(KernelMatrices want, KernelMatrices got, String what) {
        assertArrayEquals(want.nngp(), got.nngp(), 0, what + " (NNGP)");
        assertArrayEquals(want.ntk(), got.ntk(), 0, what + " (NTK)");
    }
}
