package dev.cohort.service.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.RewardTerms;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.RecentSamples;
import dev.cohort.platform.Setting;
import dev.cohort.platform.Topology;
import dev.cohort.platform.sim.Scenarios;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The counters a policy roll-out is gated on, fed tick records directly: SLO breaches (a measured latency over its
 * target, or a pressure proxy past its edge), ticks over the power budget, and a dry run's would-be writes.
 */
class MetricsTest {
    /** The colocation scenario's machine: 8 CPUs, web (latency-critical, index 0) and build (best-effort, index 1). */
    private final Topology topo = SimHarness.machine(Scenarios.resolve("colocation"), 1).topology();

    /** A source whose slack and budget a test sets; gauges it does not need read as absent. */
    private final class Fake implements Metrics.Source {
        double[] slack = new double[topo.cgroups().size()];
        double budgetWatts = Double.NaN;

        public Topology topology() {
            return topo;
        }

        public RecentSamples samples() {
            return null;
        }

        public double freqLimitKhz(int d) {
            return Double.NaN;
        }

        public double quotaCpus(int g) {
            return Double.NaN;
        }

        public double mbaRatio(int m) {
            return Double.NaN;
        }

        public double latencyUsec(int g) {
            return Double.NaN;
        }

        public double slack(int g) {
            return slack[g];
        }

        public double lambda() {
            return 1;
        }

        public int overrides() {
            return 0;
        }

        public int competitors() {
            return 0;
        }

        public double powerBudgetWatts() {
            return budgetWatts;
        }

        double estimatedWatts = Double.NaN;

        public double estimatedPowerWatts() {
            return estimatedWatts;
        }

        public double predictedPowerWatts() {
            return Double.NaN;
        }
    }

    private TickRecord tick(double watts, double webLatencyUsec, List<Setting> plan, boolean dryRun) {
        double[] lat = new double[topo.cgroups().size()];
        Arrays.fill(lat, Double.NaN);
        lat[0] = webLatencyUsec;
        return new TickRecord(1, 0, 0.1, "test", false, new RewardTerms(0, 0, 0, 0, 0), watts, lat, false, 0, plan,
                List.of(), dryRun, List.of(), List.of());
    }

    private static String text(Metrics m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, m.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static double value(String body, String series) {
        return body.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " not in\n" + body));
    }

    @Test
    void aBreachCountsWhetherLatencyIsMeasuredOrProxiedByPressure() throws IOException {
        Fake src = new Fake();
        Metrics m = new Metrics(src, "test", "sim", false);
        src.slack[0] = 0.3;
        m.onTick(tick(50, 800, List.of(), false), 1000, 0, false);
        src.slack[0] = -0.2; // measured: 6 ms at a 5 ms target
        m.onTick(tick(50, 6000, List.of(), false), 1000, 0, false);
        src.slack[0] = -0.5; // latency source psi: no latency, pressure past the proxy's edge
        m.onTick(tick(50, Double.NaN, List.of(), false), 1000, 0, false);
        String body = text(m);
        assertEquals(2, value(body, "cohort_slo_violations_total{cgroup=\"web\"}"), body);
        assertEquals(3, value(body, "cohort_ticks_total"));
    }

    @Test
    void ticksOverTheBudgetCountAndUnknownPowerNeverDoes() throws IOException {
        Fake src = new Fake();
        Metrics m = new Metrics(src, "test", "sim", false);
        m.onTick(tick(500, 100, List.of(), false), 1000, 0, false); // no budget: never over
        src.budgetWatts = 60;
        m.onTick(tick(59, 100, List.of(), false), 1000, 0, false);
        m.onTick(tick(61, 100, List.of(), false), 1000, 0, false);
        m.onTick(tick(Double.NaN, 100, List.of(), false), 1000, 0, false); // no RAPL this interval
        String body = text(m);
        assertEquals(1, value(body, "cohort_over_budget_ticks_total"), body);
        assertEquals(60, value(body, "cohort_power_budget_watts"));
    }

    @Test
    void budgetWindowsAreCountedAndEstimatedPowerIsLabelled() throws IOException {
        Fake src = new Fake();
        Metrics m = new Metrics(src, "test", "sim", false);
        m.onWindow(false, false);
        m.onWindow(true, false);
        m.onWindow(true, true);
        m.onWindow(false, false);
        src.estimatedWatts = 42.5; // no samples, so no RAPL: the estimate stands in
        String body = text(m);
        assertEquals(4, value(body, "cohort_budget_windows_total"), body);
        assertEquals(2, value(body, "cohort_over_budget_windows_total"), body);
        assertEquals(1, value(body, "cohort_over_budget_at_bound_windows_total"), body);
        assertEquals(42.5, value(body, "cohort_package_power_watts{package=\"all\",source=\"estimated\"}"), body);
        assertEquals(1, value(body, "cohort_lambda"), body);
        assertTrue(body.lines().noneMatch(l -> l.startsWith("cohort_predicted_power_watts ")), "absent without an estimator");
    }

    @Test
    void aDryRunCountsAndKeepsItsWouldBeSettings() throws IOException {
        Fake src = new Fake();
        Metrics m = new Metrics(src, "test", "sim", true);
        m.onTick(tick(50, 100, List.of(new Setting.FreqMaxKhz(2, 2_400_000), new Setting.CpuMaxUsec(1, 250_000, 100_000)), true),
                1000, 0, false);
        m.onTick(tick(50, 100, List.of(new Setting.FreqMaxKhz(2, 2_200_000), new Setting.CpuMaxUsec(1, -1, 100_000)), true),
                1000, 0, false);
        String body = text(m);
        assertEquals(2, value(body, "cohort_knob_writes_total{control=\"freq_max_khz\",result=\"dry_run\"}"), body);
        assertEquals(2, value(body, "cohort_knob_writes_total{control=\"cpu_max_usec\",result=\"dry_run\"}"));
        assertEquals(0, value(body, "cohort_knob_writes_total{control=\"mba_percent\",result=\"dry_run\"}"));
        assertEquals(2.2e9, value(body, "cohort_dry_run_frequency_limit_hertz{domain=\"2\"}"), "the last would-be value");
        assertTrue(body.contains("cohort_dry_run_cgroup_cpu_quota_ratio{cgroup=\"build\"} +Inf"), "max (unlimited) is +Inf\n" + body);
        assertTrue(body.lines().noneMatch(l -> l.startsWith("cohort_dry_run_frequency_limit_hertz{domain=\"0\"}")),
                "a domain no tick wanted to write has no would-be value");
    }
}
