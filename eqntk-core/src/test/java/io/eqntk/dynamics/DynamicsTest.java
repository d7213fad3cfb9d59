package io.eqntk.dynamics;

import io.eqntk.EqntkException;
import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.group.PointGroup;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.predict.Ridge;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamicsTest {
    private static double[] labels(int n, int k) {
        double[] y = new double[n * k];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i * 7 % 5) / 2.0 - 1;
        }
        return y;
    }

    /** Train inputs, their rotations and reflections, and noise: on and off the data. */
    private static ImageBatch testInputs(ImageBatch x, PointGroup group, int extra, long seed) {
        ImageBatch noise = TestImages.gaussian(extra, x.height(), x.width(), x.channels(), seed);
        int size = x.imageSize();
        double[] d = new double[(x.count() + 1 + extra) * size];
        System.arraycopy(x.data(), 0, d, 0, x.data().length);
        double[] rot = group.transformImage(group.order() - 1, x.image(0), x.height(), x.channels());
        System.arraycopy(rot, 0, d, x.data().length, size);
        System.arraycopy(noise.data(), 0, d, x.data().length + size, noise.data().length);
        return new ImageBatch(d, x.count() + 1 + extra, x.height(), x.width(), x.channels());
    }

    @Test
    void gcnnAndAugmentedCnnHaveTheSameAnalyticMeanAtEveryTimeOnAndOffTheData() {
        String[] archs = {
            "lift(C4, 3, SAME) relu gconv(3, SAME) relu gpool dense",
            "lift(D4, 3, SAME, b=0.2) erf gconv(3, SAME, w=1.3) relu gpool dense(b=0.1) dense",
            "lift(D2, 3, CIRCULAR) relu gpool dense",
            "lift(C4, 3, SAME, stride=2) res(relu gconv(3) relu gconv(3)) layernorm relu gpool dense",
            "lift(D4, 3, SAME) relu avgpool(3, SAME, stride=1) concat(gconv(3) relu | id) gpool dense",
        };
        for (String spec : archs) {
            Architecture g = Architecture.parse(spec);
            Architecture c = Dynamics.cnnCounterpart(g);
            ImageBatch x = TestImages.gaussian(5, 5, 5, 2, spec.length());
            int k = 2;
            ImageBatch z = testInputs(x, Dynamics.groupOf(g), 2, 99);
            double[] times = {0, 0.5, 3, 20, 150, 1000};
            Dynamics.Result r = Dynamics.run(new Dynamics.Config(g, c, Dynamics.groupOf(g), times, 0.5, new int[0],
                2, true, Ridge.relative(1e-6), 0, 0, 2), x, labels(5, k), k, z, null, m -> { });
            assertTrue(r.maxAnalyticDifference() < 1e-8, spec + ": " + r.maxAnalyticDifference());
            double scale = 0;
            for (int t = 0; t < times.length; t++) {
                for (int e = 0; e < z.count() * k; e++) {
                    assertEquals(r.gcnnFlow()[t][e], r.augmentedFlow()[t][e], 1e-8, spec + " t=" + times[t]);
                    scale = Math.max(scale, Math.abs(r.gcnnFlow()[t][e]));
                }
            }
            assertTrue(scale > 0.1, "the predictions are not trivially zero: " + scale);
            assertEquals(r.ridgeGcnn() * Dynamics.groupOf(g).order(), r.ridgeAugmented(), 1e-20);
            // the transformed copy of training image 0 gets the same prediction (GCNN invariance)
            for (int t = 0; t < times.length; t++) {
                assertEquals(r.gcnnFlow()[t][0], r.gcnnFlow()[t][5 * k], 1e-8);
            }
        }
    }

    /**
     * Finite ensembles approach the analytic curve as width grows: a loose bound at a small size (measured
     * distances at this size: see the assertion messages).
     */
    @Test
    void finiteEnsemblesApproachTheAnalyticCurveAsWidthGrows() {
        Architecture g = Architecture.parse("lift(C4, 3, SAME) relu gpool dense");
        ImageBatch x = TestImages.gaussian(4, 5, 5, 1, 3);
        ImageBatch z = testInputs(x, PointGroup.C4, 1, 4);
        double[] times = {0, 2, 5, 10};
        Dynamics.Result r = Dynamics.run(new Dynamics.Config(g, Dynamics.cnnCounterpart(g), PointGroup.C4, times, 1,
            new int[] {2, 64}, 8, true, Ridge.relative(1e-9), 0, 5, 2), x, labels(4, 1), 1, z, null, m -> { });
        List<Dynamics.Curve> c = r.curves();
        assertEquals(4, c.size());
        StringBuilder msg = new StringBuilder();
        for (Dynamics.Curve cv : c) {
            msg.append(String.format(java.util.Locale.ROOT, "%s w=%d distance %.4f rms se %.4f; ", cv.model(),
                cv.width(), cv.distance(), cv.rmsStdError()));
        }
        System.out.println("DynamicsTest distances: " + msg);
        for (String model : new String[] {"gcnn", "augmented_cnn"}) {
            Dynamics.Curve narrow = c.stream().filter(v -> v.model().equals(model) && v.width() == 2).findFirst()
                .orElseThrow();
            Dynamics.Curve wide = c.stream().filter(v -> v.model().equals(model) && v.width() == 64).findFirst()
                .orElseThrow();
            assertTrue(wide.distance() < 0.6 * narrow.distance(), msg.toString());
            assertTrue(wide.distance() < 0.1, msg.toString());
            assertEquals(0, wide.mean()[0][0], 1e-14, "antithetic pairs: zero mean at t = 0");
        }
    }

    @Test
    void cnnCounterpartAndTimeChecks() {
        assertEquals(Architecture.parse("conv(3, SAME, b=0.5) relu conv(5, CIRCULAR, w=2) erf gap dense(b=0.1)"),
            Dynamics.cnnCounterpart(Architecture.parse(
                "lift(D4, 3, SAME, b=0.5) relu gconv(5, CIRCULAR, w=2) erf gpool dense(b=0.1)")));
        assertEquals(PointGroup.D4, Dynamics.groupOf(Architecture.parse("lift(D4, 3) relu gpool dense")));
        assertThrows(EqntkException.class, () -> Dynamics.cnnCounterpart(Architecture.parse("conv(3) relu gap dense")));
        assertThrows(EqntkException.class, () -> Dynamics.cnnCounterpart(
            Architecture.parse("lift(C4, 3) relu gpool dense relu dense")));
        assertEquals(Architecture.parse("conv(3, stride=2) res(relu conv(3) relu conv(3, SAME, stride=1)) "
                + "layernorm relu avgpool(2) gap dense"),
            Dynamics.cnnCounterpart(Architecture.parse("lift(D2, 3, stride=2) res(relu gconv(3) relu "
                + "gconv(3, SAME, stride=1)) layernorm relu avgpool(2) gpool dense")));
        // a planar stem is not equivariant: its kernel pairs tap t of x with tap g⁻¹t of g·x'
        assertThrows(EqntkException.class, () -> Dynamics.cnnCounterpart(
            Architecture.parse("conv(3, stride=2) relu lift(C4, 3) relu gpool dense")));
        assertThrows(EqntkException.class, () -> Dynamics.cnnCounterpart(
            Architecture.parse("lift(C4, 3) relu res(lift(C4, 3)) gpool dense")));
        assertThrows(EqntkException.class, () -> Dynamics.cnnCounterpart(Architecture.parse("conv(3) relu gpool dense")));
        // avgpool(2) has a counterpart, but on 5x5 its windows are not mapped onto themselves: the shape check
        // refuses the pair before any kernel is computed
        Architecture pooled = Architecture.parse("lift(C4, 3) relu avgpool(2) gpool dense");
        Dynamics.cnnCounterpart(pooled);
        assertThrows(io.eqntk.model.ArchitectureException.class, () -> pooled.validate(5, 5, 1));
        assertArrayEquals(new int[] {0, 3, 10}, Dynamics.stepsOf(new double[] {0, 0.3, 1.0}, 0.1));
        assertThrows(EqntkException.class, () -> Dynamics.stepsOf(new double[] {0, 0.25}, 0.1));
        assertThrows(EqntkException.class, () -> Dynamics.stepsOf(new double[] {1, 0.5}, 0.1));
        assertThrows(EqntkException.class, () -> Dynamics.stepsOf(new double[] {-1}, 0.1));
    }

    @Test
    void anUnstableLearningRateIsRejected() {
        Architecture g = Architecture.parse("lift(C2, 3, SAME) relu gpool dense");
        ImageBatch x = TestImages.gaussian(3, 5, 5, 1, 3);
        assertThrows(EqntkException.class, () -> Dynamics.run(new Dynamics.Config(g, Dynamics.cnnCounterpart(g),
            PointGroup.C2, new double[] {0, 1e4}, 1e4, new int[0], 2, true, Ridge.relative(1e-9), 0, 0, 1), x,
            labels(3, 1), 1, x, null, m -> { }));
    }
}
