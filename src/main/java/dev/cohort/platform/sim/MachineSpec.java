package dev.cohort.platform.sim;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated hardware: sockets of cores, their DVFS range and voltage curve, the power model, the
 * memory system and the RAPL counter range. Every value has a default in {@code docs/simulator.md}.
 *
 * @param sockets            packages; one memory-bandwidth domain and one RAPL package counter each
 * @param coresPerSocket     cores (= logical CPUs, no SMT) per socket
 * @param coresPerFreqDomain cores that share one frequency (1 = per-core DVFS)
 * @param reservedCpus       CPUs cohort must never touch
 * @param dvfs               frequency range, levels and voltage curve
 * @param power              power model coefficients
 * @param memory             bandwidth, latency curve and MBA scale of each socket's memory
 * @param raplRangeUj        value at which the raw energy counters wrap to 0, µJ
 * @param rapl               whether the machine shows RAPL (energy counters and the power limit); false plays a host
 *                           without it, as many VMs and clouds are, where package power must be estimated
 */
public record MachineSpec(int sockets, int coresPerSocket, int coresPerFreqDomain, CpuSet reservedCpus,
                          Dvfs dvfs, Power power, Memory memory, long raplRangeUj,
                          boolean rapl) {

    /** Number of logical CPUs. */
    public int cpuCount() {
        return sockets * coresPerSocket;
    }

    /** Number of frequency domains. */
    public int frequencyDomainCount() {
        return (cpuCount() + coresPerFreqDomain - 1) / coresPerFreqDomain;
    }

    /**
     * Frequency range, discrete levels and the voltage-frequency curve: V is flat at {@code minVolts} up to
     * the knee, then rises linearly to {@code maxVolts} at the maximum frequency (marl-and-simulation §4.1).
     *
     * @param minKhz   lowest level
     * @param maxKhz   highest level
     * @param stepKhz  spacing of the levels
     * @param minVolts voltage at and below the knee
     * @param maxVolts voltage at the maximum frequency
     * @param kneeKhz  frequency where the voltage starts to rise
     */
    public record Dvfs(long minKhz, long maxKhz, long stepKhz, double minVolts, double maxVolts, long kneeKhz) {

        /** The discrete levels, ascending, from min to max in steps (max is always a level). */
        public List<Long> levelsKhz() {
            List<Long> out = new ArrayList<>();
            for (long f = minKhz; f < maxKhz; f += stepKhz) {
                out.add(f);
            }
            out.add(maxKhz);
            return out;
        }

        /** Supply voltage at frequency {@code khz}, volts. */
        public double volts(long khz) {
            if (khz <= kneeKhz || maxKhz <= kneeKhz) {
                return minVolts;
            }
            double slope = (maxVolts - minVolts) / (maxKhz - kneeKhz);
            return minVolts + slope * (Math.min(khz, maxKhz) - kneeKhz);
        }
    }

    /**
     * Power model. Per core: dynamic {@code C·V²·f·activity} while running (activity 1 for a compute cycle,
     * {@code stallActivity} for a cycle stalled on memory) plus static {@code staticWattsPerVolt·V} always.
     * Per package: {@code packageIdleWatts + uncoreWattsPerGBps·BW}. DRAM: {@code dramIdleWatts + dramWattsPerGBps·BW}.
     *
     * @param capacitanceNf      effective switched capacitance C, nF (W per V²·GHz)
     * @param stallActivity      switching activity of a memory-stalled cycle relative to a busy one, 0..1
     * @param staticWattsPerVolt leakage of one powered core per volt of supply, W/V
     * @param packageIdleWatts   package power with every core idle, excluding per-core leakage, W
     * @param uncoreWattsPerGBps uncore (mesh, memory controller) power per GB/s of memory traffic, W
     * @param dramIdleWatts      DRAM background power per package, W
     * @param dramWattsPerGBps   DRAM power per GB/s of traffic, W
     */
    public record Power(double capacitanceNf, double stallActivity, double staticWattsPerVolt, double packageIdleWatts,
                        double uncoreWattsPerGBps, double dramIdleWatts, double dramWattsPerGBps) {
    }

    /**
     * One socket's memory system. Loaded latency follows {@code L(ρ) = L0·(1 + a·ρ/(1 − min(ρ, ρmax)))}
     * capped at {@code maxLatencyFactor·L0}, with ρ = traffic / peak; demand beyond the peak waits in the
     * queue (latency rises until the achieved traffic equals the peak). Each core's traffic is limited to
     * {@code coreMaxGBps}, and a best-effort core's to the MBA percentage of that.
     *
     * @param peakGBps         sustained peak bandwidth of the socket, GB/s
     * @param coreMaxGBps      most one core can move (L2-external limit), GB/s
     * @param idleLatencyNanos unloaded latency L0, ns
     * @param latencySlope     the curve's a
     * @param rhoMax           ρ at which the curve stops steepening
     * @param maxLatencyFactor the curve's cap as a multiple of L0
     * @param lineBytes        bytes moved per LLC miss
     * @param mba              how MBA limits are expressed (Intel: percent in steps, rounded up)
     */
    public record Memory(double peakGBps, double coreMaxGBps, double idleLatencyNanos, double latencySlope,
                         double rhoMax, double maxLatencyFactor, int lineBytes, Topology.MbaScale mba) {

        /** Loaded latency at utilisation {@code rho} (0..1) of the peak, ns, before any saturation queueing. */
        public double latencyNanos(double rho) {
            double r = Math.max(0, rho);
            double l = idleLatencyNanos * (1 + latencySlope * r / (1 - Math.min(r, rhoMax)));
            return Math.min(l, maxLatencyFactor * idleLatencyNanos);
        }
    }
}
