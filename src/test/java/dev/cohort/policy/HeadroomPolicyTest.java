package dev.cohort.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import dev.cohort.policy.baseline.Baselines;
import java.util.EnumMap;
import org.junit.jupiter.api.Test;

/** The per-core utilisation-target rule: floor, per-index targets, hysteresis, and the jump to the top. */
class HeadroomPolicyTest {
    /** Eight core agents over 1.0–3.0 GHz (11 levels, 0.2 GHz apart) at {@code level}, all with utilisation {@code util}. */
    private static Observations cores(double util, int level, double slack) {
        var m = new EnumMap<Role, RoleObservations>(Role.class);
        var core = new RoleObservations(ObservationSpec.CORE, new ActionSpace(Role.CORE, 11), 8);
        for (int a = 0; a < 8; a++) {
            core.set(a, ObservationSpec.CORE.index("util"), util);
            core.set(a, ObservationSpec.CORE.index("freq_min_ratio"), 1.0 / 3);
            core.set(a, ObservationSpec.CORE.index("lc_share"), 1);
            core.set(a, ObservationSpec.CORE.index("lc_slack"), slack);
            core.setCurrentLevel(a, level);
        }
        m.put(Role.CORE, core);
        m.put(Role.MEMORY, new RoleObservations(ObservationSpec.MEMORY, new ActionSpace(Role.MEMORY, 10), 0));
        m.put(Role.QUOTA, new RoleObservations(ObservationSpec.QUOTA, new ActionSpace(Role.QUOTA, 10), 0));
        return new Observations(m);
    }

    @Test
    void anIdleServiceGoesToTheKneeNotBelow() {
        int[] levels = Baselines.create("headroom").decide(cores(0.1, 10, 0.8)).levels(Role.CORE);
        assertArrayEquals(new int[]{4, 4, 4, 4, 4, 4, 4, 4}, levels, "1.8 GHz, the floor");
    }

    @Test
    void lowNumberedCoresRunHotterAndLoweringWaitsForTheHysteresisBand() {
        // util 0.8 at 2.2 GHz is 1.76 GHz of work. Core 0 (target 1.05) may lower to 2.0 GHz; core 7 (target 0.89)
        // would fit at 2.0 GHz too, but lowering needs the projection under 0.89 − 0.12, so it holds 2.2 GHz.
        Policy p = Baselines.create("headroom");
        p.decide(cores(0.8, 6, 0.5)); // the first tick sees a rise from nothing and extrapolates it
        int[] levels = p.decide(cores(0.8, 6, 0.5)).levels(Role.CORE);
        assertEquals(5, levels[0]);
        assertEquals(6, levels[7]);
        for (int a = 1; a < 8; a++) {
            assertTrue(levels[a] >= levels[a - 1], "core " + a + " never below core " + (a - 1) + ": " + java.util.Arrays.toString(levels));
        }
    }

    @Test
    void saturationOrADeepBreachGoesStraightToTheTop() {
        assertArrayEquals(new int[]{10, 10, 10, 10, 10, 10, 10, 10},
                Baselines.create("headroom").decide(cores(0.98, 4, 0.5)).levels(Role.CORE));
        assertArrayEquals(new int[]{10, 10, 10, 10, 10, 10, 10, 10},
                Baselines.create("headroom").decide(cores(0.3, 4, -0.9)).levels(Role.CORE));
    }

    @Test
    void itIsAReferenceRuleNotAComparisonBaseline() {
        assertFalse(Baselines.NAMES.contains("headroom"));
        assertTrue(Baselines.REFERENCES.contains("headroom"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(CohortException.class, () -> Baselines.create("headrom"));
        assertEquals("unknown policy 'headrom' (baselines: performance, powersave, ondemand, schedutil, static, slo-guard; "
                + "reference rules: headroom)", e.getMessage());
    }
}
