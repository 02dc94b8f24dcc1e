package dev.cohort.balance;

/**
 * How the MPC balancer plans (MaRCA Eqs. 17–18, {@code docs/balance.md}).
 *
 * @param alpha      discount of later steps in the objective (MaRCA: 0.4)
 * @param beta       weight of damping changes once at or over the target (MaRCA: 8)
 * @param horizon    N, the λ steps planned (MaRCA: 10); the first is applied
 * @param margin     the target is the budget less this share of it: tracking "from below" with room for the forecast's
 *                   error, as MaRCA's code tracks a threshold under its budget
 * @param overWeight extra weight of a forecast over the budget itself (never cheaper to overshoot than to undershoot)
 * @param samples    sequences per round of the cross-entropy method
 * @param elites     the best of them the next round's distribution is fitted to
 * @param rounds     rounds of the cross-entropy method
 * @param guard      between plans, raise λ tick by tick while the window's energy runs ahead of the budget
 * @param guardMargin the guard acts when a tick draws more than the window's remaining allowance less this share of it:
 *                   wider than the plan's margin, since a spike near a window's end leaves few ticks to make it up
 */
public record MpcOptions(double alpha, double beta, int horizon, double margin, double overWeight, int samples, int elites,
                         int rounds, boolean guard, double guardMargin) {
    /** MaRCA's α, β and N; the margin, over-weight and solver sizes are cohort's (docs/balance.md). */
    public static final double DEFAULT_MARGIN = 0.02;
    /**
     * The guard's margin by default. With the priced policy's latency-critical domains moving a level a tick, power
     * follows λ smoothly enough for a guard at 5% and a plan margin of 2% to keep ≤ 1% of windows over (it was 12% and
     * 4% while those domains could swing several levels a tick; docs/balance.md, "Even and steady"). 7% since the
     * dynamics model is fitted through its rolled forecast: the plan then tracks its target closer (μ up by about a
     * point), and at 5% {@code colocation} at 85% was over in 1.3% of windows.
     */
    public static final double DEFAULT_GUARD_MARGIN = 0.07;
    public static final MpcOptions DEFAULT = new MpcOptions(0.4, 8, 10, DEFAULT_MARGIN, 10, 64, 8, 4, true,
            DEFAULT_GUARD_MARGIN);

    /**
     * What {@link #onEstimatedPower()} adds to the plan's margin and the guard's, in shares of the budget: where the
     * balancer sees the cost estimator's power instead of RAPL's, the estimate's own error (the interval model's,
     * 1.9% per tick on held-out scenarios, 4.7% at its 95th percentile) comes on top of the forecast's. With them the
     * margins are 4% and 14%; 4% and 12% held the budget on the estimate with the guard at 5% (docs/balance.md, "A budget
     * held on the estimate"); at 2% and 5% colocation and membw at 85% were over in 4.0-4.5% of windows.
     */
    public static final double ESTIMATE_MARGIN = 0.02;
    public static final double ESTIMATE_GUARD_MARGIN = 0.07;

    /** The defaults where power is measured, or {@link #onEstimatedPower() widened} where it is estimated. */
    public static MpcOptions forPower(boolean measured) {
        return DEFAULT.onPower(measured);
    }

    /** These options where power is measured, or {@link #onEstimatedPower() widened} where it is estimated. */
    public MpcOptions onPower(boolean measured) {
        return measured ? this : onEstimatedPower();
    }

    /** These options for a balancer that sees estimated power: both margins wider by the estimate's error. */
    public MpcOptions onEstimatedPower() {
        return new MpcOptions(alpha, beta, horizon, Math.min(0.5, margin + ESTIMATE_MARGIN), overWeight, samples, elites,
                rounds, guard, Math.min(0.5, guardMargin + ESTIMATE_GUARD_MARGIN));
    }

    /** These options with the within-window guard on or off. */
    public MpcOptions withGuard(boolean on) {
        return new MpcOptions(alpha, beta, horizon, margin, overWeight, samples, elites, rounds, on, guardMargin);
    }

    /** These options with another margin. */
    public MpcOptions withMargin(double m) {
        return new MpcOptions(alpha, beta, horizon, m, overWeight, samples, elites, rounds, guard, guardMargin);
    }

    public MpcOptions {
        if (!(alpha > 0 && alpha <= 1) || !(beta >= 0) || horizon < 1 || !(margin >= 0 && margin < 1) || !(overWeight >= 0)
                || samples < 2 || elites < 1 || elites > samples || rounds < 1 || !(guardMargin >= 0 && guardMargin < 1)) {
            throw new IllegalArgumentException("MPC options out of range: alpha in (0, 1], beta ≥ 0, horizon ≥ 1, margin in"
                    + " [0, 1), over-weight ≥ 0, 1 ≤ elites ≤ samples, rounds ≥ 1, guard margin in [0, 1); got " + this);
        }
    }
}
