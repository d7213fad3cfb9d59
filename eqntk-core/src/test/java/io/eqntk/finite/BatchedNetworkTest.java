package io.eqntk.finite;

import io.eqntk.network.FiniteNetwork;
import io.eqntk.arch.Architecture;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batched BLAS face against the plain single-image loops: every layer's activation, the outputs, the summed
 * parameter gradient and the per-sample gradients, for batch sizes 1 and 5, every padding and group, float64
 * (1e-12 relative to the largest value) and float32 (1e-5), native and pure-Java BLAS; and bit-identical
 * results for 1 and 3 threads.
 */
class BatchedNetworkTest {
    static Stream<Arguments> architectures() {
        List<Arguments> cases = new ArrayList<>();
        // spec, h, w, c, width, outputs
        cases.add(Arguments.of("flatten dense(b=1) erf dense", 4, 4, 2, 3, 2));
        cases.add(Arguments.of("conv(3, SAME, b=0.4) relu flatten dense(b=0.1)", 5, 5, 2, 4, 2));
        cases.add(Arguments.of("conv(3, VALID) erf conv(3, VALID, b=0.2) relu gap dense", 7, 6, 3, 5, 2));
        cases.add(Arguments.of("conv(3, CIRCULAR, b=0.3) erf avgpool(2) conv(3, VALID) relu gap dense(w=1.3, b=0.1)",
            6, 6, 2, 3, 2));
        cases.add(Arguments.of("conv(5, SAME, w=1.1) erf conv(1, SAME, b=0.2) gap", 5, 5, 2, 3, 2));
        cases.add(Arguments.of("conv(3, CIRCULAR) relu conv(5, CIRCULAR) gap dense", 3, 3, 1, 4, 1));
        String[] groups = {"C2", "C4", "D1", "D2", "D4"};
        String[] pads = {"SAME", "VALID", "CIRCULAR"};
        int k = 0;
        for (String g : groups) {
            for (String p : pads) {
                String bias = (k++ % 2 == 0) ? ", b=0.2" : "";
                cases.add(Arguments.of("lift(" + g + ", 3, " + p + bias + ") relu gconv(3, " + p
                    + ") erf gpool dense", 5, 5, 2, 3, 2));
            }
        }
        cases.add(Arguments.of("lift(D4, 3, SAME, b=0.2) erf gconv(3, CIRCULAR) relu avgpool(2) flatten dense",
            6, 6, 2, 2, 3));
        cases.add(Arguments.of("lift(C4, 3, SAME) relu avgpool(2) gconv(3, SAME, b=0.1) relu avgpool(3) gpool",
            6, 6, 3, 2, 1));
        // branches: the batched layout [H][W][|G|][C] concatenates the same channel runs as the plain one
        cases.add(Arguments.of("conv(3) relu concat(conv(3, VALID) erf | conv(1, VALID) res(relu conv(3)) conv(3, VALID)) relu "
            + "gap dense res(relu dense(b=0.2))", 5, 5, 2, 3, 2));
        cases.add(Arguments.of("concat(lift(D4, 3) | lift(D4, 1, b=0.2)) relu gconv(1) res(relu gconv(3) sum(id | erf gconv(1)))"
            + " relu flatten dense", 5, 5, 2, 2, 2));

        cases.add(Arguments.of("lift(D4, 3, SAME, b=0.2) layernorm sin(0.2) gconv(3, SAME) layernorm(all) silu gpool dense",
            5, 5, 2, 3, 2));
        cases.add(Arguments.of("conv(3, SAME) layernorm(all) relumono(2) flatten dense layernorm sign dense", 4, 4, 2, 3,
            2));
        return cases.stream();
    }

    private static double relErr(double[] expected, double[] actual) {
        return FiniteTestSupport.maxAbsDiff(expected, actual) / Math.max(1e-300, FiniteTestSupport.maxAbs(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void batchedEqualsPlainLoops(String spec, int h, int w, int c, int width, int outputs) {
        Architecture arch = Architecture.parse(spec);
        FiniteNetwork net = new FiniteNetwork(arch, FeatureShape.image(h, w, c), width, outputs);
        double[] params = net.init(3);
        for (int count : new int[] {1, 5}) {
            double[] x = FiniteTestSupport.gaussian(count * h * w * c, 11 + count);
            int k = net.outputShape().size();
            double[] r = FiniteTestSupport.gaussian(count * k, 17);
            // the plain reference, image by image
            double[][][] acts = new double[count][][];
            double[] gradSum = new double[net.parameterCount()];
            double[][] gradEach = new double[count][];
            for (int i = 0; i < count; i++) {
                acts[i] = net.forward(params, Arrays.copyOfRange(x, i * h * w * c, (i + 1) * h * w * c));
                gradEach[i] = new double[net.parameterCount()];
                net.backward(params, acts[i], Arrays.copyOfRange(r, i * k, (i + 1) * k), gradEach[i]);
                for (int p = 0; p < gradSum.length; p++) {
                    gradSum[p] += gradEach[i][p];
                }
            }
            for (Blas blas : new Blas[] {Blas.system(), Blas.java()}) {
                for (Precision precision : Precision.values()) {
                    double tol = precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
                    String what = spec + ", batch " + count + ", " + precision.label() + ", "
                        + (blas.isNative() ? "native" : "java");
                    BatchedNetwork b = new BatchedNetwork(net, precision, 2, blas);
                    BatchedNetwork.Pass pass = b.forward(params, x, count);
                    for (int layer = 0; layer <= net.layerCount(); layer++) {
                        double[] expected = concat(acts, layer);
                        double err = relErr(expected, pass.activation(layer));
                        assertTrue(err <= tol, what + ": activation " + layer + " off by " + err);
                    }
                    double[] grad = new double[net.parameterCount()];
                    pass.backward(r, grad);
                    double err = relErr(gradSum, grad);
                    assertTrue(err <= tol, what + ": summed gradient off by " + err);
                    double[][] each = new double[count][net.parameterCount()];
                    pass.perSampleGradients(r, (off, len, rows) -> {
                        for (int i = 0; i < count; i++) {
                            System.arraycopy(rows, i * len, each[i], off, len);
                        }
                    });
                    for (int i = 0; i < count; i++) {
                        double e = relErr(gradEach[i], each[i]);
                        assertTrue(e <= tol, what + ": per-sample gradient " + i + " off by " + e);
                    }
                }
            }
        }
    }

    private static double[] concat(double[][][] acts, int layer) {
        int len = acts[0][layer].length;
        double[] out = new double[acts.length * len];
        for (int i = 0; i < acts.length; i++) {
            System.arraycopy(acts[i][layer], 0, out, i * len, len);
        }
        return out;
    }

    @Test
    void threadCountDoesNotChangeResults() {
        // wide enough that the products are cut into blocks that run in parallel
        Architecture arch = Architecture.parse("lift(C4, 3, SAME) relu gconv(3, SAME) relu gpool dense");
        FiniteNetwork net = new FiniteNetwork(arch, FeatureShape.image(8, 8, 3), 24, 2);
        double[] params = net.init(5);
        double[] x = FiniteTestSupport.gaussian(6 * 8 * 8 * 3, 1);
        double[] r = FiniteTestSupport.gaussian(6 * 2, 2);
        for (Precision precision : Precision.values()) {
            double[] out1 = null;
            double[] grad1 = null;
            for (int threads : new int[] {1, 3}) {
                BatchedNetwork.Pass pass = new BatchedNetwork(net, precision, threads).forward(params, x, 6);
                double[] grad = new double[net.parameterCount()];
                pass.backward(r, grad);
                if (out1 == null) {
                    out1 = pass.outputs();
                    grad1 = grad;
                } else {
                    assertArrayEquals(out1, pass.outputs(), 0.0, precision.label() + " outputs");
                    assertArrayEquals(grad1, grad, 0.0, precision.label() + " gradient");
                }
            }
        }
    }

    @Test
    void pureJavaBlasSaysWhatItIs() {
        Blas java = Blas.java();
        assertTrue(!java.isNative());
        assertTrue(java.description().contains("pure-Java"), java.description());
        assertEquals(Blas.system(), Blas.system(), "one BLAS per process");
    }

    /** The branch-free ReLU of the batched face against the comparison of the plain loops, signed zeros included. */
    @Test
    void reluMaskEqualsTheComparison() {
        double[] x = {-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e300, 2.5, -2.5,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -7.0};
        double[] g = FiniteTestSupport.gaussian(x.length, 4);
        for (Floats f : new Floats[] {Floats.F64, Floats.F32}) {
            Object xs = f.copyOf(x, x.length);
            Object gs = f.copyOf(g, g.length);
            double[] xv = f.toDouble(xs, x.length);
            double[] gv = f.toDouble(gs, g.length);
            Object y = f.alloc(x.length);
            Object gx = f.alloc(x.length);
            f.relu(xs, y, x.length);
            f.reluBackward(xs, gs, gx, x.length);
            double[] yv = f.toDouble(y, x.length);
            double[] gxv = f.toDouble(gx, x.length);
            for (int i = 0; i < x.length; i++) {
                double want = xv[i] > 0 ? xv[i] : 0;
                double wantGrad = xv[i] > 0 ? gv[i] : 0;
                // bit equality: +0.0 where the comparison gives 0, never -0.0
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(yv[i]),
                    f.precision() + " relu(" + xv[i] + ")");
                assertEquals(Double.doubleToRawLongBits(wantGrad), Double.doubleToRawLongBits(gxv[i]),
                    f.precision() + " relu'(" + xv[i] + ")");
            }
        }
    }
}
