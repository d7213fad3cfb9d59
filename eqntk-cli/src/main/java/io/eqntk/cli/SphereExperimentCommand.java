package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.data.Datasets;
import io.eqntk.sphere.experiment.SphereExperiments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "sphere-experiment", mixinStandardHelpOptions = true,
    description = {
        "Exact kernels of an SO(3) network against an MLP on spherical MNIST or QM9 molecules.",
        "Kernel regression with the exact kernels of an SO(3) network against an MLP on the same grid "
            + "(docs/SO3_KERNELS.md).",
        "  mnist  spherical MNIST, accuracy for NR/R (training unrotated) and R/R, test digits rotated",
        "  qm9    QM9 U0 (qm9-sample), mean absolute error in meV; molecule kernels sum atom-environment kernels",
        "Example:",
        "  eqntk sphere-experiment --task qm9 --bandwidth 2 --train-sizes 10,20 --test-size 20 --out qm9.csv",
        ""})
public final class SphereExperimentCommand implements Callable<Integer> {
    @Option(names = "--task", required = true, paramLabel = "mnist|qm9", description = "which experiment")
    String task;

    @Option(names = "--arch", paramLabel = "LAYERS", description = "spherical layers (default: a two-layer SO(3) "
        + "network for mnist, s2lift relu so3pool dense for qm9, at the given bandwidth)")
    String arch;

    @Option(names = "--bandwidth", defaultValue = "3", paramLabel = "L", description = "network bandwidth (default: ${DEFAULT-VALUE})")
    int bandwidth;

    @Option(names = "--input-bandwidth", paramLabel = "L", description = "mnist: bandwidth of the sampled digits (default: 2 x --bandwidth)")
    Integer inputBandwidth;

    @Option(names = "--train-sizes", defaultValue = "10,20", split = ",", paramLabel = "N,...", description = "training sizes (default: ${DEFAULT-VALUE})")
    int[] trainSizes;

    @Option(names = "--test-size", defaultValue = "20", paramLabel = "N", description = "test size (default: ${DEFAULT-VALUE})")
    int testSize;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the data choice and rotations (default: ${DEFAULT-VALUE})")
    long seed;

    @picocli.CommandLine.Mixin
    CommonOptions.Threads threads;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "results, one row per model, kernel and size")
    Path out;

    @Override
    public Integer call() {
        if (testSize < 1 || Arrays.stream(trainSizes).anyMatch(n -> n < 1)) {
            throw new EqntkException("--train-sizes and --test-size must be positive");
        }
        int nThreads = threads.resolve();
        Path root = Datasets.defaultDataRoot();
        List<SphereExperiments.Row> rows;
        switch (task.toLowerCase(Locale.ROOT)) {
            case "mnist" -> {
                String a = arch != null ? arch : String.format(Locale.ROOT,
                    "s2lift(%d, 0.8, b=0.1) relu so3conv(%d, 0.8, n_alpha=4, n_beta=2, n_gamma=4) relu so3pool dense",
                    bandwidth, bandwidth);
                int in = inputBandwidth != null ? inputBandwidth : 2 * bandwidth;
                rows = SphereExperiments.mnist(root.resolve("mnist"), a, in, trainSizes, testSize, seed, nThreads,
                    System.err::println);
            }
            case "qm9" -> {
                String a = arch != null ? arch : String.format(Locale.ROOT,
                    "s2lift(%d, 1.0, n_alpha=6, n_beta=2, b=0.1) relu so3pool dense", bandwidth);
                rows = SphereExperiments.qm9(root.resolve("qm9-sample"), a, bandwidth, 0.5, trainSizes, testSize, seed,
                    nThreads, System.err::println);
            }
            default -> throw new EqntkException("--task must be mnist or qm9, got '" + task + "'");
        }
        StringBuilder csv = new StringBuilder("task,protocol,model,kernel,train_size,value\n");
        for (SphereExperiments.Row r : rows) {
            csv.append(r.format()).append('\n');
        }
        try {
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".sphere", ".csv");
            Files.writeString(tmp, csv);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EqntkException(out + ": cannot write: " + e.getMessage(), e);
        }
        System.out.print(csv);
        return 0;
    }
}
