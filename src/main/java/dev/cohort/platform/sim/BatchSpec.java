package dev.cohort.platform.sim;

import dev.cohort.platform.CpuSet;

/**
 * A best-effort batch job: one always-runnable thread per CPU of its cgroup, retiring instructions at a
 * rate set by frequency, memory latency and its memory-bandwidth limit. Throughput is counted in
 * instructions.
 *
 * @param name       cgroup name ({@code sim/<name>})
 * @param cpus       CPUs it runs on (disjoint from every other batch job's; may overlap a service's)
 * @param kind       what it was described as ({@code cpu} or {@code stream}); the numbers below decide
 * @param ipc        instructions per compute (non-stalled) cycle
 * @param mpki       LLC misses per thousand instructions
 * @param mlp        misses in flight at once while stalled (prefetching streams keep many)
 * @param cpuWeight  CFS weight (cgroup v2 scale 1..10000)
 * @param quotaUsec  initial CPU quota per period, µs; negative = unlimited ({@code max})
 * @param periodUsec initial CFS period, µs
 */
public record BatchSpec(String name, CpuSet cpus, Kind kind, double ipc, double mpki, double mlp, int cpuWeight,
                        long quotaUsec, long periodUsec) {

    /** The two kinds of batch job the scenarios describe; each sets defaults for ipc, mpki and mlp. */
    public enum Kind {
        /** Compute-bound: high IPC, almost no memory traffic. */
        CPU(2.0, 0.5, 2),
        /** Memory-streaming (STREAM-like): a miss every few instructions, many in flight. */
        STREAM(1.0, 100, 32);

        private final double ipc;
        private final double mpki;
        private final double mlp;

        Kind(double ipc, double mpki, double mlp) {
            this.ipc = ipc;
            this.mpki = mpki;
            this.mlp = mlp;
        }

        /** Default instructions per compute cycle. */
        public double defaultIpc() {
            return ipc;
        }

        /** Default LLC misses per thousand instructions. */
        public double defaultMpki() {
            return mpki;
        }

        /** Default memory-level parallelism. */
        public double defaultMlp() {
            return mlp;
        }
    }

    /** LLC misses per compute cycle. */
    public double missesPerCycle() {
        return ipc * mpki / 1000.0;
    }

    /** Instructions per second this job retires alone on {@code machine}: top frequency, unthrottled, unloaded memory. */
    public double nominalInstructionsPerSec(MachineSpec machine) {
        MachineSpec.Memory mem = machine.memory();
        double rate = MemoryModel.cyclesPerNano(machine.dvfs().maxKhz() / 1e6, missesPerCycle(), mlp(),
                mem.idleLatencyNanos(), mem.coreMaxGBps(), mem.lineBytes());
        return cpus().size() * rate * ipc() * 1e9;
    }
}
