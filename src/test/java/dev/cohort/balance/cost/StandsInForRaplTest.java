package dev.cohort.balance.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.PowerSource;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
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
            h.step(); // the estimator's first tick: it needs a previous observation
            double estimated = 0;
            double truth = 0;
            int n = 30;
            for (int i = 0; i < n; i++) {
                double e0 = h.machine().trueEnergyJoules();
                TickRecord r = h.step();
                assertEquals(PowerSource.ESTIMATED, r.powerSource());
                assertEquals(PowerSource.ESTIMATED, h.controller().status().powerSource());
                assertEquals(r.packageWatts(), r.predictedWatts(), 1e-9);
                assertTrue(r.reward().energy() > 0, "the reward prices the estimated energy");
                estimated += r.packageWatts();
                truth += (h.machine().trueEnergyJoules() - e0) / r.seconds();
            }
            assertEquals(truth / n, estimated / n, 0.15 * truth / n, "mean estimate against the simulator's truth");
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
