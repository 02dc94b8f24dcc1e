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
        return build(task, total, 5_000, -1);
    }

    /** A training run's bar: environment ticks, with the latest reward, loss and exploration as its message. */
    static ProgressBar training(String task, long total) {
        return build(task, total, 30_000, 160);
    }

    /**
     * True when stderr's process has a terminal. Since JDK 22 {@code System.console()} is not null when output is
     * redirected (to a log, CI), so its {@code isTerminal()} decides.
     */
    static boolean terminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** @param width characters a line may take on a non-terminal (its message is cut beyond); -1 for the library's default */
    private static ProgressBar build(String task, long total, long logIntervalMillis, int width) {
        boolean terminal = terminal();
        var b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" ticks", 1)
                .setStyle(ProgressBarStyle.ASCII).showSpeed();
        if (terminal) {
            b.setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250);
        } else {
            b.setConsumer(width > 0 ? new DelegatingProgressBarConsumer(System.err::println, width)
                    : new DelegatingProgressBarConsumer(System.err::println)).setUpdateIntervalMillis((int) logIntervalMillis);
        }
        return b.build();
    }
}
