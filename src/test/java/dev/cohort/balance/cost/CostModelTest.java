package dev.cohort.balance.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.harness.SimHarness;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostModelTest {
    private static final Path SHIPPED = Path.of("models/cost");

    @Test
    void theShippedModelPredictsPlausiblePowerForASimulatedTick() {
        try (SimHarness h = SimHarness.open(Scenarios.resolve("colocation"), 7, "schedutil", SimHarness.Options.evaluation());
             CostModel cm = CostModel.load(SHIPPED).bind(h.controller().layout(), h.machine().peakPackageWatts())) {
            for (int i = 0; i < 20; i++) {
                h.step();
            }
            Observations obs = h.beginStep();
            double[] w = cm.packageWatts(obs, Decision.noChange(obs));
            assertEquals(1, w.length);
            assertTrue(w[0] > 5 && w[0] < h.machine().peakPackageWatts(), "predicted " + w[0] + " W");
            assertTrue(cm.source().startsWith("estimated (cost model"), cm.source());
        }
    }

    @Test
    void moreFrequencyOnALoadedDomainCostsMorePower() {
        try (SimHarness h = SimHarness.open(Scenarios.resolve("colocation"), 3, "performance", SimHarness.Options.evaluation());
             CostModel cm = CostModel.load(SHIPPED).bind(h.controller().layout(), h.machine().peakPackageWatts())) {
            for (int i = 0; i < 20; i++) {
                h.step();
            }
            Observations obs = h.beginStep();
            double[][] lw = cm.levelWatts(obs, Role.CORE, Decision.noChange(obs));
            assertEquals(obs.role(Role.CORE).agents(), lw.length);
            int levels = obs.role(Role.CORE).actions().levels();
            for (double[] agent : lw) {
                assertEquals(levels, agent.length);
                assertTrue(agent[levels - 1] > agent[0] + 0.2, "top level " + agent[levels - 1] + " W vs lowest " + agent[0] + " W");
            }
            // one batched call agrees with asking candidate by candidate
            Decision d = Decision.noChange(obs);
            d.levels(Role.CORE)[0] = 0;
            assertEquals(cm.totalWatts(obs, d), lw[0][0], 1e-3);
        }
    }

    @Test
    void aModelOfAnotherContractIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        CostNet net = new CostNet(4, 1, 4, 4, 2, 4, 2);
        ParamSet p = net.init(1);
        List<String> names = new ArrayList<>(CostFeatures.NAMES);
        names.set(2, "stalls");
        var c = new CostContract(names, CostFeatures.OUTPUTS, net.describe(), Map.of("config", "test"), CostContract.Target.NEXT_TICK);
        try (OutputStream out = Files.newOutputStream(dir.resolve(CostModel.FILE))) {
            CostGraph.build(net, p, c, "test").writeTo(out);
        }
        var e = assertThrows(CohortException.class, () -> CostModel.load(dir));
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().contains("features #3 is 'stalls', this build's is 'stall'"), e.getMessage());
        assertTrue(e.getMessage().contains("cohort cost train"), e.getMessage());
        // a next-tick model where the interval model belongs (beside a good cost.onnx) is refused, naming the file
        Path both = dir.resolve("both");
        Files.createDirectories(both);
        Files.copy(SHIPPED.resolve(CostModel.FILE), both.resolve(CostModel.FILE));
        var good = new CostContract(CostFeatures.NAMES, CostFeatures.OUTPUTS, net.describe(), Map.of("config", "test"),
                CostContract.Target.NEXT_TICK);
        try (OutputStream out = Files.newOutputStream(both.resolve(CostContract.Target.INTERVAL.file()))) {
            CostGraph.build(net, p, good, "test").writeTo(out);
        }
        var wrong = assertThrows(CohortException.class, () -> CostModel.load(both));
        assertFalse(wrong.getMessage().contains("\n"));
        assertTrue(wrong.getMessage().contains("interval.onnx: holds a next-tick cost model, where the observed-interval model "
                + "belongs"), wrong.getMessage());
        var missing = assertThrows(CohortException.class, () -> CostModel.load(dir.resolve("nothing")));
        assertTrue(missing.getMessage().contains("no cost model there"), missing.getMessage());
    }

    @Test
    void theExportRunsInOnnxRuntimeAsTheTrainingForwardDoes(@TempDir Path dir) {
        CostNet net = new CostNet(8, 2, 8, 6, 3, 5, 4);
        ParamSet p = net.init(42);
        double diff = CostExport.export(net, p, CostContract.of(net, Map.of("config", "test")), dir, new float[0]);
        assertTrue(diff <= CostExport.TOLERANCE, "max diff " + diff);
        try (CostModel cm = CostModel.load(dir)) {
            float[] x = new float[5 * CostFeatures.WIDTH];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 7) / 7f;
            }
            float[] ort = cm.infer(x, 5);
            float[] torch = CostExport.forward(net, p, x, 5);
            for (int i = 0; i < ort.length; i++) {
                assertEquals(torch[i], ort[i], 1e-4);
            }
            assertEquals("test", cm.contract().provenance().get("config"));
        }
    }
}
