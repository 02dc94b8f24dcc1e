package dev.cohort.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MPC balancer with a dynamics model written out in ONNX whose forecast is exact for a plant whose power falls
 * linearly with λ: it brings power under the budget from above within a few windows, settles just under it (tracking from
 * below, by its margin), never leaves [floor, max], and holds the floor while the budget is slack.
 */
class MpcBalancerTest {
    private static final double TDP = 100;

    @TempDir
    Path dir;

    /** Power share of the plant at λ: 80 W less 50 W per unit of the model's λ input u = ln(1 + λ) / ln(1 + 6). */
    private static double plant(double lambda) {
        return 0.8 - 0.5 * Math.log1p(lambda) / Math.log1p(6);
    }

    /** The dynamics model whose forecast is exact for {@link #plant}: slope 0.5, λ_max 6, a 1 s step. */
    static Path exactModel(Path dir) {
        return TestDynamicsModels.exact(dir, 1000, 6, 0.5f);
    }

    private static dev.cohort.harness.SimHarness performanceOnColocation() {
        return dev.cohort.harness.SimHarness.open(dev.cohort.platform.sim.Scenarios.builtIn("colocation"), 1, "performance",
                dev.cohort.harness.SimHarness.Options.evaluation());
    }

    private static WindowState window(double lambda) {
        return new WindowState(plant(lambda), 0, 0.5, 0.1, lambda);
    }

    @Test
    void itBringsPowerUnderTheBudgetAndSettlesJustBelowIt() {
        try (DynamicsModel m = DynamicsModel.open(exactModel(dir))) {
            var mpc = new MpcBalancer(60, TDP, 1, 4, m, MpcOptions.DEFAULT);
            double lambda = 1;
            WindowState before = window(lambda);
            int over = 0;
            for (int w = 0; w < 20; w++) {
                WindowState now = window(lambda);
                lambda = mpc.solve(before, now);
                before = now;
                assertTrue(lambda >= 1 && lambda <= 4, "λ in its bounds: " + lambda);
                if (w >= 3 && plant(lambda) * TDP > 60) {
                    over++;
                }
            }
            double watts = plant(lambda) * TDP;
            assertEquals(0, over, "no window over the budget once settled");
            assertTrue(watts <= 60 && watts >= 0.93 * 60, "settles just under the budget, using ≥ 93% of it: " + watts + " W");
            assertEquals(watts, mpc.forecastWatts(), 0.5, "its forecast for the window it plans");
        }
    }

    @Test
    void theGuardRaisesLambdaWithinAWindowWhileEnergyRunsAheadAndLetsGoWhenItDoesNot() {
        try (DynamicsModel m = DynamicsModel.open(exactModel(dir)); var h = performanceOnColocation()) {
            double tdp = h.machine().peakPackageWatts();
            var tight = new MpcBalancer(1, tdp, 1, 100, m, MpcOptions.DEFAULT, 10);
            tight.start(h.machine(), h.controller());
            tight.tick(h.step(), h.controller());
            assertEquals(6, h.controller().lambda(), 1e-9, "over the allowance: λ from the floor's next unit, ×3");
            tight.tick(h.step(), h.controller());
            assertEquals(18, h.controller().lambda(), 1e-9);
            var slack = new MpcBalancer(1e6, tdp, 1, 100, m, MpcOptions.DEFAULT, 10);
            slack.start(h.machine(), h.controller());
            slack.tick(h.step(), h.controller());
            assertEquals(1, h.controller().lambda(), 1e-9, "under the allowance: the planned λ");
            var off = new MpcBalancer(1, tdp, 1, 100, m, MpcOptions.DEFAULT.withGuard(false), 10);
            off.start(h.machine(), h.controller());
            off.tick(h.step(), h.controller());
            assertEquals(1, h.controller().lambda(), 1e-9, "no guard: λ moves only at the window's end");
        }
    }

    /**
     * Where the balancer sees estimated power the guard acts further under the window's allowance (14%, not 7%): a
     * first tick drawing 9% under it raises λ on an estimate and not on a measurement.
     */
    @Test
    void onEstimatedPowerTheGuardActsFurtherUnderTheAllowance() {
        try (DynamicsModel m = DynamicsModel.open(exactModel(dir)); var first = performanceOnColocation();
             var measured = performanceOnColocation(); var estimated = performanceOnColocation()) {
            double tdp = first.machine().peakPackageWatts();
            double p = first.step().reward().energy(); // the first tick's power, a share of TDP (every run alike)
            double allowance = p / 0.91;
            double budgetWatts = (9 * allowance + p) / 10 * tdp; // what the other 9 ticks of 10 may draw: allowance each
            var onMeter = new MpcBalancer(budgetWatts, tdp, 1, 100, m, MpcOptions.forPower(true), 10);
            onMeter.start(measured.machine(), measured.controller());
            onMeter.tick(measured.step(), measured.controller());
            assertEquals(1, measured.controller().lambda(), 1e-9, "9% under the allowance: within the 7% guard");
            var onEstimate = new MpcBalancer(budgetWatts, tdp, 1, 100, m, MpcOptions.forPower(false), 10);
            onEstimate.start(estimated.machine(), estimated.controller());
            onEstimate.tick(estimated.step(), estimated.controller());
            assertEquals(6, estimated.controller().lambda(), 1e-9, "on an estimate the guard acts from 14% under");
            assertEquals(MpcOptions.DEFAULT_MARGIN + MpcOptions.ESTIMATE_MARGIN, MpcOptions.forPower(false).margin(), 1e-12);
        }
    }

    /** A budget far under what the host draws as found is planned for from that first tick, before any window. */
    @Test
    void theFirstPlanComesFromTheTickBeforeTheFirstDecision() {
        try (DynamicsModel m = DynamicsModel.open(exactModel(dir)); var h = performanceOnColocation()) {
            double tdp = h.machine().peakPackageWatts();
            var tight = new MpcBalancer(0.2 * tdp, tdp, 1, 6, m, MpcOptions.DEFAULT, 10);
            tight.start(h.machine(), h.controller());
            assertEquals(1, h.controller().lambda(), 1e-9, "the floor until it has seen a tick");
            tight.begin(h.step(), h.controller());
            assertTrue(h.controller().lambda() > 3, "planned up at once: " + h.controller().lambda());
            assertEquals(h.controller().lambda(), tight.lambda(), 1e-9);
            var slack = new MpcBalancer(3 * tdp, tdp, 1, 6, m, MpcOptions.DEFAULT, 10);
            slack.begin(h.step(), h.controller());
            assertEquals(1, h.controller().lambda(), 1e-9, "a slack budget: the floor");
        }
    }

    @Test
    void aSlackBudgetHoldsTheFloorAndAnUnreachableOneTheMaximum() {
        try (DynamicsModel m = DynamicsModel.open(exactModel(dir))) {
            var slack = new MpcBalancer(200, TDP, 1, 4, m, MpcOptions.DEFAULT);
            assertEquals(1, slack.solve(window(2), window(2)), 1e-9, "nothing to restrain: the floor");
            var tight = new MpcBalancer(10, TDP, 1, 4, m, MpcOptions.DEFAULT);
            assertEquals(4, tight.solve(window(1), window(1)), 1e-6, "the budget is out of reach: the maximum");
        }
    }

    @Test
    void overshootingCostsMoreThanUndershootingByAsMuch() {
        try (DynamicsModel m = DynamicsModel.open(exactModel(dir))) {
            var mpc = new MpcBalancer(60, TDP, 1, 4, m, MpcOptions.DEFAULT);
            double target = 0.6 * (1 - MpcOptions.DEFAULT.margin());
            double under = mpc.objective(target, new double[] {target - 0.05}, new double[] {1});
            double over = mpc.objective(target, new double[] {target + 0.05}, new double[] {1});
            assertTrue(over > under, "over " + over + " vs under " + under);
        }
    }

    @Test
    void aFileThatIsNoDynamicsModelIsRefusedInOneLine() throws Exception {
        Path policy = Path.of("models/default/core.onnx");
        var e = assertThrows(CohortException.class, () -> DynamicsModel.open(policy));
        assertTrue(e.getMessage().contains("not a cohort dynamics model") && e.getMessage().contains("cohort dynamics train"),
                e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1);
        Path missing = dir.resolve("none");
        Files.createDirectories(missing);
        var e2 = assertThrows(CohortException.class, () -> DynamicsModel.open(missing));
        assertTrue(e2.getMessage().contains("no dynamics model"), e2.getMessage());
    }

    @Test
    void theExportAgreesWithThePlainJavaForwardPass() {
        DynamicsNet net = DynamicsNet.create(16, 2, new java.util.Random(3));
        Path file = dir.resolve("d.onnx");
        DynamicsTraining.write(net, file, DynamicsMetadata.of(1000, 6, Map.of()));
        float[] x = {0.5f, 0.01f, 0.2f, 0.6f, 0.1f, 0.2f, 0.3f};
        try (DynamicsModel m = DynamicsModel.open(file)) {
            float[] got = m.run(x, 1);
            float[] want = net.forwardJava(x, 1);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5);
            }
            assertEquals(1000, m.windowMillis());
            assertEquals(6, m.lambdaMax());
        }
    }
}
