package dev.cohort.service.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.control.SettingJson;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Setting;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.Topology;
import dev.cohort.policy.Role;
import dev.cohort.service.metrics.Metrics;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status document, schema 1: what {@code cohort status --json} prints and the status socket answers. Its keys
 * are a stable interface (documented in {@code docs/operations.md}, pinned by a test); a key is added, never
 * renamed or removed, without raising {@code schema}. Unknown numbers are {@code null}; parts that only a running
 * daemon knows ({@code daemon}, {@code ticks}, {@code policy}, {@code lambda}, decisions) are {@code null} when the
 * host is read directly.
 */
public final class StatusSnapshot {
    /** The schema version in every document. */
    public static final int SCHEMA = 1;
    public static final ObjectMapper JSON = new ObjectMapper();

    private StatusSnapshot() {
    }

    /** What only a running daemon knows. */
    public record Daemon(long pid, String version, String backend, boolean dryRun, String config, String restoreOnExit,
                         long startedEpochMillis, long periodNanos, String metrics, String socket) {
    }

    /**
     * The power budget in force and how it is held (every figure NaN or null when unknown; {@code watts} NaN when no
     * budget is in force).
     *
     * @param powerSource    {@code measured} (RAPL) or {@code estimated} (the cost estimator); null when neither
     * @param overAtBoundWindows the last windows in a row over the budget with λ at or near its bound (out of reach)
     * @param stepCostNanos  what the last balancer step cost, ns; −1 before the first
     */
    public record Budget(double watts, String spec, String source, String balancer, double stepSeconds, double lambda,
                         double lambdaMax, double powerWatts, String powerSource, double predictedWatts, double windowWatts,
                         long windows, long overWindows, long overAtBoundWindows, long stepCostNanos) {
        /** Windows in a row over the budget with λ at or near its bound before status and the journal call it out of reach. */
        public static final int OUT_OF_REACH_WINDOWS = 3;
    }

    /** What the control loop knows about the last tick. */
    public record Loop(TickStats.Summary ticks, long fallbacks, Map<Role, String> policies, String fallback,
                       String activePolicy, double lambda, double[] latencyUsec, double[] slack, double minSlack,
                       List<String> latencySources, List<Setting> overrides, List<String> handChanges,
                       List<TickRecord> lastDecisions, double[] progress, List<String> progressReferences, Budget budget) {
    }

    /**
     * Builds the document.
     *
     * @param daemon     null when no daemon runs
     * @param loop       null when no daemon runs
     * @param first      the first sample (energy is counted from it); may equal {@code interval.previous()}
     * @param interval   the last interval, or null when there is only one sample
     * @param settings   the knob values on the host now
     */
    public static ObjectNode build(Daemon daemon, Loop loop, String backend, Topology t, Telemetry first,
                                   TelemetryInterval interval, List<Setting> settings, List<String> competitors) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        if (daemon == null) {
            root.putNull("daemon");
        } else {
            ObjectNode d = root.putObject("daemon");
            d.put("pid", daemon.pid());
            d.put("version", daemon.version());
            d.put("backend", daemon.backend());
            d.put("dry_run", daemon.dryRun());
            d.put("config", daemon.config());
            d.put("restore_on_exit", daemon.restoreOnExit());
            d.put("started", java.time.Instant.ofEpochMilli(daemon.startedEpochMillis()).toString());
            d.put("uptime_s", (System.currentTimeMillis() - daemon.startedEpochMillis()) / 1000.0);
            d.put("period_ms", daemon.periodNanos() / 1e6);
            d.put("metrics", daemon.metrics());
            d.put("socket", daemon.socket());
        }
        ObjectNode h = root.putObject("host");
        h.put("backend", backend);
        h.put("cpus", t.cpuCount());
        h.put("packages", t.packageCount());
        h.put("reserved_cpus", t.reservedCpus().toString());
        loop(root, loop);
        freqDomains(root, t, interval, settings);
        packages(root, t, first, interval);
        cgroups(root, t, interval, settings, loop);
        memoryDomains(root, t, interval, settings);
        ArrayNode c = root.putArray("competitors");
        competitors.forEach(c::add);
        ArrayNode o = root.putArray("overrides");
        if (loop != null) {
            for (Setting s : loop.overrides()) {
                o.add(SettingJson.setting(s).put("source", loop.handChanges().contains(s.knobKey()) ? "hand change" : "cohort tune"));
            }
        }
        decisions(root, loop);
        budget(root, loop);
        return root;
    }

    private static void budget(ObjectNode root, Loop loop) {
        if (loop == null || loop.budget() == null) {
            root.putNull("budget");
            return;
        }
        Budget b = loop.budget();
        ObjectNode o = root.putObject("budget");
        num(o, "watts", b.watts());
        text(o, "spec", b.spec());
        text(o, "source", b.source());
        o.put("balancer", b.balancer());
        num(o, "step_s", b.stepSeconds());
        num(o, "lambda", b.lambda());
        num(o, "lambda_max", b.lambdaMax());
        num(o, "power_w", b.powerWatts());
        text(o, "power_source", b.powerSource());
        num(o, "predicted_w", b.predictedWatts());
        num(o, "window_w", b.windowWatts());
        o.put("windows", b.windows());
        o.put("over_budget_windows", b.overWindows());
        o.put("over_budget_at_bound_windows", b.overAtBoundWindows());
        num(o, "step_cost_us", b.stepCostNanos() < 0 ? Double.NaN : b.stepCostNanos() / 1e3);
    }

    private static void text(ObjectNode o, String key, String v) {
        if (v == null) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private static void loop(ObjectNode root, Loop loop) {
        if (loop == null) {
            root.putNull("ticks");
            root.putNull("policy");
            root.putNull("lambda");
            ObjectNode slo = root.putObject("slo");
            slo.putNull("min_slack");
            slo.putNull("violated");
            return;
        }
        ObjectNode tk = root.putObject("ticks");
        TickStats.Summary s = loop.ticks();
        tk.put("count", s.count());
        tk.put("overruns", s.overruns());
        tk.put("fallbacks", loop.fallbacks());
        tk.put("p50_us", s.p50Nanos() / 1e3);
        tk.put("p99_us", s.p99Nanos() / 1e3);
        tk.put("max_us", s.maxNanos() / 1e3);
        tk.put("mean_us", s.meanNanos() / 1e3);
        tk.put("window", s.window());
        tk.put("cpu_p50_us", s.cpuP50Nanos() / 1e3);
        tk.put("cpu_p99_us", s.cpuP99Nanos() / 1e3);
        ObjectNode p = root.putObject("policy");
        for (Role r : Role.values()) {
            p.put(r.id(), loop.policies().get(r));
        }
        p.put("fallback", loop.fallback());
        p.put("active", loop.activePolicy());
        num(root, "lambda", loop.lambda());
        ObjectNode slo = root.putObject("slo");
        num(slo, "min_slack", loop.minSlack());
        slo.put("violated", loop.minSlack() < 0);
    }

    private static void freqDomains(ObjectNode root, Topology t, TelemetryInterval iv, List<Setting> settings) {
        ArrayNode a = root.putArray("freq_domains");
        for (int di = 0; di < t.frequencyDomains().size(); di++) {
            final int d = di;
            Topology.FrequencyDomain fd = t.frequencyDomains().get(d);
            ObjectNode o = a.addObject();
            o.put("index", d);
            o.put("name", fd.name());
            o.put("cpus", fd.cpus().toString());
            o.put("managed", t.isManaged(fd));
            num(o, "freq_mhz", iv == null ? Double.NaN : Metrics.meanOver(iv, fd, true) / 1e3);
            num(o, "util", iv == null ? Double.NaN : Metrics.meanOver(iv, fd, false));
            num(o, "ipc", iv == null ? Double.NaN : meanIpc(iv, fd));
            Long max = null;
            Long min = null;
            String epp = null;
            for (Setting s : settings) {
                switch (s) {
                    case Setting.FreqMaxKhz f when f.domain() == d -> max = f.khz();
                    case Setting.FreqMinKhz f when f.domain() == d -> min = f.khz();
                    case Setting.Epp e when e.domain() == d -> epp = e.preference();
                    default -> {
                    }
                }
            }
            num(o, "max_limit_mhz", max == null ? Double.NaN : max / 1e3);
            num(o, "min_limit_mhz", min == null ? Double.NaN : min / 1e3);
            o.put("hw_min_mhz", fd.minKhz() / 1e3);
            o.put("hw_max_mhz", fd.maxKhz() / 1e3);
            if (epp == null) {
                o.putNull("epp");
            } else {
                o.put("epp", epp);
            }
        }
    }

    private static double meanIpc(TelemetryInterval iv, Topology.FrequencyDomain fd) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < fd.cpus().size(); i++) {
            double v = iv.ipc(fd.cpus().get(i));
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static void packages(ObjectNode root, Topology t, Telemetry first, TelemetryInterval iv) {
        ArrayNode a = root.putArray("packages");
        for (int p = 0; p < t.packageCount(); p++) {
            ObjectNode o = a.addObject();
            o.put("index", p);
            boolean has = iv != null && iv.has(Signal.PKG_ENERGY_UJ) && p < iv.current().width(Signal.PKG_ENERGY_UJ);
            num(o, "power_w", has ? iv.packageWatts(p) : Double.NaN);
            num(o, "energy_j", has && first != null && first.has(Signal.PKG_ENERGY_UJ)
                    ? (iv.current().counter(Signal.PKG_ENERGY_UJ, p) - first.counter(Signal.PKG_ENERGY_UJ, p)) / 1e6 : Double.NaN);
        }
    }

    private static void cgroups(ObjectNode root, Topology t, TelemetryInterval iv, List<Setting> settings, Loop loop) {
        ArrayNode a = root.putArray("cgroups");
        for (int gi = 0; gi < t.cgroups().size(); gi++) {
            final int g = gi;
            Topology.CgroupInfo c = t.cgroups().get(g);
            ObjectNode o = a.addObject();
            o.put("index", g);
            o.put("name", c.name());
            o.put("path", c.path());
            o.put("role", c.role() == CgroupRole.LATENCY_CRITICAL ? "latency-critical" : "best-effort");
            o.put("cpus", c.cpus().toString());
            String quota = null;
            double quotaCpus = Double.NaN;
            Integer weight = null;
            for (Setting s : settings) {
                switch (s) {
                    case Setting.CpuMaxUsec q when q.cgroup() == g -> {
                        quota = (q.quotaUsec() < 0 ? "max" : Long.toString(q.quotaUsec())) + " " + q.periodUsec();
                        quotaCpus = q.quotaUsec() < 0 ? Double.NaN : q.cpus();
                    }
                    case Setting.CpuWeight w when w.cgroup() == g -> weight = w.weight();
                    default -> {
                    }
                }
            }
            if (quota == null) {
                o.putNull("cpu_max");
            } else {
                o.put("cpu_max", quota);
            }
            num(o, "quota_cpus", quotaCpus);
            if (weight == null) {
                o.putNull("weight");
            } else {
                o.put("weight", weight);
            }
            num(o, "usage_cpus", iv == null ? Double.NaN : iv.cgroupCpus(g));
            num(o, "throttled_ratio", iv == null || !iv.has(Signal.CGROUP_PERIODS) ? Double.NaN : iv.throttledFraction(g));
            num(o, "cpu_pressure", iv == null || !iv.has(Signal.CGROUP_CPU_PRESSURE_SOME_USEC) ? Double.NaN : iv.cpuPressure(g));
            boolean lc = c.role() == CgroupRole.LATENCY_CRITICAL;
            num(o, "latency_us", lc && loop != null ? loop.latencyUsec()[g] : Double.NaN);
            num(o, "slo_us", lc ? c.sloUsec() : Double.NaN);
            num(o, "slack", lc && loop != null ? loop.slack()[g] : Double.NaN);
            num(o, "progress", !lc && loop != null && loop.progress() != null ? loop.progress()[g] : Double.NaN);
            if (!lc && loop != null && loop.progressReferences() != null && loop.progressReferences().get(g) != null) {
                o.put("progress_reference", loop.progressReferences().get(g));
            } else {
                o.putNull("progress_reference");
            }
            if (lc && loop != null && loop.latencySources() != null) {
                o.put("latency_source", loop.latencySources().get(g));
            } else {
                o.putNull("latency_source");
            }
        }
    }

    private static void memoryDomains(ObjectNode root, Topology t, TelemetryInterval iv, List<Setting> settings) {
        ArrayNode a = root.putArray("memory_domains");
        for (int m = 0; m < t.memoryDomains().size(); m++) {
            Topology.MemoryDomain md = t.memoryDomains().get(m);
            ObjectNode o = a.addObject();
            o.put("index", m);
            o.put("id", md.id());
            o.put("cpus", md.cpus().toString());
            Integer mba = null;
            for (Setting s : settings) {
                if (s instanceof Setting.MbaPercent p && p.domain() == m) {
                    mba = p.percent();
                }
            }
            if (mba == null) {
                o.putNull("mba");
            } else {
                o.put("mba", mba);
            }
            o.put("mba_unit", md.mba().map(s -> s.percent() ? "percent" : "1/8 GB/s").orElse("none"));
            num(o, "bandwidth_bytes_per_s", iv == null ? Double.NaN : iv.memBytesPerSec(m));
        }
    }

    private static void decisions(ObjectNode root, Loop loop) {
        ArrayNode a = root.putArray("last_decisions");
        if (loop == null) {
            return;
        }
        for (TickRecord r : loop.lastDecisions()) {
            ObjectNode o = a.addObject();
            o.put("tick", r.tick());
            o.put("policy", r.policy());
            o.put("dry_run", r.dryRun());
            o.set("settings", SettingJson.settings(r, SettingJson.Form.STATUS));
            ArrayNode n = o.putArray("notes");
            r.notes().forEach(n::add);
        }
    }

    static void num(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** A number for a table cell: "-" when null. */
    static String cell(com.fasterxml.jackson.databind.JsonNode n, String fmt) {
        return n == null || n.isNull() || n.isMissingNode() ? "-" : String.format(Locale.ROOT, fmt, n.asDouble());
    }
}
