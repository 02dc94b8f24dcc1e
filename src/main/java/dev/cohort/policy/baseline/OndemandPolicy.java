package dev.cohort.policy.baseline;

import dev.cohort.policy.RoleObservations;

/**
 * The kernel's {@code ondemand} rule per frequency domain: above the up-threshold jump to the maximum,
 * otherwise {@code f = f_min + util·(f_max − f_min)} (drivers/cpufreq/cpufreq_ondemand.c, od_update).
 * Bandwidth and quota are left alone, as the kernel governor would.
 */
public final class OndemandPolicy extends FrequencyRule {
    /** The kernel's default {@code up_threshold}, 80%. */
    public static final double DEFAULT_UP_THRESHOLD = 0.80;
    private final double upThreshold;

    public OndemandPolicy(double upThreshold) {
        if (!(upThreshold > 0 && upThreshold <= 1)) {
            throw new IllegalArgumentException("ondemand up-threshold must be in (0, 1], got " + upThreshold);
        }
        this.upThreshold = upThreshold;
    }

    @Override
    public String name() {
        return "ondemand";
    }

    @Override
    int level(RoleObservations core, int a) {
        double util = core.get(a, Features.CORE_UTIL);
        return util > upThreshold ? core.actions().max() : core.actions().levelAtLeast(util);
    }
}
