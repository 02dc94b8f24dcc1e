package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics a policy roll-out is gated on (configs/kubernetes/rollout-gates.yaml): a dry run's would-be decisions
 * (the shadow step) and the power budget and the ticks over it (the canary step), scraped from a daemon on the
 * simulated machine.
 */
class ShadowMetricsTest {
    @TempDir
    Path dir;

    private Path config(boolean dryRun, String budget, String core) throws IOException {
        Path c = dir.resolve("shadow.yaml");
        Files.writeString(c, """
                backend: sim
                dry_run: %s
                period: 50ms
                sim: {scenario: colocation, seed: 3}
                paths: {state_dir: %s, journal: %s}
                metrics: {port: 0}
                policy: {core: "%s", memory: slo-guard, quota: slo-guard}
                governor: {power_budget: %s, slo_override: %s}
                """.formatted(dryRun, dir.resolve("run"), dir.resolve("journal.jsonl"), core, budget, !dryRun));
        return c;
    }

    private static String scrape(InProcessDaemon d, long ticks) throws Exception {
        JsonNode s = d.awaitStatus(x -> x.path("ticks").path("count").asLong() >= ticks, 60_000);
        return LatencySources.get("http://" + s.path("daemon").path("metrics").asText() + "/metrics");
    }

    /** The value of the first sample line starting with {@code series}, if any. */
    static OptionalDouble sample(String body, String series) {
        return body.lines().filter(l -> l.startsWith(series)).findFirst()
                .map(l -> OptionalDouble.of(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))))
                .orElse(OptionalDouble.empty());
    }

    /**
     * Nothing is applied in a dry run, so the simulated service stays in breach and the governor's SLO override would
     * hold every core at full speed: the dry run here runs without it, so the policy's own decisions show.
     */
    @Test
    void aDryRunExportsWhatItWouldHaveWritten() throws Exception {
        try (InProcessDaemon d = InProcessDaemon.start(config(true, "none", "static:core=0.5"), dir.resolve("run/cohort.sock"))) {
            String body = scrape(d, 20);
            double wouldFreq = sample(body, "cohort_knob_writes_total{control=\"freq_max_khz\",result=\"dry_run\"}").orElseThrow();
            assertTrue(wouldFreq > 0, "static:core=0.5 would have lowered frequency limits from the top:\n" + body);
            assertEquals(0, sample(body, "cohort_knob_writes_total{control=\"freq_max_khz\",result=\"applied\"}").orElseThrow(),
                    "a dry run applies nothing");
            double hz = body.lines().filter(l -> l.startsWith("cohort_dry_run_frequency_limit_hertz{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).min().orElseThrow();
            double held = sample(body, "cohort_frequency_limit_hertz{domain=\"0\"}").orElseThrow();
            assertTrue(hz > 1e8 && hz < held, "a would-be limit in hertz below the one the host keeps (" + held + "), got " + hz);
            assertTrue(sample(body, "cohort_dry_run_cgroup_cpu_quota_ratio{cgroup=\"build\"}").isPresent(), "the quota it would set:\n" + body);
            assertTrue(body.contains("cohort_daemon_info{backend=\"sim\",dry_run=\"true\""), body);
            assertEquals(0, d.stop());
        }
    }

    @Test
    void aLiveRunHasNoWouldBeSeries() throws Exception {
        try (InProcessDaemon d = InProcessDaemon.start(config(false, "none", "schedutil"), dir.resolve("run/cohort.sock"))) {
            String body = scrape(d, 10);
            assertFalse(body.contains("result=\"dry_run\""), body);
            assertFalse(body.contains("cohort_dry_run_"), body);
            assertTrue(sample(body, "cohort_knob_writes_total{control=\"freq_max_khz\",result=\"applied\"}").orElseThrow() > 0, body);
            assertTrue(sample(body, "cohort_power_budget_watts").isEmpty(), "no budget configured: no budget series\n" + body);
            assertEquals(0, sample(body, "cohort_over_budget_ticks_total").orElseThrow(), "never over a budget it does not have");
            assertEquals(0, d.stop());
        }
    }

    @Test
    void ticksOverThePowerBudgetAreCounted() throws Exception {
        // 1 W above what the simulated 8-core machine draws idle at its lowest frequency (no budget below that is
        // accepted): under colocation's load every tick is over it, and the governor's clamp cannot act (every domain
        // serves the service)
        double idle = dev.cohort.harness.SimHarness.machine(dev.cohort.platform.sim.Scenarios.resolve("colocation"), 3)
                .idlePackageWatts();
        String budget = String.format(java.util.Locale.ROOT, "%.3fW", idle + 1);
        try (InProcessDaemon d = InProcessDaemon.start(config(false, budget, "schedutil"), dir.resolve("run/cohort.sock"))) {
            String body = scrape(d, 10);
            assertEquals(idle + 1, sample(body, "cohort_power_budget_watts").orElseThrow(), 1e-3);
            double over = sample(body, "cohort_over_budget_ticks_total").orElseThrow();
            double ticks = sample(body, "cohort_ticks_total").orElseThrow();
            assertTrue(over >= ticks - 2 && over > 0, over + " of " + ticks + " ticks over the budget");
            assertEquals(0, d.stop());
        }
    }
}
