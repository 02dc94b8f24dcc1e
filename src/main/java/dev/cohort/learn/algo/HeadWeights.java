package dev.cohort.learn.algo;

/**
 * AWRQ's adaptive weighting (MaRCA Eq. 9): the weight of value head k is its share of the heads' TD losses,
 * {@code η_k = L_k / Σ_j L_j}, so the head that errs most on a batch weighs most in the ensemble value
 * {@code Q = Σ_k η_k·Q^k} trained on that batch. The weights are taken as numbers (no gradient flows through them).
 * Without adaptive weighting, or when every loss is zero, the heads weigh equally, {@code 1/K}.
 */
final class HeadWeights {
    private HeadWeights() {
    }

    /**
     * @param losses   each head's TD loss on the batch (non-negative)
     * @param adaptive MaRCA's adaptive weighting; false for the ablation (equal weights)
     * @return K weights, non-negative, summing to 1
     */
    static float[] eta(float[] losses, boolean adaptive) {
        int k = losses.length;
        double sum = 0;
        for (float l : losses) {
            if (!(l >= 0) || Float.isInfinite(l)) {
                adaptive = false; // a loss that is not a finite non-negative number says nothing about the heads
            }
            sum += l;
        }
        float[] eta = new float[k];
        for (int i = 0; i < k; i++) {
            eta[i] = adaptive && sum > 0 ? (float) (losses[i] / sum) : 1f / k;
        }
        return eta;
    }
}
