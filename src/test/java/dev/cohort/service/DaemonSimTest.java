package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon end to end on the simulated machine: as a subprocess through the real CLI entry point
 * ({@code cohort run --backend sim}), ticking in real time, answering status, taking a tune, and restoring on
 * SIGTERM; and its metrics scraped over HTTP and checked by {@code promtool check metrics} where installed.
 */
class DaemonSimTest {
    @TempDir
    Path dir;

    Path config(String scenario, String period) throws IOException {
        Path c = dir.resolve("sim.yaml");
        Files.writeString(c, """
                backend: linux
                period: %s
                sim: {scenario: %s, seed: 7}
                paths: {state_dir: %s, journal: %s}
                metrics: {port: 0}
                policy: {core: schedutil, memory: slo-guard, quota: slo-guard}
                """.formatted(period, scenario, dir.resolve("run"), dir.resolve("journal.jsonl")));
        return c;
    }

    @Test
    void theCliDaemonRunsTheSimulatedMachineEndToEnd() throws Exception {
        Path cfg = config("colocation", "50ms");
        Path socket = dir.resolve("run/cohort.sock");
        try (DaemonProcess d = DaemonProcess.start(dir.resolve("sim.log"), socket, Map.of(), "dev.cohort.cli.Main",
                "run", "--config", cfg.toString(), "--backend", "sim")) {
            JsonNode s = d.awaitStatus(x -> x.path("ticks").path("count").asLong() >= 10, 60_000);
            StatusSchemaTest.assertSchema(s);
            assertEquals("sim", s.path("daemon").path("backend").asText());
            assertEquals(8, s.path("host").path("cpus").asInt());
            assertEquals(List.of("web", "build"), List.of(s.path("cgroups").get(0).path("name").asText(),
                    s.path("cgroups").get(1).path("name").asText()), "the scenario's cgroups");
            assertTrue(s.path("cgroups").get(0).path("latency_us").asDouble() > 0, "the simulated service's latency: " + s);
            assertTrue(s.path("packages").get(0).path("power_w").asDouble() > 0, "simulated RAPL power");
            assertTrue(s.path("freq_domains").get(0).path("util").asDouble() > 0);

            String tuned = DaemonFakeTreeTest.cli("tune", "--config", cfg.toString(), "quota", "build", "200%");
            assertTrue(tuned.contains("requested 200000 100000") && tuned.contains("held by the running daemon"), tuned);
            JsonNode held = d.awaitStatus(x -> x.path("overrides").size() == 1, 10_000);
            assertEquals("200000 100000", held.path("cgroups").get(1).path("cpu_max").asText());

            assertEquals(0, d.term(30_000), d.log());
            assertTrue(d.log().contains("restore: ") && d.log().contains(" 0 failed"), d.log());
            assertTrue(!d.log().contains("state file"), "the simulated machine keeps no state file");
        }
        assertTrue(Files.notExists(dir.resolve("run/state.json")));
    }

    @Test
    void metricsFollowPrometheusConventionsAndPassPromtool() throws Exception {
        Path cfg = config("steady", "50ms");
        Files.writeString(cfg, Files.readString(cfg).replace("backend: linux", "backend: sim"));
        Path socket = dir.resolve("run/cohort.sock");
        try (InProcessDaemon d = InProcessDaemon.start(cfg, socket)) {
            JsonNode s = d.awaitStatus(x -> x.path("ticks").path("count").asLong() >= 5, 60_000);
            String body = LatencySources.get("http://" + s.path("daemon").path("metrics").asText() + "/metrics");
            for (String m : List.of("cohort_ticks_total", "cohort_tick_overruns_total", "cohort_tick_duration_seconds_bucket",
                    "cohort_knob_writes_total{control=\"freq_max_khz\",result=\"applied\"}", "cohort_slo_violations_total{cgroup=\"web\"}",
                    "cohort_package_energy_joules_total{package=\"0\"}", "cohort_package_power_watts{package=\"0\",source=\"measured\"}",
                    "cohort_cpu_frequency_hertz{domain=\"0\"}", "cohort_service_latency_seconds{cgroup=\"web\"}",
                    "cohort_energy_weight_lambda", "cohort_daemon_info{backend=\"sim\"", "process_cpu_seconds_total",
                    "process_resident_memory_bytes")) {
                assertTrue(body.contains(m), m + " in\n" + body);
            }
            double energy = Double.parseDouble(body.lines().filter(l -> l.startsWith("cohort_package_energy_joules_total{"))
                    .findFirst().orElseThrow().replaceAll(".* ", ""));
            assertTrue(energy > 0, "energy counted in joules since start");
            Path promtool = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                    .map(p -> Path.of(p, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
            assumeTrue(promtool != null, "promtool is not installed (apt-get install prometheus); .ci/run installs it");
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
            p.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
            assertEquals("", out.strip(), "promtool has no lint findings");
            assertEquals(0, d.stop());
        }
    }
}
