package dev.cohort.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.sim.Scenarios;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The comparisons the foundation issue asks the baselines to show, on short runs: schedutil saves energy
 * over performance on steady; on membw slo-guard protects the service that performance (which lets the
 * streaming job run unthrottled) does not.
 */
class BaselineComparisonTest {
    static final long[] SEEDS = {1, 2, 3};
    static final SimRunner.Options SHORT = SimRunner.Options.defaults().withDuration(20_000_000_000L);

    @Test
    void schedutilUsesLessEnergyThanPerformanceOnSteady() {
        Summary s = Evaluation.run(List.of(Scenarios.builtIn("steady")), List.of("performance", "schedutil"), SEEDS, SHORT, 2, null);
        double perf = s.cell("steady", "performance").stats().get(Metric.ENERGY_J).mean();
        double sched = s.cell("steady", "schedutil").stats().get(Metric.ENERGY_J).mean();
        assertTrue(sched < 0.95 * perf, "schedutil " + sched + " J vs performance " + perf + " J");
        assertEquals(0.0, s.cell("steady", "schedutil").stats().get(Metric.SLO_TICK_SHARE).mean(), 0.01,
                "at 40% load schedutil still meets the SLO");
    }

    @Test
    void sloGuardHasFewerViolationsThanPerformanceOnMembw() {
        Summary s = Evaluation.run(List.of(Scenarios.builtIn("membw")), List.of("performance", "slo-guard"), SEEDS, SHORT, 2, null);
        var perf = s.cell("membw", "performance").stats();
        var guard = s.cell("membw", "slo-guard").stats();
        assertTrue(guard.get(Metric.SLO_TICK_SHARE).mean() < 0.1, "slo-guard over SLO " + guard.get(Metric.SLO_TICK_SHARE).mean());
        assertTrue(perf.get(Metric.SLO_TICK_SHARE).mean() > 0.5, "performance over SLO " + perf.get(Metric.SLO_TICK_SHARE).mean());
        assertTrue(perf.get(Metric.BE_GIPS).mean() > 2 * guard.get(Metric.BE_GIPS).mean(),
                "performance lets the streaming job run unthrottled");
    }

    @Test
    void aRunIsDeterministicForItsSeed() {
        var sc = Scenarios.builtIn("colocation");
        var o = SimRunner.Options.defaults().withDuration(5_000_000_000L);
        RunResult a = SimRunner.run(sc, "slo-guard", 42, o);
        RunResult b = SimRunner.run(sc, "slo-guard", 42, o);
        assertEquals(a.metrics(), b.metrics());
        assertEquals(50, a.ticks());
        assertEquals(50, a.timeline().size());
    }
}
