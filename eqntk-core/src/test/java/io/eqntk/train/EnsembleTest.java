package io.eqntk.train;

import io.eqntk.EqntkException;
import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import io.eqntk.group.PointGroup;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.ProgressListener;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnsembleTest {
    private static final Architecture GCNN = Architecture.parse("lift(D2, 3, SAME) relu gpool dense(b=0.3)");

    @Test
    void antitheticPairsCancelTheInitialFunctionAndResultsDoNotDependOnThreads() {
        ImageBatch x = TestImages.gaussian(4, 5, 5, 1, 1);
        ImageBatch z = TestImages.gaussian(3, 5, 5, 1, 2);
        double[] y = {1, -1, 1, -1};
        GradientDescent.Config gd = GradientDescent.Config.fullBatch(0.5, 6);
        Ensemble.Result one = Ensemble.train(GCNN, 4, x, y, 1, gd, new int[] {0, 3, 6}, z, 6, true, 7, 1,
            ProgressListener.NONE);
        Ensemble.Result two = Ensemble.train(GCNN, 4, x, y, 1, gd, new int[] {6, 0, 3}, z, 6, true, 7, 2,
            ProgressListener.NONE);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(one.mean()[c], two.mean()[c], 0);
            assertArrayEquals(one.stdError()[c], two.stdError()[c], 0);
        }
        for (int e = 0; e < 3; e++) {
            assertEquals(0, one.mean()[0][e], 1e-15, "pair means vanish at initialisation");
            assertEquals(-one.predictions()[0][0][e], one.predictions()[1][0][e], 1e-12, "twin is negated");
        }
        assertTrue(one.meanLoss()[6] < one.meanLoss()[0]);
        Ensemble.Result plain = Ensemble.train(GCNN, 4, x, y, 1, gd, new int[] {0}, z, 3, false, 7, 2,
            ProgressListener.NONE);
        assertTrue(plain.stdError()[0][0] > 0, "without pairs the initial function does not cancel");
    }

    @Test
    void antitheticPairsNeedAnEvenEnsembleAndALinearReadout() {
        ImageBatch x = TestImages.gaussian(2, 5, 5, 1, 1);
        GradientDescent.Config gd = GradientDescent.Config.fullBatch(0.5, 1);
        assertThrows(EqntkException.class, () -> Ensemble.train(GCNN, 2, x, new double[2], 1, gd, new int[0], null,
            3, true, 0, 1, ProgressListener.NONE));
        assertThrows(EqntkException.class, () -> Ensemble.train(GCNN, 2, x, new double[2], 1, gd, new int[0], null,
            1, false, 0, 1, ProgressListener.NONE));
        Architecture relu = Architecture.parse("conv(3) relu gap dense relu");
        assertThrows(EqntkException.class, () -> Ensemble.train(relu, 2, x, new double[2], 1, gd, new int[0], null,
            2, true, 0, 1, ProgressListener.NONE));
    }

    @Test
    void augmentationAddsTheWholeOrbitWithItsTargets() {
        ImageBatch x = TestImages.gaussian(2, 4, 4, 3, 5);
        ImageBatch a = Augmentation.orbit(x, PointGroup.D4);
        assertEquals(16, a.count());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(x.image(i), a.image(i * 8), 0, "identity first");
            for (int g = 0; g < 8; g++) {
                assertArrayEquals(PointGroup.D4.transformImage(g, x.image(i), 4, 3), a.image(i * 8 + g), 0);
            }
        }
        double[] y = Augmentation.repeatTargets(new double[] {1, 2, 3, 4}, 2, 2, 3);
        assertArrayEquals(new double[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, y, 0);
        assertThrows(EqntkException.class, () -> Augmentation.orbit(TestImages.gaussian(1, 4, 5, 1, 1),
            PointGroup.C4));
    }
}
