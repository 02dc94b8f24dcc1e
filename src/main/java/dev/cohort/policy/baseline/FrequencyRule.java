package dev.cohort.policy.baseline;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;

/**
 * A kernel-style frequency governor: a rule per frequency domain from its own observation; bandwidth and
 * quota are left alone, as the kernel's governors leave them.
 */
abstract class FrequencyRule implements Policy {

    /** The level the rule picks for core agent {@code a}. */
    abstract int level(RoleObservations core, int a);

    @Override
    public final Decision decide(Observations obs) {
        Decision d = Decision.noChange(obs);
        RoleObservations core = obs.role(Role.CORE);
        int[] out = d.levels(Role.CORE);
        for (int a = 0; a < core.agents(); a++) {
            out[a] = level(core, a);
        }
        return d;
    }
}
