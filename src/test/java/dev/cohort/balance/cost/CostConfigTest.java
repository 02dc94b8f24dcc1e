package dev.cohort.balance.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cost configuration: the shipped one reads, training keeps held-out scenarios out, bad keys are refused in one line. */
class CostConfigTest {
    @Test
    void theShippedConfigurationsReadAndTrainOnNoHeldOutScenario() {
        for (String f : new String[] {"configs/cost/default.yaml", "configs/cost/bursty.yaml"}) {
            CostConfig cfg = CostConfig.load(Path.of(f));
            assertTrue(cfg.scenarios().stream().noneMatch(s -> s.contains("heldout")), f + ": " + cfg.scenarios());
            assertTrue(cfg.evalScenarios().stream().allMatch(s -> s.contains("heldout")), f + ": " + cfg.evalScenarios());
        }
        assertEquals(CostConfig.PowerLoss.ABSOLUTE, CostConfig.load(Path.of("configs/cost/bursty.yaml")).powerLoss());
    }

    @Test
    void thePowerLossIsSquaredUnlessTheConfigurationSaysAbsolute(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "scenarios: [steady]\ntraining:\n  epochs: 2\n");
        assertEquals(CostConfig.PowerLoss.SQUARED, CostConfig.load(f).powerLoss());
        Files.writeString(f, "scenarios: [steady]\ntraining:\n  powerLoss: absolute\n");
        assertEquals(CostConfig.PowerLoss.ABSOLUTE, CostConfig.load(f).powerLoss());
        Files.writeString(f, "scenarios: [steady]\ntraining:\n  powerLoss: cubic\n");
        var e = assertThrows(RuntimeException.class, () -> CostConfig.load(f));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("powerLoss"), e.getMessage());
    }
}
