package io.eqntk.cli;

import io.eqntk.kernel.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar with time remaining, on standard error, for long kernel computations. */
final class Progress implements ProgressListener, AutoCloseable {
    private final String task;
    private final boolean enabled;
    private ProgressBar bar;

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
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .showSpeed().setUpdateIntervalMillis(500).build();
        }
        bar.stepTo(Math.max(bar.getCurrent(), done));
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
