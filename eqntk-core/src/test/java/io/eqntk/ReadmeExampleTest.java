package io.eqntk;

import io.eqntk.arch.Architecture;
import io.eqntk.network.EmpiricalKernels;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.predict.Classification;
import io.eqntk.predict.KernelRegression;
import io.eqntk.predict.Ridge;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java example of the README, kept compiling and running. */
class ReadmeExampleTest {
    @Test
    void readmeExample() {
        ImageBatch train = TestImages.gaussian(6, 8, 8, 3, 1);   // [N, H, W, C], channels last
        ImageBatch test = TestImages.gaussian(2, 8, 8, 3, 2);
        int[] labels = {0, 1, 0, 1, 0, 1};

        // --- README snippet starts
        Architecture arch = Architecture.parse("lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense relu dense");
        KernelEngine engine = new KernelEngine(arch, 2);                 // 2 worker threads
        KernelMatrices kTrain = engine.gram(train, ProgressListener.NONE);
        KernelMatrices kTest = engine.cross(test, train, ProgressListener.NONE);

        // the mean prediction of an infinite ensemble trained by gradient flow (NTK), t = infinity
        KernelRegression reg = new KernelRegression(kTrain.ntk(), train.count(), Ridge.relative(1e-3));
        double[] mean = reg.predict(kTest.ntk(), test.count(), Classification.targets(labels, 2), 2);
        int[] predicted = Classification.argmax(mean, test.count(), 2);

        // a Monte-Carlo check with 20 finite networks of width 16
        EmpiricalKernels.Result mc = EmpiricalKernels.estimate(arch, test, 16, 4, 20, 0, 2, ProgressListener.NONE);
        // --- README snippet ends

        assertEquals(2, predicted.length);
        assertTrue(mc.ntk().mean(0, 0) > 0);
    }
}
