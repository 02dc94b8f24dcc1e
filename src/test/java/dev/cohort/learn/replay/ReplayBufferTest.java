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

    private static Chunk chunk(int coreAgents, int id) {
        int[] agents = {coreAgents, 1, 0};
        return new Chunk(1, agents, new float[][]{new float[2 * coreAgents], new float[2], new float[0]},
                new float[][]{new float[0], new float[0], new float[0]}, new int[][]{new int[coreAgents], new int[1], new int[0]},
                new float[1], new float[2], id);
    }
}
