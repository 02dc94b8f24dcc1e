package dev.cohort.service;

import dev.cohort.control.TickRecord;
import dev.cohort.service.metrics.Metrics;
import dev.cohort.service.status.TickStats;
import dev.cohort.service.systemd.SdNotify;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The daemon's tick loop: ticks at the configured period on a fixed grid of {@link System#nanoTime()} deadlines
 * (deadlines a tick ran past are skipped and counted as overruns, never caught up and never allowed to drift), serves
 * requests between ticks (so the platform is touched by one thread only), pings the watchdog, stops after
 * {@value #FAILURE_LIMIT} failed ticks in a row, and keeps the tick statistics and the last decisions.
 */
final class TickLoop {
    static final int FAILURE_LIMIT = 50;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long STATUS_EVERY_NANOS = 10_000_000_000L;

    /** How the loop ended: the exit code (0 on request, 1 when ticks kept failing) and why. */
    record Exit(int code, String reason) {
    }

    private final BlockingQueue<Daemon.Cmd> queue;
    private final Consumer<Daemon.Cmd> handler;
    private final Supplier<Running> running;
    private final Started started;
    private final SdNotify sd;
    private final PrintStream err;
    private final Metrics metrics;
    private final TickStats stats;
    private final Supplier<String> summary;
    private final ArrayDeque<TickRecord> decisions = new ArrayDeque<>();

    TickLoop(BlockingQueue<Daemon.Cmd> queue, Consumer<Daemon.Cmd> handler, Supplier<Running> running, Started started, SdNotify sd,
             PrintStream err, Metrics metrics, TickStats stats, Supplier<String> summary) {
        this.queue = queue;
        this.handler = handler;
        this.running = running;
        this.started = started;
        this.sd = sd;
        this.err = err;
        this.metrics = metrics;
        this.stats = stats;
        this.summary = summary;
    }

    /** Runs until a stop request or too many failed ticks. */
    Exit run() {
        long period = running.get().cfg().periodNanos();
        long watchdog = sd.watchdogIntervalNanos();
        long nextPing = System.nanoTime() + watchdog;
        long nextStatus = System.nanoTime() + STATUS_EVERY_NANOS;
        long next = System.nanoTime() + period;
        int failures = 0;
        while (true) {
            // wait for the deadline, serving requests meanwhile
            while (true) {
                long now = System.nanoTime();
                if (watchdog > 0 && now >= nextPing) {
                    sd.watchdog();
                    nextPing = now + watchdog;
                }
                long wait = next - now;
                if (wait <= 0) {
                    break;
                }
                Daemon.Cmd c;
                try {
                    c = queue.poll(watchdog > 0 ? Math.min(wait, Math.max(1, nextPing - now)) : wait, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    c = new Daemon.Stop("interrupted");
                }
                if (c instanceof Daemon.Stop s) {
                    return new Exit(0, s.reason());
                }
                if (c != null) {
                    handler.accept(c);
                    long p = running.get().cfg().periodNanos();
                    if (p != period) { // a reload changed the period: a new grid from now
                        period = p;
                        next = System.nanoTime() + period;
                    }
                }
            }
            started.backend().advance().accept(period); // the simulated machine's step, outside the tick's timing
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            TickRecord rec;
            try {
                rec = running.get().controller().tick();
                failures = 0;
            } catch (RuntimeException e) {
                if (failures++ == 0) {
                    err.println("cohort: tick failed: " + e + " (the loop goes on; it stops after " + FAILURE_LIMIT + " failures in a row)");
                }
                if (failures >= FAILURE_LIMIT) {
                    String why = FAILURE_LIMIT + " ticks failed in a row, the last with " + e;
                    err.println("cohort: " + why + "; stopping");
                    return new Exit(1, why);
                }
                next += period;
                continue;
            }
            DaemonBudget.Window window = running.get().budget().afterTick(rec); // the balancer's step, inside the tick's timing
            long dur = System.nanoTime() - t0;
            stats.record(dur, c0 < 0 ? -1 : THREADS.getCurrentThreadCpuTime() - c0);
            long missed = 0;
            next += period;
            long now = System.nanoTime();
            if (now > next) {
                missed = (now - next) / period + 1;
                next += missed * period;
                stats.overrun(missed);
            }
            if (metrics != null) {
                metrics.onTick(rec, dur, missed, rec.fallback());
                if (window != null) {
                    metrics.onWindow(window.over(), window.atBound());
                }
            }
            remember(rec);
            if (now >= nextStatus) {
                sd.status(summary.get());
                nextStatus = now + STATUS_EVERY_NANOS;
            }
        }
    }

    private void remember(TickRecord rec) {
        if (rec.plan().isEmpty() && rec.notes().isEmpty()) {
            return;
        }
        synchronized (decisions) {
            decisions.addLast(rec);
            while (decisions.size() > 20) {
                decisions.removeFirst();
            }
        }
    }

    /** The last ticks that planned or noted something (20 at most), oldest first; safe from any thread. */
    List<TickRecord> lastDecisions() {
        synchronized (decisions) {
            return List.copyOf(decisions);
        }
    }
}
