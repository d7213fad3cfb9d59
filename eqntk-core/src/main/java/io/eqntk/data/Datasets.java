package io.eqntk.data;

import io.eqntk.EqntkException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Opens datasets by name or path.
 *
 * <p>Known names resolve under the data root: {@code pcam} (pcam/data), {@code pcam-1000},
 * {@code breastmnist} and {@code pneumoniamnist} (medmnist/*.npz), {@code mnist}, {@code idc-breast},
 * {@code mednist} (mednist-small), {@code cifar10} (cifar10-small), {@code pbc-blood}. Anything else is a path
 * (absolute, relative to the working directory, or relative to the data root) whose format is detected: a
 * {@code .npz} file (MedMNIST), a {@code .csv} file (single list, splits carved), or a folder with IDX files, with split
 * CSVs, or with split/class image folders.
 */
public final class Datasets {
    private static final Map<String, String> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("pcam", "pcam/data");
        KNOWN.put("pcam-1000", "pcam-1000");
        KNOWN.put("breastmnist", "medmnist/breastmnist.npz");
        KNOWN.put("pneumoniamnist", "medmnist/pneumoniamnist.npz");
        KNOWN.put("mnist", "mnist");
        KNOWN.put("idc-breast", "idc-breast");
        KNOWN.put("mednist", "mednist-small");
        KNOWN.put("cifar10", "cifar10-small");
        KNOWN.put("pbc-blood", "pbc-blood");
    }

    private Datasets() {
    }

    /** The known dataset names. */
    public static java.util.Set<String> knownNames() {
        return java.util.Collections.unmodifiableSet(KNOWN.keySet());
    }

    /** Where a known name or a path points to (without loading it). */
    public static Path resolve(String nameOrPath, Path dataRoot) {
        String key = nameOrPath.trim().toLowerCase(Locale.ROOT);
        if (KNOWN.containsKey(key)) {
            Path root = dataRoot != null ? dataRoot : defaultDataRoot();
            Path p = root.resolve(KNOWN.get(key));
            if (!Files.exists(p)) {
                throw new EqntkException("dataset '" + key + "' not found at " + p + " (data root " + root
                        + "; set EQNTK_DATA to the folder holding the data)");
            }
            return p;
        }
        Path p = Path.of(nameOrPath);
        if (Files.exists(p)) {
            return p;
        }
        if (dataRoot != null && !p.isAbsolute() && Files.exists(dataRoot.resolve(nameOrPath))) {
            return dataRoot.resolve(nameOrPath);
        }
        throw new EqntkException("unknown dataset or missing path '" + nameOrPath + "'; known names: "
                + String.join(", ", KNOWN.keySet()) + (dataRoot != null ? " (data root " + dataRoot + ")" : ""));
    }

    /** The loader for a path, chosen from its format. */
    public static DatasetLoader detect(Path p) {
        String fn = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(p)) {
            if (fn.endsWith(".npz")) {
                return new MedMnistLoader();
            }
            if (fn.endsWith(".csv")) {
                return new CsvListLoader();
            }
            throw new EqntkException("cannot tell the dataset format of " + p
                    + " (expected a .npz or .csv file, or a folder)");
        }
        if (!Files.isDirectory(p)) {
            throw new EqntkException("dataset path not found: " + p);
        }
        if (IdxLoader.looksLikeIdx(p)) {
            return new IdxLoader();
        }
        if (CsvListLoader.findSplitCsvs(p) != null) {
            return new CsvListLoader();
        }
        return new ImageFolderLoader();
    }

    /**
     * Opens a dataset by known name or path.
     *
     * @param dataRoot where known names live; null means {@link #defaultDataRoot()}
     */
    public static Dataset open(String nameOrPath, Path dataRoot, LoadOptions options) {
        String key = nameOrPath.trim().toLowerCase(Locale.ROOT);
        Path p = resolve(nameOrPath, dataRoot);
        String name = KNOWN.containsKey(key) ? key : fileName(p);
        return detect(p).load(name, p, options);
    }

    private static String fileName(Path p) {
        Path fn = p.toAbsolutePath().normalize().getFileName();
        return fn == null ? p.toString() : fn.toString();
    }

    /**
     * The default data root: env {@code EQNTK_DATA} if set, else the first existing folder among
     * {@code ../shared/data} and {@code shared/data} relative to the working directory and then
     * {@code shared/data} under each parent folder.
     *
     * @throws EqntkException when no data folder is found
     */
    public static Path defaultDataRoot() {
        String env = System.getenv("EQNTK_DATA");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isDirectory(p)) {
                throw new EqntkException("EQNTK_DATA is " + env + ", which is not a folder");
            }
            return p;
        }
        Path cwd = Path.of("").toAbsolutePath();
        Path up = cwd.resolve("../shared/data").normalize();
        if (Files.isDirectory(up)) {
            return up;
        }
        Path found = sharedDataAbove(cwd);
        if (found == null) {
            // also beside the checkout that holds eqntk's own code, so ./eqntk works from any folder
            found = sharedDataAbove(codeLocation());
        }
        if (found != null) {
            return found;
        }
        throw new EqntkException("no data folder found: set EQNTK_DATA or run from a folder next to shared/data"
                + " (looked in ../shared/data and shared/data from " + cwd + " and from eqntk's own folder upwards)");
    }

    /** The first {@code shared/data} folder in {@code start} or one of its parents, or null. */
    private static Path sharedDataAbove(Path start) {
        for (Path d = start; d != null; d = d.getParent()) {
            Path c = d.resolve("shared").resolve("data");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return null;
    }

    /** Where eqntk's classes or jar live, or null when unknown. */
    private static Path codeLocation() {
        try {
            java.security.CodeSource cs = Datasets.class.getProtectionDomain().getCodeSource();
            return cs == null ? null : Path.of(cs.getLocation().toURI()).toAbsolutePath();
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
