package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.group.PointGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Group kernels: the orbit identity of KERNELS.md §3, invariance, and C1 = CNN. */
class GroupKernelTest {

    static Stream<Arguments> groupsAndPaddings() {
        List<Arguments> a = new ArrayList<>();
        for (PointGroup g : PointGroup.all()) {
            for (String pad : new String[] {"SAME", "VALID", "CIRCULAR"}) {
                a.add(Arguments.of(g.name(), pad));
            }
        }
        return a.stream();
    }

    /** K_GCNN(x, x') = (1/|H|) sum_g K_CNN(x, g·x'), NNGP and NTK, to 1e-12. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("groupsAndPaddings")
    void orbitIdentity(String group, String pad) {
        String gcnn = String.format("lift(%s, 3, %s, w=1.3, b=0.2) relu gconv(3, %s, b=0.1) erf gpool dense(b=0.3)",
            group, pad, pad);
        String cnn = String.format("conv(3, %s, w=1.3, b=0.2) relu conv(3, %s, b=0.1) erf gap dense(b=0.3)", pad, pad);
        int n = 7;
        int c = 2;
        ImageBatch x = TestImages.gaussian(2, n, n, c, group.hashCode() + pad.hashCode());
        PointGroup h = PointGroup.of(group);
        KernelMatrices kg = new KernelEngine(Architecture.parse(gcnn), 2).gram(x, ProgressListener.NONE);
        // the CNN on (x_i, g·x_j) for every g, averaged
        double[][] mean = OrbitMean.of(cnn, x, h);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double nngp = mean[0][i * 2 + j];
                double ntk = mean[1][i * 2 + j];
                assertEquals(nngp, kg.nngp(i, j), 1e-12 * Math.abs(nngp), "NNGP " + i + j);
                assertEquals(ntk, kg.ntk(i, j), 1e-12 * Math.abs(ntk), "NTK " + i + j);
            }
        }
    }

    /** A pooled GCNN's kernel is invariant: K(g·x, g'·x') = K(x, x') for all g, g' in H. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("groupsAndPaddings")
    void pooledKernelIsInvariant(String group, String pad) {
        String spec = String.format("lift(%s, 3, %s) relu avgpool(2) gconv(3, %s, b=0.2) relu gpool dense relu dense",
            group, pad, pad);
        int n = 8;
        ImageBatch x = TestImages.gaussian(2, n, n, 1, 99);
        PointGroup h = PointGroup.of(group);
        double[] a = new double[h.order() * n * n];
        double[] b = new double[h.order() * n * n];
        for (int g = 0; g < h.order(); g++) {
            System.arraycopy(h.transformImage(g, x.image(0), n, 1), 0, a, g * n * n, n * n);
            System.arraycopy(h.transformImage(g, x.image(1), n, 1), 0, b, g * n * n, n * n);
        }
        KernelMatrices k = new KernelEngine(Architecture.parse(spec), 2).cross(new ImageBatch(a, h.order(), n, n, 1),
            new ImageBatch(b, h.order(), n, n, 1), ProgressListener.NONE);
        for (int g = 0; g < h.order(); g++) {
            for (int gp = 0; gp < h.order(); gp++) {
                assertEquals(k.nngp(0, 0), k.nngp(g, gp), 1e-12 * Math.abs(k.nngp(0, 0)));
                assertEquals(k.ntk(0, 0), k.ntk(g, gp), 1e-12 * Math.abs(k.ntk(0, 0)));
            }
        }
    }

    /** The CNN kernel is not invariant in general: the invariance test above can fail. */
    @org.junit.jupiter.api.Test
    void cnnKernelIsNotInvariant() {
        int n = 6;
        ImageBatch x = TestImages.gaussian(2, n, n, 1, 99);
        double[] rotated = PointGroup.C4.transformImage(1, x.image(1), n, 1);
        KernelEngine e = new KernelEngine(Architecture.parse("conv(3) relu conv(3) relu gap dense"), 1);
        double[] k0 = e.pair(x.image(0), x.image(1), n, n, 1);
        double[] k1 = e.pair(x.image(0), rotated, n, n, 1);
        org.junit.jupiter.api.Assertions.assertTrue(Math.abs(k0[1] - k1[1]) > 1e-6 * Math.abs(k0[1]));
    }

    /** The group kernel of C1 equals the CNN kernel. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"SAME", "VALID", "CIRCULAR"})
    void trivialGroupEqualsCnn(String pad) {
        ImageBatch x = TestImages.gaussian(3, 6, 6, 3, 5);
        KernelMatrices g = new KernelEngine(Architecture.parse(String.format(
            "lift(C1, 3, %s, b=0.1) relu gconv(3, %s) relu avgpool(2) gconv(1, %s) erf gpool dense", pad, pad, pad)), 2)
            .gram(x, ProgressListener.NONE);
        KernelMatrices c = new KernelEngine(Architecture.parse(String.format(
            "conv(3, %s, b=0.1) relu conv(3, %s) relu avgpool(2) conv(1, %s) erf gap dense", pad, pad, pad)), 2)
            .gram(x, ProgressListener.NONE);
        org.junit.jupiter.api.Assertions.assertArrayEquals(c.nngp(), g.nngp(), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(c.ntk(), g.ntk(), 0.0);
    }
}
