package dev.cohort.platform;

import java.util.List;
import java.util.Optional;

/**
 * The shape of a host as cohort manages it: logical CPUs, frequency domains (cpufreq policies),
 * memory-bandwidth domains (resctrl MB domains), packages and the managed cgroups. Immutable.
 *
 * @param cpus              every logical CPU, indexed by CPU number ({@code cpus.get(i).id() == i})
 * @param packageCount      number of CPU packages (sockets); RAPL energy is per package
 * @param frequencyDomains  one per cpufreq policy; index = position in this list
 * @param memoryDomains     one per resctrl MB domain (usually one per socket or L3)
 * @param cgroups           the cgroups cohort manages, in configuration order
 * @param reservedCpus      CPUs cohort must never touch (their domains are left alone)
 */
public record Topology(List<Cpu> cpus, int packageCount, List<FrequencyDomain> frequencyDomains,
                       List<MemoryDomain> memoryDomains, List<CgroupInfo> cgroups, CpuSet reservedCpus) {

    public Topology {
        cpus = List.copyOf(cpus);
        frequencyDomains = List.copyOf(frequencyDomains);
        memoryDomains = List.copyOf(memoryDomains);
        cgroups = List.copyOf(cgroups);
        for (int i = 0; i < cpus.size(); i++) {
            if (cpus.get(i).id() != i) {
                throw new IllegalArgumentException("Topology: cpus must be indexed by CPU number; position " + i
                        + " holds CPU " + cpus.get(i).id());
            }
        }
    }

    /** One logical CPU. */
    public record Cpu(int id, int core, int pkg, int node) {
    }

    /**
     * A set of CPUs that share one frequency (a cpufreq policy).
     *
     * @param name          the backend's name, e.g. {@code policy4}
     * @param cpus          CPUs in the domain
     * @param minKhz        lowest frequency the hardware allows ({@code cpuinfo_min_freq})
     * @param maxKhz        highest frequency the hardware allows ({@code cpuinfo_max_freq})
     * @param availableKhz  discrete frequencies the driver accepts, ascending; empty when it takes any value
     *                      in range (intel_pstate, amd-pstate)
     */
    public record FrequencyDomain(String name, CpuSet cpus, long minKhz, long maxKhz, List<Long> availableKhz) {
        public FrequencyDomain {
            availableKhz = List.copyOf(availableKhz);
            if (minKhz <= 0 || maxKhz < minKhz) {
                throw new IllegalArgumentException("FrequencyDomain " + name + ": bad range " + minKhz + ".." + maxKhz + " kHz");
            }
        }

        /** The frequency the driver would really apply for a request of {@code khz}: clamped, then snapped down. */
        public long snapKhz(long khz) {
            long c = Math.max(minKhz, Math.min(maxKhz, khz));
            if (availableKhz.isEmpty()) {
                return c;
            }
            long best = availableKhz.getFirst();
            for (long a : availableKhz) {
                if (a <= c) {
                    best = a;
                }
            }
            return best;
        }
    }

    /**
     * A memory-bandwidth domain and how its MBA limit is expressed.
     *
     * @param id       the resctrl domain id as written in {@code schemata} ({@code MB:<id>=...})
     * @param pkg      the package it belongs to
     * @param cpus     CPUs whose traffic it carries
     * @param mba      the limit's scale; absent when the host has no MBA for this domain
     */
    public record MemoryDomain(int id, int pkg, CpuSet cpus, Optional<MbaScale> mba) {
    }

    /**
     * How MBA values are written: Intel uses percent from {@code min} to 100 in steps of {@code granularity}
     * (rounded up by the kernel); AMD uses units of 1/8 GB/s up to {@code max}.
     */
    public record MbaScale(int min, int granularity, int max, boolean percent) {
        /** The value the kernel would apply for a request of {@code value} (Intel rounds up to a step). */
        public int snap(int value) {
            int v = Math.max(min, Math.min(max, value));
            if (percent && granularity > 1) {
                int steps = (v - min + granularity - 1) / granularity;
                v = Math.min(max, min + steps * granularity);
            }
            return v;
        }
    }

    /**
     * A managed cgroup.
     *
     * @param name       short name used in configuration, metrics and the journal (e.g. {@code web})
     * @param path       the backend's path (cgroupfs path relative to the hierarchy root, or a sim id)
     * @param role       latency-critical or best-effort
     * @param cpus       CPUs its tasks may run on
     * @param sloUsec    the latency target of a latency-critical service (µs, at {@code sloQuantile}); 0 if none
     * @param sloQuantile quantile the target applies to, e.g. 0.99
     * @param referenceInstructionsPerSec a best-effort job's instructions per second alone, unthrottled, on all its
     *                   CPUs at the top frequency: what its progress is measured against (NaN when unknown)
     */
    public record CgroupInfo(String name, String path, CgroupRole role, CpuSet cpus, long sloUsec, double sloQuantile,
                             double referenceInstructionsPerSec) {
        /** A cgroup without a known reference rate. */
        public CgroupInfo(String name, String path, CgroupRole role, CpuSet cpus, long sloUsec, double sloQuantile) {
            this(name, path, role, cpus, sloUsec, sloQuantile, Double.NaN);
        }
    }

    /** Number of logical CPUs. */
    public int cpuCount() {
        return cpus.size();
    }

    /** Indices into {@link #cgroups()} of the cgroups with the given role. */
    public int[] cgroupsWithRole(CgroupRole role) {
        return java.util.stream.IntStream.range(0, cgroups.size())
                .filter(i -> cgroups.get(i).role() == role).toArray();
    }

    /** True when the domain has no reserved CPU, so cohort may set its frequency. */
    public boolean isManaged(FrequencyDomain d) {
        return !d.cpus().intersects(reservedCpus);
    }
}
