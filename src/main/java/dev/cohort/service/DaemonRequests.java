package dev.cohort.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.control.Controller;
import dev.cohort.control.SettingJson;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Topology;
import dev.cohort.policy.Role;
import dev.cohort.service.config.DaemonConfig;
import dev.cohort.service.status.StatusServer;
import dev.cohort.service.status.StatusSnapshot;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The daemon's answers on the status socket. {@link #answer} runs on the connection's thread and hands the request
 * to the control loop; {@link #onLoop} runs on the loop thread between ticks, where it may read and write the platform.
 */
final class DaemonRequests {
    private final Daemon d;

    DaemonRequests(Daemon d) {
        this.d = d;
    }

    /** Passes the request to the loop and waits for its answer (10 s at most). */
    JsonNode answer(JsonNode request) {
        if (d.state() == null) {
            return StatusServer.error("the daemon is starting (restoring knobs left by a crash, opening the backend); ask again in a moment");
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        d.submit(new Daemon.Request(request, f));
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return StatusServer.error("the daemon's control loop did not answer within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StatusServer.error("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return StatusServer.error(String.valueOf(e.getCause()));
        }
    }

    /** Answers on the loop thread. */
    JsonNode onLoop(JsonNode req) {
        String cmd = req.path("cmd").asText("");
        return switch (cmd) {
            case "status" -> status();
            case "tune" -> tune(req);
            case "release" -> release(req);
            case "reload" -> {
                DaemonPolicies.reload(d);
                ObjectNode o = ok();
                o.put("policy", d.state().controller().policy().name());
                yield o;
            }
            default -> StatusServer.error("unknown request '" + cmd + "' (status, tune, release, reload)");
        };
    }

    private static ObjectNode ok() {
        ObjectNode o = StatusSnapshot.JSON.createObjectNode();
        o.put("ok", true);
        return o;
    }

    ObjectNode status() {
        Running run = d.state();
        Started st = d.started();
        DaemonConfig cfg = run.cfg();
        Controller c = run.controller();
        DaemonPlatform platform = st.platform();
        Topology t = platform.topology();
        int n = t.cgroups().size();
        double[] lat = new double[n];
        double[] slack = new double[n];
        List<String> sources = new ArrayList<>();
        double[] progress = new double[n];
        List<String> references = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            progress[g] = c.status().progress().progress(g);
            var ref = c.status().progress().reference(g);
            references.add(ref == null ? null : switch (ref) {
                case CONFIGURED -> st.backend().durable() ? "configured reference_rate"
                        : "simulated job's own rate alone at the top frequency";
                case WINDOW_INSTRUCTIONS -> "highest instruction rate of the last five minutes";
                case WINDOW_BUSY_CYCLES -> "highest busy-cycle rate of the last five minutes (no per-cgroup instruction counter)";
            });
            lat[g] = c.status().latencyUsec(g);
            slack[g] = t.cgroups().get(g).role() == CgroupRole.LATENCY_CRITICAL ? c.status().slack(g) : Double.NaN;
            sources.add(st.latency() == null ? cfg.backend() + " (measured by the simulated machine)" : st.latency().describe(g));
        }
        List<TickRecord> last = d.lastDecisions();
        EnumMap<Role, String> pol = new EnumMap<>(Role.class);
        pol.putAll(cfg.policies());
        BudgetView v = run.budget().view();
        var budget = v == null ? null : new StatusSnapshot.Budget(v.watts(), v.spec(), v.source(), v.balancer(), v.stepSeconds(),
                v.lambda(), v.lambdaMax(), v.powerWatts(), v.powerSource(), v.predictedWatts(), v.windowWatts(), v.windows(),
                v.overWindows(), v.overAtBoundWindows(), v.stepNanos());
        var loop = new StatusSnapshot.Loop(d.stats().summary(), c.fallbacks(), pol, cfg.fallback(), c.policy().name(), c.lambda(),
                lat, slack, c.status().minSlack(), sources, platform.overrides(), platform.handChanges(), last, progress, references,
                budget);
        var daemon = new StatusSnapshot.Daemon(ProcessHandle.current().pid(), Daemon.version(), cfg.backend().id(), cfg.dryRun(),
                cfg.source(), cfg.restore().id(), d.startedMillis(), cfg.periodNanos(), st.metricsAddress(), cfg.socket().toString());
        var s = platform.samples();
        return StatusSnapshot.build(daemon, loop, platform.name(), t, s == null ? null : s.first(),
                s == null ? null : s.interval(), platform.currentSettings(), st.competitors());
    }

    private JsonNode tune(JsonNode req) {
        if (d.state().cfg().dryRun()) {
            return StatusServer.error("the daemon runs as a dry run and writes nothing, manual overrides included; "
                    + "stop it to tune by hand, or run it without --dry-run");
        }
        if (req.path("kind").asText().equals(Tune.BUDGET)) {
            return tuneBudget(req.path("value").asText());
        }
        List<Setting> settings;
        try {
            settings = Tune.resolve(new Tune.Request(req.path("kind").asText(), req.path("target").asText(), req.path("value").asText(), req.path("force").asBoolean(false)),
                    d.started().platform().topology(), d.state().cfg().controller().quotaPeriodUsec());
        } catch (CohortException e) {
            return StatusServer.error(e.getMessage());
        }
        List<SettingResult> results = d.started().platform().applyOverride(d.state().controller().ticks(), settings);
        boolean refresh = false;
        List<String> notes = new ArrayList<>();
        ObjectNode o = ok();
        ArrayNode a = o.putArray("results");
        for (SettingResult r : results) {
            switch (r.outcome()) {
                case APPLIED -> d.state().controller().knobs().update(r.setting());
                case CLAMPED -> refresh = true;
                case FAILED, UNSUPPORTED, CHANGED_BY_OTHER -> d.started().platform().drop(r.setting().knobKey()); // nothing to hold
            }
            a.add(SettingJson.result(r));
            notes.add("manual override " + Tune.describe(r).replaceAll("\\s+", " "));
        }
        if (refresh) {
            d.state().controller().knobs().update(d.started().platform().currentSettings());
        }
        o.put("held", results.stream().anyMatch(r -> r.outcome() == SettingResult.Outcome.APPLIED || r.outcome() == SettingResult.Outcome.CLAMPED));
        d.started().journal().event("override", notes);
        return o;
    }

    /**
     * {@code cohort tune budget VALUE}: a budget held in place of the configured one until released ({@code off}
     * releases it). Answers {@code budget}: what is in force now.
     */
    private JsonNode tuneBudget(String value) {
        DaemonBudget b = d.state().budget();
        String now;
        try {
            if (Tune.BUDGET_OFF.equals(value.strip())) {
                now = b.release();
                if (now == null) {
                    now = b.describe();
                }
            } else {
                now = b.tune(Tune.budget(value));
            }
        } catch (CohortException e) {
            return StatusServer.error(e.getMessage());
        }
        d.started().journal().event("override", List.of("cohort tune budget " + value.strip() + ": " + now));
        ObjectNode o = ok();
        o.putArray("results");
        o.put("held", b.tuned());
        o.put("budget", now);
        return o;
    }

    private JsonNode release(JsonNode req) {
        List<Setting> released = new ArrayList<>();
        List<SettingResult> putBack = new ArrayList<>();
        long tick = d.state().controller().ticks();
        String budget = null;
        if (req.path("all").asBoolean(false) || req.path("kind").asText().equals(Tune.BUDGET)) {
            try {
                budget = d.state().budget().release();
            } catch (CohortException e) {
                return StatusServer.error(e.getMessage());
            }
        }
        if (req.path("kind").asText().equals(Tune.BUDGET)) {
            // nothing else to release
        } else if (req.path("all").asBoolean(false)) {
            DaemonPlatform.Released r = d.started().platform().release(tick, null);
            released.addAll(r.settings());
            putBack.addAll(r.putBack());
        } else {
            List<String> keys;
            try {
                keys = Tune.releaseKeys(req.path("kind").asText(), req.path("target").asText(), d.started().platform().topology(),
                        d.state().cfg().controller().quotaPeriodUsec());
            } catch (CohortException e) {
                return StatusServer.error(e.getMessage());
            }
            for (String k : keys) {
                DaemonPlatform.Released r = d.started().platform().release(tick, k);
                released.addAll(r.settings());
                putBack.addAll(r.putBack());
            }
        }
        ObjectNode o = ok();
        ArrayNode a = o.putArray("released");
        List<String> notes = new ArrayList<>();
        if (budget != null) {
            o.put("budget", budget);
            notes.add("released the tuned power budget: " + budget);
        }
        for (Setting s : released) {
            a.add(SettingJson.setting(s));
            notes.add("released manual override " + s.target() + " " + s.control().name() + " = " + s.valueText());
        }
        ArrayNode b = o.putArray("putBack");
        for (SettingResult r : putBack) {
            b.add(SettingJson.result(r));
            notes.add("put back the value before the override: " + Tune.describe(r).replaceAll("\\s+", " "));
            if (r.outcome() == SettingResult.Outcome.APPLIED) {
                d.state().controller().knobs().update(r.setting());
            }
        }
        if (!notes.isEmpty()) {
            d.started().journal().event("release", notes);
            Controller c = d.state().controller();
            if (c != null) {
                c.retryNow(); // the agents take the released knobs back on the next tick
            }
        }
        return o;
    }
}
