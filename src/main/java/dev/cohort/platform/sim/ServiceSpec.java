package dev.cohort.platform.sim;

import dev.cohort.platform.CpuSet;

/**
 * A latency-critical service: requests arrive by {@code arrivals}, wait in one FCFS queue and are served by
 * the cores of its cgroup, one request per core at a time.
 *
 * @param name        cgroup name ({@code sim/<name>})
 * @param cpus        the cores serving it (disjoint from every other service's)
 * @param sloUsec     latency target at {@code sloQuantile}, µs
 * @param sloQuantile quantile the target applies to, e.g. 0.99
 * @param cpuWeight   CFS weight (cgroup v2 scale 1..10000) against a batch thread sharing a core
 * @param quotaUsec   initial CPU quota per period, µs; negative = unlimited ({@code max})
 * @param periodUsec  initial CFS period, µs
 * @param maxQueue    waiting requests beyond which new arrivals are dropped (counted as SLO violations)
 * @param request     the work of one request
 * @param arrivals    how requests arrive
 */
public record ServiceSpec(String name, CpuSet cpus, long sloUsec, double sloQuantile, int cpuWeight, long quotaUsec,
                          long periodUsec, int maxQueue, Request request, ArrivalSpec arrivals) {

    /** How the size of a request varies around its mean. */
    public enum SizeDistribution {
        /** Exponential (coefficient of variation 1): the M/M/c case. */
        EXPONENTIAL,
        /** Every request the same. */
        CONSTANT,
        /** Log-normal with the given coefficient of variation. */
        LOGNORMAL
    }

    /**
     * The work of one request: compute cycles, whose time scales with frequency, and LLC misses, whose time
     * is the loaded memory latency divided by the memory-level parallelism. So one request takes
     * {@code cycles/f + llcMisses·L/mlp} on an otherwise idle core.
     *
     * @param cycles       mean compute cycles per request
     * @param llcMisses    mean LLC misses per request (scaled with the request's size)
     * @param mlp          misses in flight at once while stalled (memory-level parallelism)
     * @param ipc          instructions per compute cycle (for the instruction counters)
     * @param distribution how a request's size varies
     * @param cv           coefficient of variation for {@link SizeDistribution#LOGNORMAL}
     */
    public record Request(double cycles, double llcMisses, double mlp, double ipc, SizeDistribution distribution,
                          double cv) {

        /** LLC misses per compute cycle. */
        public double missesPerCycle() {
            return llcMisses / cycles;
        }

        /** Time of a mean-size request on an idle core at {@code khz} with memory latency {@code latencyNanos}, ns. */
        public double serviceNanos(long khz, double latencyNanos) {
            return cycles / (khz / 1e6) + llcMisses * latencyNanos / mlp;
        }

        /** Memory-boundedness β: the share of {@link #serviceNanos} spent stalled on memory. */
        public double memoryFraction(long khz, double latencyNanos) {
            return llcMisses * latencyNanos / mlp / serviceNanos(khz, latencyNanos);
        }
    }
}
