package dev.cohort.learn.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** AWRQ's adaptive weighting: η_k = L_k / Σ_j L_j, equal weights without it. */
class HeadWeightsTest {
    @Test
    void aHeadWithALargerLossWeighsMoreAndTheWeightsSumToOne() {
        float[] eta = HeadWeights.eta(new float[]{0.5f, 2f, 1f, 0.5f}, true);
        assertArrayEquals(new float[]{0.125f, 0.5f, 0.25f, 0.125f}, eta, 1e-6f);
        assertEquals(1.0, sum(eta), 1e-6);
        for (int i = 0; i < eta.length; i++) {
            for (int j = 0; j < eta.length; j++) {
                float[] losses = {0.5f, 2f, 1f, 0.5f};
                if (losses[i] > losses[j]) {
                    assertTrue(eta[i] > eta[j], "head " + i + " errs more than head " + j);
                }
            }
        }
    }

    @Test
    void withoutAdaptiveWeightingTheHeadsWeighEqually() {
        assertArrayEquals(new float[]{0.25f, 0.25f, 0.25f, 0.25f}, HeadWeights.eta(new float[]{0.5f, 2f, 1f, 0.5f}, false), 0f);
    }

    @Test
    void lossesThatSayNothingGiveEqualWeights() {
        assertArrayEquals(new float[]{1 / 3f, 1 / 3f, 1 / 3f}, HeadWeights.eta(new float[]{0, 0, 0}, true), 0f);
        assertArrayEquals(new float[]{0.5f, 0.5f}, HeadWeights.eta(new float[]{Float.NaN, 1}, true), 0f);
        assertArrayEquals(new float[]{1f}, HeadWeights.eta(new float[]{3}, true), 0f);
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }
}
