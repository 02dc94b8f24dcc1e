package dev.cohort.platform.linux;

import dev.cohort.platform.CgroupRole;

/**
 * A cgroup cohort samples and controls.
 *
 * @param name        short name for configuration, metrics and the journal, e.g. {@code batch}
 * @param path        the cgroup's path relative to the hierarchy root, e.g. {@code system.slice/batch.service}
 *                    (the same path in the v1 {@code cpu} and {@code cpuacct} hierarchies, or under the cgroup2 mount)
 * @param role        latency-critical or best-effort
 * @param sloUsec     latency target of a latency-critical service in µs at {@code sloQuantile}; 0 if none
 * @param sloQuantile quantile the target applies to, e.g. 0.99
 * @param referenceInstructionsPerSec a best-effort job's configured instructions per second alone at the top
 *                    frequency (NaN when not configured)
 */
public record ManagedCgroup(String name, String path, CgroupRole role, long sloUsec, double sloQuantile,
                            double referenceInstructionsPerSec) {
    public ManagedCgroup {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ManagedCgroup: name must not be blank");
        }
        path = path == null ? "" : path.replaceAll("^/+", "");
    }

    /** A cgroup without a configured reference rate. */
    public ManagedCgroup(String name, String path, CgroupRole role, long sloUsec, double sloQuantile) {
        this(name, path, role, sloUsec, sloQuantile, Double.NaN);
    }

    /** A best-effort cgroup without a latency target. */
    public static ManagedCgroup bestEffort(String name, String path) {
        return new ManagedCgroup(name, path, CgroupRole.BEST_EFFORT, 0, 0);
    }
}
