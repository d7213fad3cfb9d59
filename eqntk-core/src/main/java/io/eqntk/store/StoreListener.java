package io.eqntk.store;

import java.nio.file.Path;

/** Events of a kernel store; called from the computing thread(s), so implementations must be thread-safe. */
public interface StoreListener {
    StoreListener NONE = new StoreListener() { };

    /** A block was read from disk and its checksum and shape verified. */
    default void loaded(BlockId block) {
    }

    /** A block was computed and written. */
    default void computed(BlockId block, double seconds) {
    }

    /** A block file was found damaged (bad checksum, wrong size or shape, unreadable); it was deleted and will be recomputed. */
    default void damaged(BlockId block, Path file, String reason) {
    }

    /**
     * An entry's manifest was unusable (malformed, of an older format, or contradicting its key) and was
     * replaced by a fresh one; blocks that do not belong to the fresh layout are never used.
     */
    default void manifestReplaced(Path manifest, String reason) {
    }
}
