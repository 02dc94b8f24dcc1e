package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import dev.cohort.service.config.DaemonConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the status document (schema 1, documented in docs/operations.md): its keys, in order, at every level. A
 * change here is a change of a published interface: add keys only, or raise the schema number.
 */
class StatusSchemaTest {
    static final List<String> TOP = List.of("schema", "daemon", "host", "ticks", "policy", "lambda", "slo", "freq_domains",
            "packages", "cgroups", "memory_domains", "competitors", "overrides", "last_decisions", "budget");
    static final List<String> DAEMON = List.of("pid", "version", "backend", "dry_run", "config", "restore_on_exit", "started",
            "uptime_s", "period_ms", "metrics", "socket");
    static final List<String> HOST = List.of("backend", "cpus", "packages", "reserved_cpus");
    static final List<String> TICKS = List.of("count", "overruns", "fallbacks", "p50_us", "p99_us", "max_us", "mean_us", "window", "cpu_p50_us", "cpu_p99_us");
    static final List<String> POLICY = List.of("core", "memory", "quota", "fallback", "active");
    static final List<String> SLO = List.of("min_slack", "violated");
    static final List<String> FREQ = List.of("index", "name", "cpus", "managed", "freq_mhz", "util", "ipc", "max_limit_mhz",
            "min_limit_mhz", "hw_min_mhz", "hw_max_mhz", "epp");
    static final List<String> PACKAGE = List.of("index", "power_w", "energy_j");
    static final List<String> CGROUP = List.of("index", "name", "path", "role", "cpus", "cpu_max", "quota_cpus", "weight",
            "usage_cpus", "throttled_ratio", "cpu_pressure", "latency_us", "slo_us", "slack", "progress", "progress_reference",
            "latency_source");
    static final List<String> MEMORY = List.of("index", "id", "cpus", "mba", "mba_unit", "bandwidth_bytes_per_s");
    static final List<String> DECISION = List.of("tick", "policy", "dry_run", "settings", "notes");
    static final List<String> SETTING = List.of("control", "target", "value", "outcome", "applied", "detail");
    static final List<String> OVERRIDE = List.of("control", "target", "value", "source");
    static final List<String> BUDGET = List.of("watts", "spec", "source", "balancer", "step_s", "lambda", "lambda_max", "power_w",
            "power_source", "predicted_w", "window_w", "windows", "over_budget_windows", "over_budget_at_bound_windows", "step_cost_us");

    static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static void each(JsonNode array, List<String> expected, String what) {
        for (JsonNode e : array) {
            assertEquals(expected, keys(e), what);
        }
    }

    /** Every key of a document, at every level, as documented. */
    static void assertSchema(JsonNode s) {
        assertEquals(1, s.path("schema").asInt());
        assertEquals(TOP, keys(s));
        if (!s.path("daemon").isNull()) {
            assertEquals(DAEMON, keys(s.path("daemon")));
            assertEquals(TICKS, keys(s.path("ticks")));
            assertEquals(POLICY, keys(s.path("policy")));
            assertEquals(BUDGET, keys(s.path("budget")));
            each(s.path("last_decisions"), DECISION, "last_decisions[]");
            for (JsonNode d : s.path("last_decisions")) {
                each(d.path("settings"), SETTING, "last_decisions[].settings[]");
            }
        }
        assertEquals(HOST, keys(s.path("host")));
        assertEquals(SLO, keys(s.path("slo")));
        each(s.path("freq_domains"), FREQ, "freq_domains[]");
        each(s.path("packages"), PACKAGE, "packages[]");
        each(s.path("cgroups"), CGROUP, "cgroups[]");
        each(s.path("memory_domains"), MEMORY, "memory_domains[]");
        each(s.path("overrides"), OVERRIDE, "overrides[]");
    }

    @TempDir
    Path dir;

    @Test
    void theHostReadDirectlyHasTheSameSchemaWithTheDaemonPartsNull() throws Exception {
        Path tree = FakeTreeWriter.write(dir.resolve("tree"), TreeSpec.intelServer(4, 1));
        DaemonConfig cfg = DaemonConfig.parse("t.yaml", """
                host: {root: %s, perf: false}
                paths: {state_dir: %s}
                cgroups:
                  - {name: batch, path: batch.slice, role: best-effort}
                """.formatted(tree, dir.resolve("run")));
        Operator.Status st = Operator.status(cfg);
        JsonNode s = st.doc();
        assertSchema(s);
        assertTrue(st.note().startsWith("no cohort daemon is running"), st.note());
        assertTrue(s.path("daemon").isNull() && s.path("ticks").isNull() && s.path("policy").isNull());
        assertEquals(4, s.path("freq_domains").size());
        assertEquals("max 100000", s.path("cgroups").get(0).path("cpu_max").asText());
        assertEquals(3900.0, s.path("freq_domains").get(0).path("max_limit_mhz").asDouble());
        assertEquals(100, s.path("memory_domains").get(0).path("mba").asInt());
        assertTrue(Files.notExists(dir.resolve("run/state.json")), "reading writes nothing");
    }
}
