package dev.cohort.learn.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.learn.env.StateEncoder;
import dev.cohort.learn.nn.AgentForward;
import dev.cohort.learn.replay.Batch;
import dev.cohort.learn.replay.Chunk;
import dev.cohort.learn.replay.PairScale;
import dev.cohort.learn.replay.PairScaler;
import dev.cohort.learn.replay.Pairs;
import dev.cohort.learn.replay.RewardScaler;
import dev.cohort.learn.replay.ValueTerm;
import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every algorithm learns a small cooperative game with a known answer, in a second or two: two core agents (one
 * shared network, told apart by their agent id) and a memory agent choose levels once per step, and the shared
 * reward is {@code −(|c0 − 3| + |c1 − 7| + |m − 5|)/10}. From uniformly random play the greedy levels must become
 * 3, 7 and 5.
 */
@Tag("pytorch")
class LearnersLearnTest {
    private static final int[] F = {ObservationSpec.CORE.size(), ObservationSpec.MEMORY.size(), ObservationSpec.QUOTA.size()};
    private static final int[] L = {11, 10, 10};
    private static final int[] TARGET = {3, 7, 5};

    private static float[] observations(int[] agents) {
        // core agents 0 and 1 see only their id; the memory agent sees zeros
        float[] core = new float[agents[0] * F[0]];
        int id = ObservationSpec.CORE.index("agent_id");
        for (int a = 0; a < agents[0]; a++) {
            core[a * F[0] + id] = (float) a / agents[0];
        }
        return core;
    }

    private static List<Chunk> dataset(long seed, int n) {
        var rng = new SplittableRandom(seed);
        int[] agents = {2, 1, 0};
        float[] core = observations(agents);
        List<Chunk> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c0 = rng.nextInt(L[0]);
            int c1 = rng.nextInt(L[0]);
            int m = rng.nextInt(L[1]);
            float r = -(Math.abs(c0 - TARGET[0]) + Math.abs(c1 - TARGET[1]) + Math.abs(m - TARGET[2])) / 10f;
            out.add(play(core, agents, c0, c1, m, r));
        }
        return out;
    }

    /** The game's learner settings, with {@code apart} valued apart and values of degree {@code levelDegree} in the level. */
    private static LearnerConfig gameConfig(List<ValueTerm> apart, int levelDegree) {
        var d = LearnerConfig.DEFAULT;
        return new LearnerConfig(0.5, 1, 3e-3, 3e-3, 10, 0, 32, true, true, 20, 0, 16, 32, new AwrqConfig(4, true, true, false), 64,
                d.logitRegulariser(), 1.0, 0.8, 1.0, apart, levelDegree);
    }

    /** The game's learner settings with paired advantages {@code paired}. */
    private static LearnerConfig pairedConfig(PairedAdvantage paired) {
        var d = gameConfig(List.of(), 0);
        return new LearnerConfig(d.gamma(), d.nStep(), d.lr(), d.criticLr(), d.gradClip(), d.huber(), d.hidden(), d.recurrent(),
                d.doubleQ(), d.targetInterval(), d.tau(), d.mixerEmbed(), d.hypernetHidden(), d.awrq(), d.criticHidden(),
                d.logitRegulariser(), d.gumbelTemperature(), d.demoMargin(), d.demoWeight(), d.valuedApart(), 0, paired);
    }

    /** One step of the game as a one-tick chunk: the core agents' observations twice (this tick and the next). */
    private static Chunk play(float[] core, int[] agents, int c0, int c1, int m, float r) {
        float[] coreObs = new float[2 * core.length];
        System.arraycopy(core, 0, coreObs, 0, core.length);
        System.arraycopy(core, 0, coreObs, core.length, core.length);
        return new Chunk(1, agents, new float[][]{coreObs, new float[2 * F[1]], new float[0]},
                new float[][]{new float[2 * 32], new float[32], new float[0]}, new int[][]{{c0, c1}, {m}, {}},
                new float[]{r}, new float[2 * StateEncoder.size()], 0);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void learnsTheCooperativeGame(Algorithm alg) {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        var d = LearnerConfig.DEFAULT;
        var cfg = new LearnerConfig(0.5, 1, 3e-3, 3e-3, 10, 0, 32, true, true, 20, 0, 16, 32, new AwrqConfig(4, true, true, false), 64,
                d.logitRegulariser(), 1.0, 0.8, 1.0);
        Learner learner = Learners.create(alg, cfg, F, L, StateEncoder.size(), 7);
        List<Chunk> data = dataset(11, 2000);
        var scaler = new RewardScaler(true);
        data.forEach(c -> scaler.observe(c.rewards()));
        var rng = new SplittableRandom(3);
        int updates = alg == Algorithm.MADDPG ? 2000 : 300;
        for (int u = 0; u < updates; u++) {
            List<Chunk> pick = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                pick.add(data.get(rng.nextInt(data.size())));
            }
            learner.update(new Batch(pick, F, L, new int[]{32, 32, 32}, StateEncoder.size(), scaler), rng);
        }
        int[] greedy = new int[3];
        float[] core = observations(new int[]{2, 1, 0});
        var coreNet = new AgentForward(learner.agents().get(0), learner.actorParams());
        float[] q = new float[2 * L[0]];
        coreNet.step(core, 2, new float[2 * 32], q);
        greedy[0] = argmax(q, 0, L[0]);
        greedy[1] = argmax(q, L[0], L[0]);
        var memNet = new AgentForward(learner.agents().get(1), learner.actorParams());
        float[] qm = new float[L[1]];
        memNet.step(new float[F[1]], 1, new float[32], qm);
        greedy[2] = argmax(qm, 0, L[1]);
        assertArrayEquals(TARGET, greedy, alg + " greedy levels");
    }

    /**
     * Terms valued apart (energy here): the reward's rest is only a floor (every level at or above 3, 7 and 5 earns the same) and an
     * energy term a fifth its size per level prefers the lowest levels, so only the two learnt apart and added back
     * together make exactly 3, 7 and 5 greedy.
     */
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"IQL", "VDN", "QMIX", "AWRQ"})
    void energyValuedApartDecidesAmongLevelsTheRestTies(Algorithm alg) {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Learner learner = Learners.create(alg, gameConfig(List.of(ValueTerm.ENERGY), 0), F, L, StateEncoder.size(), 7);
        var rng = new SplittableRandom(11);
        int[] agents = {2, 1, 0};
        float[] core = observations(agents);
        List<Chunk> data = new ArrayList<>();
        // every joint level once: each agent's levels meet the others' alike, so the rest ties exactly where it should
        for (int i = 0; i < L[0] * L[0] * L[1]; i++) {
            int c0 = i % L[0];
            int c1 = i / L[0] % L[0];
            int m = i / (L[0] * L[0]);
            float rest = -(Math.max(0, TARGET[0] - c0) + Math.max(0, TARGET[1] - c1) + Math.max(0, TARGET[2] - m)) / 10f;
            float energy = -(c0 + c1 + m) / 50f;
            float[] coreObs = new float[2 * core.length];
            System.arraycopy(core, 0, coreObs, 0, core.length);
            System.arraycopy(core, 0, coreObs, core.length, core.length);
            data.add(new Chunk(1, agents, new float[][]{coreObs, new float[2 * F[1]], new float[0]},
                    new float[][]{new float[2 * 32], new float[32], new float[0]}, new int[][]{{c0, c1}, {m}, {}},
                    new float[]{rest + energy}, new float[][]{{energy}, {0}}, new float[2 * StateEncoder.size()], 0));
        }
        var restScaler = new RewardScaler(true);
        var termScalers = new RewardScaler[]{new RewardScaler(true), new RewardScaler(true)};
        data.forEach(c -> {
            restScaler.observe(c.rest(List.of(ValueTerm.ENERGY)));
            termScalers[0].observe(c.term(ValueTerm.ENERGY));
        });
        learner.setTermWeights(new double[]{termScalers[0].unit() / restScaler.unit()});
        for (int u = 0; u < 800; u++) {
            List<Chunk> pick = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                pick.add(data.get(rng.nextInt(data.size())));
            }
            learner.update(new Batch(pick, F, L, new int[]{32, 32, 32}, StateEncoder.size(), restScaler, List.of(ValueTerm.ENERGY),
                    termScalers, 0), rng);
        }
        float[] q = new float[2 * L[0]];
        new AgentForward(learner.agents().get(0), learner.actorParams()).step(core, 2, new float[2 * 32], q);
        float[] qm = new float[L[1]];
        new AgentForward(learner.agents().get(1), learner.actorParams()).step(new float[F[1]], 1, new float[32], qm);
        assertArrayEquals(TARGET, new int[]{argmax(q, 0, L[0]), argmax(q, L[0], L[0]), argmax(qm, 0, L[1])}, alg + " greedy levels");
    }

    /**
     * DQfD's margin: when every chunk is a demonstration and the reward says nothing (always 0), the value learners'
     * greedy levels become the demonstrated ones.
     */
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"IQL", "VDN", "QMIX", "AWRQ"})
    void marginLossMakesTheDemonstratedLevelsGreedy(Algorithm alg) {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        var d = LearnerConfig.DEFAULT;
        var cfg = new LearnerConfig(0.5, 1, 3e-3, 3e-3, 10, 0, 32, true, true, 20, 0, 16, 32, new AwrqConfig(4, true, true, false), 64,
                d.logitRegulariser(), 1.0, 0.8, 1.0);
        Learner learner = Learners.create(alg, cfg, F, L, StateEncoder.size(), 7);
        int[] agents = {2, 1, 0};
        float[] core = observations(agents);
        int[] shown = {2, 9, 4};
        List<Chunk> demos = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            float[] coreObs = new float[2 * core.length];
            System.arraycopy(core, 0, coreObs, 0, core.length);
            System.arraycopy(core, 0, coreObs, core.length, core.length);
            demos.add(new Chunk(1, agents, new float[][]{coreObs, new float[2 * F[1]], new float[0]},
                    new float[][]{new float[2 * 32], new float[32], new float[0]}, new int[][]{{shown[0], shown[1]}, {shown[2]}, {}},
                    new float[]{0}, new float[2 * StateEncoder.size()], 0));
        }
        var scaler = new RewardScaler(true);
        var rng = new SplittableRandom(5);
        for (int u = 0; u < 300; u++) {
            learner.update(new Batch(demos, F, L, new int[]{32, 32, 32}, StateEncoder.size(), scaler, demos.size()), rng);
        }
        float[] q = new float[2 * L[0]];
        new AgentForward(learner.agents().get(0), learner.actorParams()).step(core, 2, new float[2 * 32], q);
        float[] qm = new float[L[1]];
        new AgentForward(learner.agents().get(1), learner.actorParams()).step(new float[F[1]], 1, new float[32], qm);
        assertArrayEquals(shown, new int[]{argmax(q, 0, L[0]), argmax(q, L[0], L[0]), argmax(qm, 0, L[1])}, alg + " greedy levels");
    }

    /**
     * Values polynomial in the level ({@code levelDegree} 2): on the game with a quadratic reward
     * {@code −((c0 − 3)² + (c1 − 7)² + (m − 5)²)/50}, from random play with noise about the size of a level's step near the peak,
     * each agent's values of its levels are a quadratic (third differences nil) that peaks at its own level: the two
     * core agents share one network and still want different levels, so the coefficients follow what the agent observes.
     */
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"IQL", "VDN", "QMIX", "AWRQ"})
    void valuesPolynomialInTheLevelPeakWhereEachAgentShould(Algorithm alg) {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Learner learner = Learners.create(alg, gameConfig(List.of(), 2), F, L, StateEncoder.size(), 7);
        var rng = new SplittableRandom(5);
        int[] agents = {2, 1, 0};
        float[] core = observations(agents);
        List<Chunk> data = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int c0 = rng.nextInt(L[0]);
            int c1 = rng.nextInt(L[0]);
            int m = rng.nextInt(L[1]);
            double sq = Math.pow(c0 - TARGET[0], 2) + Math.pow(c1 - TARGET[1], 2) + Math.pow(m - TARGET[2], 2);
            data.add(play(core, agents, c0, c1, m, (float) (-sq / 50 + rng.nextDouble(-0.5, 0.5))));
        }
        float[][] values = trainOn(learner, data, 400, rng);
        float[] q = values[0];
        float[] qm = values[1];
        assertArrayEquals(TARGET, new int[]{argmax(q, 0, L[0]), argmax(q, L[0], L[0]), argmax(qm, 0, L[1])}, alg + " greedy levels: "
                + java.util.Arrays.toString(q));
        for (float[] row : new float[][]{java.util.Arrays.copyOfRange(q, 0, L[0]), java.util.Arrays.copyOfRange(q, L[0], 2 * L[0]), qm}) {
            double spread = 0;
            for (float v : row) {
                spread = Math.max(spread, Math.abs(v - row[0]));
            }
            for (int a = 0; a + 3 < row.length; a++) {
                double third = row[a + 3] - 3 * row[a + 2] + 3 * row[a + 1] - row[a];
                org.junit.jupiter.api.Assertions.assertEquals(0, third, 1e-3 * spread, alg + ": not a quadratic in the level: "
                        + java.util.Arrays.toString(row));
            }
        }
    }

    /**
     * Paired advantages with the levels' differences learnt from the pairs alone: the game's reward carries noise fifty
     * times a level's step (uniform ±5 against 0.1), as misses drown the energy a level saves, and one play in ten also
     * carries one agent's paired difference, the noiseless change of the reward had that agent tried another level.
     * From 2 000 plays and 300 updates the greedy levels become 3, 7 and 5. (With the paired loss only added to the TD
     * loss at the same weight, every learner misses a level: {@code docs/training.md} §4, "Paired advantages".)
     */
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"IQL", "VDN", "QMIX", "AWRQ"})
    void pairedAdvantagesFindTheLevelsTheNoiseHides(Algorithm alg) {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Learner learner = Learners.create(alg, pairedConfig(new PairedAdvantage(1, 1, 1, true)), F, L, StateEncoder.size(), 7);
        var rng = new SplittableRandom(13);
        List<Chunk> data = pairedGame(rng, 5, 3);
        float[][] values = trainOn(learner, data, 300, rng);
        float[] q = values[0];
        float[] qm = values[1];
        assertArrayEquals(TARGET, new int[]{argmax(q, 0, L[0]), argmax(q, L[0], L[0]), argmax(qm, 0, L[1])}, alg + " greedy levels: "
                + java.util.Arrays.toString(q));
    }

    /**
     * Pairs for the core agents only ({@code roles: [core]}) with {@code alone}: the core agents' levels' differences come
     * from their pairs, and the memory agent, which has none, still learns its level from the TD loss. The reward is the
     * game's with a little noise (±0.05, half a level's step), and one play in ten carries a core agent's pair. With the
     * pairs alone for every role the memory agent's differences would have nothing to learn from, and its greedy level
     * is not the game's.
     */
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"IQL", "VDN", "QMIX", "AWRQ"})
    void pairsForTheCoreAgentsOnlyLeaveTheOtherRolesToTheTdLoss(Algorithm alg) {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        int[] memoryGreedy = new int[2];
        double[] memoryFit = new double[2];
        for (boolean coreOnly : new boolean[]{true, false}) {
            var roles = coreOnly ? java.util.EnumSet.of(Role.CORE) : java.util.EnumSet.allOf(Role.class);
            var paired = new PairedAdvantage(1, 1, 1, true, PairScale.REWARD, false, java.util.Map.of(), false, false, 0, roles);
            Learner learner = Learners.create(alg, pairedConfig(paired), F, L, StateEncoder.size(), 7);
            var rng = new SplittableRandom(13);
            List<Chunk> data = pairedGame(rng, 0.05, 2);
            float[][] values = trainOn(learner, data, 300, rng);
            float[] q = values[0];
            assertArrayEquals(new int[]{TARGET[0], TARGET[1]}, new int[]{argmax(q, 0, L[0]), argmax(q, L[0], L[0])},
                    alg + (coreOnly ? " core only" : " every role") + ": the core agents' greedy levels, from their pairs");
            memoryGreedy[coreOnly ? 0 : 1] = argmax(values[1], 0, L[1]);
            memoryFit[coreOnly ? 0 : 1] = orderFit(values[1]);
        }
        assertEquals(TARGET[2], memoryGreedy[0], alg + ": with pairs for the core agents only, the memory agent learns from TD");
        assertTrue(memoryFit[0] > 0.9, alg + ": its values follow the game's order: " + memoryFit[0]);
        assertTrue(memoryFit[1] < 0.5, alg + ": with pairs alone for every role, the memory agent's values learn no order: "
                + memoryFit[1]);
    }

    /**
     * Pairs scaled per scenario: two scenarios the core agents tell apart by their utilisation, a loud one whose pairs are
     * a hundred times the quiet one's per level and noisy (as a miss's cost against a level's energy), wanting levels 8
     * and 1, and a quiet one wanting 3 and 7, its pairs exact but a thousandth of a level's step in size. The rewards
     * carry only noise. With each scenario's pairs divided by their own size, the core agents' greedy levels are the
     * quiet scenario's where they see it and the loud one's where they see that (on the reward's scale the quiet
     * scenario's order is lost: {@code docs/training.md} §4, "Scale").
     */
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"IQL", "VDN", "QMIX", "AWRQ"})
    void pairsScaledPerScenarioKeepTheQuietScenariosOrder(Algorithm alg) {
        quietOrderKept(alg, PairScale.SCENARIO);
    }

    /**
     * Pairs scaled per state: the same two kinds of state, now in one scenario, the loud one near the SLO (slack 0.1) and
     * the quiet one with room (slack 0.8), as a level's worth differs within a scenario. Per scenario the quiet states'
     * pairs would be a thousandth of the scale; divided per slack bucket, both orders are kept.
     */
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"IQL", "VDN", "QMIX", "AWRQ"})
    void pairsScaledPerStateKeepTheQuietStatesOrder(Algorithm alg) {
        quietOrderKept(alg, PairScale.STATE);
    }

    private void quietOrderKept(Algorithm alg, PairScale mode) {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Learner learner = Learners.create(alg, pairedConfig(new PairedAdvantage(1, 1, 1, true, mode)), F, L, StateEncoder.size(), 7);
        var rng = new SplittableRandom(17);
        int[] agents = {2, 1, 0};
        int[][] want = {{3, 7}, {8, 1}};
        double[] size = {0.001, 0.1};
        float[][] seen = {observations(agents), observations(agents)};
        int util = ObservationSpec.CORE.index("util");
        int slack = ObservationSpec.CORE.index("lc_slack");
        for (int a = 0; a < 2; a++) {
            seen[1][a * F[0] + util] = 1;
            seen[0][a * F[0] + slack] = 0.8f;
            seen[1][a * F[0] + slack] = 0.1f;
        }
        List<Chunk> data = new ArrayList<>();
        PairScaler pairScaler = new PairScaler();
        for (int i = 0; i < 2000; i++) {
            int sc = i % 2;
            int[] lv = {rng.nextInt(L[0]), rng.nextInt(L[0])};
            int who = rng.nextInt(2);
            int tried = (lv[who] + 1 + rng.nextInt(L[0] - 1)) % L[0];
            double gap = size[sc] * (Math.abs(lv[who] - want[sc][who]) - Math.abs(tried - want[sc][who]))
                    + (sc == 1 ? rng.nextDouble(-0.3, 0.3) : 0);
            Chunk c = corePaired(seen[sc], lv, who, tried, gap, mode == PairScale.STATE ? 0 : sc, rng);
            pairScaler.observe(c);
            data.add(c);
        }
        train(learner, data, 300, rng, pairScaler, mode, false);
        for (int sc = 0; sc < 2; sc++) {
            float[] q = values(learner, seen[sc])[0];
            assertArrayEquals(want[sc], new int[]{argmax(q, 0, L[0]), argmax(q, L[0], L[0])}, alg + ", " + mode + ", state "
                    + sc + ": greedy core levels " + java.util.Arrays.toString(q));
        }
    }

    /**
     * Pairs balanced over scenarios ({@code balance: scenarios}): two scenarios the agents cannot tell apart, one drawn nine
     * times in ten whose pairs want levels 3 and 7, and a rare one whose pairs, three times the size, want 8 and 1. Every
     * pair weighed alike, the fit follows the frequent scenario (0.9 × 1 against 0.1 × 3 per level); with each scenario's
     * pairs weighed by their rarity, the rare one's larger worth decides (0.5 × 1 against 0.5 × 3). As a frequency
     * agent's {@code steady}, a fourteenth of the episodes, shares light-load states with the loud scenarios. (The
     * levels the two scenarios want are five apart; each greedy level is asked to be within one of its answer, after 800
     * updates: weighed up, the rare scenario's large errors are clipped more, and 400 left the balanced fit at 7 and 4.)
     */
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"AWRQ"}) // the weights are in the paired loss every value learner shares
    void pairsBalancedOverScenariosLetTheRareScenarioCountAlike(Algorithm alg) {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        int[][] want = {{3, 7}, {8, 1}};
        for (boolean balanced : new boolean[]{false, true}) {
            var paired = new PairedAdvantage(1, 1, 1, true, PairScale.REWARD, false, java.util.Map.of(), balanced);
            Learner learner = Learners.create(alg, pairedConfig(paired), F, L, StateEncoder.size(), 7);
            var rng = new SplittableRandom(19);
            int[] agents = {2, 1, 0};
            float[] seen = observations(agents);
            List<Chunk> data = new ArrayList<>();
            PairScaler pairScaler = new PairScaler();
            for (int i = 0; i < 2000; i++) {
                int sc = i % 10 == 0 ? 1 : 0;
                int[] lv = {rng.nextInt(L[0]), rng.nextInt(L[0])};
                int who = rng.nextInt(2);
                int tried = (lv[who] + 1 + rng.nextInt(L[0] - 1)) % L[0];
                double gap = (sc == 1 ? 3 : 1) * (Math.abs(lv[who] - want[sc][who]) - Math.abs(tried - want[sc][who]));
                Chunk c = corePaired(seen, lv, who, tried, gap, sc, rng);
                pairScaler.observe(c);
                data.add(c);
            }
            train(learner, data, 800, rng, pairScaler, PairScale.REWARD, balanced);
            float[] q = values(learner, seen)[0];
            int[] greedy = {argmax(q, 0, L[0]), argmax(q, L[0], L[0])};
            int[] expect = want[balanced ? 1 : 0];
            for (int a = 0; a < 2; a++) { // a kink of |level − want| is fitted to within a level in 400 updates
                assertTrue(Math.abs(greedy[a] - expect[a]) <= 1, alg + (balanced ? ", balanced" : ", every pair alike")
                        + ": greedy core levels " + java.util.Arrays.toString(greedy) + ", wanted " + java.util.Arrays.toString(expect)
                        + " (the other scenario's " + java.util.Arrays.toString(want[balanced ? 0 : 1]) + ")");
            }
        }
    }

    /**
     * Energy valued apart with pairs alone: each pair in two parts ({@link Batch#energyGaps}). The rest says a level
     * under 4 costs 0.2 per level short and is flat above (a miss below 4, none above); the energy part says every level
     * costs 0.05 more than the one under it. Each part alone would pick anywhere from 4 to 10 and 0; the served values,
     * the rest's group plus the energy's weighed by the units' ratio, pick 4 for both core agents, so both groups were
     * learnt, each from its own part, and added in one unit. The rewards carry only noise, ten times the rest's steps.
     */
    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"IQL", "VDN", "QMIX", "AWRQ"})
    void pairsInPartsAddTheEnergyToTheRest(Algorithm alg) {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        var d = pairedConfig(new PairedAdvantage(1, 1, 1, true, PairScale.STATE));
        var cfg = new LearnerConfig(d.gamma(), d.nStep(), d.lr(), d.criticLr(), d.gradClip(), d.huber(), d.hidden(), d.recurrent(),
                d.doubleQ(), d.targetInterval(), d.tau(), d.mixerEmbed(), d.hypernetHidden(), d.awrq(), d.criticHidden(),
                d.logitRegulariser(), d.gumbelTemperature(), d.demoMargin(), d.demoWeight(), List.of(ValueTerm.ENERGY), 0,
                d.paired());
        assertTrue(cfg.pairsInParts());
        Learner learner = Learners.create(alg, cfg, F, L, StateEncoder.size(), 7);
        var rng = new SplittableRandom(17);
        int[] agents = {2, 1, 0};
        float[] core = observations(agents);
        java.util.function.IntToDoubleFunction rest = level -> level < 4 ? -0.2 * (4 - level) : 0;
        java.util.function.IntToDoubleFunction energy = level -> -0.05 * level;
        List<Chunk> data = new ArrayList<>();
        var restScaler = new RewardScaler(true);
        var energyScaler = new RewardScaler(true);
        var rest0 = new PairScaler();
        var energy0 = new PairScaler();
        for (int i = 0; i < 2000; i++) {
            int[] lv = {rng.nextInt(L[0]), rng.nextInt(L[0])};
            int who = rng.nextInt(2);
            int tried = (lv[who] + 1 + rng.nextInt(L[0] - 1)) % L[0];
            float e = (float) (energy.applyAsDouble(lv[0]) + energy.applyAsDouble(lv[1]));
            Chunk plain = play(core, agents, lv[0], lv[1], 0, (float) (e + rng.nextDouble(-2, 2)));
            float[][] terms = new float[ValueTerm.values().length][1];
            terms[ValueTerm.ENERGY.ordinal()][0] = e;
            Pairs pairs = Pairs.none(3);
            pairs.tried()[0] = new int[]{-1, -1};
            pairs.tried()[0][who] = tried;
            pairs.gap()[0] = new float[2];
            pairs.energy()[0] = new float[2];
            pairs.energy()[0][who] = (float) (energy.applyAsDouble(tried) - energy.applyAsDouble(lv[who]));
            pairs.gap()[0][who] = pairs.energy()[0][who] + (float) (rest.applyAsDouble(tried) - rest.applyAsDouble(lv[who]));
            Chunk c = new Chunk(1, agents, plain.obs(), plain.hidden(), plain.actions(), plain.rewards(), terms,
                    plain.state(), 0, Chunk.noCredit(3), pairs);
            restScaler.observe(c.rest(cfg.valuedApart()));
            energyScaler.observe(terms[ValueTerm.ENERGY.ordinal()]);
            rest0.observe(c, Pairs.Part.REST);
            energy0.observe(c, Pairs.Part.ENERGY);
            data.add(c);
        }
        RewardScaler[] termScalers = new RewardScaler[ValueTerm.values().length];
        java.util.Arrays.setAll(termScalers, t -> t == ValueTerm.ENERGY.ordinal() ? energyScaler : new RewardScaler(true));
        learner.setTermWeights(new double[]{energyScaler.unit() / restScaler.unit()});
        for (int u = 0; u < 400; u++) {
            List<Chunk> pick = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                pick.add(data.get(rng.nextInt(data.size())));
            }
            learner.update(new Batch(pick, F, L, new int[]{32, 32, 32}, StateEncoder.size(), restScaler, cfg.valuedApart(),
                    termScalers, 0, java.util.Collections.nCopies(3, PairScale.STATE).toArray(PairScale[]::new), new PairScaler(),
                    false, new Batch.PairParts(rest0, energy0)), rng);
        }
        float[] q = values(learner, core)[0];
        assertArrayEquals(new int[]{4, 4}, new int[]{argmax(q, 0, L[0]), argmax(q, L[0], L[0])},
                alg + ": the served values " + java.util.Arrays.toString(q));
    }

    /**
     * A play of two core agents at levels {@code lv} seeing {@code core}, its reward noise alone, with core agent
     * {@code who} branched at {@code tried} for {@code gap}, from training scenario {@code scenario}.
     */
    private static Chunk corePaired(float[] core, int[] lv, int who, int tried, double gap, int scenario, SplittableRandom rng) {
        int[] agents = {2, 1, 0};
        Chunk plain = play(core, agents, lv[0], lv[1], 0, (float) rng.nextDouble(-5, 5));
        Pairs pairs = Pairs.none(3);
        pairs.tried()[0] = new int[]{-1, -1};
        pairs.gap()[0] = new float[2];
        pairs.tried()[0][who] = tried;
        pairs.gap()[0][who] = (float) gap;
        return new Chunk(1, agents, plain.obs(), plain.hidden(), plain.actions(), plain.rewards(), plain.terms(),
                plain.state(), scenario, Chunk.noCredit(3), pairs);
    }

    /** The correlation of the memory agent's values {@code qm} with the game's −|m − 5| over its levels. */
    private static double orderFit(float[] qm) {
        double[] want = new double[L[1]];
        for (int l = 0; l < L[1]; l++) {
            want[l] = -Math.abs(l - TARGET[2]);
        }
        double mq = 0;
        double mw = 0;
        for (int l = 0; l < L[1]; l++) {
            mq += qm[l] / (double) L[1];
            mw += want[l] / L[1];
        }
        double c = 0;
        double vq = 0;
        double vw = 0;
        for (int l = 0; l < L[1]; l++) {
            c += (qm[l] - mq) * (want[l] - mw);
            vq += (qm[l] - mq) * (qm[l] - mq);
            vw += (want[l] - mw) * (want[l] - mw);
        }
        return c / Math.sqrt(vq * vw + 1e-30);
    }

    /**
     * 2 000 plays of the game at random levels, each reward with uniform noise of ±{@code noise}; one play in ten also
     * carries the paired difference of one of the first {@code branched} agents (core 0, core 1, memory) at another level.
     */
    private static List<Chunk> pairedGame(SplittableRandom rng, double noise, int branched) {
        int[] agents = {2, 1, 0};
        float[] core = observations(agents);
        List<Chunk> data = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int[] lv = {rng.nextInt(L[0]), rng.nextInt(L[0]), rng.nextInt(L[1])};
            Chunk plain = play(core, agents, lv[0], lv[1], lv[2], (float) (value(lv) + rng.nextDouble(-noise, noise)));
            if (i % 10 != 0) { // one play in ten branched, as collection branches one agent every few ticks
                data.add(plain);
                continue;
            }
            int who = rng.nextInt(branched);
            int levels = who < 2 ? L[0] : L[1];
            int tried = (lv[who] + 1 + rng.nextInt(levels - 1)) % levels;
            int[] other = lv.clone();
            other[who] = tried;
            Pairs pairs = Pairs.none(3);
            int role = who < 2 ? 0 : 1;
            pairs.tried()[role] = role == 0 ? new int[]{-1, -1} : new int[]{-1};
            pairs.gap()[role] = new float[pairs.tried()[role].length];
            pairs.tried()[role][who % 2] = tried;
            pairs.gap()[role][who % 2] = (float) (value(other) - value(lv));
            data.add(new Chunk(1, agents, plain.obs(), plain.hidden(), plain.actions(), plain.rewards(), plain.terms(),
                    plain.state(), 0, Chunk.noCredit(3), pairs));
        }
        return data;
    }

    /** The game's noiseless reward of the levels {@code lv} (core 0, core 1, memory). */
    private static double value(int[] lv) {
        return -(Math.abs(lv[0] - TARGET[0]) + Math.abs(lv[1] - TARGET[1]) + Math.abs(lv[2] - TARGET[2])) / 10.0;
    }

    /**
     * {@code updates} updates on batches of 64 plays drawn from {@code data}, rewards standardised over all of it (pairs
     * scaled by {@code pairScaler} when given); then the two core agents' values (one array, agent after agent) and the
     * memory agent's.
     */
    private static float[][] trainOn(Learner learner, List<Chunk> data, int updates, SplittableRandom rng) {
        train(learner, data, updates, rng, null, PairScale.REWARD, false);
        return values(learner, observations(new int[]{2, 1, 0}));
    }

    private static void train(Learner learner, List<Chunk> data, int updates, SplittableRandom rng, PairScaler pairScaler,
                              PairScale mode, boolean balanced) {
        var scaler = new RewardScaler(true);
        data.forEach(c -> scaler.observe(c.rewards()));
        for (int u = 0; u < updates; u++) {
            List<Chunk> pick = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                pick.add(data.get(rng.nextInt(data.size())));
            }
            learner.update(new Batch(pick, F, L, new int[]{32, 32, 32}, StateEncoder.size(), scaler, List.of(),
                    new RewardScaler[0], 0, java.util.Collections.nCopies(3, mode).toArray(PairScale[]::new), pairScaler,
                    balanced), rng);
        }
    }

    /** The two core agents' values with observations {@code core} (agent after agent), and the memory agent's. */
    private static float[][] values(Learner learner, float[] core) {
        float[] q = new float[2 * L[0]];
        new AgentForward(learner.agents().get(0), learner.actorParams()).step(core, 2, new float[2 * 32], q);
        float[] qm = new float[L[1]];
        new AgentForward(learner.agents().get(1), learner.actorParams()).step(new float[F[1]], 1, new float[32], qm);
        return new float[][]{q, qm};
    }

    private static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
