package dev.cohort.platform.sim;

import dev.cohort.platform.Availability;
import dev.cohort.platform.Capabilities;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Control;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Topology;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** The topology and capabilities a scenario's machine presents through the platform API. */
final class SimTopology {
    /** Signals the model has; the others are reported missing with a reason. */
    static final EnumSet<Signal> SIGNALS = EnumSet.of(
            Signal.CPU_BUSY_NANOS, Signal.CPU_IDLE_NANOS, Signal.CPU_CYCLES, Signal.CPU_INSTRUCTIONS,
            Signal.CPU_LLC_MISSES, Signal.CPU_STALL_CYCLES, Signal.CPU_FREQ_KHZ,
            Signal.PKG_ENERGY_UJ, Signal.DRAM_ENERGY_UJ, Signal.MEM_BYTES,
            Signal.CGROUP_USAGE_USEC, Signal.CGROUP_THROTTLED_USEC, Signal.CGROUP_PERIODS,
            Signal.CGROUP_THROTTLED_PERIODS, Signal.CGROUP_CPU_PRESSURE_SOME_USEC, Signal.CGROUP_MEM_PRESSURE_SOME_USEC,
            Signal.CGROUP_INSTRUCTIONS, Signal.CGROUP_REQUESTS, Signal.CGROUP_SLO_VIOLATIONS, Signal.CGROUP_LATENCY,
            Signal.SYS_CPU_PRESSURE_SOME_USEC, Signal.SYS_MEM_PRESSURE_SOME_USEC);

    private SimTopology() {
    }

    /**
     * CPUs = cores (no SMT), packages = sockets, one frequency domain per {@code coresPerFreqDomain} cores
     * (named {@code policy<first CPU>} as cpufreq does), one memory domain per socket, one cgroup per
     * service ({@code LATENCY_CRITICAL}) then per batch job ({@code BEST_EFFORT}) at {@code sim/<name>}.
     */
    static Topology of(Scenario s) {
        MachineSpec m = s.machine();
        List<Topology.Cpu> cpus = new ArrayList<>();
        for (int c = 0; c < m.cpuCount(); c++) {
            int pkg = c / m.coresPerSocket();
            cpus.add(new Topology.Cpu(c, c, pkg, pkg));
        }
        List<Topology.FrequencyDomain> fds = new ArrayList<>();
        for (int d = 0; d < m.frequencyDomainCount(); d++) {
            int first = d * m.coresPerFreqDomain();
            fds.add(new Topology.FrequencyDomain("policy" + first, CpuSet.range(first, m.coresPerFreqDomain()),
                    m.dvfs().minKhz(), m.dvfs().maxKhz(), m.dvfs().levelsKhz()));
        }
        List<Topology.MemoryDomain> mds = new ArrayList<>();
        for (int p = 0; p < m.sockets(); p++) {
            mds.add(new Topology.MemoryDomain(p, p, CpuSet.range(p * m.coresPerSocket(), m.coresPerSocket()),
                    Optional.of(m.memory().mba())));
        }
        List<Topology.CgroupInfo> cgroups = new ArrayList<>();
        for (ServiceSpec svc : s.services()) {
            cgroups.add(new Topology.CgroupInfo(svc.name(), "sim/" + svc.name(), CgroupRole.LATENCY_CRITICAL,
                    svc.cpus(), svc.sloUsec(), svc.sloQuantile()));
        }
        for (BatchSpec b : s.batchJobs()) {
            cgroups.add(new Topology.CgroupInfo(b.name(), "sim/" + b.name(), CgroupRole.BEST_EFFORT, b.cpus(), 0, 0,
                    b.nominalInstructionsPerSec(m)));
        }
        return new Topology(cpus, m.sockets(), fds, mds, cgroups, m.reservedCpus());
    }

    /** Why a machine without RAPL lacks its signals and its control. */
    static final String NO_RAPL = "the scenario's machine has no RAPL (machine.rapl.present: false), as a host without it";

    /** Everything the model knows is available (RAPL only when {@code rapl}); the rest says why not. */
    static Capabilities capabilities(boolean rapl) {
        Capabilities.Builder b = Capabilities.builder();
        for (Signal s : Signal.values()) {
            boolean energy = s == Signal.PKG_ENERGY_UJ || s == Signal.DRAM_ENERGY_UJ;
            b.signal(s, energy && !rapl ? Availability.no(NO_RAPL, "")
                    : SIGNALS.contains(s) ? Availability.yes() : Availability.no(missing(s), ""));
        }
        for (Control c : Control.values()) {
            b.control(c, c == Control.EPP
                    ? Availability.no("the simulated machine does not model EPP (the governor runs at the frequency cap)", "")
                    : c == Control.POWER_LIMIT_UW && !rapl ? Availability.no(NO_RAPL, "") : Availability.yes());
        }
        return b.build();
    }

    private static String missing(Signal s) {
        return switch (s) {
            case CGROUP_LATENCY_QUANTILE_USEC ->
                    "the simulated machine records every request in a latency histogram (cgroup.latency) instead";
            case SYS_MEM_PRESSURE_FULL_USEC -> "the simulated machine does not model memory pressure 'full' (all tasks stalled)";
            case SYS_IO_PRESSURE_SOME_USEC -> "the simulated machine does not model I/O";
            default -> "the simulated machine does not model " + s.displayName();
        };
    }
}
