package dev.cohort.control;

/**
 * Weights of the cooperative reward {@code R = −α·L − β·λ·E − γ·S + δ·U} (see {@link Reward}).
 *
 * <p>Why the defaults ({@code α = 10, β = 1, γ = 0.1, δ = 0.3}): missing an SLO must cost more than the energy it
 * saves. E is a tick's mean package power over TDP, so it never exceeds about 1, and with β = 1 (at λ = 1) the
 * energy of a whole second of ticks (10 at the 100 ms tick) at full power costs at most 10; L is at least 1 in a
 * tick where a service is over its SLO. With α = 10 one such tick costs more than everything the package could
 * draw in the second around it, so no saving of energy (nor of best-effort throughput: δ·U is at most 0.3 a tick)
 * within that second can pay for the miss. One second because latency targets are watched over windows of a second
 * or more (dashboards' p99, Sinan's 1 s interval): a miss anywhere in the window spoils it. With α equal to β, as
 * before, a policy could profitably trade a miss every few seconds for a few percent of energy. γ and δ stay small:
 * stalls and best-effort throughput are secondary goals.
 *
 * @param alpha latency penalty weight
 * @param beta  energy weight (scaled by λ at run time)
 * @param gamma memory-stall weight
 * @param delta best-effort useful-utilisation weight
 */
public record RewardWeights(double alpha, double beta, double gamma, double delta) {
    /** The defaults: latency dominates (α = 10, see above), energy next, then throughput and stalls. */
    public static final RewardWeights DEFAULT = new RewardWeights(10.0, 1.0, 0.1, 0.3);

    public RewardWeights {
        for (double w : new double[]{alpha, beta, gamma, delta}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("reward weights must be finite and ≥ 0, got α=" + alpha
                        + " β=" + beta + " γ=" + gamma + " δ=" + delta);
            }
        }
    }
}
