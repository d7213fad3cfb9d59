package io.eqntk.cli;

import io.eqntk.EqntkException;
import io.eqntk.model.Limits;
import io.eqntk.data.ColorMode;
import io.eqntk.experiment.ExperimentConfig;
import io.eqntk.io.AtomicFiles;
import io.eqntk.predict.Ridge;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options several commands share, as picocli mixins. A mixin that is {@link Checked} is checked by
 * {@link Main} after parsing and before the command runs, so a bad output path fails before any work.
 */
final class CommonOptions {
    private CommonOptions() {
    }

    /** A mixin with a check that must pass before the command does any work. */
    interface Checked {
        void check();
    }

    /** {@code --threads N}: at least 1; more than the cores available are capped with a note. */
    static final class Threads {
        @Option(names = "--threads", paramLabel = "N",
            description = "worker threads (default: all cores; more than the cores available are capped)")
        Integer threads;

        /** The thread count to use. */
        int resolve() {
            int cores = Runtime.getRuntime().availableProcessors();
            if (threads == null) {
                return cores;
            }
            if (threads < 1) {
                throw new EqntkException("--threads must be at least 1, got " + threads);
            }
            if (threads > cores) {
                System.err.println("eqntk: note: --threads " + threads + " capped at " + cores + ", the cores available"
                    + " (more threads only share them)");
                return cores;
            }
            return threads;
        }
    }

    /** "1 thread", "2 threads". */
    static String threads(int n) {
        return n + (n == 1 ? " thread" : " threads");
    }

    /** {@code --quiet}. */
    static final class Quiet {
        @Option(names = "--quiet", description = "no progress bar or messages (results are still written)")
        boolean quiet;

        boolean on() {
            return quiet;
        }
    }

    /** {@code --color}, with the command's default given as the initial value. */
    static final class Color {
        @Option(names = "--color", paramLabel = "rgb|grayscale|keep",
            description = "for datasets: colour mode, keep = the dataset's own channels (default: ${DEFAULT-VALUE})")
        ColorMode mode;

        Color(ColorMode dflt) {
            mode = dflt;
        }

        ColorMode mode() {
            return mode;
        }
    }

    /** {@code --image-size N}, with the command's default given as the initial value; 0 keeps the native size. */
    static final class ImageSize implements Checked {
        @Option(names = "--image-size", paramLabel = "N",
            description = "for datasets: resize to N x N by area averaging; 0 keeps the images' own size "
                + "(default: ${DEFAULT-VALUE})")
        int size;

        ImageSize(int dflt) {
            size = dflt;
        }

        int size() {
            return size;
        }

        @Override
        public void check() {
            Limits.imageSide("--image-size", size);
        }
    }

    /** {@code --split NAME}: which split of a dataset a command reads (default train). */
    static final class Split {
        @Option(names = "--split", defaultValue = "train",
            description = "dataset split to read: train, valid or test (default: ${DEFAULT-VALUE})")
        String split;

        String name() {
            return split;
        }
    }

    /** {@code --crop-center N}: the centre N x N pixels of every image, before resizing (0: the whole image). */
    static final class CropCenter {
        @Option(names = "--crop-center", defaultValue = "0", paramLabel = "N",
            description = "keep only the centre N x N pixels of every image before resizing (PCam: 32, the region that "
                + "decides the label; default: the whole image)")
        int size;

        int size() {
            return size;
        }
    }

    /**
     * How a kernel regression chooses its ridge ({@code experiment}, {@code fit}): the candidates, the validation
     * images they are scored on, and the pool the training images are drawn from.
     */
    static final class RidgeChoice {
        @Option(names = "--valid-size", defaultValue = "200", paramLabel = "N",
            description = "a class-stratified subset of N validation images for choosing the ridge; 0 = all "
                + "(default: ${DEFAULT-VALUE})")
        int validSize;

        @Option(names = "--pool-size", defaultValue = "0", paramLabel = "N",
            description = "draw every seed's training subsets from a seeded class-stratified pool of N training images "
                + "(bounds the Gram matrix at N x N; default: the whole training split)")
        int poolSize;

        @Option(names = "--ridges", paramLabel = "X,X,...",
            description = "candidate ridges relative to the mean diagonal of the train kernel ('abs X' for absolute) "
                + "(default: 1e-6 to 1 in half decades)")
        String ridges;

        int validSize() {
            return validSize;
        }

        int poolSize() {
            return poolSize;
        }

        /** The candidates given, or the default ladder. */
        List<Ridge> candidates() {
            if (ridges == null) {
                return ExperimentConfig.defaultRidges();
            }
            if (ridges.isBlank()) {
                throw new EqntkException("--ridges is empty");
            }
            List<Ridge> out = new ArrayList<>();
            for (String s : ridges.split(",")) {
                out.add(Ridge.parse(s));
            }
            return out;
        }
    }

    /** What an {@code --out} path must be (an .npz file or a folder) and whether the command needs one. */
    abstract static class Out implements Checked {
        private final boolean folder;
        private final boolean required;

        Out(boolean folder, boolean required) {
            this.folder = folder;
            this.required = required;
        }

        /** The path given, or null. */
        abstract Path path();

        @Override
        public void check() {
            Path p = path();
            if (p == null) {
                if (required) {
                    throw new EqntkException("--out is required");
                }
                return;
            }
            if (folder) {
                requireWritableFolder(p);
                return;
            }
            if (p.getFileName() == null || !p.getFileName().toString().endsWith(".npz")) {
                throw new EqntkException("--out must name an .npz file, got '" + p + "'");
            }
            if (Files.isDirectory(p)) {
                throw new EqntkException("--out " + p + " is a folder, not a file");
            }
            requireWritableFolder(p.toAbsolutePath().getParent());
        }

        /** Creates {@code dir} if needed and writes and deletes a file in it, so the results can be written later. */
        static void requireWritableFolder(Path dir) {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new EqntkException("--out: " + dir + " exists and is not a folder");
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new EqntkException("--out: cannot create the folder " + dir + ": " + AtomicFiles.reason(e), e);
            }
            try {
                Files.delete(Files.createTempFile(dir, ".eqntk-write-test-", ".tmp"));
            } catch (IOException e) {
                throw new EqntkException("--out: cannot write in the folder " + dir + ": " + AtomicFiles.reason(e), e);
            }
        }
    }

    /** {@code --out FILE.npz}, required. */
    static final class NpzOut extends Out {
        @Option(names = "--out", required = true, paramLabel = "FILE.npz",
            description = "output file (written atomically; its folder is created and tested before any work)")
        Path out;

        NpzOut() {
            super(false, true);
        }

        @Override
        Path path() {
            return out;
        }
    }

    /** {@code --out FILE.npz}, optional. */
    static final class OptionalNpzOut extends Out {
        @Option(names = "--out", paramLabel = "FILE.npz",
            description = "also write the matrices to an .npz file (its folder is created and tested before any work)")
        Path out;

        OptionalNpzOut() {
            super(false, false);
        }

        @Override
        Path path() {
            return out;
        }
    }

    /** {@code --out DIR}, required. */
    static final class DirOut extends Out {
        @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "output folder (created and tested before any work)")
        Path out;

        DirOut() {
            super(true, true);
        }

        @Override
        Path path() {
            return out;
        }
    }

    /** {@code --out DIR}, optional. */
    static final class OptionalDirOut extends Out {
        @Option(names = "--out", paramLabel = "DIR",
            description = "also write the results to DIR (created and tested before any work)")
        Path out;

        OptionalDirOut() {
            super(true, false);
        }

        @Override
        Path path() {
            return out;
        }
    }
}
