package io.eqntk.finite;

import io.eqntk.network.EmpiricalKernels;
import io.eqntk.network.FiniteNetwork;
import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.model.FeatureShape;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Networks with a single affine layer followed only by linear readouts: f is linear in the parameters, so its
 * gradient, and hence the empirical NTK, does not depend on the weights. It is exactly the analytic NTK, which
 * for a first layer equals the NNGP (Θ = Σ: the input carries no parameters, KERNELS.md §2, §4).
 */
class EmpiricalNtkLinearTest {

    private static void assertRelClose(double expected, double actual, double rel, String what) {
        double tol = rel * Math.max(Math.abs(expected), 1e-300);
        if (!(Math.abs(expected - actual) <= tol)) {
            fail(what + ": expected " + expected + ", got " + actual + " (relative difference "
                + Math.abs(expected - actual) / Math.abs(expected) + ")");
        }
    }

    @ParameterizedTest(name = "{0} on {1}x{1}x{2}")
    @CsvSource(delimiter = ';', value = {
        "conv(3, SAME, w=1.2, b=0.3) gap; 5; 2",
        "conv(3, VALID, w=0.8) gap; 6; 1",
        "conv(3, CIRCULAR, b=0.5) flatten; 5; 2",
        "conv(5, SAME, w=1.1) flatten; 5; 3",
        "flatten dense(w=1.3, b=0.2); 4; 2",
        "lift(C4, 3, VALID, b=0.2) gpool; 5; 2",
        "lift(C4, 3, SAME, w=1.3) gpool; 5; 1",
        "lift(D4, 3, CIRCULAR, w=0.9, b=0.4) gpool; 6; 2",
        "lift(D1, 3, SAME, b=0.1) gpool; 5; 2",
        "lift(C2, 3, VALID) gpool; 6; 2",
        "lift(D2, 3, SAME, w=1.4) avgpool(5) gpool; 5; 2",
        "lift(p4, 5, SAME, b=0.3) gpool; 5; 1",
        "lift(D4, 3, SAME) flatten; 5; 2",
    })
    void firstLayerEmpiricalNtkIsExact(String spec, int n, int c) {
        Architecture arch = Architecture.parse(spec);
        ImageBatch batch = TestImages.gaussian(3, n, n, c, 17);
        int width = 3;

        // the gradient of the output does not depend on the weights
        FiniteNetwork net = new FiniteNetwork(arch, FeatureShape.image(n, n, c), width, width);
        int k = net.outputShape().size();
        double[] r = FiniteTestSupport.gaussian(k, 3);
        for (int i = 0; i < batch.count(); i++) {
            double[] x = batch.image(i);
            double[] p1 = net.init(1);
            double[] p2 = net.init(2);
            double[] g1 = new double[net.parameterCount()];
            double[] g2 = new double[net.parameterCount()];
            net.backward(p1, net.forward(p1, x), r, g1);
            net.backward(p2, net.forward(p2, x), r, g2);
            assertTrue(FiniteTestSupport.maxAbsDiff(p1, p2) > 0.1);
            assertTrue(FiniteTestSupport.maxAbsDiff(g1, g2) <= 1e-12 * FiniteTestSupport.maxAbs(g1),
                "gradient depends on the weights");
        }

        EmpiricalKernels.Result a = EmpiricalKernels.estimate(arch, batch, width, 2, 2, 1, 1, ProgressListener.NONE);
        EmpiricalKernels.Result b = EmpiricalKernels.estimate(arch, batch, width, 2, 3, 99, 2, ProgressListener.NONE);
        KernelMatrices exact = new KernelEngine(arch, 1).gram(batch, ProgressListener.NONE);
        int m = batch.count();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                String at = spec + " (" + i + ", " + j + ")";
                double ea = a.ntk().mean(i, j);
                double eb = b.ntk().mean(i, j);
                assertEquals(ea, eb, 1e-12 * Math.max(1, Math.abs(ea)), at + ": empirical NTK differs between seeds");
                assertTrue(a.ntk().stdError(i, j) <= 1e-12 * Math.max(1, Math.abs(ea)),
                    at + ": NTK varies across networks, std error " + a.ntk().stdError(i, j));
                assertRelClose(exact.ntk(i, j), ea, 1e-10, at + " analytic NTK vs empirical NTK");
                // first layer: Θ = Σ, analytically and against the empirical NTK
                assertRelClose(exact.nngp(i, j), exact.ntk(i, j), 1e-12, at + " analytic NNGP vs analytic NTK");
                assertRelClose(exact.nngp(i, j), ea, 1e-10, at + " analytic NNGP vs empirical NTK");
            }
        }
    }
}
