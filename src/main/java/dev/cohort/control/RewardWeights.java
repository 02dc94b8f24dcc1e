package dev.cohort.control;

/**
 * Weights of the cooperative reward {@code R = −α·L − β·λ·E − γ·S + δ·P} (see {@link Reward}).
 *
 * <p>Why the defaults ({@code α = 30, β = 1, γ = 0.1, δ = 2}), fixed before any policy was trained with them:
 * <ul>
 *   <li><b>δ against β: best-effort work is not traded for energy at λ = 1.</b> P and E are both shares of the
 *       whole host (P weighs each job by its share of the CPUs, E is package power over TDP), so δ/β compares a
 *       unit of work with a unit of power. The steepest energy-for-work trade the simulated machine offers is
 *       lowering a compute-bound job's cores one frequency step from the top: it saves 1.49 units of E for each
 *       unit of P it loses (the V²·f curve above the knee, static power included; cutting quota saves only
 *       0.57, the dynamic power). With δ = 2 no such cut pays at λ = 1 (a 1.3× margin); the balancer, raising λ
 *       under a power budget, is what makes it pay (balance issue).</li>
 *   <li><b>α: a miss costs more than everything else in the second around it.</b> One tick can lose at most
 *       β·E + δ·P ≤ 3; ten ticks (a second at the 100 ms tick) at most 30; L is at least 1 in a tick over the
 *       SLO. With α = 30 throttling best-effort work pays whenever it avoids a miss within that second, and no
 *       saving of energy or gain of work can buy one. One second because latency targets are watched over
 *       windows of a second or more (dashboards' p99, Sinan's 1 s interval).</li>
 *   <li>γ stays small: stalls are a secondary signal, already felt through P and L.</li>
 * </ul>
 *
 * @param alpha latency penalty weight
 * @param beta  energy weight (scaled by λ at run time)
 * @param gamma memory-stall weight
 * @param delta best-effort progress weight
 */
public record RewardWeights(double alpha, double beta, double gamma, double delta) {
    /** The defaults: latency dominates (α = 30), then best-effort work over energy (δ = 2 against β = 1); see above. */
    public static final RewardWeights DEFAULT = new RewardWeights(30.0, 1.0, 0.1, 2.0);

    public RewardWeights {
        for (double w : new double[]{alpha, beta, gamma, delta}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("reward weights must be finite and ≥ 0, got α=" + alpha
                        + " β=" + beta + " γ=" + gamma + " δ=" + delta);
            }
        }
    }
}
