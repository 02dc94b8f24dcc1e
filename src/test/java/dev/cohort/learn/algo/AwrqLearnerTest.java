package dev.cohort.learn.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.learn.env.StateEncoder;
import dev.cohort.learn.replay.Batch;
import dev.cohort.learn.replay.Chunk;
import dev.cohort.learn.replay.RewardScaler;
import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.ObservationSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AWRQ's learner: K heads per role, η from the heads' losses (equal without adaptive weighting), every ablation trains. */
@Tag("pytorch")
class AwrqLearnerTest {
    private static final int[] F = {ObservationSpec.CORE.size(), ObservationSpec.MEMORY.size(), ObservationSpec.QUOTA.size()};
    private static final int[] L = {11, 10, 10};
    private static final int H = 16;
    private static final int T = 5;

    private static LearnerConfig config(AwrqConfig awrq) {
        var d = LearnerConfig.DEFAULT;
        return new LearnerConfig(0.9, 2, 1e-3, 1e-3, 10, 0, H, true, true, 20, 0, 8, 16, awrq, 32, d.logitRegulariser(), 1.0,
                0.8, 1.0);
    }

    /** Random chunks of a host with {@code cores} core agents and one memory agent. */
    private static Batch batch(long seed, int cores) {
        var rng = new SplittableRandom(seed);
        int[] agents = {cores, 1, 0};
        List<Chunk> chunks = new ArrayList<>();
        var scaler = new RewardScaler(true);
        for (int c = 0; c < 6; c++) {
            float[][] obs = new float[3][];
            float[][] hidden = new float[3][];
            int[][] actions = new int[3][];
            for (int r = 0; r < 3; r++) {
                obs[r] = new float[(T + 1) * agents[r] * F[r]];
                for (int i = 0; i < obs[r].length; i++) {
                    obs[r][i] = (float) rng.nextDouble(-1, 1);
                }
                hidden[r] = new float[agents[r] * H];
                actions[r] = new int[T * agents[r]];
                for (int i = 0; i < actions[r].length; i++) {
                    actions[r][i] = rng.nextInt(L[r]);
                }
            }
            float[] rewards = new float[T];
            for (int t = 0; t < T; t++) {
                rewards[t] = (float) rng.nextDouble(-2, 1);
            }
            scaler.observe(rewards);
            float[] state = new float[(T + 1) * StateEncoder.size()];
            chunks.add(new Chunk(T, agents, obs, hidden, actions, rewards, state, 0));
        }
        return new Batch(chunks, F, L, new int[]{H, H, H}, StateEncoder.size(), scaler);
    }

    @Test
    void theHeadsWeighByTheirLossesOrEquallyWithoutAdaptiveWeighting() {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        for (boolean adaptive : new boolean[]{true, false}) {
            var learner = new ValueLearner(Algorithm.AWRQ, config(new AwrqConfig(4, adaptive, true, false)), F, L,
                    StateEncoder.size(), 7);
            assertEquals(4, learner.agents().getFirst().heads());
            UpdateStats s = learner.update(batch(1, 3), new SplittableRandom(1));
            assertTrue(Double.isFinite(s.loss()) && Double.isFinite(s.qMean()), s.toString());
            float[][] eta = learner.lastHeadWeights();
            assertNull(eta[2], "no quota agents in the batch");
            for (int r = 0; r < 2; r++) {
                assertNotNull(eta[r]);
                double sum = 0;
                double min = 1;
                double max = 0;
                for (float e : eta[r]) {
                    sum += e;
                    min = Math.min(min, e);
                    max = Math.max(max, e);
                }
                assertEquals(1.0, sum, 1e-5, "role " + r);
                if (adaptive) {
                    assertTrue(max - min > 1e-4, "the heads' losses differ, so do their weights: role " + r);
                } else {
                    assertEquals(0.25, min, 1e-7);
                    assertEquals(0.25, max, 1e-7);
                }
            }
        }
    }

    @Test
    void everyAblationUpdatesOnBatchesOfDifferentAgentCounts() {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        for (var awrq : List.of(new AwrqConfig(3, true, true, false), new AwrqConfig(3, false, true, false),
                new AwrqConfig(3, true, false, false), new AwrqConfig(3, true, true, true), new AwrqConfig(1, true, true, false))) {
            var learner = new ValueLearner(Algorithm.AWRQ, config(awrq), F, L, StateEncoder.size(), 2);
            for (int u = 0; u < 3; u++) {
                UpdateStats s = learner.update(batch(10 + u, u % 2 == 0 ? 2 : 4), new SplittableRandom(u));
                assertTrue(Double.isFinite(s.loss()) && s.gradNorm() > 0, awrq + ": " + s);
            }
        }
    }
}
