package io.eqntk.finite;

import io.eqntk.arch.Architecture;
import io.eqntk.network.FiniteNetwork;
import io.eqntk.model.FeatureShape;
import io.eqntk.model.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group convolution's per-sample gradients cut into blocks of output channels (one channel per block here)
 * against the layer's whole-batch backward pass: for every parameter, the per-sample gradients summed over
 * the samples equal the summed gradient, and the blocks tile the parameters exactly once.
 */
class PerSampleBlocksTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "lift(D4, 3, SAME) relu gconv(3, SAME, b=0.2) relu gpool dense; FLOAT64",
        "lift(C4, 3, VALID, b=0.1) relu gconv(3, CIRCULAR) relu gpool dense; FLOAT32",
        "conv(3, SAME, b=0.3) relu conv(3, VALID, b=0.2) relu gap dense; FLOAT64",
    })
    void blocksSumToTheBatchGradient(String spec, Precision precision) {
        FiniteNetwork net = new FiniteNetwork(Architecture.parse(spec), FeatureShape.image(6, 6, 2), 4, 2);
        FiniteGroupConvolution layer = (FiniteGroupConvolution) net.layer(2);
        int n = 3;
        Floats f = Floats.of(precision);
        BatchedLayer.Compute c = new BatchedLayer.Compute(f, Blas.system(), 1);
        double[] params = net.init(7);
        int off = net.offset(2);
        Object prepared = layer.prepare(c, params, off);
        Object x = f.copyOf(FiniteTestSupport.gaussian(n * layer.inputShape().size(), 1), n * layer.inputShape().size());
        Object gy = f.copyOf(FiniteTestSupport.gaussian(n * layer.outputShape().size(), 2),
            n * layer.outputShape().size());
        int p = layer.parameterCount();
        double[] summed = new double[net.parameterCount()];
        layer.backward(c, prepared, x, f.alloc(n * layer.outputShape().size()), gy, null, n, summed, off);
        double[] fromBlocks = new double[p];
        int[] covered = new int[p];
        int[] blockCount = new int[1];
        layer.perSampleBlocks(c, prepared, x, gy, n, (at, len, rows) -> {
            blockCount[0]++;
            for (int j = 0; j < len; j++) {
                covered[at + j]++;
                for (int i = 0; i < n; i++) {
                    fromBlocks[at + j] += rows[i * len + j];
                }
            }
        }, 1);
        assertTrue(blockCount[0] >= 4, "one output channel per block: " + blockCount[0] + " blocks");
        double scale = 0;
        double err = 0;
        for (int j = 0; j < p; j++) {
            assertTrue(covered[j] == 1, "parameter " + j + " in " + covered[j] + " blocks");
            scale = Math.max(scale, Math.abs(summed[off + j]));
            err = Math.max(err, Math.abs(summed[off + j] - fromBlocks[j]));
        }
        double tol = precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
        assertTrue(err <= tol * scale, "per-sample blocks off by " + err / scale + " (relative)");
    }
}
