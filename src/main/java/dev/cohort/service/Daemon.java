package dev.cohort.service;

import dev.cohort.control.Controller;
import dev.cohort.control.JsonLinesJournal;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.RestoreReport;
import dev.cohort.platform.SavedKnob;
import dev.cohort.platform.StateFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code cohort run}: the daemon's lifecycle around the control loop.
 *
 * <ol>
 *   <li>Take the single-writer lock (another cohort: refuse). Install the signal handlers.</li>
 *   <li>Open the backend. If the state file holds knobs from a run that did not stop cleanly (a crash, kill -9),
 *       restore them before anything else, by the rule every restore follows ({@link dev.cohort.platform.KnobKeeper}):
 *       a knob holding a value cohort wrote or announced goes back to its original; one holding a value cohort never
 *       wrote is someone else's, left as found, reported once and held as a manual override. A dry run refuses to
 *       start over knobs of cohort's still applied, since it writes nothing; knobs left to someone else it reports and
 *       carries on.</li>
 *   <li>Scan for competing tuners; open the journal; start the latency sources, metrics and the status socket;
 *       tell systemd READY=1.</li>
 *   <li>Tick at the configured period on a fixed grid of {@link System#nanoTime()} deadlines: deadlines a tick ran
 *       past are skipped and counted as overruns, never caught up and never allowed to drift. Between ticks the loop
 *       answers status requests, manual overrides and reloads, so the platform is touched by one thread only.</li>
 *   <li>On SIGTERM or SIGINT: STOPPING=1, restore the knobs as {@link RestorePolicy} says, exactly once, then exit 0
 *       (1 when a knob could not be restored; it stays in the state file for the next attempt). SIGHUP reloads the
 *       configuration and the policies and keeps every knob held.</li>
 * </ol>
 *
 * <p>Signals: {@code sun.misc.Signal} (module jdk.unsupported, exported) replaces the JVM's own TERM/INT/HUP
 * handling. A handler only enqueues a request; the loop thread restores and returns, then {@code main} exits. A
 * shutdown hook alone would run the restore on another thread while a tick may be writing, and it cannot catch HUP
 * at all. A shutdown hook stays as a backstop for an exit that bypasses the loop: it asks the loop to stop and waits
 * for its restore.
 */
public final class Daemon {
    /** Where kept originals are marked as such (a stop with restore_on_exit never/not-at-shutdown). */
    static final String KEPT_MARKER = "kept-on-exit";
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * How to run.
     *
     * @param configFile     the YAML file; null: the default file if present, else built-in defaults
     * @param backend        overrides the file's backend when not null
     * @param dryRun         overrides the file's dry_run when not null
     * @param factory        opens the backend
     * @param shutdown       tells whether the system is going down
     * @param sd             systemd notification
     * @param err            where messages go (the journal of systemd under a unit)
     * @param signals        install TERM/INT/HUP handlers (false in in-process tests and benchmarks)
     */
    public record Options(Path configFile, String backend, Boolean dryRun, Backend.Factory factory, ShutdownProbe shutdown,
                          SdNotify sd, PrintStream err, boolean signals) {
        /** What {@code cohort run} uses. */
        public static Options cli(Path configFile, String backend, Boolean dryRun) {
            return new Options(configFile, backend, dryRun, Backend.DEFAULT, ShutdownProbe.SYSTEMD, SdNotify.fromEnvironment(),
                    System.err, true);
        }
    }

    sealed interface Cmd {
    }

    record Stop(String reason) implements Cmd {
    }

    record Reload() implements Cmd {
    }

    record Request(com.fasterxml.jackson.databind.JsonNode body, CompletableFuture<com.fasterxml.jackson.databind.JsonNode> answer)
            implements Cmd {
    }

    final Options opts;
    final LinkedBlockingQueue<Cmd> queue = new LinkedBlockingQueue<>();
    final TickStats stats = new TickStats(4096);
    final java.util.ArrayDeque<TickRecord> decisions = new java.util.ArrayDeque<>();
    final long startedMillis = System.currentTimeMillis();
    DaemonConfig cfg;
    Backend backend;
    DaemonPlatform platform;
    volatile Controller controller;
    AsyncJournal journal;
    LatencySources latency;
    Metrics metrics;
    StatusServer status;
    String metricsAddress;
    List<String> competitors = List.of();
    private volatile boolean finished;
    private volatile boolean running;
    private final Object done = new Object();
    private String stopReason = "";
    private List<String> signalNotes = List.of();

    public Daemon(Options opts) {
        this.opts = opts;
    }

    /** Asks the loop to stop (restore and return); safe from any thread, including a signal handler. */
    public void requestStop(String reason) {
        queue.add(new Stop(reason));
    }

    /** Asks the loop to reload the configuration (as SIGHUP). */
    public void requestReload() {
        queue.add(new Reload());
    }

    /** True once the loop ticks (after start-up, before stop). */
    public boolean running() {
        return running;
    }

    /** Tick statistics (benchmarks). */
    public TickStats stats() {
        return stats;
    }

    /**
     * Runs until stopped.
     *
     * @return the exit code: 0 after a clean stop, 1 when a knob could not be restored or the loop failed
     * @throws CohortException for start-up errors a person can fix (config, lock, leftover state in a dry run)
     */
    public int run() {
        cfg = DaemonConfig.load(opts.configFile()).with(opts.backend(), opts.dryRun());
        try (DaemonLock lock = DaemonLock.acquire(cfg.lockFile(), "the daemon")) {
            if (opts.signals()) {
                signalNotes = DaemonSignals.install(this);
            }
            try {
                start();
                int code;
                try {
                    code = loop();
                } catch (RuntimeException | Error e) {
                    stopReason = "the control loop failed: " + e;
                    shutdown();
                    throw e;
                }
                return Math.max(code, shutdown());
            } finally {
                closeAll();
                synchronized (done) {
                    finished = true;
                    done.notifyAll();
                }
            }
        }
    }

    private void start() {
        Path marker = cfg.stateDir().resolve(KEPT_MARKER);
        List<SavedKnob> leftover = readLeftover();
        List<SavedKnob> ours = leftover.stream().filter(k -> !k.isLeft()).toList();
        List<SavedKnob> theirs = leftover.stream().filter(SavedKnob::isLeft).toList();
        boolean kept = Files.exists(marker);
        if (!ours.isEmpty() && !kept && cfg.dryRun() && cfg.backend().equals("linux")) {
            throw new CohortException("the state file " + cfg.stateFile() + " holds " + ours.size() + " knob(s) changed by a run"
                    + " that did not stop cleanly; a dry run writes nothing, so run cohort restore first");
        }
        backend = opts.factory().open(cfg);
        List<String> startNotes = new ArrayList<>();
        startNotes.addAll(signalNotes);
        startNotes.add(0, "cohort " + version() + " pid " + ProcessHandle.current().pid() + ", backend " + cfg.backend()
                + (cfg.dryRun() ? " (dry run: writes nothing)" : "") + ", config " + cfg.source() + ", period "
                + Units.formatNanos(cfg.periodNanos()) + ", restore_on_exit " + cfg.restore().id());
        if (backend.durable() && !leftover.isEmpty()) {
            if (kept || ours.isEmpty() || cfg.dryRun()) {
                if (!ours.isEmpty()) {
                    startNotes.add("state file " + cfg.stateFile() + " holds " + ours.size() + " original(s) kept by the last stop "
                            + "(restore_on_exit " + readMarker(marker) + "); they stay the originals cohort restores later");
                }
                theirs.forEach(k -> startNotes.add("left " + k.id() + ": someone else set it to '" + k.left() + "' (original '"
                        + k.original() + "'); it stays theirs (cohort restore --force writes the original, --forget drops it)"));
            } else {
                startNotes.add("state file " + cfg.stateFile() + " holds " + ours.size()
                        + " knob(s) left by a run that did not stop cleanly: restoring them first");
                RestoreReport r = backend.platform().restore(false);
                startNotes.addAll(RestoreLines.of(r));
            }
        }
        deleteQuietly(marker);
        if (!backend.durable() && !cfg.cgroups().isEmpty()) {
            startNotes.add("backend " + cfg.backend() + ": the managed cgroups are the scenario's; the configuration's cgroups are not used");
        }
        competitors = cfg.backend().equals("linux") ? Competitors.scan(cfg.host().root(), cfg.host().resctrlGroup()) : List.of();
        startNotes.addAll(competitors);
        try {
            journal = new AsyncJournal(new JsonLinesJournal(cfg.journal(), cfg.journalMaxBytes(), cfg.journalKeep(), cfg.journalMaxTotalBytes(),
                    backend.platform().topology()), 4096);
        } catch (IOException e) {
            throw new CohortException("cannot open the journal " + cfg.journal() + ": " + e.getMessage()
                    + " (set paths.journal to a writable file)");
        }
        latency = cfg.backend().equals("linux") ? new LatencySources(cfg.cgroups().stream().map(DaemonConfig.Cgroup::latency).toList()) : null;
        platform = new DaemonPlatform(backend.platform(), latency);
        if (!cfg.dryRun()) {
            for (var h : platform.holdHandChanges()) {
                startNotes.add("held as a manual override (someone else's value): " + h.target() + " " + h.control().name() + " = "
                        + h.valueText() + " (cohort tune release hands it back)");
            }
        }
        controller = DaemonPolicies.controller(cfg, backend, platform, journal);
        startNotes.addAll(controller.layout().missing().stream().map(m -> "not controlled: " + m).toList());
        if (cfg.metrics().enabled()) {
            metrics = new Metrics(new MetricsSource(this), version(), cfg.backend(), cfg.dryRun());
            try {
                int port = metrics.serve(cfg.metrics().address(), cfg.metrics().port());
                metricsAddress = cfg.metrics().address() + ":" + port;
            } catch (IOException e) {
                throw new CohortException("cannot serve metrics on " + cfg.metrics().address() + ":" + cfg.metrics().port() + ": "
                        + e.getMessage() + " (set metrics.port to a free port, or metrics.enabled: false)");
            }
            startNotes.add("metrics on http://" + metricsAddress + "/metrics");
        }
        try {
            status = StatusServer.start(cfg.socket(), new DaemonRequests(this)::answer);
        } catch (IOException e) {
            throw new CohortException("cannot listen on the status socket " + cfg.socket() + ": " + e.getMessage());
        }
        startNotes.add("status socket " + cfg.socket());
        journal.event("start", startNotes);
        print(startNotes);
        opts.sd().ready(summary());
    }

    private List<SavedKnob> readLeftover() {
        try {
            return new StateFile(cfg.stateFile()).load();
        } catch (IOException e) {
            throw new CohortException(e.getMessage());
        }
    }

    /** The control loop; returns 0 when stopped on request, 1 when ticks kept failing. */
    private int loop() {
        running = true;
        long period = cfg.periodNanos();
        long watchdog = opts.sd().watchdogIntervalNanos();
        long nextPing = System.nanoTime() + watchdog;
        long nextStatus = System.nanoTime() + 10_000_000_000L;
        long next = System.nanoTime() + period;
        int failures = 0;
        while (true) {
            // wait for the deadline, serving requests meanwhile
            while (true) {
                long now = System.nanoTime();
                if (watchdog > 0 && now >= nextPing) {
                    opts.sd().watchdog();
                    nextPing = now + watchdog;
                }
                long wait = next - now;
                if (wait <= 0) {
                    break;
                }
                Cmd c;
                try {
                    c = queue.poll(watchdog > 0 ? Math.min(wait, Math.max(1, nextPing - now)) : wait, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    c = new Stop("interrupted");
                }
                if (c instanceof Stop s) {
                    stopReason = s.reason();
                    running = false;
                    return 0;
                }
                if (c != null) {
                    handle(c);
                    if (cfg.periodNanos() != period) { // a reload changed the period: a new grid from now
                        period = cfg.periodNanos();
                        next = System.nanoTime() + period;
                    }
                }
            }
            backend.advance().accept(period); // the simulated machine's step, outside the tick's timing
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            TickRecord rec;
            try {
                rec = controller.tick();
                failures = 0;
            } catch (RuntimeException e) {
                if (failures++ == 0) {
                    opts.err().println("cohort: tick failed: " + e + " (the loop goes on; it stops after 50 failures in a row)");
                }
                if (failures >= 50) {
                    stopReason = "50 ticks failed in a row, the last with " + e;
                    opts.err().println("cohort: " + stopReason + "; stopping");
                    running = false;
                    return 1;
                }
                next += period;
                continue;
            }
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
            }
            if (!rec.plan().isEmpty() || !rec.notes().isEmpty()) {
                synchronized (decisions) {
                    decisions.addLast(rec);
                    while (decisions.size() > 20) {
                        decisions.removeFirst();
                    }
                }
            }
            if (now >= nextStatus) {
                opts.sd().status(summary());
                nextStatus = now + 10_000_000_000L;
            }
        }
    }

    private void handle(Cmd c) {
        switch (c) {
            case Reload r -> DaemonPolicies.reload(this);
            case Request q -> {
                try {
                    q.answer().complete(new DaemonRequests(this).onLoop(q.body()));
                } catch (RuntimeException e) {
                    q.answer().complete(StatusServer.error(e.getMessage()));
                }
            }
            case Stop s -> {
                // handled by the loop
            }
        }
    }

    /** The one-line STATUS systemd shows. */
    String summary() {
        TickStats.Summary s = stats.summary();
        Controller c = controller;
        return (cfg.dryRun() ? "dry run: " : "") + "tick " + s.count() + ", p99 " + s.p99Nanos() / 1000 + " us, overruns "
                + s.overruns() + (c == null ? "" : ", policy " + c.policy().name() + String.format(java.util.Locale.ROOT,
                ", min slack %.2f", c.status().minSlack())) + (competitors.isEmpty() ? "" : ", " + competitors.size() + " competing tuner(s)");
    }

    /** Restores as the policy says, exactly once, on the loop thread. Returns 0, or 1 when a knob failed. */
    private int shutdown() {
        String why = stopReason.isEmpty() ? "stop" : stopReason;
        opts.sd().stopping("stopping (" + why + "): " + (backend.durable() ? "restoring knobs" : "simulated machine"));
        List<String> notes = new ArrayList<>();
        notes.add("stopping: " + why);
        int code = 0;
        boolean skip = cfg.restore() == RestorePolicy.NEVER
                || (cfg.restore() == RestorePolicy.NOT_AT_SHUTDOWN && opts.shutdown().shuttingDown());
        if (cfg.dryRun()) {
            notes.add("dry run: nothing was written, nothing to restore");
        } else if (skip) {
            notes.add("restore_on_exit " + cfg.restore().id() + (cfg.restore() == RestorePolicy.NEVER ? ""
                    : " and the system is shutting down") + ": knobs left as they are; originals stay in " + cfg.stateFile()
                    + " (cohort restore puts them back)");
            if (backend.durable()) {
                writeMarker();
            }
        } else {
            RestoreReport r = platform.restore(false);
            notes.addAll(RestoreLines.of(r));
            if (!r.ok()) {
                code = 1;
                notes.add("some knobs could not be restored; they stay in " + cfg.stateFile() + " for cohort restore or the next start");
            }
        }
        if (journal != null) {
            journal.event("stop", notes);
        }
        print(notes);
        return code;
    }

    /** Prints notes to stderr, leaving out knobs a restore found unchanged (the journal keeps every line). */
    private void print(List<String> notes) {
        for (String n : notes) {
            if (!n.startsWith("unchanged ")) {
                opts.err().println("cohort: " + n);
            }
        }
    }

    private void writeMarker() {
        try {
            Files.createDirectories(cfg.stateDir());
            Files.writeString(cfg.stateDir().resolve(KEPT_MARKER), cfg.restore().id() + "\n");
        } catch (IOException e) {
            opts.err().println("cohort: cannot write " + cfg.stateDir().resolve(KEPT_MARKER) + ": " + e.getMessage()
                    + " (the next start will restore the kept knobs as after a crash)");
        }
    }

    private static String readMarker(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private void closeAll() {
        running = false;
        if (status != null) {
            status.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (latency != null) {
            latency.close();
        }
        Controller c = controller;
        if (c != null) {
            c.policy().close();
        }
        if (journal != null) {
            journal.close();
        }
        if (backend != null) {
            backend.platform().close();
        }
        opts.sd().close();
    }

    /** Waits until {@link #run} has returned (restore included); false on timeout. */
    public boolean awaitFinished(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        synchronized (done) {
            while (!finished) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                done.wait(left);
            }
        }
        return true;
    }

    boolean isFinished() {
        return finished;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // harmless: it only changes what the next start says
        }
    }

    /** This build's version. */
    public static String version() {
        String v = Daemon.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
