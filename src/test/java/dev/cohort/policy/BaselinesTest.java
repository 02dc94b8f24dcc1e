package dev.cohort.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import dev.cohort.policy.baseline.Baselines;
import java.util.EnumMap;
import org.junit.jupiter.api.Test;

class BaselinesTest {
    /** One core agent with the given utilisation and min/max ratio, one memory and one quota agent. */
    static Observations obs(double util, double minRatio, double slack, int memLevel, int quotaLevel) {
        var m = new EnumMap<Role, RoleObservations>(Role.class);
        var core = new RoleObservations(ObservationSpec.CORE, new ActionSpace(Role.CORE, 11), 1);
        core.set(0, ObservationSpec.CORE.index("util"), util);
        core.set(0, ObservationSpec.CORE.index("freq_min_ratio"), minRatio);
        core.set(0, ObservationSpec.CORE.index("lc_share"), 1);
        core.set(0, ObservationSpec.CORE.index("lc_slack"), slack);
        core.setCurrentLevel(0, 10);
        var mem = new RoleObservations(ObservationSpec.MEMORY, new ActionSpace(Role.MEMORY, 10), 1);
        mem.set(0, ObservationSpec.MEMORY.index("lc_slack"), slack);
        mem.setCurrentLevel(0, memLevel);
        var q = new RoleObservations(ObservationSpec.QUOTA, new ActionSpace(Role.QUOTA, 10), 1);
        q.set(0, ObservationSpec.QUOTA.index("lc_slack"), slack);
        q.setCurrentLevel(0, quotaLevel);
        m.put(Role.CORE, core);
        m.put(Role.MEMORY, mem);
        m.put(Role.QUOTA, q);
        return new Observations(m);
    }

    @Test
    void schedutilIsOnePointTwoFiveTimesMaxTimesUtil() {
        // range 1..3 GHz (ratio 1/3); util 0.6 -> 1.25*3*0.6 = 2.25 GHz -> fraction 0.625 -> level ceil(6.25) = 7 (2.4 GHz)
        assertEquals(7, Baselines.create("schedutil").decide(obs(0.6, 1.0 / 3, 1, 9, 9)).levels(Role.CORE)[0]);
        assertEquals(0, Baselines.create("schedutil").decide(obs(0.05, 1.0 / 3, 1, 9, 9)).levels(Role.CORE)[0]);
        assertEquals(10, Baselines.create("schedutil").decide(obs(0.9, 1.0 / 3, 1, 9, 9)).levels(Role.CORE)[0]);
    }

    @Test
    void ondemandJumpsToMaxAboveTheThresholdElseProportional() {
        assertEquals(10, Baselines.create("ondemand").decide(obs(0.85, 1.0 / 3, 1, 9, 9)).levels(Role.CORE)[0]);
        assertEquals(5, Baselines.create("ondemand").decide(obs(0.5, 1.0 / 3, 1, 9, 9)).levels(Role.CORE)[0]);
    }

    @Test
    void kernelGovernorsLeaveBandwidthAndQuotaAlone() {
        for (String p : new String[]{"powersave", "ondemand", "schedutil"}) {
            Decision d = Baselines.create(p).decide(obs(0.5, 0.3, 1, 9, 9));
            assertEquals(Decision.NO_CHANGE, d.levels(Role.MEMORY)[0], p);
            assertEquals(Decision.NO_CHANGE, d.levels(Role.QUOTA)[0], p);
        }
        Decision perf = Baselines.create("performance").decide(obs(0.1, 0.3, 1, 3, 3));
        assertEquals(9, perf.levels(Role.MEMORY)[0], "performance runs best-effort work unthrottled");
        assertEquals(9, perf.levels(Role.QUOTA)[0]);
        assertEquals(10, perf.levels(Role.CORE)[0]);
    }

    @Test
    void sloGuardCutsFastAndGrowsSlowly() {
        Policy p = Baselines.create("slo-guard");
        Decision cut = p.decide(obs(0.5, 0.3, 0.02, 9, 9));
        assertEquals(4, cut.levels(Role.MEMORY)[0], "little slack: halved");
        assertEquals(10, cut.levels(Role.CORE)[0], "little slack: the service's cores at full speed");
        Decision cut2 = p.decide(obs(0.5, 0.3, 0.02, 4, 4));
        assertEquals(2, cut2.levels(Role.MEMORY)[0]);
        Decision grow = p.decide(obs(0.5, 0.3, 0.6, 2, 2));
        assertEquals(3, grow.levels(Role.MEMORY)[0], "plenty of slack: one step up");
        assertEquals(3, grow.levels(Role.QUOTA)[0]);
        Decision hold = p.decide(obs(0.5, 0.3, 0.2, 3, 3));
        assertEquals(3, hold.levels(Role.MEMORY)[0], "in between: hold");
    }

    @Test
    void staticTakesLevelsAndUnknownNamesAreExplained() {
        Decision d = Baselines.create("static:core=0.5,memory=0").decide(obs(0.5, 0.3, 1, 9, 9));
        assertEquals(5, d.levels(Role.CORE)[0]);
        assertEquals(0, d.levels(Role.MEMORY)[0]);
        assertEquals(Decision.NO_CHANGE, d.levels(Role.QUOTA)[0]);
        var e = assertThrows(CohortException.class, () -> Baselines.create("turbo"));
        assertTrue(e.getMessage().contains("schedutil"), e.getMessage());
        assertThrows(CohortException.class, () -> Baselines.create("static:core=2"));
    }
}
