package io.eqntk.network;

import io.eqntk.TestImages;
import io.eqntk.finite.FiniteTestSupport;
import io.eqntk.arch.Architecture;
import io.eqntk.model.FeatureShape;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.model.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The empirical kernels of one network by batched per-sample gradients contracted with GEMM, against the sums
 * they replace: f_k(x_i) f_k(x_j) and the sum over every parameter of df_k(x_i)/dp df_k(x_j)/dp, each gradient
 * from the plain single-image backward pass.
 */
class EmpiricalContractionTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "conv(3, SAME, b=0.2) relu conv(3, VALID) erf gap dense(b=0.1)",
        "lift(D4, 3, SAME, b=0.3) relu gconv(3, CIRCULAR) relu gpool dense relu dense(b=0.2)",
        "lift(C4, 3, VALID) erf avgpool(2) flatten dense",
    })
    void contractionEqualsPerParameterSum(String spec) {
        Architecture arch = Architecture.parse(spec);
        ImageBatch x = TestImages.gaussian(4, 6, 6, 2, 8);
        FiniteNetwork net = new FiniteNetwork(arch, FeatureShape.image(6, 6, 2), 5, 3);
        double[] params = net.init(12);
        double[][] fast = EmpiricalKernels.sample(net.batched(Precision.FLOAT64, 1), params, x);
        int n = x.count();
        int k = 3;
        double[][] out = new double[n][];
        double[][][] grads = new double[n][k][net.parameterCount()];
        for (int i = 0; i < n; i++) {
            double[][] acts = net.forward(params, x.image(i));
            out[i] = acts[acts.length - 1];
            for (int o = 0; o < k; o++) {
                double[] unit = new double[k];
                unit[o] = 1;
                net.backward(params, acts, unit, grads[i][o]);
            }
        }
        double[] nngp = new double[n * n];
        double[] ntk = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int o = 0; o < k; o++) {
                    nngp[i * n + j] += out[i][o] * out[j][o] / k;
                    for (int p = 0; p < net.parameterCount(); p++) {
                        ntk[i * n + j] += grads[i][o][p] * grads[j][o][p] / k;
                    }
                }
            }
        }
        double eNngp = FiniteTestSupport.maxAbsDiff(nngp, fast[0]) / FiniteTestSupport.maxAbs(nngp);
        double eNtk = FiniteTestSupport.maxAbsDiff(ntk, fast[1]) / FiniteTestSupport.maxAbs(ntk);
        assertTrue(eNngp < 1e-12, "NNGP off by " + eNngp);
        assertTrue(eNtk < 1e-12, "NTK off by " + eNtk);
    }
}
