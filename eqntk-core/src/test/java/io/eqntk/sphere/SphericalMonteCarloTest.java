package io.eqntk.sphere;

import io.eqntk.sphere.kernel.SphericalKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite networks against the analytic kernels: every entry within 3 standard errors (plus a 1e-12 floor). */
class SphericalMonteCarloTest {
    private static final List<SphereSignal> INPUTS = List.of(
        SphericalTestSignals.bandLimited(3, 3, 2, 1),
        SphericalTestSignals.bandLimited(3, 3, 2, 2),
        SphericalTestSignals.bandLimited(3, 2, 2, 3));

    private static SphericalLayer act(SphericalLayer.Nonlinearity kind) {
        return kind.layer();
    }

    @ParameterizedTest
    @EnumSource(SphericalLayer.Nonlinearity.class)
    void liftAloneAgrees(SphericalLayer.Nonlinearity kind) {
        List<SphericalLayer> layers = List.of(
            new SphericalLayer.S2Lift(3, Math.PI / 4, 1.3, 0.4, 6, 2),
            act(kind), new SphericalLayer.So3Pool(), new SphericalLayer.Dense(1.1, 0.2));
        check(layers, 1024, 2, 150);
    }

    @ParameterizedTest
    @EnumSource(SphericalLayer.Nonlinearity.class)
    void liftConvPoolAgrees(SphericalLayer.Nonlinearity kind) {
        List<SphericalLayer> layers = List.of(
            new SphericalLayer.S2Lift(3, Math.PI / 4, 1.2, 0.3, 4, 2),
            act(kind),
            new SphericalLayer.So3Conv(2, Math.PI / 3, 1.4, 0.2, 4, 2, 3),
            act(kind), new SphericalLayer.So3Pool(), new SphericalLayer.Dense(1, 0.1));
        check(layers, 48, 2, 160);
    }

    private static void check(List<SphericalLayer> layers, int width, int outputs, int samples) {
        SphericalKernels exact = new SphericalKernels(layers, 3, 2);
        double[][] k = exact.gram(INPUTS);
        SphericalNetwork net = new SphericalNetwork(layers, 3, 2, width, outputs);
        SphericalMonteCarlo.Estimate mc = SphericalMonteCarlo.estimate(net, INPUTS, samples, 17);
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (int i = 0; i < k[0].length; i++) {
            double zn = Math.abs(mc.nngp()[i] - k[0][i]) / (mc.nngpError()[i] + 1e-12);
            double zt = Math.abs(mc.ntk()[i] - k[1][i]) / (mc.ntkError()[i] + 1e-12);
            report.append(String.format("%n entry %d: nngp %.5f mc %.5f ± %.5f (z %.2f); ntk %.5f mc %.5f ± %.5f (z %.2f)",
                i, k[0][i], mc.nngp()[i], mc.nngpError()[i], zn, k[1][i], mc.ntk()[i], mc.ntkError()[i], zt));
            ok &= zn < 3 && zt < 3;
            // the estimate is informative: its error is well below the value
            ok &= mc.ntkError()[i] < 0.2 * Math.abs(k[1][i]);
        }
        System.out.println(layers.toString() + report);
        assertTrue(ok, report.toString());
    }
}
