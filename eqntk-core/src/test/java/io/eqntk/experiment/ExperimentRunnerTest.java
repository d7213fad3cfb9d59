package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.data.ColorMode;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.predict.Ridge;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentRunnerTest {
    /** Counts the calls and remembers the batch sizes. */
    static final class Counting implements KernelSource {
        final KernelSource inner = KernelSource.engine(2);
        final List<String> calls = new ArrayList<>();

        @Override
        public synchronized KernelMatrices gram(Architecture arch, ImageBatch x, ProgressListener progress) {
            calls.add("gram " + arch.spec() + " " + x.count());
            return inner.gram(arch, x, progress);
        }

        @Override
        public synchronized KernelMatrices cross(Architecture arch, ImageBatch x1, ImageBatch x2,
                                                 ProgressListener progress) {
            calls.add("cross " + arch.spec() + " " + x1.count() + "x" + x2.count());
            return inner.cross(arch, x1, x2, progress);
        }
    }

    private static ExperimentConfig config(List<Integer> sizes, int seeds, String models) {
        return new ExperimentConfig("pcam-1000", 6, ModelSpec.parseList(models), List.of(KernelKind.NTK, KernelKind.NNGP),
            sizes, seeds, 20, 30, 0, List.of(Ridge.relative(1e-4), Ridge.relative(1e-2), Ridge.relative(1)),
            ColorMode.RGB, null, 0, 0);
    }

    @Test
    void eachModelComputesOneGramAndOneCrossMatrixForAllSizesSeedsAndRidges() {
        String small = "a=conv(3, SAME) relu gap dense;b=lift(C2, 3, SAME) relu gpool dense";
        ExperimentConfig c = config(List.of(4, 8, 12), 2, small);
        ExperimentData data = ExperimentData.load(c);
        Counting k = new Counting();
        List<long[]> progress = new ArrayList<>();
        ExperimentRunner.Result r = new ExperimentRunner(k).run(c, data,
            (done, total) -> { synchronized (progress) { progress.add(new long[] {done, total}); } }, null);
        int pool = r.poolSize();
        assertTrue(pool >= 12 && pool <= 24, "pool " + pool);
        assertEquals(List.of(
            "gram conv(3, SAME) relu gap dense " + pool, "cross conv(3, SAME) relu gap dense 50x" + pool,
            "gram lift(C2, 3, SAME) relu gpool dense " + pool, "cross lift(C2, 3, SAME) relu gpool dense 50x" + pool),
            k.calls);
        // 2 models x 2 kernels x 3 sizes x 2 seeds
        assertEquals(24, r.rows().size());
        assertEquals(12, r.summary().size());
        for (ResultRow row : r.rows()) {
            assertTrue(row.accuracy() >= 0 && row.accuracy() <= 1);
            assertEquals(row.accuracy(), io.eqntk.predict.Classification.accuracy(row.predicted(), r.testLabels()));
            assertTrue(row.auc() >= 0 && row.auc() <= 1 && row.balancedAccuracy() >= 0, row.toString());
            assertTrue(row.sensitivity() >= 0 && row.specificity() >= 0, "binary task: both rates");
            boolean nngp = row.kernel().equals("nngp");
            assertEquals(nngp, Double.isFinite(row.logLikelihood()), "log-likelihood only for the NNGP");
            assertEquals(nngp, Double.isFinite(row.ece()), "ECE only for the NNGP");
        }
        // one comparison (b - a) per kernel and size; confusion matrices at the largest size count every image
        assertEquals(2 * 3, r.comparisons().size());
        assertEquals("b", r.comparisons().get(0).model());
        assertEquals(4, r.confusions().size());
        for (ExperimentRunner.Confusion cm : r.confusions()) {
            assertEquals(12, cm.trainSize());
            assertEquals(2 * 20, java.util.Arrays.stream(cm.counts()).flatMapToInt(java.util.Arrays::stream).sum());
        }
        for (SummaryRow s : r.summary()) {
            assertTrue(s.accuracyCi().low() <= s.mean() && s.mean() <= s.accuracyCi().high(), s.toString());
        }
        long[] last = progress.get(progress.size() - 1);
        assertEquals(last[1], last[0], "progress ends at its total");
    }

    @Test
    void trainedFiniteBaselinesRunOnTheKernelsSubsetsBesideThem() {
        ExperimentConfig c = new ExperimentConfig("pcam-1000", 6, ModelSpec.parseList("cnn,cnn-sgd,cnn-sgd-aug")
            .stream().map(m -> m.withBaseline(2, 20, 1.0)).toList(), List.of(KernelKind.NTK), List.of(4, 8), 2, 10,
            10, 0, List.of(Ridge.relative(1e-2)), ColorMode.RGB, null, 0, 0);
        ExperimentData data = ExperimentData.load(c);
        Counting k = new Counting();
        ExperimentRunner.Result r = new ExperimentRunner(k).run(c, data, null, null);
        assertEquals(2, k.calls.size(), "kernels only for the kernel model: " + k.calls);
        // 3 models x 2 sizes x 2 seeds
        assertEquals(12, r.rows().size());
        for (ResultRow row : r.rows()) {
            assertEquals(row.model().equals("cnn") ? "ntk" : "sgd", row.kernel());
            assertTrue(row.accuracy() >= 0 && row.accuracy() <= 1);
        }
        // the trained networks are compared with each other (augmented minus plain), per size
        List<ExperimentRunner.Comparison> sgd = r.comparisons().stream().filter(x -> x.kernel().equals("sgd")).toList();
        assertEquals(2, sgd.size());
        assertEquals("cnn-sgd-aug", sgd.get(0).model());
        assertEquals("cnn-sgd", sgd.get(0).baseline());
        // reproducible: the same seeds train the same networks
        ExperimentRunner.Result again = new ExperimentRunner(KernelSource.engine(1)).run(c, data, null, null);
        for (int i = 0; i < r.rows().size(); i++) {
            assertArrayEquals(r.rows().get(i).scores(), again.rows().get(i).scores(), 0.0);
        }
        assertThrows(EqntkException.class, () -> ModelSpec.of("cnn-sgd").withBaseline(0, 10, 1));
    }

    @Test
    void subsetsAreNestedBalancedAndTheirUnionIsThePool() {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3 == 0 ? 1 : 0; // 34 of class 1, 66 of class 0
        }
        TrainSubsets s = TrainSubsets.draw(labels, 2, List.of(10, 20, 40), 3);
        int[] pool = s.pool();
        Set<Integer> union = new HashSet<>();
        for (int seed = 0; seed < 3; seed++) {
            int[] big = s.subset(40, seed);
            for (int size : List.of(10, 20, 40)) {
                int[] sub = s.subset(size, seed);
                assertArrayEquals(java.util.Arrays.copyOf(big, size), sub, "nested");
                int ones = 0;
                for (int p : sub) {
                    ones += labels[pool[p]];
                    union.add(pool[p]);
                }
                assertEquals(size / 2, ones, "balanced");
            }
        }
        assertEquals(pool.length, union.size());
        assertArrayEquals(s.subset(40, 1), TrainSubsets.draw(labels, 2, List.of(10, 20, 40), 3).subset(40, 1));
        assertThrows(EqntkException.class, () -> TrainSubsets.draw(labels, 2, List.of(101), 1));
    }

    @Test
    void modelNames() {
        assertEquals(ModelSpec.CNN_SPEC, ModelSpec.of("cnn").spec());
        assertEquals("lift(D4, 3, VALID) relu gconv(3, VALID) relu gpool dense", ModelSpec.of("p4m").spec());
        assertEquals(ModelSpec.PAPER_CNN_SPEC, ModelSpec.of("paper-cnn").spec());
        assertEquals("lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense relu dense", ModelSpec.of("Paper-C4").spec());
        List<ModelSpec> ms = ModelSpec.parseList("cnn,c2;x=conv(3, SAME) relu gap dense;conv(3) relu gap dense");
        assertEquals(List.of("cnn", "c2", "x", "conv(3) relu gap dense"), ms.stream().map(ModelSpec::name).toList());
        assertThrows(EqntkException.class, () -> ModelSpec.parseList("cnn,c5"));
        assertThrows(EqntkException.class, () -> ModelSpec.parseList("cnn,cnn"));
    }
}
