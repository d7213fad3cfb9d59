package io.eqntk.kernel;

import io.eqntk.model.Precision;
import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The displacement-slice path against full blocks evaluated layer by layer (an independent implementation of the
 * same layer maps: whole [H, W, H, W] blocks, Stencil.identity, permuted second slots for the lift), on random
 * inputs for every layer the slice path takes: conv, lift and gconv with SAME and VALID padding and q = 1, 3, 5,
 * biases, ReLU and erf, gap and gpool followed by layers on the pooled vector,
 * every group, odd and even grids and non-square images.
 */
class SlicePathTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "[conv(3, SAME) relu]*4 gap dense",
        "conv(3, SAME, w=1.2, b=0.3) gap",
        "conv(3, VALID) relu conv(3, VALID, b=0.1) relu gap dense relu dense(b=0.2)",
        "conv(5, SAME) erf conv(1, SAME, b=0.4) relu conv(3, VALID) erf gap dense erf dense",
        "conv(1, SAME) relu conv(3, SAME) relu gap dense",
        "conv(3, SAME) gap dense erf dense",
        "conv(1, VALID, w=0.7) relu conv(5, VALID) gap",
        "conv(5, SAME) relu conv(3, SAME) relu conv(3, VALID) relu conv(3, SAME) gap dense",
        "lift(C4, 3, SAME, w=1.3, b=0.2) relu gpool dense",
        "lift(D4, 3, VALID) relu gconv(3, SAME, b=0.3) erf gpool dense relu dense",
        "lift(C2, 5, SAME) erf gconv(3, VALID) relu gpool",
        "lift(D1, 3, SAME, b=0.1) relu gconv(1, VALID) relu gconv(3, SAME) relu gpool dense",
        "lift(D2, 3, VALID) relu gconv(3, VALID, w=1.4) relu gpool dense(b=1)",
        "lift(C1, 3, SAME) relu gconv(3, SAME) relu gpool dense",
        "conv(3, SAME, b=0.2) layernorm relu conv(3, VALID) layernorm sin(0.3) gap dense layernorm relu dense",
        "lift(D4, 3, SAME) layernorm(channels) gaussian gconv(3, SAME, b=0.1) hermite(2) gpool dense",
        "conv(3, SAME) layernorm relumono(3) conv(3, SAME) sign gap dense",
    })
    void slicesMatchFullBlocks(String spec) {
        Architecture arch = Architecture.parse(spec);
        KernelEngine slices = new KernelEngine(arch, 2);
        assertEquals(KernelEngine.Evaluation.SLICES, slices.evaluation(), spec);
        KernelEngine full = slices.withFullBlocks();
        boolean group = spec.startsWith("lift");
        for (int[] size : group ? new int[][] {{6, 6}, {7, 7}} : new int[][] {{6, 6}, {7, 7}, {5, 8}}) {
            ImageBatch x = TestImages.gaussian(4, size[0], size[1], 2, spec.hashCode() + size[1]);
            ImageBatch y = TestImages.gaussian(3, size[0], size[1], 2, spec.hashCode() + 17);
            KernelMatrices a = slices.gram(x, ProgressListener.NONE);
            KernelMatrices b = full.gram(x, ProgressListener.NONE);
            assertClose(b.nngp(), a.nngp(), spec + " nngp " + size[0] + "x" + size[1]);
            assertClose(b.ntk(), a.ntk(), spec + " ntk " + size[0] + "x" + size[1]);
            KernelMatrices c = slices.cross(x, y, ProgressListener.NONE);
            KernelMatrices d = full.cross(x, y, ProgressListener.NONE);
            assertClose(d.nngp(), c.nngp(), spec + " cross nngp");
            assertClose(d.ntk(), c.ntk(), spec + " cross ntk");
        }
    }

    /** Random stacks of slice-eligible layers at random sizes: same kernels as full blocks. */
    @Test
    void randomArchitecturesMatchFullBlocks() {
        Random r = new Random(11);
        String[] groups = {"C1", "C2", "C4", "D1", "D2", "D4"};
        for (int trial = 0; trial < 24; trial++) {
            boolean lift = r.nextBoolean();
            int n = 5 + r.nextInt(4);
            StringBuilder spec = new StringBuilder();
            int size = n;
            int layers = 1 + r.nextInt(3);
            for (int l = 0; l < layers; l++) {
                int q = new int[] {1, 3, 3, 5}[r.nextInt(4)];
                boolean valid = r.nextBoolean() && size - q + 1 >= 2;
                String pad = valid ? "VALID" : "SAME";
                String b = r.nextBoolean() ? String.format(Locale.ROOT, ", b=%.2f", r.nextDouble()) : "";
                String w = String.format(Locale.ROOT, ", w=%.2f", 0.5 + r.nextDouble());
                if (l == 0 && lift) {
                    spec.append("lift(").append(groups[r.nextInt(groups.length)]).append(", ");
                } else {
                    spec.append(lift ? "gconv(" : "conv(");
                }
                spec.append(q).append(", ").append(pad).append(w).append(b).append(") ");
                spec.append(r.nextBoolean() ? "relu " : "erf ");
                if (valid) {
                    size -= q - 1;
                }
            }
            spec.append(lift ? "gpool dense relu dense" : "gap dense erf dense");
            Architecture arch = Architecture.parse(spec.toString());
            KernelEngine slices = new KernelEngine(arch, 1);
            assertEquals(KernelEngine.Evaluation.SLICES, slices.evaluation(), spec.toString());
            ImageBatch x = TestImages.gaussian(3, n, n, 1 + r.nextInt(3), trial);
            KernelMatrices a = slices.gram(x, ProgressListener.NONE);
            KernelMatrices b = slices.withFullBlocks().gram(x, ProgressListener.NONE);
            assertClose(b.nngp(), a.nngp(), spec + " nngp");
            assertClose(b.ntk(), a.ntk(), spec + " ntk");
        }
    }

    /** Layers that mix displacements keep full blocks; flatten readouts keep the diagonal path. */
    @Test
    void pathChoice() {
        assertEquals(KernelEngine.Evaluation.FULL, engine("conv(3, SAME) relu avgpool(2) conv(3, SAME) relu gap dense"));
        assertEquals(KernelEngine.Evaluation.FULL, engine("conv(3, CIRCULAR) relu gap dense"));
        assertEquals(KernelEngine.Evaluation.FULL, engine("conv(3, SAME) relu lift(C4, 3, SAME) relu gpool dense"));
        assertEquals(KernelEngine.Evaluation.FULL, engine("conv(1, SAME) lift(C4, 3, SAME) relu gpool dense"));
        assertEquals(KernelEngine.Evaluation.SLICES, engine("conv(3, SAME) res(relu conv(3, SAME)) relu gap dense"));
        assertEquals(KernelEngine.Evaluation.DIAGONAL, engine("conv(3, SAME) relu flatten dense"));
        assertEquals(KernelEngine.Evaluation.SLICES, engine("conv(3, SAME) relu gap dense"));
        assertEquals(KernelEngine.Evaluation.SLICES, engine("conv(3, SAME) layernorm relu gap dense"));
        assertEquals(KernelEngine.Evaluation.FULL, engine("conv(3, SAME) layernorm(all) relu gap dense"));
        assertEquals(KernelEngine.Evaluation.DIAGONAL, engine("conv(3, SAME) layernorm relu flatten dense"));
        assertEquals(KernelEngine.Evaluation.SLICES, engine("lift(D4, 3, VALID) relu gconv(3, VALID) relu gpool dense"));
    }

    /** The slice path's scalar loops (used without the Vector API) give the vector loops' kernels, both precisions. */
    @Test
    void scalarLoopsMatchVectorLoops() {
        for (String spec : new String[] {"[conv(3, SAME) relu]*3 conv(5, SAME, b=0.2) erf gap dense",
            "lift(D4, 3, VALID) erf gconv(3, SAME) relu gpool dense"}) {
            ImageBatch x = TestImages.gaussian(3, 9, 9, 3, spec.length());
            for (Precision p : Precision.values()) {
                KernelEngine vec = new KernelEngine(Architecture.parse(spec), 1).withPrecision(p);
                KernelMatrices a = vec.gram(x, ProgressListener.NONE);
                KernelMatrices b = vec.withScalarSlices().gram(x, ProgressListener.NONE);
                double tol = p == Precision.FLOAT64 ? 1e-13 : 1e-6;
                for (int i = 0; i < a.nngp().length; i++) {
                    assertEquals(a.nngp()[i], b.nngp()[i], tol * Math.abs(a.nngp()[i]), spec + " " + p);
                    assertEquals(a.ntk()[i], b.ntk()[i], tol * Math.abs(a.ntk()[i]), spec + " " + p);
                }
            }
        }
    }

    /** Two runs of the same Gram give identical bits, whatever the number of threads (no state leaks across pairs). */
    @Test
    void repeatableAcrossThreadCounts() {
        Architecture arch = Architecture.parse("lift(D4, 3, SAME) relu gconv(3, VALID) erf gpool dense relu dense");
        ImageBatch x = TestImages.gaussian(7, 7, 7, 3, 5);
        KernelMatrices one = new KernelEngine(arch, 1).gram(x, ProgressListener.NONE);
        KernelMatrices two = new KernelEngine(arch, 2).gram(x, ProgressListener.NONE);
        KernelMatrices again = new KernelEngine(arch, 2).gram(x, ProgressListener.NONE);
        assertArrayEquals(one.nngp(), two.nngp());
        assertArrayEquals(one.ntk(), two.ntk());
        assertArrayEquals(two.ntk(), again.ntk());
    }

    private static KernelEngine.Evaluation engine(String spec) {
        return new KernelEngine(Architecture.parse(spec), 1).evaluation();
    }

    private static void assertClose(double[] want, double[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-12 * (1 + Math.abs(want[i])), what + " entry " + i);
        }
    }
}
