package io.eqntk.cli;

import io.eqntk.store.BlockId;
import io.eqntk.store.StoreListener;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts a kernel store's events for the command's summary; damaged blocks and replaced manifests are reported at once. */
final class StoreReport implements StoreListener {
    final AtomicInteger loaded = new AtomicInteger();
    final AtomicInteger computed = new AtomicInteger();
    final AtomicInteger damaged = new AtomicInteger();

    @Override
    public void loaded(BlockId block) {
        loaded.incrementAndGet();
    }

    @Override
    public void computed(BlockId block, double seconds) {
        computed.incrementAndGet();
    }

    @Override
    public void damaged(BlockId block, Path file, String reason) {
        damaged.incrementAndGet();
        System.err.println("eqntk: warning: damaged store block " + file + " (" + reason + "): recomputing it");
    }

    @Override
    public void manifestReplaced(Path manifest, String reason) {
        System.err.println("eqntk: warning: store manifest " + manifest + " " + reason + ": replaced by a fresh one "
            + "(blocks are checked against their key and place, so only matching ones are reused; "
            + "'eqntk store clean' removes the rest)");
    }

    /** The summary line: blocks loaded, computed and damaged. */
    String summary(Path store) {
        return "store " + store + ": " + loaded.get() + " blocks loaded, " + computed.get() + " computed"
            + (damaged.get() == 0 ? "" : ", " + damaged.get() + " damaged (recomputed)");
    }
}
