package dev.cohort.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr: redrawn in place on a terminal, a line every few seconds otherwise (logs, CI). */
final class ProgressBars {
    private ProgressBars() {
    }

    static ProgressBar ticks(String task, long total) {
        boolean terminal = System.console() != null;
        var b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" ticks", 1)
                .setStyle(ProgressBarStyle.ASCII).showSpeed();
        if (terminal) {
            b.setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250);
        } else {
            b.setConsumer(new DelegatingProgressBarConsumer(System.err::println)).setUpdateIntervalMillis(5_000);
        }
        return b.build();
    }
}
