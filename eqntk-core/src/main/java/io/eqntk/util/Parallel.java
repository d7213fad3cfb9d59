package io.eqntk.util;

import io.eqntk.EqntkException;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent tasks on a work-stealing pool of a given size, and derives per-task seeds, so that results
 * never depend on the number of threads or on scheduling.
 */
public final class Parallel {
    private Parallel() {
    }

    /**
     * Runs {@code body} for tasks 0 .. tasks-1 on {@code threads} workers (in the calling thread when there is one
     * worker or one task). A task's exception is rethrown as it was.
     */
    public static void forEach(int threads, int tasks, IntConsumer body) {
        if (threads <= 1 || tasks <= 1) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, tasks).parallel().forEach(body)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EqntkException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdown();
        }
    }

    /** The seed of task j: a fixed function of (seed, j), well mixed. */
    public static long seed(long seed, int j) {
        return new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (j + 1)).nextLong();
    }
}
