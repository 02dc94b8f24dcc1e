package dev.cohort.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.OnnxPolicy;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import org.junit.jupiter.api.Test;

/**
 * MaRCA's split on the shipped learned models in ONNX Runtime, on a simulated machine, with a cost that rises with
 * each level: at the λ the models were trained at it decides exactly as the models alone; as λ rises the power its
 * choices cost never rises, and at a high enough price every core agent takes its cheapest level. The network always
 * sees the trained λ, and the observation is left as it was.
 */
class PricedPolicyTest {
    private static final double TDP = 100;

    /** A cost of 10 W per agent plus 2 W per level of the moved agent, whatever the state. */
    private static final LevelCost RISING = (obs, role, base) -> {
        int n = obs.role(role).agents();
        int levels = obs.role(role).actions().levels();
        double[][] w = new double[n][levels];
        for (int a = 0; a < n; a++) {
            for (int l = 0; l < levels; l++) {
                w[a][l] = 10 * n + 2 * l;
            }
        }
        return w;
    };

    private static final dev.cohort.platform.sim.Scenario COLOCATION = Scenarios.builtIn("colocation");

    /** The shipped models priced by {@link #RISING}, trained at λ 1, λ_max 1000. */
    private static PricedPolicy priced() {
        Policy inner = Policies.create("onnx:models/default", SimHarness.machine(COLOCATION, 7).topology());
        return new PricedPolicy((OnnxPolicy) inner, RISING, 1, PricedPolicy.DEFAULT_PRICE_SCALE, TDP, 1000, null);
    }

    /** The observations of the tick after {@code ticks} whole ones. */
    private static Observations after(SimHarness h, int ticks) {
        for (int i = 0; i < ticks; i++) {
            h.step();
        }
        return h.beginStep();
    }

    private static double cost(Observations obs, Decision d) {
        double c = 0;
        for (Role r : Role.values()) {
            for (int l : d.levels(r)) {
                c += Math.max(0, l) * 2;
            }
        }
        return c;
    }

    @Test
    void higherPricesNeverBuyMorePowerAndTheTrainedPriceChangesNothing() {
        Policy plain = Policies.create("onnx:models/default", SimHarness.machine(COLOCATION, 7).topology());
        try (SimHarness h = SimHarness.openOwning(COLOCATION, 7, plain, SimHarness.Options.evaluation());
             PricedPolicy priced = priced()) {
            Observations obs = after(h, 30);
            float[] before = obs.role(Role.CORE).copyOfData();
            Object state = plain.saveState();
            Decision alone = plain.decide(obs);
            priced.restoreState(state);
            Decision same = priced.decide(obs);
            for (Role r : Role.values()) {
                assertArrayEquals(alone.levels(r), same.levels(r), r + " at the trained λ");
            }
            double last = Double.POSITIVE_INFINITY;
            int coreAgents = obs.role(Role.CORE).agents();
            Decision top = null;
            for (double lambda : new double[] {1, 1.5, 2, 4, 8, 1e4}) {
                setLambda(obs, lambda);
                priced.restoreState(state);
                Decision d = priced.decide(obs);
                double c = cost(obs, d);
                assertTrue(c <= last + 1e-9, "λ " + lambda + " chose " + c + " W of levels after " + last);
                last = c;
                top = d;
                assertEquals(lambda, priced.lastLambda(), 1e-6);
            }
            var core = obs.role(Role.CORE);
            for (int a = 0; a < coreAgents; a++) {
                // a domain serving the service steps down one level a tick; on colocation every domain serves it
                int lowest = core.get(a, core.spec().index("lc_share")) > 0
                        ? Math.max(0, core.currentLevel(a) - PricedPolicy.LC_MAX_STEP) : 0;
                assertEquals(lowest, top.levels(Role.CORE)[a], "core agent " + a + " at a price no value outweighs");
            }
            setLambda(obs, 1e4);
            priced.restoreState(state);
            priced.decide(obs);
            float[] after = obs.role(Role.CORE).copyOfData();
            int f = obs.role(Role.CORE).spec().index("g_lambda");
            for (int i = 0; i < after.length; i++) {
                if (i % obs.role(Role.CORE).spec().size() != f) {
                    assertEquals(before[i], after[i], "feature " + i + " untouched");
                }
            }
            assertEquals(1e4 / 2, after[f], 1e-3, "the balancer's λ is back in the observation after the decision");
        }
    }

    /**
     * The order of giving up power: a domain serving a latency-critical service past its SLO pays a fifth of the price
     * at a moderate λ, one with slack pays in full, and at λ_max every domain pays in full; a best-effort quota does
     * not rise under a price while its service is past its SLO, and may at the trained λ.
     */
    @Test
    void latencyCriticalDomainsPastTheirSloPayLessAndBestEffortKnobsHoldBack() {
        try (SimHarness h = SimHarness.open(COLOCATION, 7, "performance", SimHarness.Options.evaluation());
             PricedPolicy priced = priced()) {
            Observations obs = after(h, 5);
            var core = obs.role(Role.CORE);
            int share = core.spec().index("lc_share");
            int slack = core.spec().index("lc_slack");
            core.set(0, share, 1);
            core.set(0, slack, -0.5f);
            core.set(1, share, 1);
            core.set(1, slack, 0.6f);
            core.set(2, share, 0);
            core.set(2, slack, -0.5f);
            setLambda(obs, 50);
            priced.decide(obs);
            assertEquals(0.2, priced.priceWeight(core, Role.CORE, 0), 1e-3, "past its SLO at λ 50 of 1000");
            assertEquals(1, priced.priceWeight(core, Role.CORE, 1), 1e-9, "slack above a quarter");
            assertEquals(1, priced.priceWeight(core, Role.CORE, 2), 1e-9, "no latency-critical service here");
            setLambda(obs, 1000);
            priced.decide(obs);
            assertEquals(1, priced.priceWeight(core, Role.CORE, 0), 1e-9, "at λ_max everyone pays in full");

            var quota = obs.role(Role.QUOTA);
            int levels = quota.actions().levels();
            quota.set(0, quota.spec().index("lc_slack"), -0.3f);
            quota.set(0, quota.spec().index("quota_level"), 1f / (levels - 1));
            assertEquals(1, priced.highestLevel(quota, Role.QUOTA, 0, levels), "held at its level, 1");
            for (double lambda : new double[] {1.5, 20, 400}) {
                setLambda(obs, lambda);
                assertTrue(priced.decide(obs).levels(Role.QUOTA)[0] <= 1, "quota rose past its SLO at λ " + lambda);
            }
            quota.set(0, quota.spec().index("lc_slack"), 0.3f);
            assertEquals(levels - 1, priced.highestLevel(quota, Role.QUOTA, 0, levels), "free again with slack");
        }
    }

    /**
     * A best-effort knob (here the memory-bandwidth share) keeps the network's own choice under any price while the service beside it is within 1.5 times
     * its SLO, so the cores pay first; far past its SLO it pays like every agent, and a price no value outweighs takes
     * it to its lowest level.
     */
    @Test
    void bestEffortKnobsKeepTheNetworksChoiceUntilTheServiceIsFarPastItsSlo() {
        Policy plain = Policies.create("onnx:models/default", SimHarness.machine(COLOCATION, 7).topology());
        try (SimHarness h = SimHarness.openOwning(COLOCATION, 7, plain, SimHarness.Options.evaluation());
             PricedPolicy priced = priced()) {
            Observations obs = after(h, 30);
            var memory = obs.role(Role.MEMORY);
            int slack = memory.spec().index("lc_slack");
            memory.set(0, memory.spec().index("mba_level"), 1); // at the top, so holding back does not bind
            for (float s : new float[] {0.4f, 0f, -0.4f}) {
                memory.set(0, slack, s);
                setLambda(obs, 1);
                Object state = plain.saveState();
                int own = plain.decide(obs).levels(Role.MEMORY)[0];
                assertTrue(own > 0, "the network's own choice is above the lowest bandwidth, " + own);
                for (double lambda : new double[] {50, 1e4}) {
                    setLambda(obs, lambda);
                    priced.restoreState(state);
                    assertEquals(own, priced.decide(obs).levels(Role.MEMORY)[0], "slack " + s + ", λ " + lambda);
                }
            }
            memory.set(0, slack, (float) PricedPolicy.BE_YIELD_SLACK - 0.1f);
            setLambda(obs, 1e4);
            assertEquals(0, priced.decide(obs).levels(Role.MEMORY)[0], "far past its SLO the bandwidth share pays the price");
        }
    }

    /**
     * A model trained over a λ range sees λ itself inside the range and its upper end beyond it (only the excess is
     * priced); one that records no range sees the λ it was trained at. With the price scale at 0 the network's own
     * values are all that decide, so its outputs show which λ it saw.
     */
    @Test
    void theNetworkSeesLambdaWithinTheRangeItWasTrainedOver(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        int[] levels = {11, 10, 10};
        for (Role r : Role.values()) {
            var net = dev.cohort.policy.TestModels.network(r, levels[r.ordinal()], false, 5 + r.ordinal());
            var c = dev.cohort.policy.TestModels.contract(r, levels[r.ordinal()], 0).withLambdaRange(1, 8);
            dev.cohort.learn.onnx.OnnxExporter.export(net, c, dir.resolve(OnnxPolicy.fileName(r)), java.util.List.of());
        }
        var topo = SimHarness.machine(COLOCATION, 7).topology();
        Policy plain = Policies.create("onnx:" + dir, topo);
        OnnxPolicy inner = (OnnxPolicy) Policies.create("onnx:" + dir, topo);
        try (SimHarness h = SimHarness.openOwning(COLOCATION, 7, plain, SimHarness.Options.evaluation());
             PricedPolicy priced = new PricedPolicy(inner, RISING, 1, 0, TDP, 1000, null)) {
            Observations obs = after(h, 10);
            for (double[] asked : new double[][] {{5, 5}, {20, 8}, {0.5, 1}}) {
                setLambda(obs, asked[1]);
                plain.decide(obs);
                float[] expected = ((OnnxPolicy) plain).lastOutputs(Role.CORE).clone();
                setLambda(obs, asked[0]);
                priced.decide(obs);
                assertArrayEquals(expected, inner.lastOutputs(Role.CORE), 1e-6f,
                        "at λ " + asked[0] + " the network sees λ " + asked[1]);
                assertEquals(asked[0], priced.lastLambda(), 1e-6);
            }
            setLambda(obs, 8);
            plain.decide(obs);
            float[] at8 = ((OnnxPolicy) plain).lastOutputs(Role.CORE).clone();
            setLambda(obs, 5);
            plain.decide(obs);
            assertTrue(!java.util.Arrays.equals(at8, ((OnnxPolicy) plain).lastOutputs(Role.CORE)), "λ reaches the network's values");
        }
    }

    /**
     * Under a price, the domains serving a latency-critical service move one level a tick and, within each group
     * serving the same services, stay within a level of each other with the sum of their own choices; a domain serving
     * none goes straight to its cheapest level.
     */
    @Test
    void underAPriceTheServicesDomainsMoveOneLevelATickAndEvenly() {
        int[] groups = {0, 0, 0, 0, 1, 1, -1, -1};
        Policy inner = Policies.create("onnx:models/default", SimHarness.machine(COLOCATION, 7).topology());
        try (SimHarness h = SimHarness.open(COLOCATION, 7, "performance", SimHarness.Options.evaluation());
             PricedPolicy priced = new PricedPolicy((OnnxPolicy) inner, RISING, 1, PricedPolicy.DEFAULT_PRICE_SCALE, TDP,
                     1000, groups)) {
            Observations obs = after(h, 5);
            var core = obs.role(Role.CORE);
            int share = core.spec().index("lc_share");
            int top = core.actions().levels() - 1;
            for (int a = 0; a < core.agents(); a++) {
                core.set(a, share, groups[a] >= 0 ? 1 : 0);
                assertEquals(top, core.currentLevel(a), "performance holds the top level");
            }
            setLambda(obs, 1000);
            int[] levels = priced.decide(obs).levels(Role.CORE);
            for (int a = 0; a < 6; a++) {
                assertEquals(top - 1, levels[a], "domain " + a + " serves the service: one level down a tick");
            }
            assertEquals(0, levels[6], "no service here: the cheapest level at once");
            assertEquals(0, levels[7]);

            core.setCurrentLevel(0, 2); // a domain of group 0 found far below the others
            levels = priced.decide(obs).levels(Role.CORE);
            int[] g0 = {levels[0], levels[1], levels[2], levels[3]};
            int sum = java.util.Arrays.stream(g0).sum();
            assertEquals(1 + 3 * (top - 1), sum, "the group keeps the sum of its own choices (1 and three at " + (top - 1) + ")");
            assertTrue(java.util.Arrays.stream(g0).max().getAsInt() - java.util.Arrays.stream(g0).min().getAsInt() <= 1,
                    "group 0 within one level: " + java.util.Arrays.toString(g0));
            assertEquals(top - 1, levels[4], "group 1 is evened apart from group 0");
            assertEquals(top - 1, levels[5]);
        }
    }

    /** Evening out a group keeps its sum, gives the extra levels to those that chose higher, and leaves others alone. */
    @Test
    void evenOutSpreadsEachGroupsLevelsWithinOne() {
        int[] groups = {0, 0, 0, 0, 1, 1, -1, -1};
        int[] levels = {10, 9, 9, 7, 3, 6, 10, 0};
        PricedPolicy.evenOut(groups, levels, 11);
        assertArrayEquals(new int[] {9, 9, 9, 8, 4, 5, 10, 0}, levels);
        int[] wrongSize = {10, 0};
        PricedPolicy.evenOut(groups, wrongSize, 11);
        assertArrayEquals(new int[] {10, 0}, wrongSize, "groups for another machine: nothing moves");
    }

    /** For any levels and groups: each group keeps its sum and ends within one level; an agent in no group keeps its level. */
    @net.jqwik.api.Property(tries = 300)
    void evenOutKeepsEachGroupsSumWithinOneLevel(
            @net.jqwik.api.ForAll @net.jqwik.api.constraints.Size(min = 1, max = 32)
            java.util.List<@net.jqwik.api.constraints.IntRange(min = 0, max = 10) Integer> chosen,
            @net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 4) int groupCount,
            @net.jqwik.api.ForAll long seed) {
        var rng = new java.util.Random(seed);
        int n = chosen.size();
        int[] groups = new int[n];
        for (int a = 0; a < n; a++) {
            groups[a] = rng.nextInt(groupCount + 1) - 1; // -1: serves no service
        }
        int[] levels = chosen.stream().mapToInt(Integer::intValue).toArray();
        int[] before = levels.clone();
        PricedPolicy.evenOut(groups, levels, 11);
        for (int g = -1; g < groupCount; g++) {
            long sumBefore = 0;
            long sumAfter = 0;
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int a = 0; a < n; a++) {
                if (groups[a] != g) {
                    continue;
                }
                if (g < 0) {
                    assertEquals(before[a], levels[a], "agent " + a + " serves no service");
                }
                sumBefore += before[a];
                sumAfter += levels[a];
                min = Math.min(min, levels[a]);
                max = Math.max(max, levels[a]);
            }
            if (g >= 0 && min <= max) {
                assertEquals(sumBefore, sumAfter, "group " + g + " keeps its sum");
                assertTrue(max - min <= 1, "group " + g + " within one level");
            }
        }
    }

    private static void setLambda(Observations obs, double lambda) {
        for (Role r : Role.values()) {
            var ro = obs.role(r);
            int f = ro.spec().index("g_lambda");
            for (int a = 0; a < ro.agents(); a++) {
                ro.set(a, f, lambda / 2);
            }
        }
    }
}
