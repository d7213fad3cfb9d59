package io.eqntk.finite;

import io.eqntk.network.FiniteNetwork;
import io.eqntk.arch.Architecture;
import io.eqntk.model.FeatureShape;
import io.eqntk.group.PointGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Equivariance of the finite lifting and group convolutions, invariance after group pooling.
 *
 * <p>The exact law. With the right action (g·x)(s) = x(g s) on centred coordinates and the lifting layer
 * f[x](h, t) = sum_{c,b} w_c(h^-1 b) x_c(t + b):
 * <pre>
 *   f[g·x](h, t) = sum_b w(h^-1 b) x(g t + g b)             (g is linear, so g(t + b) = g t + g b)
 *                = sum_b' w(h^-1 g^-1 b') x(g t + b')       (b' = g b runs over the filter grid F)
 *                = sum_b' w((g h)^-1 b') x(g t + b')
 *                = f[x](g h, g t).
 * </pre>
 * The same holds for a group convolution f[G](h, t) = sum_{c,s,b} w_c(h^-1 s, h^-1 b) G_c(s, t + b) when its
 * input transforms the same way, G'(s, t) = G(g s, g t): substitute s' = g s, b' = g b to get
 * f[G'](h, t) = f[G](g h, g t). Zero padding and the VALID crop commute with g because g maps the (centred)
 * n x n grid, the filter grid and the VALID output grid onto themselves; CIRCULAR wrap-around commutes because
 * the signed permutations commute with index reflection mod n. So every group map in the network transforms
 * as T_g F (h, t) = F(g h, g t): block h of the output for g·x is block g*h of the output for x, moved by
 * transformImage(g, ., m, C) (which reads position g t). Pointwise nonlinearities and average pooling (k | m)
 * keep this form; group pooling (mean over h and t) is then invariant.
 */
class EquivarianceTest {
    private static final double TOL = 1e-12;
    private static final String[] GROUPS = {"C2", "C4", "D1", "D2", "D4"};
    private static final String[] PADS = {"SAME", "VALID", "CIRCULAR"};

    static Stream<Arguments> liftCases() {
        List<Arguments> out = new ArrayList<>();
        for (String g : GROUPS) {
            for (String p : PADS) {
                for (int n : new int[] {5, 6, 7}) {
                    out.add(Arguments.of(g, p, n));
                }
            }
        }
        return out.stream();
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        double scale = Math.max(1, FiniteTestSupport.maxAbs(expected));
        double d = FiniteTestSupport.maxAbsDiff(expected, actual);
        if (!(d <= TOL * scale)) {
            fail(what + ": max difference " + d + " (scale " + scale + ")");
        }
    }

    /** Checks T_g(act_i(x)) == act_i(g·x) for every group-map activation i of the network, for every g. */
    private static void checkAllGroupMaps(String spec, int n, int c, int width, long seed) {
        Architecture arch = Architecture.parse(spec);
        FeatureShape input = FeatureShape.image(n, n, c);
        FiniteNetwork net = new FiniteNetwork(arch, input, width, 2);
        List<FeatureShape> shapes = arch.shapes(input, width, 2);
        double[] params = net.init(seed);
        double[] x = FiniteTestSupport.gaussian(n * n * c, seed + 1);
        double[][] acts = net.forward(params, x);
        PointGroup group = null;
        for (FeatureShape s : shapes) {
            if (s.isGroupMap()) {
                group = s.group();
            }
        }
        assertTrue(group != null, "no group map in " + spec);
        int checked = 0;
        for (int g = 0; g < group.order(); g++) {
            double[][] actsG = net.forward(params, group.transformImage(g, x, n, c));
            for (int i = 1; i < shapes.size(); i++) {
                if (shapes.get(i).isGroupMap()) {
                    double[] expected = FiniteTestSupport.transformGroupMap(group, g, acts[i], shapes.get(i));
                    assertClose(expected, actsG[i], spec + " on " + n + "x" + n + ", g=" + g + ", after layer " + i
                        + " " + shapes.get(i));
                    checked++;
                }
            }
        }
        assertTrue(checked > 0);
    }

    // ---- (a) a lifting layer alone ------------------------------------------------------------------------

    @ParameterizedTest(name = "lift({0}, 3, {1}) on {2}x{2}")
    @MethodSource("liftCases")
    void liftingLayerIsEquivariant(String g, String pad, int n) {
        checkAllGroupMaps("lift(" + g + ", 3, " + pad + ", w=1.3, b=0.2) gpool", n, 2, 3, 11);
    }

    @ParameterizedTest(name = "lift({0}, 5, {1}) on {2}x{2}")
    @MethodSource("liftCases")
    void liftingLayerWithLargerFilterIsEquivariant(String g, String pad, int n) {
        checkAllGroupMaps("lift(" + g + ", 5, " + pad + ") gpool", n, 1, 2, 12);
    }

    /**
     * The test has teeth: for the non-abelian D4 the law's order g*h matters (h*g fails), and the spatial map must
     * be the one of g (the inverse's fails).
     */
    @Test
    void wrongPermutationsAreDetected() {
        PointGroup d4 = PointGroup.D4;
        int n = 5;
        int c = 2;
        Architecture arch = Architecture.parse("lift(D4, 3, SAME) gpool");
        FiniteNetwork net = new FiniteNetwork(arch, FeatureShape.image(n, n, c), 3, 3);
        FeatureShape shape = arch.shapes(FeatureShape.image(n, n, c), 3, 3).get(1);
        double[] params = net.init(5);
        double[] x = FiniteTestSupport.gaussian(n * n * c, 6);
        double[] f = net.forward(params, x)[1];
        int block = n * n * 3;
        double worstSwapped = 0;
        double worstInverse = 0;
        for (int g = 0; g < 8; g++) {
            double[] fg = net.forward(params, d4.transformImage(g, x, n, c))[1];
            double[] swapped = new double[f.length];
            double[] inverse = new double[f.length];
            for (int h = 0; h < 8; h++) {
                double[] b1 = Arrays.copyOfRange(f, d4.multiply(h, g) * block, (d4.multiply(h, g) + 1) * block);
                System.arraycopy(d4.transformImage(g, b1, n, 3), 0, swapped, h * block, block);
                double[] b2 = Arrays.copyOfRange(f, d4.multiply(g, h) * block, (d4.multiply(g, h) + 1) * block);
                System.arraycopy(d4.transformImage(d4.inverse(g), b2, n, 3), 0, inverse, h * block, block);
            }
            worstSwapped = Math.max(worstSwapped, FiniteTestSupport.maxAbsDiff(swapped, fg));
            worstInverse = Math.max(worstInverse, FiniteTestSupport.maxAbsDiff(inverse, fg));
            assertClose(FiniteTestSupport.transformGroupMap(d4, g, f, shape), fg, "D4 g=" + g);
        }
        assertTrue(worstSwapped > 1e-3, "h*g instead of g*h went unnoticed: " + worstSwapped);
        assertTrue(worstInverse > 1e-3, "g^-1 t instead of g t went unnoticed: " + worstInverse);
    }

    // ---- (b) stacks of group convolutions -----------------------------------------------------------------

    static Stream<Arguments> stacks() {
        List<Arguments> out = new ArrayList<>();
        for (String g : GROUPS) {
            // 6 -> 6 -> 6 -> 4 -> 2
            out.add(Arguments.of("lift(" + g + ", 3, SAME, b=0.2) relu gconv(3, SAME, b=0.1) erf gconv(3, VALID) "
                + "avgpool(2) relu gpool dense", 6));
            // 7 -> 5 -> 5 -> 3 -> 1
            out.add(Arguments.of("lift(" + g + ", 3, VALID, w=1.2) relu gconv(3, CIRCULAR) erf gconv(3, VALID, b=0.3) "
                + "avgpool(3) gpool", 7));
            // 6 -> 6 -> 3 -> 3 -> 1
            out.add(Arguments.of("lift(" + g + ", 3, CIRCULAR, b=0.5) erf avgpool(2) gconv(3, SAME) relu "
                + "gconv(3, VALID, w=0.7) erf gpool dense", 6));
            // 5 -> 5 -> 5 (a 5x5 filter and a 1x1 one)
            out.add(Arguments.of("lift(" + g + ", 5, SAME) erf gconv(5, CIRCULAR, b=0.1) relu gconv(1, SAME) gpool", 5));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}x{1}")
    @MethodSource("stacks")
    void groupConvolutionStacksAreEquivariant(String spec, int n) {
        checkAllGroupMaps(spec, n, 2, 3, 21);
    }

    // ---- (c) invariance after group pooling ---------------------------------------------------------------

    static Stream<Arguments> pooled() {
        List<Arguments> out = new ArrayList<>();
        for (String g : GROUPS) {
            out.add(Arguments.of("lift(" + g + ", 3, SAME) relu gconv(3, SAME) relu gpool dense", 5));
            out.add(Arguments.of("lift(" + g + ", 3, VALID, b=0.1) relu gconv(3, CIRCULAR, b=0.2) relu gpool "
                + "dense(b=0.3) erf dense", 6));
            out.add(Arguments.of("lift(" + g + ", 3, CIRCULAR) erf gconv(3, VALID) relu avgpool(2) gpool dense", 6));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}x{1}")
    @MethodSource("pooled")
    void groupPooledNetworksAreInvariant(String spec, int n) {
        int c = 2;
        Architecture arch = Architecture.parse(spec);
        FiniteNetwork net = new FiniteNetwork(arch, FeatureShape.image(n, n, c), 3, 3);
        PointGroup group = PointGroup.of(spec.substring(5, 7));
        for (long seed = 0; seed < 3; seed++) {
            double[] params = net.init(seed);
            double[] x = FiniteTestSupport.gaussian(n * n * c, 100 + seed);
            double[] y = net.output(params, x);
            assertTrue(FiniteTestSupport.maxAbs(y) > 1e-3);
            for (int g = 0; g < group.order(); g++) {
                assertClose(y, net.output(params, group.transformImage(g, x, n, c)), spec + " g=" + g);
            }
        }
    }

    // ---- (e) branch layers: sums and concatenations of equivariant maps, with their own weights ------------

    static Stream<Arguments> branchStacks() {
        List<Arguments> out = new ArrayList<>();
        for (String g : GROUPS) {
            out.add(Arguments.of("lift(" + g + ", 3, SAME, b=0.2) res(relu gconv(3, SAME, b=0.1) erf gconv(1)) relu "
                + "concat(gconv(3, VALID) | gconv(1, VALID) relu gconv(3, VALID)) relu gpool dense", 6));
            out.add(Arguments.of("concat(lift(" + g + ", 3, VALID) | lift(" + g + ", 1, SAME) gconv(3, VALID)) relu "
                + "gconv(1) sum(id | gconv(3, CIRCULAR) relu gconv(3, SAME) | avgpool(1) gconv(1)) avgpool(5) gpool", 7));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}x{1}")
    @MethodSource("branchStacks")
    void branchLayersAreEquivariant(String spec, int n) {
        checkAllGroupMaps(spec, n, 2, 3, 31);
        Architecture arch = Architecture.parse(spec);
        FiniteNetwork net = new FiniteNetwork(arch, FeatureShape.image(n, n, 2), 3, 2);
        PointGroup group = PointGroup.of(spec.substring(spec.indexOf("lift(") + 5, spec.indexOf("lift(") + 7));
        double[] params = net.init(5);
        double[] x = FiniteTestSupport.gaussian(n * n * 2, 6);
        double[] y = net.output(params, x);
        assertTrue(FiniteTestSupport.maxAbs(y) > 1e-3);
        for (int g = 0; g < group.order(); g++) {
            assertClose(y, net.output(params, group.transformImage(g, x, n, 2)), spec + " pooled, g=" + g);
        }
    }

    // ---- (d) a CNN is not invariant: the check can fail ---------------------------------------------------

    @Test
    void ordinaryCnnIsNotRotationInvariant() {
        int n = 5;
        int c = 2;
        FiniteNetwork net = new FiniteNetwork(Architecture.parse("conv(3, SAME) relu conv(3, SAME) relu gap dense"),
            FeatureShape.image(n, n, c), 3, 2);
        double[] params = net.init(3);
        double[] x = FiniteTestSupport.gaussian(n * n * c, 4);
        int rot90 = 1;
        assertTrue(Arrays.equals(new int[] {0, -1, 1, 0}, PointGroup.C4.matrix(rot90)));
        double d = FiniteTestSupport.maxAbsDiff(net.output(params, x),
            net.output(params, PointGroup.C4.transformImage(rot90, x, n, c)));
        assertTrue(d > 1e-6, "a random CNN came out rotation invariant: " + d);
    }

    /** And a lift whose group is smaller than the transformation's is not invariant under it either. */
    @Test
    void c2NetworkIsNotInvariantUnderQuarterTurn() {
        int n = 5;
        int c = 2;
        FiniteNetwork net = new FiniteNetwork(Architecture.parse("lift(C2, 3, SAME) relu gconv(3) relu gpool dense"),
            FeatureShape.image(n, n, c), 3, 2);
        double[] params = net.init(3);
        double[] x = FiniteTestSupport.gaussian(n * n * c, 4);
        double d = FiniteTestSupport.maxAbsDiff(net.output(params, x),
            net.output(params, PointGroup.C4.transformImage(1, x, n, c)));
        assertTrue(d > 1e-6, "a C2 network came out invariant under a quarter turn: " + d);
    }
}
