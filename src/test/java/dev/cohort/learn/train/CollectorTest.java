package dev.cohort.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.control.GovernorConfig;
import dev.cohort.control.TickRecord;
import dev.cohort.learn.algo.Learner;
import dev.cohort.learn.algo.Learners;
import dev.cohort.learn.env.MarlEnv;
import dev.cohort.learn.env.StateEncoder;
import dev.cohort.learn.replay.Chunk;
import dev.cohort.learn.replay.ValueTerm;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The replay chunks line up with the episode that made them: replaying a chunk's recorded levels on the same
 * scenario and seed gives back its observations, and its reward {@code t} is the reward of the tick after the
 * levels of tick {@code t}.
 */
@Tag("pytorch")
class CollectorTest {
    @TempDir
    Path dir;

    @Test
    void chunksRecordObservationsLevelsAndTheRewardThatFollowed() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        TrainConfig cfg = TrainConfig.load(TrainTests.config(dir, "c", "vdn", 100, ""));
        int[] f = {ObservationSpec.CORE.size(), ObservationSpec.MEMORY.size(), ObservationSpec.QUOTA.size()};
        int[] l = {11, 10, 10};
        Learner learner = Learners.create(cfg.algorithm(), cfg.learner(), f, l, StateEncoder.size(), 1);
        List<Scenario> bases = List.of(Scenarios.resolve(cfg.scenarios().keySet().iterator().next()), Scenarios.builtIn("colocation"));
        Collector c = new Collector(cfg, bases, new double[]{1, 1}, learner.agents(), false);
        for (long j = 0; j < 3; j++) {
            Collector.Episode e = c.run(j, learner.actorParams(), 0.5);
            assertEquals(2, e.chunks().size());
            assertTrue(e.simSeed() >= TrainConfig.FIRST_TRAINING_SEED, "training seeds are ≥ 1000");
            // replay the recorded levels tick by tick
            List<int[][]> levels = new ArrayList<>();
            for (Chunk ch : e.chunks()) {
                for (int t = 0; t < ch.steps(); t++) {
                    int[][] lv = new int[3][];
                    for (int r = 0; r < 3; r++) {
                        int n = ch.agents()[r];
                        lv[r] = java.util.Arrays.copyOfRange(ch.actions()[r], t * n, (t + 1) * n);
                    }
                    levels.add(lv);
                }
            }
            MarlEnv env = new MarlEnv(GovernorConfig.EVALUATION);
            env.reset(e.variant(), e.simSeed(), e.lambda());
            List<TickRecord> recs = new ArrayList<>();
            List<float[][]> obs = new ArrayList<>();
            for (int t = 0; t <= levels.size(); t++) {
                int tt = t;
                recs.add(env.step((o, d) -> {
                    float[][] seen = new float[3][];
                    for (Role r : Role.values()) {
                        seen[r.ordinal()] = o.role(r).copyOfData();
                        if (tt < levels.size()) {
                            System.arraycopy(levels.get(tt)[r.ordinal()], 0, d.levels(r), 0, o.role(r).agents());
                        }
                    }
                    obs.add(seen);
                }));
            }
            int t0 = 0;
            boolean progressSeen = false;
            for (Chunk ch : e.chunks()) {
                for (int t = 0; t < ch.steps(); t++) {
                    assertEquals((float) recs.get(t0 + t + 1).reward().reward(), ch.rewards()[t], 0f,
                            "episode " + j + " tick " + (t0 + t) + ": the reward that followed the levels");
                    var terms = recs.get(t0 + t + 1).reward();
                    var w = cfg.reward();
                    assertEquals(-w.beta() * e.lambda() * terms.energy(), ch.term(ValueTerm.ENERGY)[t], 1e-6,
                            "tick " + (t0 + t) + ": the energy term is −β·λ·E");
                    assertTrue(ch.term(ValueTerm.ENERGY)[t] < 0, "a tick draws power");
                    assertEquals(w.delta() * terms.progress(), ch.term(ValueTerm.PROGRESS)[t], 1e-6,
                            "tick " + (t0 + t) + ": the progress term is δ·P");
                    assertEquals(-w.alpha() * terms.latency() - w.gamma() * terms.stall() + w.delta() * terms.progress(),
                            ch.rest(List.of(ValueTerm.ENERGY))[t], 1e-5, "tick " + (t0 + t) + ": the rest is −α·L − γ·S + δ·P");
                    assertEquals(-w.alpha() * terms.latency() - w.gamma() * terms.stall(),
                            ch.rest(List.of(ValueTerm.ENERGY, ValueTerm.PROGRESS))[t], 1e-5, "tick " + (t0 + t)
                            + ": without progress too, −α·L − γ·S");
                    progressSeen |= terms.progress() > 0;
                }
                for (int t = 0; t <= ch.steps(); t++) {
                    for (int r = 0; r < 3; r++) {
                        int n = ch.agents()[r];
                        int fw = f[r];
                        assertArrayEquals(obs.get(t0 + t)[r], java.util.Arrays.copyOfRange(ch.obs()[r], t * n * fw, (t + 1) * n * fw),
                                "episode " + j + " observation at tick " + (t0 + t));
                    }
                }
                t0 += ch.steps();
            }
            assertTrue(progressSeen, "episode " + j + ": its best-effort jobs made progress, kept as a term");
        }
    }

    /** With {@code reach}, the level tried is never further from the one chosen than that; without, it may be anywhere. */
    @Test
    void pairsWithAReachTryOnlyTheLevelsNearTheOneChosen() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        int[] f = {ObservationSpec.CORE.size(), ObservationSpec.MEMORY.size(), ObservationSpec.QUOTA.size()};
        int[] farthest = new int[2];
        int[] seen = new int[3]; // pairs with the reach at distance 1 and 2, and beyond
        for (int reach : new int[]{0, 2}) {
            TrainConfig cfg = TrainConfig.load(TrainTests.config(dir, "reach" + reach, "awrq", 100, "",
                    "episodesPerIteration: 1, pairedAdvantage: {every: 2, horizon: 2, weight: 1, reach: " + reach + "}"));
            assertEquals(reach, cfg.learner().paired().reach());
            Learner learner = Learners.create(cfg.algorithm(), cfg.learner(), f, new int[]{11, 10, 10}, StateEncoder.size(), 1);
            Collector c = new Collector(cfg, List.of(Scenarios.builtIn("colocation")), new double[]{1}, learner.agents(), false);
            for (Chunk ch : c.run(0, learner.actorParams(), 1.0).chunks()) {
                for (int r = 0; r < 3; r++) {
                    int[] tried = ch.pairs().tried()[r];
                    for (int i = 0; i < tried.length; i++) {
                        if (tried[i] >= 0) {
                            int away = Math.abs(tried[i] - ch.actions()[r][i]);
                            farthest[reach / 2] = Math.max(farthest[reach / 2], away);
                            if (reach == 2) {
                                seen[Math.min(away, 3) - 1]++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(farthest[0] > 2, "without a reach, levels far from the one chosen are tried: " + farthest[0]);
        assertEquals(2, farthest[1], "with reach 2, none further than 2 levels");
        assertTrue(seen[0] > 0 && seen[1] > 0 && seen[2] == 0, java.util.Arrays.toString(seen));
    }

    /** With {@code roles: [core]} only core agents are branched, as often as with every role. */
    @Test
    void pairsForTheCoreRoleBranchOnlyCoreAgents() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        int[] f = {ObservationSpec.CORE.size(), ObservationSpec.MEMORY.size(), ObservationSpec.QUOTA.size()};
        int[][] byRole = new int[2][3];
        for (int i = 0; i < 2; i++) {
            TrainConfig cfg = TrainConfig.load(TrainTests.config(dir, "roles" + i, "awrq", 100, "",
                    "episodesPerIteration: 1, pairedAdvantage: {every: 2, horizon: 2, weight: 1, draw: roles"
                            + (i == 0 ? ", roles: [core]" : "") + "}"));
            Learner learner = Learners.create(cfg.algorithm(), cfg.learner(), f, new int[]{11, 10, 10}, StateEncoder.size(), 1);
            Collector c = new Collector(cfg, List.of(Scenarios.builtIn("colocation")), new double[]{1}, learner.agents(), false);
            for (Chunk ch : c.run(0, learner.actorParams(), 1.0).chunks()) {
                for (int r = 0; r < 3; r++) {
                    for (int tried : ch.pairs().tried()[r]) {
                        byRole[i][r] += tried >= 0 ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(byRole[0][0] > 0 && byRole[0][1] == 0 && byRole[0][2] == 0, "core only: " + java.util.Arrays.toString(byRole[0]));
        assertTrue(byRole[1][1] > 0 && byRole[1][2] > 0, "every role: " + java.util.Arrays.toString(byRole[1]));
        assertEquals(java.util.Arrays.stream(byRole[1]).sum(), byRole[0][0], "one branch every second tick either way");
    }

    /**
     * Paired advantages ({@code learning.pairedAdvantage}): the episode is the one collected without them, bit for bit;
     * every fourth tick one agent is branched at a level it did not choose; and each pair's difference is what replaying
     * the two branches by hand on a fresh machine gives (with {@code hold}, the branched agent held at its branch's level
     * over the horizon). Lockstep collection on two threads gives the same pairs.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pairedBranchesMeasureWhatAnotherLevelWouldHaveEarnedAndLeaveTheEpisodeAsItWas(boolean hold) throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        TrainConfig plain = TrainConfig.load(TrainTests.config(dir, "plain", "awrq", 100, ""));
        TrainConfig cfg = TrainConfig.load(TrainTests.config(dir, "paired" + hold, "awrq", 100, "",
                "episodesPerIteration: 1, pairedAdvantage: {every: 4, horizon: 2, weight: 1, hold: " + hold + "}"));
        assertEquals(hold, cfg.learner().paired().hold());
        int[] f = {ObservationSpec.CORE.size(), ObservationSpec.MEMORY.size(), ObservationSpec.QUOTA.size()};
        Learner learner = Learners.create(cfg.algorithm(), cfg.learner(), f, new int[]{11, 10, 10}, StateEncoder.size(), 1);
        List<Scenario> bases = List.of(Scenarios.builtIn("colocation"));
        Collector c = new Collector(cfg, bases, new double[]{1}, learner.agents(), false);
        Collector.Episode e = c.run(0, learner.actorParams(), 0.5);
        Collector.Episode without = new Collector(plain, bases, new double[]{1}, learner.agents(), false)
                .run(0, learner.actorParams(), 0.5);
        List<Chunk> chunks = e.chunks();
        int steps = chunks.getFirst().steps();
        int pairs = 0;
        for (int k = 0; k < chunks.size(); k++) {
            Chunk a = chunks.get(k);
            Chunk b = without.chunks().get(k);
            assertArrayEquals(b.rewards(), a.rewards(), "chunk " + k + ": the same rewards as without branches");
            for (int r = 0; r < 3; r++) {
                assertArrayEquals(b.actions()[r], a.actions()[r], "chunk " + k + ": the same levels");
                assertArrayEquals(b.obs()[r], a.obs()[r], "chunk " + k + ": the same observations");
            }
            assertEquals(0, b.pairs().count());
            pairs += a.pairs().count();
        }
        assertEquals(steps * chunks.size() / 4, pairs, "one agent branched every fourth tick");
        double gamma = cfg.learner().gamma();
        int checked = 0;
        boolean nonZero = false;
        boolean energyMoved = false;
        for (int t = 0; t < steps * chunks.size(); t += 4) {
            Chunk ch = chunks.get(t / steps);
            int tt = t % steps;
            for (Role r : Role.values()) {
                int n = ch.agents()[r.ordinal()];
                int[] tried = ch.pairs().tried()[r.ordinal()];
                for (int a = 0; a < n && tried.length > 0; a++) {
                    int level = tried[tt * n + a];
                    if (level < 0) {
                        continue;
                    }
                    int own = ch.actions()[r.ordinal()][tt * n + a];
                    assertTrue(level != own, "tick " + t + ": branched at another level than the one chosen");
                    double[] at = replay(cfg, e, t, r, a, level, gamma);
                    double[] taken = replay(cfg, e, t, r, a, own, gamma);
                    double worth = at[0] - taken[0];
                    float gap = ch.pairs().gap()[r.ordinal()][tt * n + a];
                    assertEquals(worth, gap, 1e-5 * Math.max(1, Math.abs(worth)), "tick " + t + ", " + r.id() + " agent " + a);
                    double saved = at[1] - taken[1];
                    float energy = ch.pairs().energy(r.ordinal(), tt * n + a);
                    assertEquals(saved, energy, 1e-5 * Math.max(1, Math.abs(saved)), "tick " + t + ", " + r.id() + " agent "
                            + a + ": the gap's energy part");
                    nonZero |= gap != 0;
                    energyMoved |= energy != 0;
                    checked++;
                }
            }
        }
        assertEquals(pairs, checked);
        double squares = 0;
        for (Chunk ch : chunks) {
            for (int r = 0; r < 3; r++) {
                for (int i = 0; i < ch.pairs().tried()[r].length; i++) {
                    squares += ch.pairs().tried()[r][i] >= 0 ? Math.pow(ch.pairs().gap()[r][i], 2) : 0;
                }
            }
        }
        for (Chunk ch : chunks) {
            assertEquals(Math.sqrt(squares / pairs), ch.pairs().episode(), 1e-6, "every chunk knows its episode's size of a pair");
        }
        assertTrue(nonZero, "some level's worth differs from the chosen one's");
        assertTrue(energyMoved, "some level's energy differs from the chosen one's");
        Collector.Episode lockstep = c.iteration(0, 2, learner.actorParams(), 0.5, 2).episodes().getFirst();
        for (int k = 0; k < chunks.size(); k++) {
            for (int r = 0; r < 3; r++) {
                assertArrayEquals(chunks.get(k).pairs().tried()[r], lockstep.chunks().get(k).pairs().tried()[r]);
                assertArrayEquals(chunks.get(k).pairs().gap()[r], lockstep.chunks().get(k).pairs().gap()[r]);
                assertArrayEquals(chunks.get(k).pairs().energy()[r], lockstep.chunks().get(k).pairs().energy()[r]);
            }
        }
    }

    /**
     * {@code draw: roles} draws the branched agent's role first, uniformly, so the memory and quota agents get their
     * share of pairs beside the many frequency agents; {@code draw: agents} draws over every agent.
     */
    @Test
    void drawingByRoleGivesEveryRoleItsShareOfPairs() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        double[] coreShare = new double[2];
        int[] cores = new int[1];
        for (int k = 0; k < 2; k++) {
            TrainConfig cfg = TrainConfig.load(TrainTests.config(dir, "draw" + k, "awrq", 100, "",
                    "episodesPerIteration: 1, pairedAdvantage: {every: 2, draw: " + (k == 0 ? "agents" : "roles") + "}"));
            int[] f = {ObservationSpec.CORE.size(), ObservationSpec.MEMORY.size(), ObservationSpec.QUOTA.size()};
            Learner learner = Learners.create(cfg.algorithm(), cfg.learner(), f, new int[]{11, 10, 10}, StateEncoder.size(), 1);
            Collector c = new Collector(cfg, List.of(Scenarios.builtIn("colocation")), new double[]{1}, learner.agents(), false);
            int[] byRole = new int[3];
            for (long j = 0; j < 6; j++) {
                for (Chunk ch : c.run(j, learner.actorParams(), 0.5).chunks()) {
                    cores[0] = ch.agents()[0];
                    for (int r = 0; r < 3; r++) {
                        for (int level : ch.pairs().tried()[r]) {
                            byRole[r] += level >= 0 ? 1 : 0;
                        }
                    }
                }
            }
            assertEquals(6 * 20, byRole[0] + byRole[1] + byRole[2], "a pair every other tick");
            coreShare[k] = byRole[0] / 120.0;
        }
        assertTrue(cores[0] >= 4, "colocation's machine has " + cores[0] + " frequency agents");
        assertTrue(coreShare[0] > 0.7, "over every agent the frequency agents take most: " + coreShare[0]);
        assertTrue(coreShare[1] > 0.2 && coreShare[1] < 0.5, "by role, about a third: " + coreShare[1]);
    }

    /**
     * The episode's levels up to tick {@code t}, there {@code agent} of {@code role} at {@code level}, then tick {@code t}'s
     * levels held for the horizon: the discounted reward from tick {@code t}'s consequence on.
     */
    /** The discounted reward after tick {@code t} replayed with the agent at {@code level}, and its energy part. */
    private static double[] replay(TrainConfig cfg, Collector.Episode e, int t, Role role, int agent, int level, double gamma) {
        MarlEnv env = new MarlEnv(GovernorConfig.EVALUATION, cfg.reward());
        env.reset(e.variant(), e.simSeed(), e.lambda());
        int steps = e.chunks().getFirst().steps();
        double sum = 0;
        double energy = 0;
        double w = 1;
        for (int i = 0; i <= t + cfg.learner().paired().horizon(); i++) {
            int at = Math.min(i, t);
            Chunk ch = e.chunks().get(at / steps);
            int tt = at % steps;
            boolean branched = i == t || (i > t && cfg.learner().paired().hold());
            TickRecord rec = env.step((o, d) -> {
                for (Role r : Role.values()) {
                    int n = ch.agents()[r.ordinal()];
                    System.arraycopy(ch.actions()[r.ordinal()], tt * n, d.levels(r), 0, n);
                }
                if (branched) {
                    d.levels(role)[agent] = level;
                }
            });
            if (i > t) {
                sum += w * rec.reward().reward();
                energy += w * -cfg.reward().beta() * e.lambda() * rec.reward().energy();
                w *= gamma;
            }
        }
        return new double[]{sum, energy};
    }

    /**
     * With {@code energyCredit: domain} each frequency-domain agent's own reward is the shared one with its domain's energy
     * in place of the package's: replaying the chunk's levels and reading the simulator's per-core energy gives back
     * every credit, each domain's energy is a part of the package's, and no other role is credited.
     */
    @Test
    void domainCreditChargesEachFrequencyAgentItsOwnEnergy() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        TrainConfig cfg = TrainConfig.load(TrainTests.config(dir, "credit", "awrq", 100, "",
                "episodesPerIteration: 1, energyCredit: domain"));
        assertTrue(cfg.domainEnergyCredit());
        int[] f = {ObservationSpec.CORE.size(), ObservationSpec.MEMORY.size(), ObservationSpec.QUOTA.size()};
        Learner learner = Learners.create(cfg.algorithm(), cfg.learner(), f, new int[]{11, 10, 10}, StateEncoder.size(), 1);
        Collector c = new Collector(cfg, List.of(Scenarios.builtIn("colocation")), new double[]{1}, learner.agents(), false);
        Collector.Episode e = c.run(0, learner.actorParams(), 0.5);
        MarlEnv env = new MarlEnv(GovernorConfig.EVALUATION, cfg.reward());
        env.reset(e.variant(), e.simSeed(), e.lambda());
        List<Chunk> chunks = e.chunks();
        int core = Role.CORE.ordinal();
        int steps = chunks.getFirst().steps();
        double[] before = null;
        double price = cfg.reward().beta() * e.lambda();
        boolean differ = false;
        for (int t = 0; t <= steps * chunks.size(); t++) {
            Chunk ch = t < steps * chunks.size() ? chunks.get(t / steps) : null;
            int tt = t % steps;
            TickRecord rec = env.step((o, d) -> {
                for (Role r : Role.values()) {
                    if (ch != null) {
                        int n = ch.agents()[r.ordinal()];
                        System.arraycopy(ch.actions()[r.ordinal()], tt * n, d.levels(r), 0, n);
                    }
                }
            });
            double[] now = env.coreDomainJoules();
            if (t > 0) {
                Chunk prev = chunks.get((t - 1) / steps);
                int n = prev.agents()[core];
                assertEquals(steps * n, prev.credit()[core].length);
                assertEquals(0, prev.credit()[Role.MEMORY.ordinal()].length, "memory agents keep the shared reward");
                assertEquals(0, prev.credit()[Role.QUOTA.ordinal()].length, "quota agents keep the shared reward");
                double tickShare = env.machine().peakPackageWatts() * rec.seconds();
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double own = (now[i] - before[i]) / tickShare;
                    assertTrue(own > 0, "a powered core spends energy");
                    sum += own;
                    float got = prev.credit()[core][((t - 1) % steps) * n + i];
                    assertEquals(price * (rec.reward().energy() - own), got, 1e-5, "tick " + (t - 1) + " agent " + i);
                    differ |= Math.abs(got - prev.credit()[core][((t - 1) % steps) * n]) > 1e-4;
                }
                assertTrue(sum < rec.reward().energy(), "the domains' energy is part of the package's (idle and uncore are not)");
            }
            before = now;
        }
        assertTrue(differ, "domains at other levels or loads are charged apart");
    }

    /**
     * The hindsight oracle demonstrates on the episodes' own runs: on the same episodes it earns more than slo-guard, the
     * strongest rule on colocation, and collecting on two threads gives the same chunks as one.
     */
    @Test
    void theOracleDemonstratesBetterThanARuleAndThreadsChangeNothing() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        TrainConfig cfg = TrainConfig.load(TrainTests.config(dir, "o", "vdn", 100, ""));
        int[] f = {ObservationSpec.CORE.size(), ObservationSpec.MEMORY.size(), ObservationSpec.QUOTA.size()};
        Learner learner = Learners.create(cfg.algorithm(), cfg.learner(), f, new int[]{11, 10, 10}, StateEncoder.size(), 1);
        List<Scenario> bases = List.of(Scenarios.resolve(cfg.scenarios().keySet().iterator().next()), Scenarios.builtIn("colocation"));
        Collector c = new Collector(cfg, bases, new double[]{1, 1}, learner.agents(), false);
        int[] colocation = {1};
        var topology = dev.cohort.harness.SimHarness.machine(bases.get(1), 1).topology();
        List<Collector.Episode> oracle = c.demonstrate(3, learner.actorParams(), () -> List.of(Demonstrator.create("oracle", topology)),
                colocation, 1, done -> { });
        List<Collector.Episode> rule = c.demonstrate(3, learner.actorParams(), () -> List.of(Demonstrator.create("slo-guard", topology)),
                colocation, 1, done -> { });
        double oracleReward = 0;
        double ruleReward = 0;
        for (int j = 0; j < 3; j++) {
            assertEquals(rule.get(j).simSeed(), oracle.get(j).simSeed(), "episode " + j + " is the same run for both");
            oracleReward += oracle.get(j).meanReward();
            ruleReward += rule.get(j).meanReward();
        }
        assertTrue(oracleReward > ruleReward, "oracle " + oracleReward + " against slo-guard " + ruleReward);
        List<Collector.Episode> two = c.demonstrate(3, learner.actorParams(), () -> List.of(Demonstrator.create("oracle", topology)),
                colocation, 2, done -> { });
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < oracle.get(j).chunks().size(); k++) {
                Chunk a = oracle.get(j).chunks().get(k);
                Chunk b = two.get(j).chunks().get(k);
                for (int r = 0; r < 3; r++) {
                    assertArrayEquals(a.actions()[r], b.actions()[r], "episode " + j + ", chunk " + k + ": the same levels");
                }
                assertArrayEquals(a.rewards(), b.rewards(), "episode " + j + ", chunk " + k + ": the same rewards");
            }
        }
        List<Collector.Episode> best = c.demonstrate(3, learner.actorParams(),
                () -> Demonstrator.createAll("slo-guard, oracle", topology), colocation, 2, done -> { });
        for (int j = 0; j < 3; j++) {
            assertEquals(Math.max(oracle.get(j).meanReward(), rule.get(j).meanReward()), best.get(j).meanReward(),
                    "episode " + j + ": the better of the two is kept");
        }
    }
}
