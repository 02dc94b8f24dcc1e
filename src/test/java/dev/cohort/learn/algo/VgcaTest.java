package dev.cohort.learn.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** VGCA's weights: the variance of an agent's values over its levels, mean 1 over a batch's real agent-steps. */
class VgcaTest {
    private static final int B = 3;
    private static final int T = 4;
    private static final int N = 3;
    private static final int A = 5;

    @Test
    void theWeightsAverageOneAndGrowWithTheSpreadOfTheValues() {
        var rng = new SplittableRandom(4);
        float[] q = new float[B * T * N * A];
        float[] spread = new float[B * T * N];
        for (int j = 0; j < spread.length; j++) {
            spread[j] = (float) rng.nextDouble(0.1, 3);
            for (int a = 0; a < A; a++) {
                q[j * A + a] = 7 + spread[j] * (a - 2); // values around 7, further apart where the spread is larger
            }
        }
        float[] mask = {1, 1, 1, 1, 1, 0, 1, 0, 0}; // chunk 1 has two agents, chunk 2 one
        float[] w = Vgca.weights(q, mask, B, T, N, A);
        double sum = 0;
        int real = 0;
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                for (int i = 0; i < N; i++) {
                    int j = (b * T + t) * N + i;
                    if (mask[b * N + i] == 0) {
                        assertEquals(0f, w[j], "padding gets no weight");
                        continue;
                    }
                    sum += w[j];
                    real++;
                    assertTrue(w[j] > 0);
                }
            }
        }
        assertEquals(1.0, sum / real, 1e-5, "mean weight over the real agent-steps");
        for (int x = 0; x < w.length; x++) {
            for (int y = 0; y < w.length; y++) {
                boolean both = mask[(x / (T * N)) * N + x % N] > 0 && mask[(y / (T * N)) * N + y % N] > 0;
                if (both && spread[x] > spread[y]) {
                    assertTrue(w[x] > w[y], "values further apart across levels get the larger weight");
                }
            }
        }
        // proportional to the variance: the spread enters squared
        assertEquals(spread[0] * spread[0] / (spread[1] * spread[1]), w[0] / w[1], 1e-4);
    }

    @Test
    void valuesThatDoNotVaryLeaveTheRewardAlone() {
        float[] q = new float[B * T * N * A];
        java.util.Arrays.fill(q, 2.5f);
        float[] mask = new float[B * N];
        java.util.Arrays.fill(mask, 1);
        for (float v : Vgca.weights(q, mask, B, T, N, A)) {
            assertEquals(1f, v);
        }
    }
}
