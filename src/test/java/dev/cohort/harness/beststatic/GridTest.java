package dev.cohort.harness.beststatic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.ControllerConfig;
import dev.cohort.control.GovernorConfig;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.Role;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GridTest {
    private static final GovernorConfig EVAL = GovernorConfig.EVALUATION;

    @Test
    void aScenarioWithoutBatchWorkHasOnlyTheCoreRole() {
        Grid g = Grid.of(Scenarios.builtIn("steady"), ControllerConfig.DEFAULT, EVAL, Map.of());
        assertEquals(Map.of(Role.CORE, IntStream.range(0, 11).boxed().toList()), g.levels());
        assertEquals(11, g.size(), "memory and quota have no agents, so they do not multiply the grid");
        assertEquals(List.of(), g.collapsed());
        assertEquals("static:core=0.9", g.spec(Map.of(Role.CORE, 9)));
    }

    @Test
    void withBatchWorkEveryRoleIsCrossed() {
        Grid g = Grid.of(Scenarios.builtIn("colocation"), ControllerConfig.DEFAULT, EVAL, Map.of());
        assertEquals(11 * 10 * 10, g.size());
        assertEquals(Map.of(Role.CORE, 11, Role.MEMORY, 10, Role.QUOTA, 10), g.counts());
        assertEquals(g.size(), g.points().stream().distinct().count());
        assertEquals(Map.of(Role.CORE, 0, Role.MEMORY, 0, Role.QUOTA, 0), g.point(0));
        assertEquals(Map.of(Role.CORE, 0, Role.MEMORY, 0, Role.QUOTA, 1), g.point(1), "the last role varies fastest");
        assertEquals("static:core=1,memory=0.2,quota=0.1", g.spec(Map.of(Role.CORE, 10, Role.MEMORY, 2, Role.QUOTA, 1)));
        assertEquals("core 10/10, memory 2/9, quota 1/9", Grid.describe(Map.of(Role.CORE, 10, Role.MEMORY, 2, Role.QUOTA, 1), g.counts()));
    }

    @Test
    void everySpecHoldsTheLevelItNames() {
        for (int levels = 2; levels <= 40; levels++) {
            for (Role r : Role.values()) {
                ActionSpace space = new ActionSpace(r, levels);
                for (int l = 0; l < levels; l++) {
                    String spec = Grid.spec(Map.of(r, l), Map.of(r, levels));
                    double f = Double.parseDouble(spec.substring(spec.indexOf('=') + 1));
                    assertEquals(l, space.nearestLevel(f), spec + " of " + levels + " levels");
                }
            }
        }
    }

    @Test
    void levelsTheGovernorTurnsIntoOnePlanAreRunOnce() {
        // a quota floor of 35% of the CPUs: levels 0..3 (10%..40%) all become level 3
        GovernorConfig floors = new GovernorConfig(0.5, 2, 2, 0.35, 50_000, false, 0.5, Double.NaN);
        Grid g = Grid.of(Scenarios.builtIn("colocation"), ControllerConfig.DEFAULT, floors, Map.of());
        assertEquals(List.of(0, 4, 5, 6, 7, 8, 9), g.levels().get(Role.QUOTA));
        // every colocation domain serves the service, so frequency levels under the 50% floor are the floor
        assertEquals(List.of(0, 6, 7, 8, 9, 10), g.levels().get(Role.CORE));
        assertTrue(g.collapsed().contains("quota level 3 = level 0 (same knob values after the governor)"), g.collapsed().toString());
        assertEquals(6 * 10 * 7, g.size());
    }

    @Test
    void aSmallGridTriesOnlyTheLevelsItIsGiven() {
        Grid g = Grid.of(Scenarios.builtIn("membw"), ControllerConfig.DEFAULT, EVAL, Map.of(Role.CORE, List.of(10, 0), Role.QUOTA, List.of(9)));
        assertEquals(List.of(0, 10), g.levels().get(Role.CORE));
        assertEquals(10, g.levels().get(Role.MEMORY).size(), "a role not named keeps every level");
        assertEquals(2 * 10, g.size());
    }
}
