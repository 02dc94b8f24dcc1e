package dev.cohort.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.ControllerConfig;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import org.junit.jupiter.api.Test;

/**
 * What the split needs from a core model's values (docs/balance.md, "Why the state-scaled team falls off a cliff"): on
 * the states where a service is far past its SLO with its cores near the lowest level, the values must still say that
 * faster cores are worth a price, or a price holds the cores there and the queue never drains. The states are those of
 * {@code models/awrq-team-state} priced at λ = 1300 on {@code colocation} (seed 1, 60 s), where its service sits more
 * than 1.5 times past its SLO in most ticks; both models are asked about the same observations. The shipped core
 * agents' values rise from the lowest to the top level by most of what they rise in calm states; the team's by about a
 * quarter, which is why it is not {@code learned}.
 */
class DeepBacklogValuesTest {
    /** Per model: agent-ticks far past the SLO, their mean value range, and the same in states with slack. */
    private record Ranges(double deepTicks, double deepRange, double calmTicks, double calmRange) {
        double ratio() {
            return deepRange / calmRange;
        }
    }

    @Test
    void theShippedCoreAgentsStillValueFasterCoresWhenTheServiceIsFarPastItsSlo() {
        var colocation = Scenarios.builtIn("colocation");
        var machine = SimHarness.machine(colocation, 1);
        PricedPolicy team = (PricedPolicy) PricedPolicies.open("onnx:models/awrq-team-state", machine,
                ControllerConfig.DEFAULT, BudgetLoop.Pricing.DEFAULT, 2000);
        PricedPolicy learned = (PricedPolicy) PricedPolicies.open("learned", machine, ControllerConfig.DEFAULT,
                BudgetLoop.Pricing.DEFAULT, 2000);
        double[][] sums = new double[2][4];
        Policy driver = new Policy() {
            @Override
            public String name() {
                return team.name();
            }

            @Override
            public Decision decide(Observations obs) {
                learned.decide(obs); // only its values: the team decides
                Decision d = team.decide(obs);
                add(obs, team.inner().lastOutputs(Role.CORE), sums[0]);
                add(obs, learned.inner().lastOutputs(Role.CORE), sums[1]);
                return d;
            }

            @Override
            public void reset() {
                team.reset();
                learned.reset();
            }

            @Override
            public void close() {
                team.close();
                learned.close();
            }
        };
        try (SimHarness h = SimHarness.openOwning(colocation, 1, driver, SimHarness.Options.evaluation())) {
            h.controller().setLambda(1300);
            for (int t = 0; t < 600; t++) {
                h.step();
            }
        }
        Ranges teamRanges = ranges(sums[0]);
        Ranges learnedRanges = ranges(sums[1]);
        assertTrue(teamRanges.deepTicks() > 2000, "the priced team leaves its service far past its SLO: " + teamRanges);
        assertEquals(teamRanges.deepTicks(), learnedRanges.deepTicks(), "both asked about the same states");
        assertTrue(learnedRanges.ratio() > 0.6, "learned's values far past the SLO keep most of their range: " + learnedRanges);
        assertTrue(teamRanges.ratio() < 0.4, "the team's values there are nearly flat: " + teamRanges);
    }

    /** Adds each service domain's value range (top level less the lowest) to the far-past-SLO or the calm sums. */
    private static void add(Observations obs, float[] q, double[] sums) {
        var core = obs.role(Role.CORE);
        int levels = q.length / core.agents();
        int share = core.spec().index("lc_share");
        int slack = core.spec().index("lc_slack");
        for (int a = 0; a < core.agents(); a++) {
            if (core.get(a, share) <= 0) {
                continue;
            }
            double s = core.get(a, slack);
            double range = q[a * levels + levels - 1] - q[a * levels];
            if (s < PricedPolicy.BE_YIELD_SLACK) {
                sums[0]++;
                sums[1] += range;
            } else if (s > 0) {
                sums[2]++;
                sums[3] += range;
            }
        }
    }

    private static Ranges ranges(double[] s) {
        return new Ranges(s[0], s[1] / s[0], s[2], s[3] / s[2]);
    }
}
