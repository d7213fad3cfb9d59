package io.eqntk.sphere.kernel;

import io.eqntk.EqntkException;
import io.eqntk.sphere.CapGrid;
import io.eqntk.sphere.Rotation;
import io.eqntk.sphere.S2Transform;
import io.eqntk.sphere.So3Transform;
import io.eqntk.sphere.SphereSignal;
import io.eqntk.sphere.SphericalLayer;
import io.eqntk.sphere.SphericalNetwork;
import io.eqntk.sphere.SphericalPlan;
import io.eqntk.sphere.SphericalTestSignals;
import io.eqntk.sphere.WignerD;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SphericalEquivarianceTest {
    private static final List<SphericalLayer> NET = List.of(
        new SphericalLayer.S2Lift(4, Math.PI / 4, 1, 0.2, 6, 2), SphericalLayer.relu(),
        new SphericalLayer.So3Conv(2, Math.PI / 4, 1, 0.1, 4, 2, 3), SphericalLayer.relu(),
        new SphericalLayer.So3Pool(), new SphericalLayer.Dense());

    /**
     * Rotating the input about z by s input-grid steps (an angle sπ/4 at bandwidth 4) shifts every SO(3) map of
     * bandwidth L by sL/4 steps in α; even s keeps that a whole number of steps on the bandwidth-2 conv grid.
     */
    @Test
    void finiteLayersAreEquivariantUnderGridRotationsAboutZ() {
        SphereSignal x = SphericalTestSignals.randomGridSignal(4, 2, 5);
        SphericalNetwork net = new SphericalNetwork(NET, 4, 2, 5, 3);
        double[] params = net.init(9);
        SphericalNetwork.Trace base = net.forward(params, x);
        for (int steps : new int[] {2, 4, 6}) {
            SphericalNetwork.Trace rot = net.forward(params, x.rotateZ(steps));
            for (int i = 0; i < 4; i++) {
                double[][] f = (double[][]) base.map(i), g = (double[][]) rot.map(i);
                int p = 2 * net.plan().steps().get(i).bandwidthOut;
                int shift = steps * p / 8;
                for (int c = 0; c < f.length; c++) {
                    for (int b = 0; b < p; b++) {
                        for (int a = 0; a < p; a++) {
                            for (int cc = 0; cc < p; cc++) {
                                int from = (b * p + a) * p + cc, to = (b * p + Math.floorMod(a + shift, p)) * p + cc;
                                assertEquals(f[c][from], g[c][to], 1e-10, "layer " + i + " shift " + steps);
                            }
                        }
                    }
                }
            }
            double[] o1 = base.output(), o2 = rot.output();
            for (int o = 0; o < o1.length; o++) {
                assertEquals(o1[o], o2[o], 1e-10, "pooled output is invariant");
            }
        }
    }

    @Test
    void analyticKernelsAreInvariantUnderGridRotationsAboutZ() {
        SphericalKernels k = new SphericalKernels(NET, 4, 2);
        SphereSignal x = SphericalTestSignals.randomGridSignal(4, 2, 1), y = SphericalTestSignals.randomGridSignal(4, 2, 2);
        SphericalKernels.Pair base = k.pair(x, y);
        SphericalKernels.Pair rot = k.pair(x.rotateZ(2), y.rotateZ(6));
        assertEquals(base.nngp(), rot.nngp(), 1e-10 * Math.abs(base.nngp()));
        assertEquals(base.ntk(), rot.ntk(), 1e-10 * Math.abs(base.ntk()));
    }

    /** Without a nonlinearity every map stays band-limited, so invariance under any rotation is exact. */
    @Test
    void linearPooledKernelIsInvariantUnderRandomRotations() {
        List<SphericalLayer> layers = List.of(new SphericalLayer.S2Lift(3, 0.6, 1, 0.3, 6, 2),
            new SphericalLayer.So3Conv(3, 0.5, 1, 0, 4, 2, 3), new SphericalLayer.So3Pool(), new SphericalLayer.Dense());
        SphericalKernels k = new SphericalKernels(layers, 4, 1);
        SphereSignal x = SphericalTestSignals.bandLimited(4, 4, 1, 3), y = SphericalTestSignals.bandLimited(4, 4, 1, 4);
        SphericalKernels.Pair base = k.pair(x, y);
        Random rng = new Random(8);
        SphericalKernels.Pair rot = k.pair(x.rotate(Rotation.random(rng), 4), y.rotate(Rotation.random(rng), 4));
        assertEquals(base.nngp(), rot.nngp(), 1e-10 * Math.abs(base.nngp()));
        assertEquals(base.ntk(), rot.ntk(), 1e-10 * Math.abs(base.ntk()));
    }

    /**
     * With ReLU the maps are no longer band-limited and the grid quadrature of pooling aliases: invariance under
     * arbitrary rotations holds up to that truncation error, which falls as the grid is refined (input degree
     * fixed at 3, network bandwidth 3 then 6).
     */
    @Test
    void nonlinearPooledKernelIsInvariantUpToTruncation() {
        double coarse = invarianceError(3), fine = invarianceError(6);
        System.out.printf("ReLU network invariance error: L=3 %.3e, L=6 %.3e%n", coarse, fine);
        assertTrue(coarse < 1e-2, "L=3 error " + coarse);
        assertTrue(fine < 1e-4, "L=6 error " + fine);
        assertTrue(fine < coarse / 10, "refining the grid reduces the error: " + coarse + " -> " + fine);
    }

    private static double invarianceError(int bw) {
        List<SphericalLayer> layers = List.of(new SphericalLayer.S2Lift(bw, 0.8, 1, 0.2, 6, 2), SphericalLayer.relu(),
            new SphericalLayer.So3Pool(), new SphericalLayer.Dense());
        SphericalKernels k = new SphericalKernels(layers, bw, 1);
        SphereSignal x = SphericalTestSignals.bandLimited(bw, 3, 1, 3), y = SphericalTestSignals.bandLimited(bw, 3, 1, 4);
        SphericalKernels.Pair base = k.pair(x, y);
        Random rng = new Random(8);
        double worst = 0;
        for (int r = 0; r < 2; r++) {
            SphericalKernels.Pair rot = k.pair(x.rotate(Rotation.random(rng), 3), y.rotate(Rotation.random(rng), 3));
            worst = Math.max(worst, Math.abs(rot.ntk() - base.ntk()) / Math.abs(base.ntk()));
            worst = Math.max(worst, Math.abs(rot.nngp() - base.nngp()) / Math.abs(base.nngp()));
        }
        return worst;
    }

    /** so3conv's kernel against a direct sum over filter rotations of the band-limited lift kernel. */
    @Test
    void convKernelMatchesDirectSumOverFilterRotations() {
        int bw = 3;
        SphericalLayer.S2Lift lift = new SphericalLayer.S2Lift(bw, 0.7, 1, 0, 4, 2);
        SphericalLayer.So3Conv conv = new SphericalLayer.So3Conv(bw, 0.6, 1, 0, 3, 2, 2);
        SphericalPlan plan = SphericalPlan.of(List.of(lift, conv, new SphericalLayer.So3Pool()), bw, 1);
        SphericalKernels k = new SphericalKernels(plan);
        SphereSignal x = SphericalTestSignals.bandLimited(bw, bw, 1, 1), y = SphericalTestSignals.bandLimited(bw, bw, 1, 2);
        SphericalPlan.Step liftStep = plan.steps().get(0), convStep = plan.steps().get(1);
        double[][] fx = k.liftFeatures(liftStep, x), fy = k.liftFeatures(liftStep, y);
        int n = fx[0].length;
        double[] kl = new double[n * n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double s = 0;
                for (int p = 0; p < fx.length; p++) {
                    s += fx[p][a] * fy[p][b];
                }
                kl[a * n + b] = s / fx.length;
            }
        }
        double[] kc = k.convolve(convStep, kl);
        S2Transform t = new S2Transform(bw);
        double[] cxr = new double[bw * bw], cxi = new double[bw * bw], cyr = new double[bw * bw], cyi = new double[bw * bw];
        t.analyze(x.channels()[0], bw, cxr, cxi);
        t.analyze(y.channels()[0], bw, cyr, cyi);
        double[][] caps = CapGrid.s2Cap(0.7, 4, 2);
        double[][] rots = CapGrid.so3Cap(0.6, 3, 2, 2);
        So3Transform grid = new So3Transform(bw);
        for (int a = 0; a < n; a += 37) {
            for (int b = 5; b < n; b += 41) {
                double s = 0;
                for (double[] q : rots) {
                    Rotation qi = Rotation.euler(q[0], q[1], q[2]);
                    Rotation ra = grid.rotation(a).times(qi), rb = grid.rotation(b).times(qi);
                    for (double[] w : caps) {
                        double[] omega = Rotation.euler(w[1], w[0], 0).apply(new double[] {0, 0, 1});
                        s += evaluate(cxr, cxi, bw, ra.apply(omega)) * evaluate(cyr, cyi, bw, rb.apply(omega));
                    }
                }
                s /= rots.length * caps.length;
                assertEquals(s, kc[a * n + b], 1e-11, "entry " + a + ", " + b);
            }
        }
    }

    /** sum_lm x_lm B_lm(ω) at an arbitrary point. */
    private static double evaluate(double[] re, double[] im, int bw, double[] v) {
        double theta = Math.acos(Math.max(-1, Math.min(1, v[2]))), phi = Math.atan2(v[1], v[0]);
        double[] d = WignerD.small(bw, theta);
        double s = 0;
        for (int l = 0; l < bw; l++) {
            for (int m = -l; m <= l; m++) {
                double b = d[WignerD.index(l, m, 0)];
                s += b * (re[S2Transform.index(l, m)] * Math.cos(m * phi) + im[S2Transform.index(l, m)] * Math.sin(m * phi));
            }
        }
        return s;
    }

    @Test
    void badInputGetsOneLineErrors() {
        EqntkException e = assertThrows(EqntkException.class, () -> new SphericalLayer.S2Lift(4, 0, 1, 0, 8, 3));
        assertTrue(e.getMessage().contains("max_beta must lie in (0, pi]"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> new SphericalLayer.So3Conv(4, 3.5));
        assertTrue(e.getMessage().startsWith("so3conv(4, 3.5): max_beta"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> SphericalPlan.of(List.of(new SphericalLayer.So3Conv(4, 0.5),
            new SphericalLayer.So3Pool()), 4, 1));
        assertTrue(e.getMessage().startsWith("layer 1 'so3conv(4, 0.5)': so3conv needs an SO(3) feature map, "
            + "but it gets a signal on S2"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> SphericalPlan.of(List.of(new SphericalLayer.S2Lift(6, 0.5),
            new SphericalLayer.So3Pool()), 4, 1));
        assertTrue(e.getMessage().contains("output bandwidth 6 exceeds the input's bandwidth 4"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> SphericalPlan.of(List.of(new SphericalLayer.S2Lift(4, 0.5)), 4, 1));
        assertTrue(e.getMessage().contains("must end on a vector"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> SphericalPlan.of(List.of(new SphericalLayer.S2Lift(4, 0.5),
            new SphericalLayer.Dense()), 4, 1));
        assertTrue(e.getMessage().contains("dense needs a vector, but it gets an SO(3) feature map"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> new SphereSignal(4, new double[][] {new double[63]}));
        assertTrue(e.getMessage().contains("63 samples but the S2 grid of bandwidth 4 has 2L x 2L = 64"), e.getMessage());
        SphericalKernels k = new SphericalKernels(List.of(new SphericalLayer.S2Lift(3, 0.5), new SphericalLayer.So3Pool()), 4, 1);
        e = assertThrows(EqntkException.class, () -> k.pair(SphericalTestSignals.randomGridSignal(3, 1, 1), SphericalTestSignals.randomGridSignal(4, 1, 1)));
        assertTrue(e.getMessage().contains("bandwidth 3 does not match the network's input grid of bandwidth 4"),
            e.getMessage());
        e = assertThrows(EqntkException.class, () -> new SphericalKernels(List.of(new SphericalLayer.S2Lift(13, 0.5),
            new SphericalLayer.So3Pool()), 13, 1));
        assertTrue(e.getMessage().startsWith("layer 1 's2lift(13, 0.5)': the analytic kernel at bandwidth 13 needs"),
            e.getMessage());
        // below the bound, the memory a pass needs is checked against the JVM's
        assertTrue(SphericalKernels.passBytes(12) > 6e9 && SphericalKernels.passBytes(12) < 6.5e9);
    }
}
