package dev.cohort.control;

/**
 * Limits the {@link SafetyGovernor} enforces on every policy.
 *
 * @param lcFreqFloor        latency-critical domains never go below this fraction of their frequency range
 * @param lcFreqStepDown     a domain serving latency-critical work lowers by at most this many levels per tick
 *                           (raising is never limited: tighten slowly, relax quickly)
 * @param beGrowStep         best-effort MBA and quota grow by at most this many levels per tick (cutting is never limited)
 * @param beQuotaFloor       best-effort quota never goes below this fraction of the cgroup's CPUs
 * @param freqDeadBandKhz    frequency changes smaller than this are not written
 * @param sloOverride        when a service breaches its SLO or its CPU pressure exceeds {@code overridePressure},
 *                           its cores go to full speed and best-effort work near it is cut to the floors
 * @param overridePressure   CPU pressure (PSI some share) that counts as trouble
 * @param powerBudgetWatts   package power budget; above it, domains not serving latency-critical work step
 *                           down; NaN for none
 */
public record GovernorConfig(double lcFreqFloor, int lcFreqStepDown, int beGrowStep, double beQuotaFloor,
                             long freqDeadBandKhz, boolean sloOverride, double overridePressure,
                             double powerBudgetWatts) {
    /** The daemon's defaults: every protection on. */
    public static final GovernorConfig DEFAULT = new GovernorConfig(0.0, 2, 2, 0.1, 50_000, true, 0.5, Double.NaN);

    /**
     * The limits policies are compared and trained under: every bound, floor, step limit and dead band, but no SLO
     * override, so that each policy is judged on its own decisions (with the override on, every policy would borrow
     * slo-guard's reflexes) and a learner has to learn to protect the SLO itself.
     */
    public static final GovernorConfig EVALUATION = DEFAULT.withSloOverride(false);

    public GovernorConfig {
        if (lcFreqFloor < 0 || lcFreqFloor > 1) {
            throw new IllegalArgumentException("governor lcFreqFloor must be in 0..1, got " + lcFreqFloor);
        }
        if (lcFreqStepDown < 1 || beGrowStep < 1) {
            throw new IllegalArgumentException("governor step limits must be at least 1 level");
        }
        if (beQuotaFloor < 0 || beQuotaFloor > 1) {
            throw new IllegalArgumentException("governor beQuotaFloor must be in 0..1, got " + beQuotaFloor);
        }
    }

    /** The same limits with the SLO override switched on or off. */
    public GovernorConfig withSloOverride(boolean on) {
        return new GovernorConfig(lcFreqFloor, lcFreqStepDown, beGrowStep, beQuotaFloor, freqDeadBandKhz, on,
                overridePressure, powerBudgetWatts);
    }

    /** The same limits with a power budget. */
    public GovernorConfig withPowerBudget(double watts) {
        return new GovernorConfig(lcFreqFloor, lcFreqStepDown, beGrowStep, beQuotaFloor, freqDeadBandKhz, sloOverride,
                overridePressure, watts);
    }
}
