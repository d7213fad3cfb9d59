package io.eqntk.sphere.experiment;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.predict.Classification;
import io.eqntk.predict.KernelRegression;
import io.eqntk.predict.Ridge;
import io.eqntk.sphere.MlpKernels;
import io.eqntk.sphere.MoleculeSpheres;
import io.eqntk.sphere.SphereSignal;
import io.eqntk.sphere.kernel.SphericalKernels;
import io.eqntk.sphere.SphericalMnist;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Kernel regression (t = infinity, fixed relative ridge) with the exact kernels of an SO(3) network against an
 * MLP on the same grid: spherical MNIST accuracy (NR/R and R/R) and QM9 U0 mean absolute error.
 */
public final class SphereExperiments {
    /** One result row. */
    public record Row(String task, String protocol, String model, String kernel, int trainSize, double value) {
        public String format() {
            return String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%.6g", task, protocol, model, kernel, trainSize, value);
        }
    }

    public static final double HARTREE_MEV = 27211.386;
    private static final Ridge RIDGE = Ridge.relative(1e-6);

    private SphereExperiments() {
    }

    /** Test accuracy against training size for NR/R and R/R; SO(3) kernels on {@code threads} workers. */
    public static List<Row> mnist(Path mnistDir, String arch, int inputBandwidth, int[] trainSizes, int testSize,
                                  long seed, int threads, Consumer<String> log) {
        int maxTrain = Arrays.stream(trainSizes).max().orElseThrow();
        SphericalKernels so3 = new SphericalKernels(Architecture.parse(arch).sphericalPlan(inputBandwidth, 1));
        MlpKernels mlp = new MlpKernels(2, 0);
        List<Row> rows = new ArrayList<>();
        List<SphericalMnist.Sample> test = SphericalMnist.load(mnistDir, "test", testSize, inputBandwidth, true, seed + 1);
        List<SphereSignal> xTest = signals(test);
        int[] yTest = test.stream().mapToInt(SphericalMnist.Sample::label).toArray();
        for (String protocol : new String[] {"NR/R", "R/R"}) {
            List<SphericalMnist.Sample> train = SphericalMnist.load(mnistDir, "train", maxTrain, inputBandwidth,
                protocol.equals("R/R"), seed);
            List<SphereSignal> xTrain = signals(train);
            int[] yTrain = train.stream().mapToInt(SphericalMnist.Sample::label).toArray();
            long t0 = System.nanoTime();
            double[][] kTrain = so3.gram(xTrain, threads), kTest = so3.cross(xTest, xTrain, threads);
            log.accept(String.format(Locale.ROOT, "%s: SO(3) kernels in %.1f s", protocol, (System.nanoTime() - t0) / 1e9));
            double[][] mTrain = mlp.cross(xTrain, xTrain), mTest = mlp.cross(xTest, xTrain);
            for (int n : trainSizes) {
                for (int k = 0; k < 2; k++) {
                    String kernel = k == 0 ? "nngp" : "ntk";
                    rows.add(new Row("spherical-mnist", protocol, "so3", kernel, n,
                        accuracy(kTrain[k], kTest[k], maxTrain, n, yTrain, yTest)));
                    rows.add(new Row("spherical-mnist", protocol, "mlp", kernel, n,
                        accuracy(mTrain[k], mTest[k], maxTrain, n, yTrain, yTest)));
                }
                rows.subList(rows.size() - 4, rows.size()).forEach(r -> log.accept(r.format()));
            }
        }
        return rows;
    }

    private static List<SphereSignal> signals(List<SphericalMnist.Sample> s) {
        return s.stream().map(SphericalMnist.Sample::signal).toList();
    }

    private static double accuracy(double[] kTrain, double[] kTest, int stride, int n, int[] yTrain, int[] yTest) {
        int classes = Classification.numClasses(yTrain, yTest);
        int[] y = Arrays.copyOf(yTrain, n);
        KernelRegression reg = new KernelRegression(block(kTrain, stride, n, n), n, RIDGE, m -> { });
        double[] pred = reg.predict(block(kTest, stride, yTest.length, n), yTest.length,
            Classification.targets(y, classes), classes);
        return Classification.accuracy(Classification.argmax(pred, yTest.length, classes), yTest);
    }

    /** The leading rows x cols block of a row-major matrix with the given row stride. */
    private static double[] block(double[] k, int stride, int rows, int cols) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(k, i * stride, out, i * cols, cols);
        }
        return out;
    }

    /**
     * QM9 U0: mean absolute error in meV on a fixed seeded test set against the number of training molecules;
     * molecule kernels are sums of atom-environment kernels, summed per molecule pair as they are computed (memory
     * grows with the molecules, not the atoms), the SO(3) ones on {@code threads} workers (same bits for any count).
     */
    public static List<Row> qm9(Path dir, String arch, int bandwidth, double sigma, int[] trainSizes, int testSize,
                                long seed, int threads, Consumer<String> log) {
        int maxTrain = Arrays.stream(trainSizes).max().orElseThrow();
        if (maxTrain < 1 || testSize < 1 || Arrays.stream(trainSizes).anyMatch(n -> n < 1)) {
            throw new EqntkException("qm9: training and test sizes must be positive");
        }
        SphericalKernels so3 = new SphericalKernels(Architecture.parse(arch).sphericalPlan(bandwidth,
            MoleculeSpheres.ELEMENTS.size()));
        // the test molecules come first in the seeded order, so the test set is the same for every training size
        List<MoleculeSpheres.Molecule> loaded = MoleculeSpheres.loadQm9(dir, maxTrain + testSize, seed);
        List<MoleculeSpheres.Molecule> train = loaded.subList(testSize, loaded.size()), test = loaded.subList(0, testSize);
        List<SphereSignal> aTrain = new ArrayList<>(), aTest = new ArrayList<>();
        int[] sTrain = environments(train, bandwidth, sigma, aTrain), sTest = environments(test, bandwidth, sigma, aTest);
        log.accept(String.format(Locale.ROOT, "qm9: %d molecules, %d training atoms, %d test atoms",
            loaded.size(), aTrain.size(), aTest.size()));
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        double[][] kTrain = so3.groupGram(aTrain, sTrain, threads), kTest = so3.groupCross(aTest, sTest, aTrain, sTrain, threads);
        double seconds = (System.nanoTime() - t0) / 1e9, cpu = (cpuNanos() - c0) / 1e9;
        long pairs = (long) aTrain.size() * (aTrain.size() + 1) / 2 + (long) aTest.size() * aTrain.size();
        log.accept(String.format(Locale.ROOT, "qm9: SO(3) atom kernels in %.1f s, %.1f s of CPU (%d atom pairs, "
            + "%.2f µs of CPU per pair, %s)", seconds, cpu, pairs, 1e6 * cpu / pairs,
            so3.liftPoolPath() ? "lift-pool path" : "general pass"));
        MlpKernels mlp = new MlpKernels(2, 0);
        double[][] mTrain = mlp.groupCross(aTrain, sTrain, aTrain, sTrain), mTest = mlp.groupCross(aTest, sTest, aTrain, sTrain);
        // target: U0 - Σ free-atom U0 (atomisation energy); errors are the same for U0 itself
        double[] uTrain = train.stream().mapToDouble(MoleculeSpheres::atomisation).toArray();
        double[] uTest = test.stream().mapToDouble(MoleculeSpheres::atomisation).toArray();
        int[] nTrain = train.stream().mapToInt(m -> m.elements().length).toArray();
        int[] nTest = test.stream().mapToInt(m -> m.elements().length).toArray();
        List<Row> rows = new ArrayList<>();
        for (int n : trainSizes) {
            for (int k = 0; k < 2; k++) {
                String kernel = k == 0 ? "nngp" : "ntk";
                rows.add(new Row("qm9-u0", "mae_mev", "so3", kernel, n,
                    mae(kTrain[k], kTest[k], maxTrain, n, uTrain, nTrain, uTest, nTest)));
                rows.add(new Row("qm9-u0", "mae_mev", "mlp", kernel, n,
                    mae(mTrain[k], mTest[k], maxTrain, n, uTrain, nTrain, uTest, nTest)));
            }
            rows.subList(rows.size() - 4, rows.size()).forEach(r -> log.accept(r.format()));
        }
        return rows;
    }

    /** The molecules' atom environments appended to {@code atoms}; returns each molecule's first atom (and the end). */
    private static int[] environments(List<MoleculeSpheres.Molecule> mols, int bandwidth, double sigma,
                                      List<SphereSignal> atoms) {
        int[] starts = new int[mols.size() + 1];
        for (int i = 0; i < mols.size(); i++) {
            atoms.addAll(MoleculeSpheres.environments(mols.get(i), bandwidth, sigma));
            starts[i + 1] = atoms.size();
        }
        return starts;
    }

    /** CPU time of the whole process (all workers), or wall time where the JVM does not tell it. */
    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : System.nanoTime();
    }

    /**
     * Kernel regression on the first n of maxTrain training molecules (molecule kernels: train maxTrain x maxTrain,
     * test testCount x maxTrain), after a per-atom mean offset.
     */
    private static double mae(double[] molTrain, double[] molTest, int maxTrain, int n, double[] uTrain, int[] nTrain,
                              double[] uTest, int[] nTest) {
        int testSize = uTest.length;
        double[] kTrain = block(molTrain, maxTrain, n, n), kTest = block(molTest, maxTrain, testSize, n);
        // a per-atom mean offset (the training set's energy per atom), then kernel regression of the rest
        double sumE = 0, sumN = 0;
        for (int i = 0; i < n; i++) {
            sumE += uTrain[i];
            sumN += nTrain[i];
        }
        double perAtom = sumE / sumN;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = uTrain[i] - perAtom * nTrain[i];
        }
        KernelRegression reg = new KernelRegression(kTrain, n, RIDGE, m -> { });
        double[] pred = reg.predict(kTest, testSize, y, 1);
        double s = 0;
        for (int t = 0; t < testSize; t++) {
            s += Math.abs(pred[t] + perAtom * nTest[t] - uTest[t]);
        }
        return s / testSize * HARTREE_MEV;
    }
}
