package io.eqntk.kernel;

import io.eqntk.kernel.map.ErfKernel;
import io.eqntk.kernel.map.ErfMap;
import io.eqntk.kernel.map.FastMath;
import io.eqntk.kernel.map.Nonlinearity;
import io.eqntk.kernel.map.ReluKernel;
import io.eqntk.kernel.map.ReluMap;
import io.eqntk.kernel.map.VectorNonlinearities;
import io.eqntk.kernel.map.VectorSupport;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vectorised nonlinearity rows against the scalar reference rows, on random kernels including the edges. */
class VectorPathTest {
    @Test
    void vectorModuleIsActiveInTests() {
        // the build adds the module to the test JVM: this test keeps the fast path from silently going unused
        assertTrue(VectorSupport.ENABLED);
    }

    @Test
    void vectorRowsMatchScalarRows() {
        Random r = new Random(5);
        int len = 1003;
        for (int trial = 0; trial < 50; trial++) {
            double varA = Math.exp(r.nextGaussian());
            double[] varB = new double[len + 7];
            double[] sig = new double[len + 5];
            double[] th = new double[len + 5];
            for (int j = 0; j < varB.length; j++) {
                varB[j] = Math.exp(r.nextGaussian());
            }
            for (int j = 0; j < len; j++) {
                double rho = j % 97 == 0 ? 1 : j % 89 == 0 ? -1 : j % 83 == 0 ? 0 : 2 * r.nextDouble() - 1;
                sig[j + 5] = rho * Math.sqrt(varA * varB[j + 7]);
                th[j + 5] = r.nextDouble() + 0.1;
            }
            for (Nonlinearity phi : new Nonlinearity[] {ReluKernel.INSTANCE, ErfKernel.INSTANCE}) {
                double[] s1 = sig.clone();
                double[] t1 = th.clone();
                double[] s2 = sig.clone();
                double[] t2 = th.clone();
                // the row form (scalar, as reduced states use it) against the vector map over factor arrays
                phi.mapRow(varA, varB, 7, s2, t2, 5, len);
                int planes = phi.factorPlanes();
                double[] fa = new double[planes * len];
                double[] fb = new double[planes * len];
                for (int k = 0; k < planes; k++) {
                    java.util.Arrays.fill(fa, k * len, (k + 1) * len, phi.varianceFactor(varA, k));
                    for (int j = 0; j < len; j++) {
                        fb[k * len + j] = phi.varianceFactor(varB[j + 7], k);
                    }
                }
                phi.mapFactors(fa, 0, fb, 0, len, s1, t1, 5, len, new double[len + 5], new double[len + 5]);
                // the same operations lane by lane: identical to the last bit
                assertArrayEquals(s2, s1, phi + " sigma");
                assertArrayEquals(t2, t1, phi + " theta");
            }
        }
    }

    @Test
    void vectorAtan2EqualsScalarBitForBit() {
        Random r = new Random(7);
        double[] special = {0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 1e300, -1e300, FastMath.T1, FastMath.T2,
            -FastMath.T1, 0.5, 3.0};
        double[] ys = new double[4096];
        double[] xs = new double[4096];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = i < special.length * special.length ? special[i / special.length]
                : r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4);
            xs[i] = i < special.length * special.length ? special[i % special.length]
                : r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4);
        }
        double[] got = new double[ys.length];
        assertEquals(ys.length, VectorNonlinearities.atan2Rows(ys, 0, xs, 0, got, 0, ys.length));
        for (int i = 0; i < ys.length; i++) {
            assertEquals(Double.doubleToRawLongBits(FastMath.atan2(ys[i], xs[i])), Double.doubleToRawLongBits(got[i]),
                "atan2(" + ys[i] + ", " + xs[i] + ")");
        }
    }

    /** The slice path's nonlinearity maps (variance factors from two arrays): vector rows equal scalar rows. */
    @Test
    void factorMapsVectorEqualsScalar() {
        Random r = new Random(8);
        int len = 517;
        for (Nonlinearity phi : new Nonlinearity[] {ReluKernel.INSTANCE, ErfKernel.INSTANCE}) {
            // planes 600 entries apart, both arrays offset
            int plane = 600;
            double[] fa = new double[2 * plane];
            double[] fb = new double[2 * plane];
            double[] va = new double[len];
            double[] vb = new double[len];
            double[] sig = new double[len + 5];
            double[] th = new double[len + 5];
            for (int j = 0; j < len; j++) {
                double a = Math.exp(r.nextGaussian());
                double b = Math.exp(r.nextGaussian());
                va[j] = a;
                vb[j] = b;
                for (int k = 0; k < phi.factorPlanes(); k++) {
                    fa[k * plane + j + 3] = phi.varianceFactor(a, k);
                    fb[k * plane + j + 11] = phi.varianceFactor(b, k);
                }
                double rho = j % 61 == 0 ? 1 : j % 59 == 0 ? -1 : 2 * r.nextDouble() - 1;
                sig[j + 5] = rho * Math.sqrt(a * b);
                th[j + 5] = r.nextDouble();
            }
            double[] s1 = sig.clone();
            double[] t1 = th.clone();
            double[] s2 = sig.clone();
            double[] t2 = th.clone();
            phi.mapFactors(fa, 3, fb, 11, plane, s1, t1, 5, len, new double[len + 5], new double[len + 5]);
            if (phi instanceof ReluKernel) {
                ReluMap.scalarFactors(fa, 3, fb, 11, plane, s2, t2, 5, len);
            } else {
                ErfMap.scalarFactors(fa, 3, fb, 11, s2, t2, 5, len);
            }
            assertArrayEquals(s2, s1, phi + " sigma");
            assertArrayEquals(t2, t1, phi + " theta");
            // and the factor form equals the row form of the legacy path entry by entry
            for (int j = 0; j < len; j += 37) {
                double[] m = phi.map(va[j], vb[j], sig[j + 5]);
                assertEquals(m[0], s2[j + 5], 1e-15 * (1 + Math.abs(m[0])), phi + " " + j);
            }
        }
    }

    /** The slice path's box sums: vector loops against scalar loops, same results bit for bit. */
    @Test
    void sliceOpsVectorEqualsScalar() {
        Random r = new Random(9);
        for (int trial = 0; trial < 40; trial++) {
            int lx = 1 + r.nextInt(13);
            int ly = 1 + r.nextInt(9);
            int rad = r.nextInt(3);
            int base = rad * lx + rad + 8;
            int n = ly * lx;
            double[] in = new double[base + n + rad * lx + 2 * rad + 8];
            for (int i = base; i < in.length; i++) {
                in[i] = r.nextGaussian();
            }
            double[][] mask = new double[2 * rad + 1][n];
            for (int k = -rad; k <= rad; k++) {
                for (int i = 0; i < n; i++) {
                    int x = i % lx + k;
                    mask[rad + k][i] = x >= 0 && x < lx ? 1 : 0;
                }
            }
            double[] add = in.clone();
            for (boolean same : new boolean[] {true, false}) {
                double[] a = new double[in.length];
                double[] b = new double[in.length];
                if (same) {
                    SliceOps.rowsSame(in, a, base, n, rad, mask, true);
                    SliceOps.rowsSame(in, b, base, n, rad, mask, false);
                } else {
                    SliceOps.rowsValid(in, a, base, n, rad, true);
                    SliceOps.rowsValid(in, b, base, n, rad, false);
                }
                assertArrayEquals(b, a, "rows " + same);
                double[] c = new double[in.length];
                double[] d = new double[in.length];
                int lo = same ? -rad : 0;
                int hi = same ? rad : 2 * rad;
                int no = same ? n : Math.max(0, ly - 2 * rad) * lx;
                SliceOps.columns(in, c, base, no, lx, lo, hi, 0.7, 0.3, trial % 2 == 0 ? null : add, true);
                SliceOps.columns(in, d, base, no, lx, lo, hi, 0.7, 0.3, trial % 2 == 0 ? null : add, false);
                assertArrayEquals(d, c, "columns " + same);
            }
            assertEquals(SliceOps.scalarSum(in, base, n), SliceOps.sum(in, base, n, true, new double[16]), 1e-12 * n);
        }
    }
}
