package dev.cohort.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.GovernorConfig;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.Fingerprints;
import dev.cohort.harness.SimHarness;
import dev.cohort.harness.oracle.OracleOptions;
import dev.cohort.harness.oracle.OraclePolicy;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.Setting;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;
import dev.cohort.policy.baseline.Baselines;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hindsight oracle: it beats every baseline it tries, its candidates include each baseline's decision of the tick,
 * its actions pass the governor, its look-ahead leaves the real run untouched, and it is deterministic.
 */
class OracleTest {
    private static final SimRunner.Options TEN_SECONDS = SimRunner.Options.defaults().withDuration(10_000_000_000L)
            .withTimeline(false);

    @Test
    void itEarnsMoreRewardThanEveryBaselineItTries() {
        Scenario sc = Scenarios.builtIn("colocation");
        double oracle = SimRunner.run(sc, "oracle", 3, TEN_SECONDS).metrics().meanReward();
        for (String b : OracleOptions.DEFAULT_POLICIES) {
            double r = SimRunner.run(sc, b, 3, TEN_SECONDS).metrics().meanReward();
            assertTrue(oracle >= r, "oracle " + oracle + " against " + b + " " + r);
        }
    }

    /**
     * Blind to the run's own arrivals (other futures of the same processes in its look-ahead), the oracle is
     * deterministic, below the oracle that sees the draws, and with four futures above every rule it tries.
     */
    @Test
    void blindItIsDeterministicAndSeeingTheDrawsIsWorthMuch() {
        Scenario sc = Scenarios.builtIn("colocation");
        double seeing = SimRunner.run(sc, "oracle", 3, TEN_SECONDS).metrics().meanReward();
        var blindOptions = TEN_SECONDS.withOracle(OracleOptions.DEFAULT.withFutures(4));
        double blind = SimRunner.run(sc, "oracle", 3, blindOptions).metrics().meanReward();
        assertEquals(blind, SimRunner.run(sc, "oracle", 3, blindOptions).metrics().meanReward(), "deterministic");
        assertTrue(seeing > blind + 1, "seeing " + seeing + " against blind " + blind);
        for (String b : OracleOptions.DEFAULT_POLICIES) {
            double r = SimRunner.run(sc, b, 3, TEN_SECONDS).metrics().meanReward();
            assertTrue(blind > r, "blind " + blind + " against " + b + " " + r);
        }
    }

    @Test
    void itsActionsPassTheSameGovernorLimits() {
        Scenario sc = Scenarios.builtIn("colocation");
        GovernorConfig floor = new GovernorConfig(0.5, 1, 1, 0.3, 50_000, false, 0.5, Double.NaN);
        var o = SimHarness.Options.evaluation().withGovernor(floor);
        try (SimHarness h = SimPolicies.open(sc, 1, "oracle", o, OracleOptions.DEFAULT.withHorizon(1))) {
            long floorKhz = 2_000_000; // half of 1.0–3.0 GHz: every core serves the service
            for (int t = 0; t < 40; t++) {
                TickRecord r = h.step();
                for (Setting s : r.plan()) {
                    if (s instanceof Setting.FreqMaxKhz f) {
                        assertTrue(f.khz() >= floorKhz, "tick " + r.tick() + ": " + f);
                    }
                    if (s instanceof Setting.CpuMaxUsec q && q.quotaUsec() >= 0) {
                        assertTrue(q.quotaUsec() >= 0.3 * 8 * 100_000 - 1, "tick " + r.tick() + ": " + q);
                    }
                }
            }
        }
    }

    @Test
    void itsLookAheadLeavesTheRealRunAsItsDecisionsMakeIt() {
        Scenario sc = Scenarios.builtIn("colocation");
        var o = SimHarness.Options.evaluation();
        List<Decision> decided = new ArrayList<>();
        List<String> real = new ArrayList<>();
        OraclePolicy oracle = new OraclePolicy(sc, o, OracleOptions.DEFAULT, List.of(Baselines.create("slo-guard")));
        Policy recording = new Policy() {
            @Override
            public String name() {
                return OraclePolicy.NAME;
            }

            @Override
            public Decision decide(Observations obs) {
                Decision d = oracle.decide(obs);
                decided.add(d);
                return d;
            }
        };
        try (SimHarness h = SimHarness.open(sc, 8, recording, o)) {
            oracle.attach(h);
            real.addAll(Fingerprints.steps(h, 25));
        } finally {
            oracle.close();
        }
        Policy replay = new Policy() {
            private int next;

            @Override
            public String name() {
                return OraclePolicy.NAME;
            }

            @Override
            public Decision decide(Observations obs) {
                return decided.get(next++);
            }
        };
        try (SimHarness h = SimHarness.open(sc, 8, replay, o)) {
            assertEquals(real, Fingerprints.steps(h, 25), "the oracle's run is exactly the run of its decisions");
        }
    }

    @Test
    void itIsDeterministic() {
        Scenario sc = Scenarios.builtIn("trace");
        var o = TEN_SECONDS.withDuration(3_000_000_000L);
        assertEquals(SimRunner.run(sc, "oracle", 5, o).metrics(), SimRunner.run(sc, "oracle", 5, o).metrics());
    }

    @Test
    void outsideTheSimulatorItIsRefusedInOneLine() {
        var sc = Scenarios.builtIn("steady");
        var e = assertThrows(CohortException.class, () -> Policies.create("oracle", SimHarness.machine(sc, 1).topology()));
        assertEquals("policy 'oracle' needs the simulator: it searches copies of the simulated machine's state, so only "
                + "cohort simulate and cohort evaluate can run it", e.getMessage());
        var self = assertThrows(CohortException.class, () -> SimPolicies.check("oracle", sc,
                OracleOptions.DEFAULT.withPolicies(List.of("slo-guard", "oracle"))));
        assertEquals("the oracle cannot be one of its own candidates", self.getMessage());
    }

    @Test
    void optionsAreChecked() {
        assertEquals("--oracle-horizon must be at least 1 tick, got 0",
                assertThrows(CohortException.class, () -> OracleOptions.DEFAULT.withHorizon(0)).getMessage());
        assertEquals("--oracle-width must be at least 1 level, got 0",
                assertThrows(CohortException.class, () -> OracleOptions.DEFAULT.withWidth(0)).getMessage());
        assertEquals("--oracle-futures must be from 0 (the run's own arrivals) to 64, got -1",
                assertThrows(CohortException.class, () -> OracleOptions.DEFAULT.withFutures(-1)).getMessage());
        assertEquals(java.util.Map.of("large", 5, "membw", 2), OracleOptions.parseSeedLimits("large=5, membw=2"));
        assertEquals("--oracle-seeds 'large' is not SCENARIO=N with N at least 1 (e.g. large=5: the oracle runs on the "
                + "first 5 seeds of large)", assertThrows(CohortException.class, () -> OracleOptions.parseSeedLimits("large"))
                .getMessage());
        assertEquals(5, OracleOptions.DEFAULT.withSeedLimits(java.util.Map.of("large", 5)).seedsFor("large", 20));
        assertEquals(20, OracleOptions.DEFAULT.withSeedLimits(java.util.Map.of("large", 5)).seedsFor("steady", 20));
    }
}
