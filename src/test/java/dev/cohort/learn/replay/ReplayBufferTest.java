package dev.cohort.learn.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
                true, true);
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

    private static Chunk chunk(int coreAgents, int id) {
        int[] agents = {coreAgents, 1, 0};
        return new Chunk(1, agents, new float[][]{new float[2 * coreAgents], new float[2], new float[0]},
                new float[][]{new float[0], new float[0], new float[0]}, new int[][]{new int[coreAgents], new int[1], new int[0]},
                new float[1], new float[2], id);
    }
}
