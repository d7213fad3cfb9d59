package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.group.PointGroup;
import io.eqntk.layer.Layer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Group networks with branches: the orbit identity K_G(x, x') = (1/|H|) sum_g K_CNN(x, g·x') against the same
 * network built from ordinary convolutions (each layer's planar counterpart, branches included), and the
 * invariance of the pooled kernel, on the slice path and on full blocks.
 */
class BranchGroupKernelTest {
    static Stream<Arguments> networks() {
        List<Arguments> a = new ArrayList<>();
        for (PointGroup g : PointGroup.all()) {
            String h = g.name();
            a.add(Arguments.of("lift(" + h + ", 3, b=0.2) res(relu gconv(3, b=0.1) relu gconv(3)) relu gpool dense"));
            a.add(Arguments.of("sum(lift(" + h + ", 3, VALID) | lift(" + h + ", 1, VALID, w=1.4) gconv(3, VALID)) erf "
                + "concat(gconv(3) relu | gconv(1, b=0.3)) gconv(3) res(relu gconv(3, w=0.8)) relu gpool dense(b=0.2)"));
        }
        return a.stream();
    }

    private static String planar(String gcnn) {
        return Architecture.parse(gcnn).layers().stream().map(Layer::planarCounterpart).map(Layer::spec)
            .collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void orbitIdentity(String gcnn) {
        int n = 6;
        int c = 2;
        PointGroup h = PointGroup.of(gcnn.substring(gcnn.indexOf("lift(") + 5, gcnn.indexOf("lift(") + 7));
        ImageBatch x = TestImages.gaussian(2, n, n, c, gcnn.hashCode());
        String cnn = planar(gcnn);
        assertNotEquals(gcnn, cnn);
        KernelEngine group = new KernelEngine(Architecture.parse(gcnn), 2);
        assertEquals(KernelEngine.Evaluation.SLICES, group.evaluation());
        KernelMatrices kg = group.gram(x, ProgressListener.NONE);
        KernelMatrices kf = group.withFullBlocks().gram(x, ProgressListener.NONE);
        double[][] mean = OrbitMean.of(cnn, x, h);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double nngp = mean[0][i * 2 + j];
                double ntk = mean[1][i * 2 + j];
                for (KernelMatrices k : new KernelMatrices[] {kg, kf}) {
                    assertEquals(nngp, k.nngp(i, j), 1e-12 * Math.abs(nngp), cnn + " NNGP " + i + j);
                    assertEquals(ntk, k.ntk(i, j), 1e-12 * Math.abs(ntk), cnn + " NTK " + i + j);
                }
            }
        }
    }

    /** K(g·x, g'·x') = K(x, x') for every g, g' in H, with pooling inside (full blocks) and without (slices). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void pooledKernelIsInvariant(String gcnn) {
        for (String spec : new String[] {gcnn, gcnn.replace(" relu gpool", " relu avgpool(2) res(gconv(3) relu "
            + "gconv(1)) gpool")}) {
            int n = 8;
            PointGroup h = PointGroup.of(spec.substring(spec.indexOf("lift(") + 5, spec.indexOf("lift(") + 7));
            ImageBatch x = TestImages.gaussian(2, n, n, 1, 99);
            double[] a = new double[h.order() * n * n];
            double[] b = new double[h.order() * n * n];
            for (int g = 0; g < h.order(); g++) {
                System.arraycopy(h.transformImage(g, x.image(0), n, 1), 0, a, g * n * n, n * n);
                System.arraycopy(h.transformImage(g, x.image(1), n, 1), 0, b, g * n * n, n * n);
            }
            KernelMatrices k = new KernelEngine(Architecture.parse(spec), 2).cross(
                new ImageBatch(a, h.order(), n, n, 1), new ImageBatch(b, h.order(), n, n, 1), ProgressListener.NONE);
            for (int g = 0; g < h.order(); g++) {
                for (int gp = 0; gp < h.order(); gp++) {
                    assertEquals(k.nngp(0, 0), k.nngp(g, gp), 1e-12 * Math.abs(k.nngp(0, 0)), spec);
                    assertEquals(k.ntk(0, 0), k.ntk(g, gp), 1e-12 * Math.abs(k.ntk(0, 0)), spec);
                }
            }
        }
    }
}
