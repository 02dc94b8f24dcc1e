package dev.cohort.policy;

import dev.cohort.platform.Topology;
import dev.cohort.policy.baseline.Baselines;

/** Creates a policy from its name as users write it (a baseline name; learned models later). */
public final class Policies {
    private Policies() {
    }

    /**
     * Creates the named policy for a host of the given topology.
     *
     * @throws dev.cohort.platform.CohortException naming the accepted names when the name is unknown
     */
    public static Policy create(String spec, Topology topology) {
        return Baselines.create(spec);
    }
}
