package io.eqntk.cli;

import io.eqntk.kernel.ProgressListener;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar with time remaining, on standard error, for long kernel computations. */
final class Progress implements ProgressListener, AutoCloseable {
    private final String task;
    private final boolean enabled;
    private ProgressBar bar;
    /** Whether the bar's stream is a terminal (redrawn frames) or a file or pipe (occasional whole lines). */
    static final boolean STDERR_IS_TERMINAL = stderrIsTerminal();

    /** Work that ends within a second shows no bar at all. */
    private final long created = System.nanoTime();

    Progress(String task, boolean enabled) {
        this.task = task;
        this.enabled = enabled;
    }

    @Override
    public synchronized void progress(long done, long total) {
        if (!enabled) {
            return;
        }
        if (bar == null) {
            long elapsed = System.nanoTime() - created;
            if (elapsed < 1_000_000_000L) {
                return;
            }
            // the bar starts late: tell it what was already done and in how long, so its estimate is right
            ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).showSpeed().setUpdateIntervalMillis(500)
                .startsFrom(done, java.time.Duration.ofNanos(elapsed));
            if (!STDERR_IS_TERMINAL) {
                // not a terminal (a log file, a pipe): whole lines now and then instead of redrawn frames
                b.setConsumer(new DelegatingProgressBarConsumer(System.err::println)).setUpdateIntervalMillis(30_000);
            }
            bar = b.build();
        }
        bar.stepTo(Math.max(bar.getCurrent(), done));
    }

    /**
     * Standard error is a terminal: on Linux, file descriptor 2 is a tty or pty device. Elsewhere the JDK 17 test
     * System.console(), which also needs standard input and output on the terminal.
     */
    private static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
