package dev.cohort.control;

/**
 * Weights of the cooperative reward {@code R = −α·L − β·λ·E − γ·S + δ·U} (see {@link Reward}).
 *
 * @param alpha latency penalty weight
 * @param beta  energy weight (scaled by λ at run time)
 * @param gamma memory-stall weight
 * @param delta best-effort useful-utilisation weight
 */
public record RewardWeights(double alpha, double beta, double gamma, double delta) {
    /** The defaults: latency dominates, energy next, then throughput and stalls. */
    public static final RewardWeights DEFAULT = new RewardWeights(1.0, 1.0, 0.1, 0.3);

    public RewardWeights {
        for (double w : new double[]{alpha, beta, gamma, delta}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("reward weights must be finite and ≥ 0, got α=" + alpha
                        + " β=" + beta + " γ=" + gamma + " δ=" + delta);
            }
        }
    }
}
