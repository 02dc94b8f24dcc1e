package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.ControllerConfig;
import dev.cohort.control.GovernorConfig;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.Role;
import dev.cohort.service.config.DaemonConfig;
import dev.cohort.service.config.LatencySpec;
import dev.cohort.service.config.RestorePolicy;
import dev.cohort.service.metrics.Metrics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration: defaults, the shipped file, every kind of error naming file, line and key. */
class ConfigTest {

    static String error(String yaml) {
        return assertThrows(CohortException.class, () -> DaemonConfig.parse("c.yaml", yaml)).getMessage();
    }

    @Test
    void anEmptyDocumentIsTheDefaults() {
        DaemonConfig c = DaemonConfig.parse("c.yaml", "");
        assertEquals(100_000_000L, c.periodNanos());
        assertEquals("linux", c.backend().id());
        assertEquals(RestorePolicy.ALWAYS, c.restore());
        assertEquals(Path.of("/run/cohort/state.json"), c.stateFile());
        assertEquals(Path.of("/run/cohort/cohort.lock"), c.lockFile());
        assertEquals(Path.of("/run/cohort/cohort.sock"), c.socket());
        assertEquals(Path.of("/var/lib/cohort/journal.jsonl"), c.journal());
        assertEquals(new DaemonConfig.Metrics(true, "127.0.0.1", 9464), c.metrics());
        assertEquals(GovernorConfig.DEFAULT, c.controller().governor(), "the daemon runs with every protection on");
        assertEquals(ControllerConfig.DEFAULT, c.controller());
        assertEquals("slo-guard", c.policies().get(Role.CORE));
    }

    @Test
    void theShippedConfigurationParsesToTheDefaults() {
        Path shipped = Path.of(System.getProperty("cohort.repo", "."), "configs/cohort.yaml");
        DaemonConfig c = DaemonConfig.load(shipped);
        DaemonConfig d = DaemonConfig.parse("defaults", "");
        assertEquals(d.periodNanos(), c.periodNanos());
        assertEquals(d.controller(), c.controller(), "every value written in the file is the default");
        assertEquals(d.policies(), c.policies());
        assertEquals(d.host(), c.host());
        assertEquals(d.sim(), c.sim());
        assertEquals(d.metrics(), c.metrics());
        assertEquals(d.journalMaxBytes(), c.journalMaxBytes());
        assertEquals(d.journalKeep(), c.journalKeep());
        assertEquals(d.socket(), c.socket());
        assertEquals(d.restore(), c.restore());
        assertEquals(0, c.cgroups().size());
    }

    @Test
    void aFullConfigurationIsRead() {
        DaemonConfig c = DaemonConfig.parse("c.yaml", """
                period: 250ms
                restore_on_exit: not-at-shutdown
                host: {reserved_cpus: "0-1", tdp: 205W, memory_peak: 100GB/s}
                policy: {core: "static:core=0.5", lambda: 2.5, quota_period: 50ms}
                governor: {power_budget: 180W, freq_dead_band: 100MHz}
                cgroups:
                  - name: web
                    path: /system.slice/web.service
                    role: latency-critical
                    slo: {target: 5ms, quantile: 0.999}
                    latency: {source: prometheus, port: 9100, metric: http_seconds, type: summary, labels: {handler: /api}}
                  - name: kv
                    path: kv.slice
                    role: latency-critical
                    slo: {target: 800us}
                    latency: {source: file, file: /run/kv/p99, unit: milliseconds}
                  - {name: batch, path: batch.slice, role: best-effort}
                """);
        assertEquals(250_000_000L, c.periodNanos());
        assertEquals(RestorePolicy.NOT_AT_SHUTDOWN, c.restore());
        assertEquals("0-1", c.host().reservedCpus().toString());
        assertEquals(205.0, c.controller().tdpWatts());
        assertEquals(100e9, c.controller().memPeakBytesPerSec());
        assertEquals(2.5, c.controller().lambda());
        assertEquals(50_000, c.controller().quotaPeriodUsec());
        // the deprecated governor.power_budget: the same budget held by balancer governor
        assertEquals(new dev.cohort.balance.BudgetSpec.Watts(180), c.budget().spec());
        assertEquals(dev.cohort.balance.BalancerKind.GOVERNOR, c.budget().balancer());
        assertTrue(c.budget().alias());
        assertEquals(100_000, c.controller().governor().freqDeadBandKhz());
        assertEquals(5000, c.cgroups().get(0).sloUsec());
        assertEquals(0.999, c.cgroups().get(0).sloQuantile());
        var p = assertInstanceOf(LatencySpec.Prometheus.class, c.cgroups().get(0).latency());
        assertEquals("http://127.0.0.1:9100/metrics", p.url());
        assertEquals(false, p.histogram());
        assertEquals("/api", p.labels().get("handler"));
        var f = assertInstanceOf(LatencySpec.File.class, c.cgroups().get(1).latency());
        assertEquals(1000.0, f.usecPerUnit());
        assertEquals(800, c.cgroups().get(1).sloUsec());
        assertEquals(CgroupRole.BEST_EFFORT, c.cgroups().get(2).role());
        assertInstanceOf(LatencySpec.Psi.class, c.cgroups().get(2).latency());
    }

    @Test
    void aBestEffortCgroupMayNameItsReferenceRateAServiceMayNot() {
        DaemonConfig c = DaemonConfig.parse("c.yaml", """
                cgroups:
                  - {name: batch, path: batch.slice, role: best-effort, reference_rate: 1.2e10}
                """);
        assertEquals(1.2e10, c.cgroups().getFirst().referenceInstructionsPerSec());
        String e = error("""
                cgroups:
                  - {name: web, path: web.slice, role: latency-critical, slo: {target: 5ms}, reference_rate: 1e9}
                """);
        assertTrue(e.contains("c.yaml:2") && e.contains("reference_rate") && e.contains("only best-effort"), e);
        assertTrue(Double.isNaN(DaemonConfig.parse("c.yaml", "cgroups: [{name: b, path: b.slice}]").cgroups().getFirst()
                .referenceInstructionsPerSec()), "not configured: the window maximum stands in");
    }

    @Test
    void errorsNameTheFileTheLineAndTheKey() {
        assertEquals("c.yaml:2: period: '10x' is not a duration (use ns, us, ms, s, m or h, e.g. 100ms)",
                error("backend: linux\nperiod: 10x\n"));
        assertEquals("c.yaml:1: perod: unknown key (allowed here: period, backend, dry_run, restore_on_exit, paths, journal, host, sim, policy, reward, governor, power_budget, balancer, balancer_step, lambda_max, dynamics_model, cost_model, cgroups, metrics)",
                error("perod: 100ms\n"));
        assertEquals("c.yaml:3: policy.core: unknown policy 'fastest' (baselines: performance, powersave, ondemand, schedutil, static, slo-guard; learned models: onnx:DIR or learned)",
                error("period: 1s\npolicy:\n  core: fastest\n"));
        assertEquals("c.yaml:4: cgroups[0].role: 'critical' is not latency-critical or best-effort",
                error("cgroups:\n  - name: web\n    path: web.slice\n    role: critical\n"));
        assertEquals("c.yaml:2: cgroups[0]: slo.target: a latency-critical cgroup needs a latency target (e.g. slo: {target: 5ms, quantile: 0.99})",
                error("cgroups:\n  - name: web\n    path: web.slice\n    role: latency-critical\n"));
        assertEquals("c.yaml:4: cgroups[1].name: 'a' is used by another cgroup",
                error("cgroups:\n  - {name: a, path: x}\n  -\n    name: a\n    path: y\n"));
        assertEquals("c.yaml:3: metrics.port: expected a whole number from 0 to 65535, got '70000'", error("metrics:\n  enabled: true\n  port: 70000\n"));
        assertEquals("c.yaml:1: restore_on_exit: 'sometimes' is not always, not-at-shutdown or never", error("restore_on_exit: sometimes"));
        assertTrue(error("period: [1, 2]").startsWith("c.yaml:1: period: expected a single value"));
        assertTrue(error("a: b: c").startsWith("c.yaml:1: not valid YAML: "), error("a: b: c"));
        assertTrue(error("cgroups:\n  - {name: web, path: w, role: latency-critical, slo: {target: 1ms}, latency: {source: prometheus, metric: m}}")
                .contains("latency: port: required for source prometheus"));
        assertEquals("c.yaml:1: period: 500 µs is outside 1ms..60s", error("period: 500us"));
    }

    @Test
    void aMissingExplicitFileIsAnErrorButAMissingDefaultFileMeansDefaults() {
        String m = assertThrows(CohortException.class, () -> DaemonConfig.load(Path.of("/nonexistent/cohort.yaml"))).getMessage();
        assertEquals("config file /nonexistent/cohort.yaml does not exist (see configs/cohort.yaml for a commented example)", m);
    }
}
