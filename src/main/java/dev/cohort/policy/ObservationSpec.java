package dev.cohort.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The named, normalised features of one role's observation, in order: each agent's local features, then
 * the global part every agent shares. The names are part of the model contract: a model lists the features it was
 * trained on and is given those, by name ({@link FeatureColumns}), so a model trained before a feature was added runs
 * without it, and one naming a feature this spec lacks is refused. Each feature also says how a raw measurement
 * becomes its value ({@link Feature#normalise}), so that every feature is scaled to roughly [-1, 1] in this one place.
 *
 * @param role        the role
 * @param definitions the features in order
 */
public record ObservationSpec(Role role, List<Feature> definitions) {

    /**
     * One feature: its name (part of the model contract), how a raw value is normalised, and what it means.
     * The value is {@code min(max, raw / scale)}; a scale of 1 and an infinite max leave a raw value as it is.
     *
     * @param name    the name models know it by
     * @param scale   the raw value is divided by this
     * @param max     then clipped to at most this ({@link Double#POSITIVE_INFINITY}: not clipped)
     * @param meaning what the raw value is and its range, for docs and readers of this class
     */
    public record Feature(String name, double scale, double max, String meaning) {
        /** A feature whose raw value is already normalised. */
        static Feature raw(String name, String meaning) {
            return new Feature(name, 1, Double.POSITIVE_INFINITY, meaning);
        }

        /** A feature whose raw value is divided by {@code scale}. */
        static Feature scaled(String name, double scale, String meaning) {
            return new Feature(name, scale, Double.POSITIVE_INFINITY, meaning);
        }

        /** A feature whose raw value is divided by {@code scale} and clipped to at most {@code max}. */
        static Feature clipped(String name, double scale, double max, String meaning) {
            return new Feature(name, scale, max, meaning);
        }

        /** The feature's value for a raw measurement: {@code min(max, raw / scale)}. */
        public double normalise(double raw) {
            double v = raw / scale;
            return max == Double.POSITIVE_INFINITY ? v : Math.min(max, v);
        }
    }

    /** Global features shared by all roles, appended last. */
    public static final List<Feature> GLOBAL = List.of(
            Feature.raw("g_power_budget", "package power / power budget (TDP when no budget), 0..~1.5"),
            Feature.raw("g_membw_util", "highest memory-domain bandwidth / peak, 0..1"),
            Feature.raw("g_lc_slack", "lowest latency slack of all services: 1 - latency/SLO, clipped to [-1, 1]"),
            Feature.scaled("g_lambda", 2, "the energy weight λ set by the balancer, /2 (1.0 -> 0.5)"));

    /** Frequency-domain agents. */
    public static final ObservationSpec CORE = new ObservationSpec(Role.CORE, withGlobal(
            Feature.raw("util", "busy share of the domain's CPUs, 0..1"),
            Feature.raw("freq_level", "current level / (levels - 1)"),
            Feature.raw("freq_min_ratio", "domain min / max frequency"),
            Feature.clipped("ipc", 4, 1, "instructions per cycle / 4, clipped to 1"),
            Feature.raw("stall", "memory-stall share of cycles, 0..1"),
            Feature.clipped("llc_mpki", 50, 1, "LLC misses per 1000 instructions / 50, clipped to 1"),
            Feature.raw("lc_share", "share of the domain's CPUs that serve latency-critical cgroups"),
            Feature.raw("be_share", "share of the domain's CPUs that run best-effort cgroups"),
            Feature.raw("lc_slack", "lowest slack of the services on this domain (1 when none)"),
            Feature.raw("lc_pressure", "CPU pressure (PSI some) of those services, 0..1"),
            Feature.clipped("util_spread", 0.5, 1,
                    "standard deviation of util over the last few seconds (exponential window, 5 s) / 0.5, clipped to 1"),
            Feature.clipped("load_peak", 1, 1, "highest util x frequency limit / max frequency of the last half minute "
                    + "(a peak fading towards the present with a 30 s time constant), 0..1"),
            Feature.raw("agent_id", "domain index / domain count")));

    /** Memory-bandwidth-domain agents. */
    public static final ObservationSpec MEMORY = new ObservationSpec(Role.MEMORY, withGlobal(
            Feature.raw("bw_util", "domain bandwidth / peak, 0..1"),
            Feature.raw("mba_level", "current level / (levels - 1)"),
            Feature.raw("be_util", "busy share of the domain's best-effort CPUs"),
            Feature.raw("be_stall", "memory-stall share of the best-effort CPUs' cycles"),
            Feature.raw("lc_stall", "memory-stall share of the latency-critical CPUs' cycles"),
            Feature.raw("lc_slack", "lowest slack of the services in this domain (1 when none)"),
            Feature.raw("agent_id", "domain index / domain count")));

    /** Best-effort-cgroup agents. */
    public static final ObservationSpec QUOTA = new ObservationSpec(Role.QUOTA, withGlobal(
            Feature.clipped("usage", 1, 1, "CPU used / CPUs allowed, clipped to 1"),
            Feature.raw("throttled", "share of CFS periods throttled, 0..1"),
            Feature.raw("quota_level", "current level / (levels - 1)"),
            Feature.raw("pressure", "CPU pressure (PSI some), 0..1"),
            Feature.raw("stall", "memory-stall share of its CPUs' cycles"),
            Feature.raw("lc_slack", "lowest slack of services sharing its CPUs or memory domain (1 when none)"),
            Feature.raw("lc_share", "share of its CPUs that latency-critical cgroups run on too, 0..1"),
            Feature.raw("lc_util", "busy share of the CPUs of the services sharing its CPUs or memory domain (0 when none)"),
            Feature.raw("lc_peak", "highest lc_util of the last half minute (a peak fading towards the present with a 30 s "
                    + "time constant), 0..1"),
            Feature.raw("mem_bw", "highest bandwidth / peak of the memory domains its CPUs are in, 0..1"),
            Feature.raw("agent_id", "cgroup index / cgroup count")));

    public ObservationSpec {
        definitions = List.copyOf(definitions);
    }

    /** The spec of a role. */
    public static ObservationSpec of(Role r) {
        return switch (r) {
            case CORE -> CORE;
            case MEMORY -> MEMORY;
            case QUOTA -> QUOTA;
        };
    }

    /** Feature names in order (the model contract's list). */
    public List<String> features() {
        return definitions.stream().map(Feature::name).toList();
    }

    /** Number of features. */
    public int size() {
        return definitions.size();
    }

    /** Position of a feature. */
    public int index(String feature) {
        for (int i = 0; i < definitions.size(); i++) {
            if (definitions.get(i).name().equals(feature)) {
                return i;
            }
        }
        throw new IllegalArgumentException(role.id() + " observation has no feature '" + feature + "'");
    }

    /** The value of feature {@code index} for a raw measurement (see {@link Feature#normalise}). */
    public double normalise(int index, double raw) {
        return definitions.get(index).normalise(raw);
    }

    /** The feature names, comma-separated, for {@code model inspect} and docs. */
    public String describe() {
        return String.join(",", features());
    }

    private static List<Feature> withGlobal(Feature... local) {
        var all = new ArrayList<>(List.of(local));
        all.addAll(GLOBAL);
        return all;
    }
}
