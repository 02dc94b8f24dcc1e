package dev.cohort.learn.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cohort.learn.env.EpisodeDraw;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Batches of one machine size ({@code learning.batchByAgents}) still draw every chunk alike. */
class ReplayBufferTest {
    @Test
    void sameAgentBatchesShareTheirAgentCountsAndDrawEveryChunkAlike() {
        ReplayBuffer b = new ReplayBuffer(100);
        for (int i = 0; i < 12; i++) { // 3 chunks of a 32-core machine, 9 of a 4-core one
            b.add(chunk(i < 3 ? 32 : 4, i));
        }
        SplittableRandom rng = new SplittableRandom(9);
        int[] drawn = new int[12];
        int batches = 6000;
        for (int k = 0; k < batches; k++) {
            List<Chunk> batch = b.sampleSameAgents(8, rng);
            assertEquals(8, batch.size());
            for (Chunk c : batch) {
                assertArrayEquals(batch.getFirst().agents(), c.agents(), "one machine size per batch");
                drawn[c.scenario()]++;
            }
        }
        double each = batches * 8 / 12.0;
        for (int i = 0; i < 12; i++) {
            assertEquals(each, drawn[i], 0.1 * each, "chunk " + i + " is drawn as often as any other");
        }
    }

    @Test
    void agentsCreditSurvivesACheckpointAndReachesTheBatchScaledLikeTheReward() throws Exception {
        int[] agents = {2, 1, 0};
        float[][] credit = Chunk.noCredit(3);
        credit[0] = new float[]{0.5f, -0.25f, 1, 2}; // 2 steps × 2 core agents
        Chunk c = new Chunk(2, agents, new float[][]{new float[3 * 2], new float[3], new float[0]},
                new float[][]{new float[0], new float[0], new float[0]}, new int[][]{new int[4], new int[2], new int[0]},
                new float[]{-1, -3}, new float[ValueTerm.values().length][2], new float[3], 0, credit);
        ReplayBuffer b = new ReplayBuffer(4);
        b.add(c);
        var bytes = new java.io.ByteArrayOutputStream();
        b.write(new java.io.DataOutputStream(bytes));
        ReplayBuffer back = ReplayBuffer.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())),
                true, true, true, true, true);
        Chunk read = back.sampleSameAgents(1, new SplittableRandom(1)).getFirst();
        assertArrayEquals(credit[0], read.credit()[0]);
        assertEquals(0, read.credit()[1].length);
        RewardScaler scaler = new RewardScaler(true);
        scaler.observe(new float[]{-1, -3, 1, 3});
        Chunk plain = new Chunk(2, agents, new float[][]{new float[3 * 2], new float[3], new float[0]},
                new float[][]{new float[0], new float[0], new float[0]}, new int[][]{new int[4], new int[2], new int[0]},
                new float[2], new float[3], 1);
        Batch batch = new Batch(List.of(read, plain), new int[]{1, 1, 1}, new int[]{2, 2, 2}, new int[]{0, 0, 0}, 1, scaler);
        float unit = (float) scaler.unit();
        assertArrayEquals(new float[]{0.5f / unit, -0.25f / unit, 1 / unit, 2 / unit, 0, 0, 0, 0}, batch.credit[0], 1e-6f,
                "a difference in reward is scaled by the reward's scale; a chunk without credit adds none");
        assertEquals(null, batch.credit[1], "no chunk credits the memory agents");
    }

    @Test
    void pairedAdvantagesSurviveACheckpointAndReachTheBatchAsSignedLevelsScaledLikeTheReward() throws Exception {
        int[] agents = {2, 1, 0};
        Pairs none = Pairs.none(3);
        Pairs pairs = new Pairs(none.tried(), none.gap(), none.energy(), 0.3f); // the episode's gaps' root mean square
        pairs.tried()[0] = new int[]{-1, 4, -1, -1}; // 2 steps × 2 core agents: agent 1 branched at level 4 in step 0
        pairs.gap()[0] = new float[]{0, 0.6f, 0, 0};
        pairs.tried()[1] = new int[]{-1, 0}; // the memory agent branched at level 0 in step 1
        pairs.gap()[1] = new float[]{0, -1.2f};
        pairs.energy()[1] = new float[]{0, 0.05f}; // the level tried saved energy; the rest of its gap was a miss's cost
        Chunk c = new Chunk(2, agents, new float[][]{new float[3 * 2], new float[3], new float[0]},
                new float[][]{new float[0], new float[0], new float[0]}, new int[][]{{1, 2, 3, 1}, {1, 1}, new int[0]},
                new float[]{-1, -3}, new float[ValueTerm.values().length][2], new float[3], 0, Chunk.noCredit(3), pairs,
                new EpisodeDraw(false, 0, 2, 2).code());
        assertEquals(2, c.pairs().count());
        ReplayBuffer b = new ReplayBuffer(4);
        b.add(c);
        var bytes = new java.io.ByteArrayOutputStream();
        b.write(new java.io.DataOutputStream(bytes));
        Chunk read = ReplayBuffer.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())),
                true, true, true, true, true).sampleSameAgents(1, new SplittableRandom(1)).getFirst();
        assertArrayEquals(pairs.tried()[0], read.pairs().tried()[0]);
        assertArrayEquals(pairs.gap()[1], read.pairs().gap()[1]);
        assertEquals(0.05f, read.pairs().energy(1, 1), "the energy part of a gap survives the checkpoint");
        assertEquals(-1.25f, read.pairs().rest(1, 1), 1e-6f);
        assertEquals(0, read.pairs().energy(0, 1), "a role whose energy parts were not kept has none");
        assertEquals(0, read.pairs().tried()[2].length);
        assertEquals(0.3f, read.pairs().episode());
        assertEquals(new EpisodeDraw(false, 0, 2, 2), EpisodeDraw.decode(read.draw()), "the episode's draw survives the checkpoint");
        RewardScaler scaler = new RewardScaler(true);
        scaler.observe(new float[]{-1, -3, 1, 3});
        float unit = (float) scaler.unit();
        Batch batch = new Batch(List.of(read), new int[]{1, 1, 1}, new int[]{5, 5, 5}, new int[]{0, 0, 0}, 1, scaler);
        assertEquals(2, batch.pairCount);
        float[] coreSigns = new float[2 * 2 * 5];
        coreSigns[5 + 4] = 1; // step 0, agent 1: +1 at the level tried, −1 at the level taken (2)
        coreSigns[5 + 2] = -1;
        assertArrayEquals(coreSigns, batch.pairSigns[0]);
        assertArrayEquals(new float[]{0, 0.6f / unit, 0, 0}, batch.pairGaps[0], 1e-6f, "scaled like the reward");
        assertArrayEquals(new float[]{0, 1, 0, 0}, batch.pairMask[0]);
        assertArrayEquals(new float[]{0, -1.2f / unit}, batch.pairGaps[1], 1e-6f);
        assertEquals(null, batch.pairSigns[2], "no quota agent was branched");
        PairScaler pairScaler = new PairScaler();
        pairScaler.observe(0, read.pairs());
        Batch byEpisode = new Batch(List.of(read), new int[]{1, 1, 1}, new int[]{5, 5, 5}, new int[]{0, 0, 0}, 1, scaler, List.of(),
                new RewardScaler[0], 0, PairScale.EPISODE, pairScaler);
        assertArrayEquals(new float[]{0, 0.6f / 0.3f, 0, 0}, byEpisode.pairGaps[0], 1e-6f, "divided by the episode's size");
        Batch byScenario = new Batch(List.of(read), new int[]{1, 1, 1}, new int[]{5, 5, 5}, new int[]{0, 0, 0}, 1, scaler, List.of(),
                new RewardScaler[0], 0, PairScale.SCENARIO, pairScaler);
        float rms = (float) Math.sqrt((0.36 + 1.44) / 2);
        assertArrayEquals(new float[]{0, -1.2f / rms}, byScenario.pairGaps[1], 1e-6f, "divided by the (run's, so far) size");
        Batch perRole = new Batch(List.of(read), new int[]{1, 1, 1}, new int[]{5, 5, 5}, new int[]{0, 0, 0}, 1, scaler, List.of(),
                new RewardScaler[0], 0, new PairScale[]{PairScale.REWARD, PairScale.SCENARIO, PairScale.SCENARIO}, pairScaler);
        assertArrayEquals(batch.pairGaps[0], perRole.pairGaps[0], "the frequency agents' pairs on the reward's scale");
        assertArrayEquals(byScenario.pairGaps[1], perRole.pairGaps[1], "the memory agents' on their scenario's");
        Chunk old = new Chunk(2, agents, c.obs(), c.hidden(), c.actions(), c.rewards(), c.terms(), c.state(), 0, Chunk.noCredit(3));
        assertEquals(0, new Batch(List.of(old), new int[]{1, 1, 1}, new int[]{5, 5, 5}, new int[]{0, 0, 0}, 1, scaler).pairCount);
    }

    private static Chunk chunk(int coreAgents, int id) {
        int[] agents = {coreAgents, 1, 0};
        return new Chunk(1, agents, new float[][]{new float[2 * coreAgents], new float[2], new float[0]},
                new float[][]{new float[0], new float[0], new float[0]}, new int[][]{new int[coreAgents], new int[1], new int[0]},
                new float[1], new float[2], id);
    }
}
