package io.eqntk.kernel;

import io.eqntk.kernel.map.ErfKernel;
import io.eqntk.kernel.map.ErfMap32;
import io.eqntk.kernel.map.FastMath32;
import io.eqntk.kernel.map.Nonlinearity;
import io.eqntk.kernel.map.ReluKernel;
import io.eqntk.kernel.map.ReluMap32;
import io.eqntk.kernel.map.VectorNonlinearities32;
import io.eqntk.model.Precision;
import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float32 slice path: within 1e-4 relative of float64, and its vector loops equal its scalar loops. */
class Float32PathTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "[conv(3, SAME) relu]*21 gap dense",
        "conv(3, VALID) relu conv(3, VALID, b=0.1) relu gap dense relu dense",
        "conv(5, SAME, w=1.3) erf conv(3, SAME, b=0.2) relu gap dense",
        "lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense",
        "lift(D4, 3, SAME, b=0.1) erf gconv(3, VALID) relu gpool dense relu dense",
    })
    void float32WithinOneInTenThousandOfFloat64(String spec) {
        KernelEngine e64 = new KernelEngine(Architecture.parse(spec), 2);
        KernelEngine e32 = e64.withPrecision(Precision.FLOAT32);
        assertEquals(Precision.FLOAT32, e32.precision());
        int n = spec.startsWith("[") ? 12 : 9;
        ImageBatch x = TestImages.gaussian(4, n, n, 3, spec.hashCode());
        KernelMatrices a = e64.gram(x, ProgressListener.NONE);
        KernelMatrices b = e32.gram(x, ProgressListener.NONE);
        double worst = 0;
        for (int i = 0; i < a.nngp().length; i++) {
            worst = Math.max(worst, Math.abs(b.nngp()[i] - a.nngp()[i]) / Math.abs(a.nngp()[i]));
            worst = Math.max(worst, Math.abs(b.ntk()[i] - a.ntk()[i]) / Math.abs(a.ntk()[i]));
        }
        assertTrue(worst <= 1e-4, spec + ": worst relative difference " + worst);
        // not float64 in disguise: single precision leaves visible differences
        assertTrue(worst > 1e-12, spec + ": float32 equals float64 to " + worst);
    }

    @Test
    void precisionNames() {
        assertEquals(Precision.FLOAT32, Precision.of("float32"));
        assertEquals(Precision.FLOAT64, Precision.of("FP64"));
    }

    @Test
    void floatAtan2IsAccurateAndVectorEqualsScalar() {
        Random r = new Random(4);
        int n = 4096;
        float[] ys = new float[n];
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            ys[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
            xs[i] = i % 17 == 0 ? 0f : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
        }
        float[] got = new float[n];
        int done = VectorNonlinearities32.atan2Rows(ys, 0, xs, 0, got, 0, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            float scalar = FastMath32.atan2(ys[i], xs[i]);
            if (i < done) {
                assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(got[i]), "atan2 " + i);
            }
            worst = Math.max(worst, Math.abs(scalar - StrictMath.atan2(ys[i], xs[i])));
        }
        // a few float ulps of values up to π (ulp(π) = 2.4e-7)
        assertTrue(worst <= 1e-6, "worst error " + worst);
    }

    @Test
    void floatMapsAndBoxSumsVectorEqualScalar() {
        Random r = new Random(6);
        int len = 533;
        for (Nonlinearity phi : new Nonlinearity[] {ReluKernel.INSTANCE, ErfKernel.INSTANCE}) {
            int plane = 560;
            float[] fa = new float[2 * plane];
            float[] fb = new float[2 * plane];
            float[] sig = new float[len + 4];
            float[] th = new float[len + 4];
            for (int j = 0; j < len; j++) {
                double a = Math.exp(r.nextGaussian());
                double b = Math.exp(r.nextGaussian());
                for (int k = 0; k < phi.factorPlanes(); k++) {
                    fa[k * plane + j + 2] = (float) phi.varianceFactor(a, k);
                    fb[k * plane + j + 9] = (float) phi.varianceFactor(b, k);
                }
                sig[j + 4] = (float) ((2 * r.nextDouble() - 1) * Math.sqrt(a * b));
                th[j + 4] = r.nextFloat();
            }
            float[] s1 = sig.clone();
            float[] t1 = th.clone();
            float[] s2 = sig.clone();
            float[] t2 = th.clone();
            phi.mapFactors(fa, 2, fb, 9, plane, s1, t1, 4, len, new float[len + 4], new float[len + 4]);
            if (phi instanceof ReluKernel) {
                ReluMap32.scalarFactors(fa, 2, fb, 9, plane, s2, t2, 4, len);
            } else {
                ErfMap32.scalarFactors(fa, 2, fb, 9, s2, t2, 4, len);
            }
            assertArrayEquals(s2, s1, phi + " sigma");
            assertArrayEquals(t2, t1, phi + " theta");
        }
        for (int trial = 0; trial < 20; trial++) {
            int lx = 1 + r.nextInt(21);
            int ly = 1 + r.nextInt(9);
            int rad = r.nextInt(3);
            int base = rad * lx + rad + 8;
            int n = ly * lx;
            float[] in = new float[base + n + rad * lx + 2 * rad + 8];
            for (int i = base; i < in.length; i++) {
                in[i] = (float) r.nextGaussian();
            }
            float[][] mask = new float[2 * rad + 1][n];
            for (int k = -rad; k <= rad; k++) {
                for (int i = 0; i < n; i++) {
                    int x = i % lx + k;
                    mask[rad + k][i] = x >= 0 && x < lx ? 1 : 0;
                }
            }
            float[] a = new float[in.length];
            float[] b = new float[in.length];
            SliceOps32.rowsSame(in, a, base, n, rad, mask, true);
            SliceOps32.rowsSame(in, b, base, n, rad, mask, false);
            assertArrayEquals(b, a);
            SliceOps32.rowsValid(in, a, base, n, rad, true);
            SliceOps32.rowsValid(in, b, base, n, rad, false);
            assertArrayEquals(b, a);
            SliceOps32.columns(in, a, base, n, lx, -rad, rad, 0.7f, 0.2f, in, true);
            SliceOps32.columns(in, b, base, n, lx, -rad, rad, 0.7f, 0.2f, in, false);
            assertArrayEquals(b, a);
        }
    }
}
