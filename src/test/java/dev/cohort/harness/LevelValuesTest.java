package dev.cohort.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class LevelValuesTest {
    @Test
    void valuesThatRankTheLevelsAlikeInEveryStateAreOneConstantPerLevel() {
        var same = new LevelValues.Accumulator(3);
        same.add(new float[]{1, 2, 5}, 0);
        same.add(new float[]{11, 12, 15}, 0); // another state: shifted, ranked alike
        var f = same.figures(Role.CORE, 1);
        assertEquals(1, f.constantShare(), 1e-9);
        assertEquals(0, f.stateRms(), 1e-9);
        assertEquals(2, f.modeLevel());
        assertEquals(1, f.modeShare(), 1e-9);

        var answers = new LevelValues.Accumulator(2);
        answers.add(new float[]{1, 0}, 0); // a state where level 0 is better
        answers.add(new float[]{0, 1}, 0); // and one where level 1 is
        var g = answers.figures(Role.CORE, 1);
        assertEquals(0, g.constantShare(), 1e-9, "the levels' order follows the state");
        assertEquals(0.5, g.stateRms(), 1e-9);
        assertEquals(0.5, g.modeShare(), 1e-9);
    }

    @Test
    void aShippedPolicyIsMeasuredPerRoleAndABaselineIsRefused() {
        Scenario sc = Scenarios.resolve("colocation");
        long ticks = 20;
        List<LevelValues.Figures> figures;
        try (var p = Policies.create("onnx:models/awrq-quota", SimHarness.machine(sc, 3).topology())) {
            figures = LevelValues.measure(sc, 3, p, ticks);
        }
        assertFalse(figures.isEmpty());
        for (var f : figures) {
            assertEquals(ticks * f.agents(), f.samples(), f.role() + ": every agent-tick");
            assertTrue(f.constantShare() >= 0 && f.constantShare() <= 1, f.role() + ": " + f.constantShare());
            long chosen = 0;
            for (long c : f.chosen()) {
                chosen += c;
            }
            assertEquals(f.samples(), chosen);
        }
        assertTrue(figures.stream().anyMatch(f -> f.role() == Role.CORE) && figures.stream().anyMatch(f -> f.role() == Role.QUOTA));
        try (var base = Policies.create("schedutil", SimHarness.machine(sc, 3).topology())) {
            var e = assertThrows(CohortException.class, () -> LevelValues.measure(sc, 3, base, 5));
            assertEquals("policy schedutil has no values to measure: name a learned one (learned or onnx:DIR)", e.getMessage());
        }
    }
}
