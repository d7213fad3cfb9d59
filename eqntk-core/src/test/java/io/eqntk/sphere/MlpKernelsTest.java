package io.eqntk.sphere;

import io.eqntk.arch.Architecture;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The MLP baseline against the planar engine's flatten + dense network on quadrature-scaled pixels. */
class MlpKernelsTest {
    @Test
    void matchesThePlanarEngine() {
        int bw = 3, p = 2 * bw;
        List<SphereSignal> xs = List.of(SphericalTestSignals.randomGridSignal(bw, 2, 1),
            SphericalTestSignals.randomGridSignal(bw, 2, 2));
        double[] q = new S2Transform(bw).meanWeights();
        double[] data = new double[2 * p * p * 2];
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < p * p; i++) {
                for (int c = 0; c < 2; c++) {
                    // the engine's flatten averages pixels uniformly: scale so that the mean is the quadrature mean
                    data[(n * p * p + i) * 2 + c] = xs.get(n).channels()[c][i] * Math.sqrt(q[i] * p * p);
                }
            }
        }
        KernelMatrices want = new KernelEngine(Architecture.parse("flatten dense(b=0.3) relu dense(b=0.3) relu dense(b=0.3)"), 1)
            .gram(new ImageBatch(data, 2, p, p, 2), ProgressListener.NONE);
        double[][] got = new MlpKernels(2, 0.3).cross(xs, xs);
        for (int i = 0; i < 4; i++) {
            assertEquals(want.nngp()[i], got[0][i], 1e-12);
            assertEquals(want.ntk()[i], got[1][i], 1e-12);
        }
    }
}
