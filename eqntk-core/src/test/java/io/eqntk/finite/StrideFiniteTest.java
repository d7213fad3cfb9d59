package io.eqntk.finite;

import io.eqntk.network.EmpiricalKernels;
import io.eqntk.network.FiniteNetwork;
import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.group.PointGroup;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.model.FeatureShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite faces of strided layers, general average pooling and the standard parameterisation: analytic kernels
 * within 3 standard errors of Monte-Carlo estimates (first layers included), and the equivariance of the finite
 * strided group layers, on squares and on rectangles for C2, D1 and D2.
 */
class StrideFiniteTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        // first layers alone: NTK equals NNGP
        "conv(3, SAME, stride=2, w=1.2, b=0.3) gap; 6; 16; 8; 200",
        "lift(C4, 3, VALID, stride=2, w=1.3, b=0.1) gpool; 7; 8; 8; 400",
        "conv(3, SAME, stride=2) relu conv(3) relu gap dense; 6; 32; 8; 150",
        "conv(3, VALID, stride=2, b=0.1) erf avgpool(2, SAME, stride=1) flatten dense; 7; 32; 8; 150",
        "lift(C4, 3, SAME, stride=2, b=0.2) relu gconv(3) relu gpool dense; 5; 16; 4; 100",
        "lift(D4, 3, VALID, stride=2) relu gconv(3, SAME, stride=2) relu gpool dense; 7; 16; 4; 200",
        "lift(D4, 3) relu avgpool(3, SAME, stride=2) gconv(3, b=0.1) relu gpool dense; 5; 8; 4; 100",
        // the standard parameterisation: base widths n, finite width s * n
        "conv(3, SAME, b=0.2, param=standard) gap; 5; 16; 8; 200",
        "conv(3, SAME, b=0.2, param=standard) relu conv(3, param=standard, n=4, stride=2) relu gap dense(param=standard, n=4, b=0.3); 5; 32; 8; 150",
        "lift(C4, 3, param=standard, b=0.1) relu gconv(3, param=standard, n=2, stride=2) relu gpool dense(param=standard, n=2); 5; 16; 4; 100",
    })
    void kernelsMatchFiniteNetworks(String spec, int size, int width, int outputs, int samples) {
        Architecture arch = Architecture.parse(spec);
        ImageBatch x = TestImages.gaussian(3, size, size, 2, 5);
        KernelMatrices k = new KernelEngine(arch, 2).gram(x, ProgressListener.NONE);
        EmpiricalKernels.Result r = EmpiricalKernels.estimate(arch, x, width, outputs, samples, 42, 2,
            ProgressListener.NONE);
        MonteCarloAgreementTest.assertAgrees(spec, k, r);
    }

    /** Rectangular inputs of the groups that map rectangles onto themselves. */
    @ParameterizedTest(name = "{0} on {1}x{2}")
    @CsvSource(delimiter = ';', value = {
        "lift(C2, 3, SAME, b=0.2) relu gconv(3, VALID) relu gpool dense; 5; 7; 8; 100",
        "lift(D2, 3, SAME, stride=2) relu gconv(3) relu gpool dense; 7; 5; 8; 100",
    })
    void rectangularGroupKernelsMatchFiniteNetworks(String spec, int h, int w, int width, int samples) {
        Architecture arch = Architecture.parse(spec);
        ImageBatch x = TestImages.gaussian(3, h, w, 2, 6);
        KernelMatrices k = new KernelEngine(arch, 2).gram(x, ProgressListener.NONE);
        EmpiricalKernels.Result r = EmpiricalKernels.estimate(arch, x, width, 4, samples, 43, 2, ProgressListener.NONE);
        MonteCarloAgreementTest.assertAgrees(spec, k, r);
    }

    /** Every group-map activation of the finite network transforms by the law of EquivarianceTest, for every g. */
    @ParameterizedTest(name = "{0} on {1}x{2}")
    @CsvSource(delimiter = ';', value = {
        "lift(C4, 3, SAME, stride=2, b=0.2) relu gconv(3, VALID, stride=2) gpool; 9; 9",
        "lift(D4, 3, VALID, stride=2) relu gconv(3, SAME, stride=2) relu avgpool(2, VALID, stride=1) gpool; 11; 11",
        "lift(D4, 5, SAME, stride=3) relu avgpool(3, SAME, stride=2) gconv(3) gpool; 7; 7",
        "lift(C2, 3, SAME, stride=2) relu gconv(3, VALID, stride=2) gpool; 9; 13",
        "lift(D2, 3, VALID, stride=2) relu avgpool(3, SAME, stride=2) gpool; 7; 11",
        "lift(D1, 3, SAME, stride=2) relu gconv(3, stride=2) gpool; 6; 9",
        "lift(C4, 3, param=standard) relu gconv(3, param=standard, n=3, stride=2) gpool; 5; 5",
    })
    void stridedGroupLayersAreEquivariant(String spec, int h, int w) {
        Architecture arch = Architecture.parse(spec);
        int c = 2;
        FeatureShape input = FeatureShape.image(h, w, c);
        FiniteNetwork net = new FiniteNetwork(arch, input, 3, 2);
        List<FeatureShape> shapes = arch.shapes(input, 3, 2);
        double[] params = net.init(7);
        double[] x = FiniteTestSupport.gaussian(h * w * c, 8);
        double[][] acts = net.forward(params, x);
        PointGroup group = shapes.get(1).group();
        int checked = 0;
        for (int g = 0; g < group.order(); g++) {
            double[][] actsG = net.forward(params, group.transformImage(g, x, h, w, c));
            for (int i = 1; i < shapes.size(); i++) {
                if (shapes.get(i).isGroupMap()) {
                    double[] expected = FiniteTestSupport.transformGroupMap(group, g, acts[i], shapes.get(i));
                    double d = FiniteTestSupport.maxAbsDiff(expected, actsG[i]);
                    double scale = Math.max(1, FiniteTestSupport.maxAbs(expected));
                    String what = spec + ", g=" + g + ", after layer " + i + " " + shapes.get(i) + ": " + d;
                    assertTrue(d <= 1e-12 * scale, what);
                    checked++;
                }
            }
        }
        assertTrue(checked >= group.order());
    }

    /** The check has teeth: a stride that breaks the symmetry, forced past the layer check, is not equivariant. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {"C4; 8", "D2; 6"})
    void asymmetricSubsamplingIsNotEquivariant(String name, int n) {
        PointGroup group = PointGroup.of(name);
        int c = 1;
        FeatureShape in = FeatureShape.image(n, n, c);
        int out = n / 2;
        FeatureShape shape = FeatureShape.groupMap(group, out, out, 2);
        FiniteGroupConvolution lift = new FiniteGroupConvolution(in, shape, group, 3, io.eqntk.model.Padding.SAME,
            1.0, null, 2, -1);
        double[] params = new double[lift.parameterCount()];
        lift.init(params, 0, new java.util.Random(3));
        double[] x = FiniteTestSupport.gaussian(n * n * c, 4);
        double[] y = new double[shape.size()];
        lift.forward(params, 0, x, y);
        double worst = 0;
        for (int g = 1; g < group.order(); g++) {
            double[] yg = new double[shape.size()];
            lift.forward(params, 0, group.transformImage(g, x, n, c), yg);
            worst = Math.max(worst, FiniteTestSupport.maxAbsDiff(FiniteTestSupport.transformGroupMap(group, g, y, shape), yg));
        }
        assertTrue(worst > 1e-3, "an asymmetric subsampling looked equivariant: " + worst);
    }
}
