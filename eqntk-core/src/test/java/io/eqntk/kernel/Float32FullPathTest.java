package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.kernel.map.VectorSupport;
import io.eqntk.model.Padding;
import io.eqntk.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 full-block and diagonal paths ({@link Float32State}, {@link Stencil32}, {@link PatchProducts32}): within
 * one in a million of float64 on networks that only those paths take, and their vector loops give their scalar
 * loops' bits.
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
        double worst = Math.max(worst(e64.gram(x, ProgressListener.NONE), e32.gram(x, ProgressListener.NONE)),
            worst(e64.cross(x, y, ProgressListener.NONE), e32.cross(x, y, ProgressListener.NONE)));
        assertTrue(worst <= 1e-6, spec + ": worst relative difference " + worst);
        // not float64 in disguise: single precision leaves visible differences
        assertTrue(worst > 1e-10, spec + ": float32 equals float64 to " + worst);
    }

    private static double worst(KernelMatrices a, KernelMatrices b) {
        double worst = 0;
        for (int i = 0; i < a.nngp().length; i++) {
            worst = Math.max(worst, Math.abs(b.nngp()[i] - a.nngp()[i]) / Math.abs(a.nngp()[i]));
            worst = Math.max(worst, Math.abs(b.ntk()[i] - a.ntk()[i]) / Math.abs(a.ntk()[i]));
        }
        return worst;
    }

    @Test
    void referenceEnginesStayFloat64() {
        KernelEngine e = new KernelEngine(Architecture.parse("conv(3, SAME) relu gap dense"), 1)
            .withPrecision(Precision.FLOAT32);
        assertEquals(Precision.FLOAT32, e.precision());
        assertEquals(Precision.FLOAT64, e.withFullBlocks().precision());
    }

    private static float[] random(int len, long seed) {
        Random r = new Random(seed);
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** Stencil32's long-row stencil (vector plane adds on SAME grids) gives the bits of its slab stencil. */
    @Test
    void longRowStencilGivesTheBitsOfTheSlabStencil() {
        int[][] grids = {{3, 3}, {4, 7}, {7, 4}, {5, 5}, {10, 10}, {9, 15}, {16, 16}, {12, 20}, {32, 32}};
        for (int[] grid : grids) {
            int h = grid[0];
            int w = grid[1];
            int p = h * w;
            float[] in = random(p * p, 17 + h * 31 + w);
            float[] addend = random(p * p, 5);
            for (Padding pad : new Padding[] {Padding.SAME, Padding.VALID}) {
                for (int q : new int[] {1, 3, 5}) {
                    if (pad.outputSize(h, q) <= 0 || pad.outputSize(w, q) <= 0) {
                        continue;
                    }
                    int len = pad.outputSize(h, q) * pad.outputSize(w, q);
                    len *= len;
                    for (float[] add : new float[][] {null, addend}) {
                        float[] slabbed = new float[len];
                        float[] longRows = new float[len];
                        Stencil32.identity(in, h, w, q, pad, new float[w * w], slabbed, 0.7f, 0.3f, add);
                        int size = Stencil32.slabSize(h, w, q, pad);
                        Stencil32.identity(in, h, w, q, pad, new float[size], longRows, 0.7f, 0.3f, add);
                        for (int t = 0; t < len; t++) {
                            assertEquals(Float.floatToRawIntBits(slabbed[t]), Float.floatToRawIntBits(longRows[t]),
                                h + "x" + w + " q " + q + " " + pad + " entry " + t);
                        }
                    }
                }
            }
        }
    }

    /** PatchProducts32: vector and scalar products give the same bits, nothing written past po². */
    @Test
    void vectorPatchProductEqualsScalarBitForBit() {
        assertTrue(VectorSupport.ENABLED);
        float[] scratch = null;
        for (int po : new int[] {1, 3, 4, 5, 8, 9, 16, 17, 49, 100, 121}) {
            for (int width : new int[] {1, 3, 27, 75}) {
                float[] a = random(po * width, 31L * po + width);
                float[] b = random(po * width, 7L * po + width);
                float[] scalar = new float[po * po + 3];
                float[] vector = new float[po * po + 3];
                java.util.Arrays.fill(vector, po * po, vector.length, 7f);
                PatchProducts32.scalarProduct(a, b, po, width, scalar);
                scratch = PatchProducts32.product(a, b, po, width, vector, scratch);
                for (int t = 0; t < po * po; t++) {
                    assertEquals(Float.floatToRawIntBits(scalar[t]), Float.floatToRawIntBits(vector[t]),
                        "po " + po + " width " + width + " entry " + t);
                }
                assertEquals(7f, vector[po * po]);
            }
        }
    }
}
