package dev.cohort.learn.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.control.GovernorConfig;
import dev.cohort.control.TickRecord;
import dev.cohort.learn.LearnTests;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MarlEnvTest {

    /** Plays random levels from a seeded stream and records what it saw. */
    private static final class RandomActor implements MarlEnv.Actor {
        final SplittableRandom rng;
        final List<float[]> seen = new ArrayList<>();
        final List<int[]> chosen = new ArrayList<>();

        RandomActor(long seed) {
            rng = new SplittableRandom(seed);
        }

        @Override
        public void act(dev.cohort.policy.Observations obs, dev.cohort.policy.Decision d) {
            List<Integer> all = new ArrayList<>();
            for (Role r : Role.values()) {
                var ro = obs.role(r);
                seen.add(ro.copyOfData());
                for (int a = 0; a < ro.agents(); a++) {
                    d.levels(r)[a] = rng.nextInt(ro.actions().levels());
                    all.add(d.levels(r)[a]);
                }
            }
            chosen.add(all.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private static List<Double> run(Scenario sc, long seed, RandomActor actor, int ticks) {
        MarlEnv env = new MarlEnv(GovernorConfig.EVALUATION);
        env.reset(sc, seed, 1.0);
        List<Double> rewards = new ArrayList<>();
        for (int t = 0; t < ticks; t++) {
            TickRecord r = env.step(actor);
            assertFalse(r.fallback(), "the learner decided");
            rewards.add(r.reward().reward());
        }
        return rewards;
    }

    @Test
    void theEpisodeIsPaidWithTheWeightsItWasGiven() {
        Scenario sc = Scenarios.builtIn("colocation");
        var heavy = new dev.cohort.control.RewardWeights(60, 1, 0.1, 2);
        for (var w : List.of(dev.cohort.control.RewardWeights.DEFAULT, heavy)) {
            MarlEnv env = new MarlEnv(GovernorConfig.EVALUATION, w);
            env.reset(sc, 1234, 1.0);
            RandomActor actor = new RandomActor(5);
            boolean late = false;
            for (int t = 0; t < 40; t++) {
                var terms = env.step(actor).reward();
                late |= terms.latency() > 0;
                double expected = -w.alpha() * terms.latency() - w.beta() * terms.energy() - w.gamma() * terms.stall()
                        + w.delta() * terms.progress();
                assertEquals(expected, terms.reward(), 1e-9, "tick " + t + " with " + w);
            }
            assertTrue(late, "some tick was over the SLO, so α shows");
        }
    }

    @Test
    void sameScenarioSeedAndActionsGiveTheSameEpisode() {
        Scenario sc = Scenarios.builtIn("colocation");
        RandomActor a = new RandomActor(5);
        RandomActor b = new RandomActor(5);
        List<Double> ra = run(sc, 1234, a, 60);
        List<Double> rb = run(sc, 1234, b, 60);
        assertEquals(ra, rb);
        assertEquals(a.seen.size(), b.seen.size());
        for (int i = 0; i < a.seen.size(); i++) {
            assertArrayEquals(a.seen.get(i), b.seen.get(i), "observation " + i);
        }
        List<Double> other = run(sc, 1235, new RandomActor(5), 60);
        assertNotEquals(ra, other, "another simulator seed gives another episode");
    }

    @Test
    void theRewardOfATickIsTheConsequenceOfThePreviousTicksActions() {
        // Two cores with a CPU-bound batch job and no service: the cores' frequency is not step-limited, so the level
        // chosen in tick t is what runs during tick t+1, whose energy the reward of step t+1 carries.
        MarlEnv env = new MarlEnv(GovernorConfig.EVALUATION);
        env.reset(LearnTests.batchOnly(), 1001, 1.0);
        int[] levels = new int[21];
        double[] energy = new double[21];
        for (int t = 0; t < levels.length; t++) {
            int level = (t % 2 == 0) ? 0 : 10;
            levels[t] = level;
            TickRecord rec = env.step((obs, d) -> Arrays.fill(d.levels(Role.CORE), level));
            energy[t] = rec.reward().energy();
        }
        for (int t = 1; t + 1 < levels.length; t++) {
            // energy[t+1] follows levels[t]: the tick after a top-level choice draws more than the tick after a bottom one
            if (levels[t] == 10) {
                assertTrue(energy[t + 1] > 1.5 * energy[t], "tick " + (t + 1) + " after the top level: " + Arrays.toString(energy));
            } else {
                assertTrue(energy[t + 1] < energy[t] / 1.5, "tick " + (t + 1) + " after the bottom level: " + Arrays.toString(energy));
            }
        }
    }

    @Test
    void stateHasAFixedWidthWhateverTheAgents() {
        float[] a = new float[StateEncoder.size()];
        float[] b = new float[StateEncoder.size()];
        for (String name : List.of("diurnal", "membw")) {
            MarlEnv env = new MarlEnv(GovernorConfig.EVALUATION);
            env.reset(Scenarios.builtIn(name), 1000, 1.0);
            env.step((obs, d) -> { });
            StateEncoder.encode(env.observations(), name.equals("diurnal") ? a : b, 0);
        }
        // diurnal has no memory or quota agents: their presence flags are 0; membw has all three roles
        int core = 4;
        int global = dev.cohort.policy.ObservationSpec.GLOBAL.size();
        int memory = core + 2 + 2 * (dev.cohort.policy.ObservationSpec.CORE.size() - global);
        int quota = memory + 2 + 2 * (dev.cohort.policy.ObservationSpec.MEMORY.size() - global);
        assertEquals(1f, a[core]);
        assertEquals(0f, a[memory]);
        assertEquals(0f, a[quota]);
        assertEquals(1f, b[memory]);
        assertEquals(1f, b[quota]);
        assertEquals(16 / 16f, b[core + 1], "16 core agents on membw");
    }
}
