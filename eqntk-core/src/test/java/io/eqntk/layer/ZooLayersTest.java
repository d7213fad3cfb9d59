package io.eqntk.layer;

import io.eqntk.arch.Architecture;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.KernelOp;
import io.eqntk.nonlin.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layer zoo's registry entries: every nonlinearity's φ' is the derivative of its φ (a central difference away
 * from kinks) and its finite layer computes φ and φ' (forward and backward); layer normalisation's op and faces;
 * bad names and parameters give one-line errors that name the layer.
 */
class ZooLayersTest {
    private static final List<String> NONLINEARITIES = List.of("relu", "erf", "gelu", "tanh", "leakyrelu(0.2)",
        "abrelu(-0.5, 2)", "abs", "sin(0.3, a=1.5, b=0.8)", "cos(-0.2)", "rbf(0.7)", "gaussian", "gaussian(2, -1.5)",
        "exp(0.5, 0.8)", "sign", "relumono(0)", "relumono(1)", "relumono(2)", "relumono(3)", "relumono(8)",
        "monomial(0)", "monomial(3)", "hermite(1)", "hermite(4)", "hermite(8)", "sigmoid", "softplus", "silu", "elu",
        "elu(0.4)");
    private static final double[] POINTS = {-3.1, -1.2, -0.4, -0.013, 0.021, 0.35, 0.9, 1.7, 2.8};

    @Test
    void derivativeIsTheSlopeOfPhiAndTheFiniteLayerUsesBoth() {
        FeatureShape shape = FeatureShape.image(3, 3, 1);
        for (String spec : NONLINEARITIES) {
            Layer layer = Architecture.parse(spec).layers().get(0);
            Activation a = ((Pointwise) layer).activation();
            assertEquals(layer.spec(), Architecture.parse(layer.spec()).layers().get(0).spec(), spec);
            for (double x : POINTS) {
                double h = 1e-6;
                double fd = (a.phi(x + h) - a.phi(x - h)) / (2 * h);
                assertEquals(fd, a.dphi(x), 1e-6 * (1 + Math.abs(fd)), spec + " at " + x);
            }
            FiniteLayer f = layer.finite(shape, shape);
            double[] in = new double[9];
            double[] gy = new double[9];
            for (int i = 0; i < 9; i++) {
                in[i] = POINTS[i];
                gy[i] = 0.5 + i;
            }
            double[] out = new double[9];
            double[] gx = new double[9];
            f.forward(null, 0, in, out);
            f.backward(null, 0, in, out, gy, null, gx);
            for (int i = 0; i < 9; i++) {
                assertEquals(a.phi(in[i]), out[i], 0, spec);
                assertEquals(a.dphi(in[i]) * gy[i], gx[i], 1e-15 * Math.abs(gx[i]), spec);
            }
        }
    }

    @Test
    void layerNormIsAGaussianPreservingNormalisation() {
        Layer channels = Architecture.parse("layernorm").layers().get(0);
        Layer all = Architecture.parse("layernorm(ALL)").layers().get(0);
        assertEquals("layernorm(channels)", channels.spec());
        assertEquals("layernorm(all)", all.spec());
        assertEquals(new KernelOp.Normalize(KernelOp.Normalize.Axes.ALL), all.kernelOp());
        assertTrue(channels.kernelOp().needsGaussianInput());
        assertTrue(channels.kernelOp().gaussianOutput(true));
        assertFalse(all.kernelOp().gaussianOutput(false));
        // finite face: zero mean and unit mean square over each run of channels, or over the whole map
        FeatureShape shape = FeatureShape.groupMap(io.eqntk.group.PointGroup.of("C4"), 2, 3, 5);
        double[] x = new double[shape.size()];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * r.nextGaussian() + 0.7;
        }
        for (Layer l : List.of(channels, all)) {
            double[] y = new double[x.length];
            l.finite(shape, shape).forward(null, 0, x, y);
            int run = l == channels ? 5 : x.length;
            for (int s = 0; s < x.length; s += run) {
                double m = 0;
                double q = 0;
                for (int i = s; i < s + run; i++) {
                    m += y[i] / run;
                    q += y[i] * y[i] / run;
                }
                assertEquals(0, m, 1e-12, l.spec());
                assertEquals(1, q, 1e-9, l.spec());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "conv(3) relumono(-1) gap; layer 2 'relumono(-1)': degree k must be in 0..8, got -1",
        "conv(3) relumono(9) gap; layer 2 'relumono(9)': degree k must be in 0..8, got 9",
        "conv(3) relumono gap; layer 2 'relumono': missing argument 'k'",
        "conv(3) relumono(1.5) gap; layer 2 'relumono(1.5)': k must be an integer, got '1.5'",
        "conv(3) hermite(12) gap; layer 2 'hermite(12)': degree must be in 0..8, got 12",
        "conv(3) monomial(-2) gap; layer 2 'monomial(-2)': degree must be in 0..8, got -2",
        "conv(3) gaussian(1, 0.5) gap; layer 2 'gaussian(1, 0.5)': needs a finite and b < 0",
        "conv(3) rbf(0) gap; layer 2 'rbf(0)': gamma must be a positive number, got 0.0",
        "conv(3) rbf(-2) gap; layer 2 'rbf(-2)': gamma must be a positive number",
        "conv(3) elu(fast) gap; layer 2 'elu(fast)': alpha must be a finite number, got 'fast'",
        "conv(3) sin(1, c=2) gap; layer 2 'sin(1, c=2)': unknown argument 'c' (allowed: shift, a, b)",
        "conv(3) layernorm(rows) gap; layer 2 'layernorm(rows)': unknown axes 'rows' (channels or all)",
        "conv(3) sign(2) gap; layer 2 'sign(2)': takes no arguments",
        "conv(3) swish gap; layer 2 'swish': unknown layer 'swish'",
    })
    void badNamesAndParametersGiveOneLineErrors(String spec, String message) {
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> Architecture.parse(spec));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
