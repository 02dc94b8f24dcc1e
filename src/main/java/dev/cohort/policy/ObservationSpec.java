package dev.cohort.policy;

import java.util.List;

/**
 * The named, normalised features of one role's observation, in order: each agent's local features, then
 * the global part every agent shares. Names and order are part of the model contract: a model trained on
 * one spec runs only against the same spec. Every feature is scaled to roughly [-1, 1] (see {@link #describe}).
 *
 * @param role     the role
 * @param features feature names in order
 */
public record ObservationSpec(Role role, List<String> features) {
    /** Global features shared by all roles, appended last. */
    public static final List<String> GLOBAL = List.of(
            "g_power_budget",   // package power / power budget (TDP when no budget), 0..~1.5
            "g_membw_util",     // highest memory-domain bandwidth / peak, 0..1
            "g_lc_slack",       // lowest latency slack of all services: 1 - latency/SLO, clipped to [-1, 1]
            "g_lambda");        // the energy weight λ set by the balancer, /2 (1.0 -> 0.5)

    /** Frequency-domain agents. */
    public static final ObservationSpec CORE = new ObservationSpec(Role.CORE, withGlobal(
            "util",             // busy share of the domain's CPUs, 0..1
            "freq_level",       // current level / (levels - 1)
            "freq_min_ratio",   // domain min / max frequency
            "ipc",              // instructions per cycle / 4, clipped to 1
            "stall",            // memory-stall share of cycles, 0..1
            "llc_mpki",         // LLC misses per 1000 instructions / 50, clipped to 1
            "lc_share",         // share of the domain's CPUs that serve latency-critical cgroups
            "be_share",         // share of the domain's CPUs that run best-effort cgroups
            "lc_slack",         // lowest slack of the services on this domain (1 when none)
            "lc_pressure",      // CPU pressure (PSI some) of those services, 0..1
            "agent_id"));       // domain index / domain count

    /** Memory-bandwidth-domain agents. */
    public static final ObservationSpec MEMORY = new ObservationSpec(Role.MEMORY, withGlobal(
            "bw_util",          // domain bandwidth / peak, 0..1
            "mba_level",        // current level / (levels - 1)
            "be_util",          // busy share of the domain's best-effort CPUs
            "be_stall",         // memory-stall share of the best-effort CPUs' cycles
            "lc_stall",         // memory-stall share of the latency-critical CPUs' cycles
            "lc_slack",         // lowest slack of the services in this domain (1 when none)
            "agent_id"));

    /** Best-effort-cgroup agents. */
    public static final ObservationSpec QUOTA = new ObservationSpec(Role.QUOTA, withGlobal(
            "usage",            // CPU used / CPUs allowed, 0..1
            "throttled",        // share of CFS periods throttled, 0..1
            "quota_level",      // current level / (levels - 1)
            "pressure",         // CPU pressure (PSI some), 0..1
            "stall",            // memory-stall share of its CPUs' cycles
            "lc_slack",         // lowest slack of services sharing its CPUs or memory domain (1 when none)
            "agent_id"));

    public ObservationSpec {
        features = List.copyOf(features);
    }

    /** The spec of a role. */
    public static ObservationSpec of(Role r) {
        return switch (r) {
            case CORE -> CORE;
            case MEMORY -> MEMORY;
            case QUOTA -> QUOTA;
        };
    }

    /** Number of features. */
    public int size() {
        return features.size();
    }

    /** Position of a feature. */
    public int index(String feature) {
        int i = features.indexOf(feature);
        if (i < 0) {
            throw new IllegalArgumentException(role.id() + " observation has no feature '" + feature + "'");
        }
        return i;
    }

    /** One line per feature, for {@code model inspect} and docs. */
    public String describe() {
        return String.join(",", features);
    }

    private static List<String> withGlobal(String... local) {
        var all = new java.util.ArrayList<>(List.of(local));
        all.addAll(GLOBAL);
        return all;
    }
}
