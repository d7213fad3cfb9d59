package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.data.Datasets;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.predict.Ridge;
import io.eqntk.sphere.kernel.SphericalKernels;
import io.eqntk.sphere.SphericalMnist;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spherical MNIST through the ordinary experiment pipeline, on a tiny subset at bandwidth 2. */
class SphericalMnistExperimentTest {
    private static final String SO3 = "s2lift(2, 0.8, b=0.1, n_alpha=4, n_beta=2) relu so3pool dense";

    /** Keeps every matrix it hands out. */
    static final class Capturing implements KernelSource {
        final KernelSource inner = KernelSource.engine(1);
        final List<ImageBatch> gramInputs = new ArrayList<>();
        final List<KernelMatrices> grams = new ArrayList<>();

        @Override
        public KernelMatrices gram(Architecture arch, ImageBatch x, ProgressListener progress) {
            KernelMatrices k = inner.gram(arch, x, progress);
            gramInputs.add(x);
            grams.add(k);
            return k;
        }

        @Override
        public KernelMatrices cross(Architecture arch, ImageBatch x1, ImageBatch x2, ProgressListener progress) {
            return inner.cross(arch, x1, x2, progress);
        }

        @Override
        public double[][] self(Architecture arch, ImageBatch x) {
            return inner.self(arch, x);
        }
    }

    private static ExperimentConfig config(String dataset, int grid, String models) {
        return new ExperimentConfig(dataset, grid, ModelSpec.parseList(models), List.of(KernelKind.NTK,
            KernelKind.NNGP), List.of(5, 10), 1, 10, 5, 20, List.of(Ridge.relative(1e-4), Ridge.relative(1e-1)),
            null, null, 3, 0);
    }

    @Test
    void spheresRunThroughThePipelineWithTheSphericalKernels() {
        ExperimentConfig c = config("spherical-mnist", 4, "so3=" + SO3 + ";mlp=flatten dense(b=0.1) relu dense");
        ExperimentData data = ExperimentData.load(c);
        assertEquals(List.of(20, 5, 10), List.of(data.train().count(), data.valid().count(), data.test().count()));
        assertEquals(4, data.height());
        // the digits are the loader's: training ones unrotated, test ones rotated (seeded)
        var mnist = Datasets.defaultDataRoot().resolve("mnist");
        List<SphericalMnist.Sample> train = SphericalMnist.load(mnist, "train", 25, 2, false, 3);
        List<SphericalMnist.Sample> test = SphericalMnist.load(mnist, "test", 10, 2, true, 4);
        assertArrayEquals(train.get(7).signal().toImage(), data.train().image(7), 0);
        assertArrayEquals(train.get(22).signal().toImage(), data.valid().image(2), 0);
        assertArrayEquals(test.get(4).signal().toImage(), data.test().image(4), 0);
        assertEquals(test.get(4).label(), data.test().labels()[4]);

        Capturing k = new Capturing();
        ExperimentRunner.Result r = new ExperimentRunner(k).run(c, data, null, null);
        // 2 models x 2 kernels x 2 sizes x 1 seed, one paired comparison per kernel and size
        assertEquals(8, r.rows().size());
        assertEquals(4, r.comparisons().size());
        for (ResultRow row : r.rows()) {
            assertTrue(row.accuracy() >= 0 && row.accuracy() <= 1, row.toString());
        }
        // the SO(3) model's Gram matrix is the spherical evaluator's on those signals
        double[][] want = new SphericalKernels(Architecture.parse(SO3).sphericalPlan(2, 1))
            .gram(SphericalKernelSource.signals(k.gramInputs.get(0)));
        assertArrayEquals(want[1], k.grams.get(0).ntk(), 0);
        assertArrayEquals(want[0], k.grams.get(0).nngp(), 0);
        assertFalse(java.util.Arrays.equals(k.grams.get(0).ntk(), k.grams.get(1).ntk()), "mlp differs");
    }

    @Test
    void rrRotatesTheTrainingDigitsToo() {
        ExperimentData nr = ExperimentData.load(config("spherical-mnist", 4, "so3=" + SO3));
        ExperimentData rr = ExperimentData.load(config("Spherical-MNIST-RR", 4, "so3=" + SO3));
        assertArrayEquals(nr.train().labels(), rr.train().labels());
        assertArrayEquals(nr.test().image(0), rr.test().image(0), 0);
        assertFalse(java.util.Arrays.equals(nr.train().image(0), rr.train().image(0)));
        assertTrue(rr.notes().get(0).contains("R/R"), rr.notes().get(0));
    }

    @Test
    void badGridsAndPlanarModelsAreOneLineErrors() {
        assertEquals("--image-size for spherical-mnist is the S2 grid's side 2L (bandwidth L): an even number from "
            + "2 to 128, got 5", assertThrows(EqntkException.class,
                () -> ExperimentData.load(config("spherical-mnist", 5, "so3=" + SO3))).getMessage());
        // a spherical network on planar images: the runner names the model and the layer
        ExperimentConfig c = config("spherical-mnist", 4, "so3=" + SO3);
        ExperimentData data = ExperimentData.load(c);
        ExperimentConfig wide = config("spherical-mnist", 4, "so3=s2lift(3, 0.8) relu so3pool dense");
        String m = assertThrows(EqntkException.class,
            () -> new ExperimentRunner(KernelSource.engine(1)).run(wide, data, null, null)).getMessage();
        assertEquals("model so3 does not fit 4x4x1 images: layer 1 's2lift(3, 0.8)': output bandwidth 3 exceeds the "
            + "input's bandwidth 2 (a layer can only keep or lower the bandwidth)", m);
        // planar images (another dataset's, even when square and of even size) are not spherical signals
        ExperimentData planar = new ExperimentData("breastmnist", data.train(), data.valid(), data.test(), 10, null,
            List.of(), data.standardizer(), data.color(), false);
        assertEquals("model so3 is a spherical network, but breastmnist holds planar images: spherical networks run "
            + "on spherical-mnist or spherical-mnist-rr", assertThrows(EqntkException.class,
                () -> new ExperimentRunner(KernelSource.engine(1)).run(c, planar, null, null)).getMessage());
        ExperimentConfig mixed = config("spherical-mnist", 4, "bad=s2lift(2, 0.8) relu gap dense");
        m = assertThrows(EqntkException.class,
            () -> new ExperimentRunner(KernelSource.engine(1)).run(mixed, data, null, null)).getMessage();
        assertTrue(m.startsWith("model bad does not fit 4x4x1 images: layer 3 'gap': a planar layer in a spherical "
            + "network"), m);
    }
}
