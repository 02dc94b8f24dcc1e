package dev.cohort.policy.baseline;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;

/**
 * The kernel's {@code schedutil} rule per frequency domain: {@code f = 1.25 · f_max · util}, the 25%
 * headroom letting utilisation grow before the next update (kernel/sched/cpufreq_schedutil.c,
 * get_next_freq). Bandwidth and quota are left alone.
 */
public final class SchedutilPolicy implements Policy {
    static final double HEADROOM = 1.25;

    @Override
    public String name() {
        return "schedutil";
    }

    @Override
    public Decision decide(Observations obs) {
        Decision d = Decision.noChange(obs);
        RoleObservations core = obs.role(Role.CORE);
        int[] out = d.levels(Role.CORE);
        for (int a = 0; a < core.agents(); a++) {
            out[a] = level(core, a);
        }
        return d;
    }

    /** The level schedutil picks for agent {@code a}: the lowest at or above the target frequency. */
    static int level(RoleObservations core, int a) {
        double util = core.get(a, Features.CORE_UTIL);
        double minRatio = core.get(a, Features.CORE_FMIN_RATIO);
        double targetOfMax = HEADROOM * util;
        double fraction = minRatio >= 1 ? 1 : (targetOfMax - minRatio) / (1 - minRatio);
        return core.actions().levelAtLeast(fraction);
    }
}
