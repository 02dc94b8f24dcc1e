package dev.cohort.harness.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.baseline.Baselines;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle's candidates: every lock-step policy's decision of the tick, the grid's corners, each once. */
class CandidatesTest {
    @Test
    void eachLockStepPolicysDecisionOfTheTickIsACandidate() {
        Scenario sc = Scenarios.builtIn("membw");
        Policy alongside = Baselines.create("slo-guard");
        try (SimHarness h = SimHarness.open(sc, 2, "ondemand", SimHarness.Options.evaluation());
             Candidates c = new Candidates(List.of(Baselines.create("slo-guard"), Baselines.create("schedutil")), 3, true)) {
            for (int t = 0; t < 30; t++) {
                h.step();
                Observations obs = h.controller().observations();
                Decision own = alongside.decide(obs);
                List<Decision> cs = c.of(obs);
                assertTrue(cs.stream().anyMatch(d -> same(d, own)), "tick " + t + ": slo-guard's decision is a candidate");
                assertTrue(cs.stream().anyMatch(d -> Arrays.stream(Role.values()).allMatch(r -> Arrays.stream(d.levels(r))
                        .allMatch(l -> l == obs.role(r).actions().max()))), "the grid's top corner is a candidate");
                assertEquals(cs.size(), cs.stream().map(CandidatesTest::key).distinct().count(), "no candidate twice");
                c.chosen(cs.get(t % cs.size()));
            }
        }
    }

    private static boolean same(Decision a, Decision b) {
        return key(a).equals(key(b));
    }

    private static String key(Decision d) {
        StringBuilder sb = new StringBuilder();
        for (Role r : Role.values()) {
            sb.append(Arrays.toString(d.levels(r)));
        }
        return sb.toString();
    }
}
