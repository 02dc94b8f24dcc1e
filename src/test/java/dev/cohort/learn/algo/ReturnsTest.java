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
}
