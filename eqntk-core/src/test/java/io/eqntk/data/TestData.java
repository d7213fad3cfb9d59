package io.eqntk.data;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared real-data folder for tests: env EQNTK_DATA, else walk up to {@code shared/data/README.md}. */
public final class TestData {
    private static Path root;

    private TestData() {
    }

    /** The shared data root (containing README.md); the calling test is skipped when it cannot be found. */
    public static synchronized Path root() {
        if (root == null) {
            root = find();
        }
        Assumptions.assumeTrue(root != null, "shared/data not found (set EQNTK_DATA)");
        return root;
    }

    private static Path find() {
        String env = System.getenv("EQNTK_DATA");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) {
            return Path.of(env).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("data");
            if (Files.isRegularFile(c.resolve("README.md"))) {
                return c;
            }
        }
        return null;
    }
}
