package io.eqntk.finite;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * The worker threads of the batched layers: one process-wide pool, kept between passes, because a pass makes
 * many products and copies of a millisecond or less, for which starting threads (a pool per call) costs as
 * much as the work. Tasks are cut by the caller by the sizes alone, so results never depend on the thread
 * count; this class only decides which thread runs which task.
 */
final class Workers {
    private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()));

    private Workers() {
    }

    /**
     * Runs {@code body} for tasks 0 .. tasks-1 on up to {@code threads} threads, the caller one of them: strand w
     * takes tasks w, w + threads, ... A task's exception is rethrown in the caller.
     */
    static void forEach(int threads, int tasks, IntConsumer body) {
        int strands = Math.min(threads, tasks);
        if (strands <= 1) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[strands - 1];
        for (int w = 1; w < strands; w++) {
            int first = w;
            others[w - 1] = POOL.submit(() -> strand(first, strands, tasks, body));
        }
        RuntimeException failure = null;
        try {
            strand(0, strands, tasks, body);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<?> t : others) {
            try {
                t.join();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Cuts [0, n) into {@code parts} ranges by n alone and runs {@code body(from, to)} for each. */
    static void ranges(int threads, int n, int parts, Range body) {
        int count = Math.max(1, Math.min(parts, n));
        forEach(threads, count, j -> body.run((int) ((long) n * j / count), (int) ((long) n * (j + 1) / count)));
    }

    interface Range {
        void run(int from, int to);
    }

    private static void strand(int first, int stride, int tasks, IntConsumer body) {
        for (int t = first; t < tasks; t += stride) {
            body.accept(t);
        }
    }
}
