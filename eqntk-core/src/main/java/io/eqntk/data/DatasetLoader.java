package io.eqntk.data;

import java.nio.file.Path;

/** Loads a dataset of one on-disk format. */
public interface DatasetLoader {
    /**
     * Loads the dataset at {@code source}.
     *
     * @param name a name for the dataset (used in the result and in messages)
     * @throws io.eqntk.EqntkException naming the offending file on any problem with the data
     */
    Dataset load(String name, Path source, LoadOptions options);

    /** Loads with the source's file name as the dataset name. */
    default Dataset load(Path source, LoadOptions options) {
        Path fn = source.toAbsolutePath().normalize().getFileName();
        return load(fn == null ? source.toString() : fn.toString(), source, options);
    }
}
