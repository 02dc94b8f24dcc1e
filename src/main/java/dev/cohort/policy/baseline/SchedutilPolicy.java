package dev.cohort.policy.baseline;

import dev.cohort.policy.RoleObservations;

/**
 * The kernel's {@code schedutil} rule per frequency domain: {@code f = 1.25 · f_max · util}, the 25%
 * headroom letting utilisation grow before the next update (kernel/sched/cpufreq_schedutil.c,
 * get_next_freq). Bandwidth and quota are left alone.
 */
public final class SchedutilPolicy extends FrequencyRule {
    static final double HEADROOM = 1.25;

    @Override
    public String name() {
        return "schedutil";
    }

    @Override
    int level(RoleObservations core, int a) {
        return target(core, a);
    }

    /** The level schedutil picks for agent {@code a}: the lowest at or above the target frequency. */
    static int target(RoleObservations core, int a) {
        double util = core.get(a, Features.CORE_UTIL);
        double minRatio = core.get(a, Features.CORE_FMIN_RATIO);
        double targetOfMax = HEADROOM * util;
        double fraction = minRatio >= 1 ? 1 : (targetOfMax - minRatio) / (1 - minRatio);
        return core.actions().levelAtLeast(fraction);
    }
}
