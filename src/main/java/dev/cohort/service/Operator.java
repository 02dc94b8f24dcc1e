package dev.cohort.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.KnobKeeper;
import dev.cohort.platform.RestoreReport;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.StateFile;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.linux.KernelFiles;
import dev.cohort.platform.linux.LinuxKnobIo;
import dev.cohort.platform.linux.LinuxPlatform;
import dev.cohort.platform.linux.ManagedTrees;
import dev.cohort.service.config.DaemonConfig;
import dev.cohort.service.status.StatusClient;
import dev.cohort.service.status.StatusSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * The operator commands' work, with or without a running daemon: {@code cohort status}, {@code cohort tune} and
 * {@code cohort restore}. With a daemon, status and tune go through its socket (a tune becomes an override the daemon
 * holds, instead of a write it would fight); without one, status reads the host directly and tune writes through the
 * same keeper the daemon uses (original saved to the state file first), both under the single-writer lock.
 */
public final class Operator {
    private Operator() {
    }

    /**
     * A status document and where it came from.
     *
     * @param doc        the document ({@link StatusSnapshot})
     * @param fromDaemon true when a running daemon answered
     * @param note       what to tell the reader first (e.g. that no daemon runs); empty when nothing
     */
    public record Status(JsonNode doc, boolean fromDaemon, String note) {
    }

    /** The daemon's status, or the host's state read directly when no daemon answers on the socket. */
    public static Status status(DaemonConfig cfg) {
        Optional<JsonNode> a = StatusClient.ask(cfg.socket(), StatusClient.request("status"));
        if (a.isPresent()) {
            if (a.get().has("error")) {
                throw new CohortException("the daemon answered: " + a.get().path("error").asText());
            }
            return new Status(a.get(), true, "");
        }
        String note = "no cohort daemon is running (no answer on " + cfg.socket() + ")";
        if (!cfg.linux()) {
            throw new CohortException(note + "; the simulated machine lives inside the daemon, so there is nothing to read");
        }
        return new Status(hostStatus(cfg), false, note + "; the host's state, read directly:");
    }

    /** Two samples 200 ms apart and the present knob values, read from the host; writes nothing. */
    public static ObjectNode hostStatus(DaemonConfig cfg) {
        try (LinuxPlatform p = new LinuxPlatform(Backend.linuxOptions(cfg, StateStore.inMemory()))) {
            Telemetry first = p.sample();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Telemetry now = p.sample();
            return StatusSnapshot.build(null, null, "linux", p.topology(), first, TelemetryInterval.between(first, now),
                    p.currentSettings(), Competitors.scan(cfg.host().root(), cfg.host().resctrlGroup()));
        }
    }

    /**
     * What became of one knob of a tune or a release's put-back, the same whether the daemon or this process wrote it.
     *
     * @param target    e.g. {@code freq-domain 0}, {@code cgroup 1}
     * @param label     the knob in people's words, e.g. {@code max freq kHz}
     * @param requested the value written, in the knob's own text
     * @param applied   the value read back (empty when not written)
     * @param outcome   applied, clamped, failed, unsupported or changed_by_other
     * @param detail    why it failed or was skipped; empty otherwise
     */
    public record KnobResult(String target, String label, String requested, String applied, String outcome, String detail) {
        static KnobResult of(SettingResult r) {
            String req = r.requested().isEmpty() ? r.setting().valueText() : r.requested();
            return new KnobResult(r.setting().target(), Tune.label(r.setting()), req, r.applied(),
                    r.outcome().name().toLowerCase(java.util.Locale.ROOT), r.detail());
        }

        /** From the daemon's answer ({@link dev.cohort.control.SettingJson#result}). */
        static KnobResult of(JsonNode r) {
            return new KnobResult(r.path("target").asText(), r.path("control").asText().toLowerCase(java.util.Locale.ROOT),
                    r.path("requested").asText(), r.path("applied").asText(), r.path("outcome").asText().toLowerCase(java.util.Locale.ROOT),
                    r.path("detail").asText());
        }

        /** True when the knob now holds the value (as asked, or as the kernel rounded it). */
        public boolean set() {
            return outcome.equals("applied") || outcome.equals("clamped");
        }
    }

    /**
     * The outcome of a tune.
     *
     * @param results   one per knob written (none for a budget)
     * @param viaDaemon true when the running daemon applied it and holds it as an override
     * @param budget    for {@code tune budget}: the budget now in force, in one line; null otherwise
     */
    public record TuneOutcome(List<KnobResult> results, boolean viaDaemon, String budget) {
        public TuneOutcome(List<KnobResult> results, boolean viaDaemon) {
            this(results, viaDaemon, null);
        }
    }

    /**
     * A released override.
     *
     * @param target  e.g. {@code cgroup 1}
     * @param control e.g. {@code CPU_MAX_USEC}
     * @param value   the value it was held at
     */
    public record Released(String target, String control, String value) {
    }

    /**
     * What a release let go, and what putting the earlier values back did.
     *
     * @param budget when a tuned power budget was released: the budget now in force, in one line; null otherwise
     */
    public record ReleaseOutcome(List<Released> released, List<KnobResult> putBack, String budget) {
    }

    /** Applies a tune through the running daemon, or directly when none runs. */
    public static TuneOutcome tune(DaemonConfig cfg, Tune.Request r) {
        ObjectNode req = StatusClient.request("tune");
        req.put("kind", r.kind());
        req.put("target", r.target());
        req.put("value", r.value());
        req.put("force", r.force());
        Optional<JsonNode> a = StatusClient.ask(cfg.socket(), req);
        if (a.isPresent()) {
            JsonNode ans = a.get();
            if (!ans.path("ok").asBoolean(false)) {
                throw new CohortException(ans.path("error").asText("the daemon refused the change"));
            }
            List<KnobResult> rs = new java.util.ArrayList<>();
            ans.path("results").forEach(x -> rs.add(KnobResult.of(x)));
            return new TuneOutcome(rs, true, ans.has("budget") ? ans.path("budget").asText() : null);
        }
        if (r.kind().equals(Tune.BUDGET)) {
            Tune.budget(r.value().strip().equals(Tune.BUDGET_OFF) ? "1W" : r.value()); // a bad value says so first
            throw new CohortException("no cohort daemon is running: the power budget is the daemon's to hold (set"
                    + " power_budget in the configuration, or start cohort run and tune it then)");
        }
        if (!cfg.linux()) {
            throw new CohortException("no cohort daemon is running, and the simulated machine lives inside it: start cohort run --backend sim first");
        }
        try (DaemonLock lock = DaemonLock.acquire(cfg.lockFile(), "cohort tune");
             LinuxPlatform p = new LinuxPlatform(Backend.linuxOptions(cfg, new StateFile(cfg.stateFile()), false))) {
            List<Setting> settings = Tune.resolve(r, p.topology(), cfg.controller().quotaPeriodUsec());
            p.handBack(settings); // the operator sets it through cohort: a knob they had changed by hand is theirs to set
            List<SettingResult> res = p.apply(new ControlPlan(0, settings));
            if (!p.keeper().saved().isEmpty()) {
                markKept(cfg, "cohort tune");
            }
            return new TuneOutcome(res.stream().map(KnobResult::of).toList(), false);
        }
    }

    /** Releases overrides the daemon holds ({@code kind} null: all). */
    public static ReleaseOutcome release(DaemonConfig cfg, String kind, String target) {
        ObjectNode req = StatusClient.request("release");
        if (kind == null) {
            req.put("all", true);
        } else {
            req.put("kind", kind);
            req.put("target", target);
        }
        JsonNode a = StatusClient.ask(cfg.socket(), req).orElseThrow(() -> new CohortException(
                "no cohort daemon is running, so no override is held (a tune without the daemon stays until cohort restore)"));
        if (!a.path("ok").asBoolean(false)) {
            throw new CohortException(a.path("error").asText("the daemon refused"));
        }
        List<Released> released = new java.util.ArrayList<>();
        a.path("released").forEach(r -> released.add(new Released(r.path("target").asText(), r.path("control").asText(),
                r.path("value").asText())));
        List<KnobResult> putBack = new java.util.ArrayList<>();
        a.path("putBack").forEach(r -> putBack.add(KnobResult.of(r)));
        return new ReleaseOutcome(released, putBack, a.has("budget") ? a.path("budget").asText() : null);
    }

    /**
     * Restores every knob in the state file, under the lock (refused while a daemon runs: it restores on stop). A knob
     * someone else changed is left and stays in the file, marked left, unless {@code force}.
     *
     * @return the report, or null when the state file holds nothing
     */
    public static RestoreReport restore(DaemonConfig cfg, boolean force) {
        try (DaemonLock lock = DaemonLock.acquire(cfg.lockFile(), "cohort restore")) {
            KnobKeeper keeper = keeper(cfg);
            if (keeper.saved().isEmpty()) {
                deleteMarker(cfg);
                return null;
            }
            RestoreReport r = keeper.restore(force);
            if (keeper.saved().stream().noneMatch(k -> !k.isLeft())) {
                deleteMarker(cfg); // only knobs left to someone else remain: a start has nothing of cohort's to keep
            }
            return r;
        }
    }

    /**
     * Drops knobs left to someone else from the state file ({@code cohort restore --forget KNOB|all}), so their
     * originals are never written back. Writes no knob.
     *
     * @return the ids dropped
     */
    public static List<String> forget(DaemonConfig cfg, String which) {
        try (DaemonLock lock = DaemonLock.acquire(cfg.lockFile(), "cohort restore --forget")) {
            KnobKeeper keeper = keeper(cfg);
            try {
                return keeper.forget(which);
            } catch (IllegalArgumentException e) {
                throw new CohortException(e.getMessage());
            } catch (IOException e) {
                throw new CohortException("cannot update " + cfg.stateFile() + ": " + e.getMessage() + "; nothing was dropped");
            }
        }
    }

    /** The keeper of the state file, writing only inside the kernel trees under {@code host.root}. */
    private static KnobKeeper keeper(DaemonConfig cfg) {
        if (!cfg.linux()) {
            throw new CohortException("the simulated machine keeps no state outside the daemon; there is nothing to restore");
        }
        KernelFiles files = KernelFiles.real();
        try {
            return new KnobKeeper(new LinuxKnobIo(files, ManagedTrees.under(cfg.host().root(), files)), new StateFile(cfg.stateFile()));
        } catch (IOException e) {
            throw new CohortException(e.getMessage());
        }
    }

    static void markKept(DaemonConfig cfg, String by) {
        try {
            Files.createDirectories(cfg.stateDir());
            Files.writeString(cfg.stateDir().resolve(Daemon.KEPT_MARKER), by + "\n");
        } catch (IOException e) {
            // the next daemon start then restores these knobs as after a crash: safe, only less convenient
        }
    }

    private static void deleteMarker(DaemonConfig cfg) {
        try {
            Files.deleteIfExists(cfg.stateDir().resolve(Daemon.KEPT_MARKER));
        } catch (IOException ignored) {
            // harmless
        }
    }
}
