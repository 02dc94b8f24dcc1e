package dev.cohort.service;

import dev.cohort.control.JsonLinesJournal;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.RestoreReport;
import dev.cohort.service.config.DaemonConfig;
import dev.cohort.service.config.RestorePolicy;
import dev.cohort.service.config.Units;
import dev.cohort.service.metrics.Metrics;
import dev.cohort.service.status.StatusServer;
import dev.cohort.service.status.TickStats;
import dev.cohort.service.systemd.SdNotify;
import dev.cohort.service.systemd.ShutdownProbe;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

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
 *   <li>Run the {@link TickLoop}: ticks on a fixed grid of deadlines; between ticks it answers status requests, manual
 *       overrides and reloads, so the platform is touched by one thread only. What it runs with is one immutable
 *       {@link Running} state, swapped whole by a reload ({@link #swap}); status and metrics read it through the narrow
 *       {@link DaemonView}.</li>
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
public final class Daemon implements DaemonView {
    /** Where kept originals are marked as such (a stop with restore_on_exit never/not-at-shutdown). */
    static final String KEPT_MARKER = "kept-on-exit";

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
    private final LinkedBlockingQueue<Cmd> queue = new LinkedBlockingQueue<>();
    private final TickStats stats = new TickStats(4096);
    private final long startedMillis = System.currentTimeMillis();
    private volatile Running running;
    private volatile Started started;
    private volatile TickLoop loop;
    private volatile boolean ticking;
    private Metrics metrics;
    private StatusServer status;
    private volatile boolean finished;
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
        return ticking;
    }

    @Override
    public Running state() {
        return running;
    }

    @Override
    public Started started() {
        return started;
    }

    @Override
    public TickStats stats() {
        return stats;
    }

    @Override
    public List<TickRecord> lastDecisions() {
        TickLoop l = loop;
        return l == null ? List.of() : l.lastDecisions();
    }

    @Override
    public long startedMillis() {
        return startedMillis;
    }

    /** The request queue the status socket's threads hand requests to. */
    void submit(Cmd c) {
        queue.add(c);
    }

    /** Puts a new configuration and controller in force: the one place the running state changes (start, reload). */
    void swap(Running next) {
        running = next;
    }

    /**
     * Runs until stopped.
     *
     * @return the exit code: 0 after a clean stop, 1 when a knob could not be restored or the loop failed
     * @throws CohortException for start-up errors a person can fix (config, lock, leftover state in a dry run)
     */
    public int run() {
        DaemonConfig cfg = DaemonConfig.load(opts.configFile()).with(opts.backend(), opts.dryRun());
        try (DaemonLock lock = DaemonLock.acquire(cfg.lockFile(), "the daemon")) {
            if (opts.signals()) {
                signalNotes = DaemonSignals.install(this);
            }
            try {
                start(cfg);
                TickLoop.Exit exit;
                try {
                    loop = new TickLoop(queue, this::handle, () -> running, started, opts.sd(), opts.err(), metrics, stats, this::summary);
                    ticking = true;
                    exit = loop.run();
                } catch (RuntimeException | Error e) {
                    ticking = false;
                    stopReason = "the control loop failed: " + e;
                    shutdown();
                    throw e;
                }
                ticking = false;
                stopReason = exit.reason();
                return Math.max(exit.code(), shutdown());
            } finally {
                closeAll();
                synchronized (done) {
                    finished = true;
                    done.notifyAll();
                }
            }
        }
    }

    private void start(DaemonConfig cfg) {
        // the status socket first: a path that is not cohort's socket stops the start before anything is touched
        try {
            status = StatusServer.start(cfg.socket(), new DaemonRequests(this)::answer);
        } catch (IOException e) {
            throw new CohortException("cannot listen on the status socket " + cfg.socket() + ": " + e.getMessage());
        }
        List<String> notes = new ArrayList<>(signalNotes);
        notes.add(0, "cohort " + version() + " pid " + ProcessHandle.current().pid() + ", backend " + cfg.backend()
                + (cfg.dryRun() ? " (dry run: writes nothing)" : "") + ", config " + cfg.source() + ", period "
                + Units.formatNanos(cfg.periodNanos()) + ", restore_on_exit " + cfg.restore().id());
        Leftover leftover = Leftover.read(cfg);
        leftover.refuseDryRunOverOurs(cfg);
        Backend backend = opts.factory().open(cfg);
        notes.addAll(leftover.restore(cfg, backend));
        if (!backend.durable() && !cfg.cgroups().isEmpty()) {
            notes.add("backend " + cfg.backend() + ": the managed cgroups are the scenario's; the configuration's cgroups are not used");
        }
        boolean linux = cfg.linux();
        List<String> competitors = linux ? Competitors.scan(cfg.host().root(), cfg.host().resctrlGroup()) : List.of();
        notes.addAll(competitors);
        AsyncJournal journal = openJournal(cfg, backend);
        LatencySources latency = linux ? new LatencySources(cfg.cgroups().stream().map(DaemonConfig.Cgroup::latency).toList()) : null;
        DaemonPlatform platform = new DaemonPlatform(backend.platform(), latency);
        if (!cfg.dryRun()) {
            for (var h : platform.holdHandChanges()) {
                notes.add("held as a manual override (someone else's value): " + h.target() + " " + h.control().name() + " = "
                        + h.valueText() + " (cohort tune release hands it back)");
            }
        }
        var controller = DaemonPolicies.controller(cfg, backend, platform, journal);
        notes.addAll(controller.layout().missing().stream().map(m -> "not controlled: " + m).toList());
        started = new Started(backend, platform, journal, latency, competitors, null);
        DaemonBudget budget = DaemonBudget.start(cfg, started, controller);
        notes.addAll(budget.startNotes());
        swap(new Running(cfg, controller, budget));
        journal.tickFields(() -> running.budget().view().journalFields());
        if (cfg.metrics().enabled()) { // the metrics read the view from their first scrape on: publish it first
            String metricsAddress = serveMetrics(cfg);
            started = new Started(backend, platform, journal, latency, competitors, metricsAddress);
            notes.add("metrics on http://" + metricsAddress + "/metrics");
        }
        notes.add("status socket " + cfg.socket());
        journal.event("start", notes);
        print(notes);
        opts.sd().ready(summary());
    }

    private static AsyncJournal openJournal(DaemonConfig cfg, Backend backend) {
        try {
            JsonLinesJournal file = new JsonLinesJournal(cfg.journal(), cfg.journalMaxBytes(), cfg.journalKeep(),
                    cfg.journalMaxTotalBytes(), backend.platform().topology());
            return new AsyncJournal(cfg.journalObservations() ? file.recordingObservations() : file, 4096);
        } catch (IOException e) {
            throw new CohortException("cannot open the journal " + cfg.journal() + ": " + e.getMessage()
                    + " (set paths.journal to a writable file)");
        }
    }

    /** Serves the metrics (they read this daemon through {@link DaemonView}); returns {@code address:port}. */
    private String serveMetrics(DaemonConfig cfg) {
        metrics = new Metrics(new MetricsSource(this), version(), cfg.backend().id(), cfg.dryRun());
        try {
            int port = metrics.serve(cfg.metrics().address(), cfg.metrics().port());
            return cfg.metrics().address() + ":" + port;
        } catch (IOException e) {
            throw new CohortException("cannot serve metrics on " + cfg.metrics().address() + ":" + cfg.metrics().port() + ": "
                    + e.getMessage() + " (set metrics.port to a free port, or metrics.enabled: false)");
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
        Running r = running;
        Started st = started;
        return (r != null && r.cfg().dryRun() ? "dry run: " : "") + "tick " + s.count() + ", p99 " + dev.cohort.platform.Readable.nanos(s.p99Nanos())
                + ", overruns " + s.overruns() + (r == null ? "" : ", policy " + r.controller().policy().name()
                + String.format(java.util.Locale.ROOT, ", min slack %.2f", r.controller().status().minSlack()))
                + (st == null || st.competitors().isEmpty() ? "" : ", " + st.competitors().size() + " competing tuner(s)");
    }

    /** Restores as the policy says, exactly once, on the loop thread. Returns 0, or 1 when a knob failed. */
    private int shutdown() {
        Running r = running;
        Started st = started;
        DaemonConfig cfg = r == null ? null : r.cfg();
        if (cfg == null || st == null) {
            return 0; // start-up failed before anything was written: nothing to restore
        }
        Backend backend = st.backend();
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
                writeMarker(cfg);
            }
        } else {
            RestoreReport rep = st.platform().restore(false);
            notes.addAll(RestoreLines.of(rep));
            if (!rep.ok()) {
                code = 1;
                notes.add("some knobs could not be restored; they stay in " + cfg.stateFile() + " for cohort restore or the next start");
            }
        }
        st.journal().event("stop", notes);
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

    private void writeMarker(DaemonConfig cfg) {
        try {
            Files.createDirectories(cfg.stateDir());
            Files.writeString(cfg.stateDir().resolve(KEPT_MARKER), cfg.restore().id() + "\n");
        } catch (IOException e) {
            opts.err().println("cohort: cannot write " + cfg.stateDir().resolve(KEPT_MARKER) + ": " + e.getMessage()
                    + " (the next start will restore the kept knobs as after a crash)");
        }
    }

    private void closeAll() {
        ticking = false;
        if (status != null) {
            status.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        Started st = started;
        Running r = running;
        if (st != null && st.latency() != null) {
            st.latency().close();
        }
        if (r != null) {
            r.close();
        }
        if (st != null) {
            st.journal().close();
            st.backend().platform().close();
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

    /** This build's version. */
    public static String version() {
        String v = Daemon.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
