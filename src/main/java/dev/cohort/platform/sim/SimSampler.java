package dev.cohort.platform.sim;

import dev.cohort.platform.LatencyHistogram;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import java.util.function.Supplier;

/**
 * Builds one {@link Telemetry} sample from the engine's counters, in the units a real host reports:
 * nanoseconds and counts per CPU, µJ per package (unwrapped by the caller), bytes per memory domain, µs and
 * counts per cgroup. Cumulative values are rounded down, so every counter is monotone.
 */
final class SimSampler {
    private SimSampler() {
    }

    /**
     * @param energy reads {package µJ, DRAM µJ} per package, wraparound already undone; null on a machine without
     *               RAPL, whose samples then carry no energy counters
     */
    static Telemetry sample(Engine e, Supplier<long[][]> energy) {
        Counters k = e.counters;
        int n = e.cpuCount;
        long now = e.nowNanos;
        long[] busy = new long[n];
        long[] idle = new long[n];
        long[] cycles = new long[n];
        long[] instr = new long[n];
        long[] misses = new long[n];
        long[] stalls = new long[n];
        double[] freq = new double[n];
        for (int c = 0; c < n; c++) {
            busy[c] = Math.min(now, (long) Math.floor(k.busyNanos[c]));
            idle[c] = now - busy[c];
            cycles[c] = (long) Math.floor(k.cycles[c]);
            instr[c] = (long) Math.floor(k.instructions[c]);
            misses[c] = (long) Math.floor(k.llcMisses[c]);
            stalls[c] = (long) Math.floor(k.stallCycles[c]);
            freq[c] = e.freqKhz[e.cpuDomain[c]];
        }
        long[][] rapl = energy == null ? null : energy.get();
        long[] memBytes = new long[e.sockets];
        for (int s = 0; s < e.sockets; s++) {
            memBytes[s] = (long) Math.floor(k.memBytes[s]);
        }
        int g = e.cgroupCount;
        long[] usage = new long[g];
        long[] throttled = new long[g];
        long[] periods = new long[g];
        long[] throttledPeriods = new long[g];
        long[] cpuSome = new long[g];
        long[] memSome = new long[g];
        long[] cgInstr = new long[g];
        long[] requests = new long[g];
        long[] violations = new long[g];
        LatencyHistogram[] latency = new LatencyHistogram[g];
        for (int i = 0; i < g; i++) {
            CfsBandwidth q = e.quota(i);
            usage[i] = k.usageNanos[i] / 1000;
            throttled[i] = (long) Math.floor(q.throttledNanos / 1000);
            periods[i] = q.periods;
            throttledPeriods[i] = q.throttledPeriods;
            cpuSome[i] = (long) Math.floor(k.cpuSomeNanos[i] / 1000);
            memSome[i] = (long) Math.floor(k.memSomeNanos[i] / 1000);
            cgInstr[i] = (long) Math.floor(k.cgroupInstructions[i]);
            if (i < e.serviceCount) {
                ServiceModel sm = e.services[i];
                requests[i] = sm.requests;
                violations[i] = sm.violations;
                latency[i] = sm.latency.copy();
            }
        }
        Telemetry.Builder t = Telemetry.builder(now);
        if (rapl != null) {
            t.counter(Signal.PKG_ENERGY_UJ, rapl[0]).counter(Signal.DRAM_ENERGY_UJ, rapl[1]);
        }
        return t
                .counter(Signal.CPU_BUSY_NANOS, busy)
                .counter(Signal.CPU_IDLE_NANOS, idle)
                .counter(Signal.CPU_CYCLES, cycles)
                .counter(Signal.CPU_INSTRUCTIONS, instr)
                .counter(Signal.CPU_LLC_MISSES, misses)
                .counter(Signal.CPU_STALL_CYCLES, stalls)
                .gauge(Signal.CPU_FREQ_KHZ, freq)
                .counter(Signal.MEM_BYTES, memBytes)
                .counter(Signal.CGROUP_USAGE_USEC, usage)
                .counter(Signal.CGROUP_THROTTLED_USEC, throttled)
                .counter(Signal.CGROUP_PERIODS, periods)
                .counter(Signal.CGROUP_THROTTLED_PERIODS, throttledPeriods)
                .counter(Signal.CGROUP_CPU_PRESSURE_SOME_USEC, cpuSome)
                .counter(Signal.CGROUP_MEM_PRESSURE_SOME_USEC, memSome)
                .counter(Signal.CGROUP_INSTRUCTIONS, cgInstr)
                .counter(Signal.CGROUP_REQUESTS, requests)
                .counter(Signal.CGROUP_SLO_VIOLATIONS, violations)
                .counter(Signal.SYS_CPU_PRESSURE_SOME_USEC, new long[]{(long) Math.floor(k.sysCpuSomeNanos / 1000)})
                .counter(Signal.SYS_MEM_PRESSURE_SOME_USEC, new long[]{(long) Math.floor(k.sysMemSomeNanos / 1000)})
                .latency(latency)
                .build();
    }
}
