package dev.cohort.learn.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ReturnsTest {
    @Test
    void nStepTargetsBootstrapSoonerAtTheEndOfAChunk() {
        // one chunk of 4 steps, one value per step; next[t] is the value of the state after step t
        float[] r = {1, 2, 3, 4};
        float[] next = {10, 20, 30, 40};
        double g = 0.5;
        float[] y = Returns.nStep(r, next, 1, 4, 1, g, 3);
        assertArrayEquals(new float[]{
                (float) (1 + g * 2 + g * g * 3 + g * g * g * 30),   // r0 + γ r1 + γ² r2 + γ³ V(s3)
                (float) (2 + g * 3 + g * g * 4 + g * g * g * 40),
                (float) (3 + g * 4 + g * g * 40),                   // two steps left: bootstraps from V(s4)
                (float) (4 + g * 40)}, y, 1e-5f);
        assertArrayEquals(new float[]{(float) (1 + g * 10), (float) (2 + g * 20), (float) (3 + g * 30), (float) (4 + g * 40)},
                Returns.nStep(r, next, 1, 4, 1, g, 1), 1e-6f, "n = 1 is plain TD");
    }

    @Test
    void perAgentValuesShareTheReward() {
        float[] r = {1, 1};
        float[] next = {2, 4, 6, 8}; // [T=2, agents=2]
        assertArrayEquals(new float[]{2, 3, 4, 5}, Returns.nStep(r, next, 1, 2, 2, 0.5, 1), 1e-6f);
    }

    @Test
    void eachAgentsCreditJoinsItsOwnTargetsAndNoOneElses() {
        // T = 2 steps, 2 agents with K = 2 heads each: per step [a0h0, a0h1, a1h0, a1h1]
        float[] r = {1, 1};
        float[] credit = {0.5f, -1, 0.25f, 0}; // [T=2, agents=2]
        float[] next = new float[8];
        float[] y = Returns.nStep(r, credit, 2, next, 1, 2, 4, 0.5, 2);
        // step 0: 1 + 0.5·1 plus the agent's own 0.5 + 0.5·0.25 (agent 0) or −1 + 0.5·0 (agent 1)
        assertArrayEquals(new float[]{2.125f, 2.125f, 0.5f, 0.5f, 1.25f, 1.25f, 1, 1}, y, 1e-6f);
        assertArrayEquals(Returns.nStep(r, next, 1, 2, 4, 0.5, 2), Returns.nStep(r, null, 2, next, 1, 2, 4, 0.5, 2), 0f,
                "no credit: the shared reward alone");
    }
}
