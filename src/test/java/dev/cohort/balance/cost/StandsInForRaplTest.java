package dev.cohort.balance.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.PowerEstimator;
import dev.cohort.control.PowerSource;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StandsInForRaplTest {
    private static final Path SHIPPED = Path.of("models/cost");

    @Test
    void withoutRaplThePowerIsTheEstimateAndSaysSo() {
        Scenario s = CostTestScenarios.withoutRapl("colocation");
        try (SimHarness h = SimHarness.open(s, 5, "schedutil", SimHarness.Options.evaluation());
             CostModel cm = CostModel.load(SHIPPED).bind(h.controller().layout(), h.machine().peakPackageWatts())) {
            TickRecord first = h.step();
            assertTrue(Double.isNaN(first.packageWatts()), "nothing measured, nothing estimated yet");
            assertEquals(PowerSource.NONE, first.powerSource());
            h.controller().setPowerEstimator(cm);
            assertTrue(cm.hasIntervalModel(), "the shipped directory has the interval model");
            double estimated = 0;
            double truth = 0;
            double ape = 0;
            int n = 30;
            for (int i = 0; i < n; i++) {
                double e0 = h.machine().trueEnergyJoules();
                TickRecord r = h.step();
                assertEquals(PowerSource.ESTIMATED, r.powerSource(), "from the first tick: the interval's own observation");
                assertEquals(PowerSource.ESTIMATED, h.controller().status().powerSource());
                assertEquals(r.packageWatts(), r.predictedWatts(), 1e-9);
                assertTrue(r.reward().energy() > 0, "the reward prices the estimated energy");
                double watts = (h.machine().trueEnergyJoules() - e0) / r.seconds();
                estimated += r.packageWatts();
                truth += watts;
                ape += Math.abs(r.packageWatts() - watts) / watts;
            }
            assertEquals(truth / n, estimated / n, 0.05 * truth / n, "mean estimate against the simulator's truth");
            assertTrue(ape / n < 0.05, "per tick within 5% on average: " + ape / n);
        }
    }

    /**
     * An estimator that reads the interval's own observation is asked for that interval from the first tick on; one that
     * only forecasts is asked of the tick before, so its first tick has no estimate.
     */
    @Test
    void theIntervalsOwnObservationIsPreferredWhereTheEstimatorReadsOne() {
        Scenario s = CostTestScenarios.withoutRapl("colocation");
        for (boolean reads : new boolean[]{true, false}) {
            int[] forecasts = new int[1];
            PowerEstimator fake = new PowerEstimator() {
                @Override
                public double[] packageWatts(Observations obs, Decision levels) {
                    forecasts[0]++;
                    return new double[]{17};
                }

                @Override
                public double[] observedWatts(Observations obs) {
                    return reads ? new double[]{obs.role(Role.CORE).currentLevel(0) + 40.0} : null;
                }

                @Override
                public String source() {
                    return "estimated (test)";
                }
            };
            try (SimHarness h = SimHarness.open(s, 5, "performance", SimHarness.Options.evaluation())) {
                h.step();
                h.controller().setPowerEstimator(fake);
                TickRecord first = h.step();
                TickRecord second = h.step();
                int top = h.beginStep().role(Role.CORE).currentLevel(0);
                if (reads) {
                    assertEquals(PowerSource.ESTIMATED, first.powerSource());
                    assertEquals(top + 40.0, second.packageWatts(), 1e-9, "the interval's own levels, as observed");
                    assertEquals(0, forecasts[0], "never the forecast");
                } else {
                    assertEquals(PowerSource.NONE, first.powerSource(), "a forecast needs the tick before");
                    assertEquals(17, second.packageWatts(), 1e-9);
                }
            }
        }
    }

    @Test
    void aRestoredSnapshotReplaysTheEstimatesBitForBit() {
        Scenario s = CostTestScenarios.withoutRapl("membw");
        try (SimHarness h = SimHarness.open(s, 9, "schedutil", SimHarness.Options.evaluation());
             CostModel cm = CostModel.load(SHIPPED).bind(h.controller().layout(), h.machine().peakPackageWatts())) {
            h.controller().setPowerEstimator(cm);
            for (int i = 0; i < 5; i++) {
                h.step();
            }
            SimHarness.Snapshot snap = h.snapshot();
            double[] first = new double[4];
            for (int i = 0; i < first.length; i++) {
                first[i] = h.step().packageWatts();
            }
            h.restore(snap);
            assertEquals(PowerSource.ESTIMATED, h.controller().status().powerSource(), "the restored status keeps its estimate");
            for (int i = 0; i < first.length; i++) {
                assertEquals(first[i], h.step().packageWatts(), 0.0);
            }
        }
    }

    @Test
    void withRaplThePowerIsMeasuredAndThePredictionKeptBesideIt() {
        try (SimHarness h = SimHarness.open(Scenarios.resolve("colocation"), 5, "schedutil", SimHarness.Options.evaluation());
             CostModel cm = CostModel.load(SHIPPED).bind(h.controller().layout(), h.machine().peakPackageWatts())) {
            h.controller().setPowerEstimator(cm);
            h.step();
            for (int i = 0; i < 5; i++) {
                TickRecord r = h.step();
                assertEquals(PowerSource.MEASURED, r.powerSource());
                assertTrue(r.predictedWatts() > 0 && r.predictedWatts() != r.packageWatts(), "predicted " + r.predictedWatts());
                assertEquals(r.predictedWatts(), h.controller().predictedWatts());
            }
        }
    }
}
