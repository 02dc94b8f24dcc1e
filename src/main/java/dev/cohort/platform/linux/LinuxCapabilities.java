package dev.cohort.platform.linux;

import dev.cohort.platform.Availability;
import dev.cohort.platform.Capabilities;
import dev.cohort.platform.Control;
import dev.cohort.platform.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a {@link HostProbe} (and the perf events that opened) into {@link Capabilities}: for every signal and
 * control, whether it is there and, if not, why and what would enable it, plus the privilege it needs and
 * where it comes from (for {@code cohort doctor}).
 */
final class LinuxCapabilities {
    private LinuxCapabilities() {
    }

    /**
     * One signal or control.
     *
     * @param kind      {@code signal} or {@code control}
     * @param name      the signal's or control's display name
     * @param source    the kernel interface it comes from
     * @param privilege what reading or writing it needs
     */
    record Entry(String kind, String name, boolean available, String reason, String remedy, String source, String privilege) {
        Availability availability() {
            return available ? Availability.yes() : Availability.no(reason, remedy);
        }
    }

    private static final String ANY = "any user";
    private static final String WRITE = "root (file owner) or CAP_DAC_OVERRIDE, and a writable /sys (no systemd ProtectKernelTunables)";
    private static final String CG_WRITE = "root or CAP_DAC_OVERRIDE (or a delegated cgroup), and a writable /sys/fs/cgroup";
    private static final String PERF = "CAP_PERFMON or CAP_SYS_ADMIN for per-CPU counting (or kernel.perf_event_paranoid <= 0)";

    /** Every signal and control, in declaration order. */
    static List<Entry> entries(HostProbe h, PerfCounters perf, CgroupPerfCounters cgroupPerf) {
        List<Entry> out = new ArrayList<>();
        for (Signal s : Signal.values()) {
            out.add(s == Signal.CGROUP_INSTRUCTIONS ? cgroupInstructions(h, cgroupPerf, s.displayName()) : signal(h, perf, s));
        }
        for (Control c : Control.values()) {
            out.add(control(h, c));
        }
        return out;
    }

    /** The {@link Capabilities} the entries describe. */
    static Capabilities capabilities(List<Entry> entries) {
        Capabilities.Builder b = Capabilities.builder();
        for (Entry e : entries) {
            if (e.kind().equals("signal")) {
                b.signal(Signal.valueOf(e.name().toUpperCase(java.util.Locale.ROOT).replace('.', '_')), e.availability());
            } else {
                b.control(Control.valueOf(e.name().toUpperCase(java.util.Locale.ROOT)), e.availability());
            }
        }
        return b.build();
    }

    private static Entry signal(HostProbe h, PerfCounters perf, Signal s) {
        String n = s.displayName();
        return switch (s) {
            case CPU_BUSY_NANOS, CPU_IDLE_NANOS -> h.procStatReason.isEmpty()
                    ? yes(n, "/proc/stat", ANY) : no(n, h.procStatReason, "", "/proc/stat", ANY);
            case CPU_CYCLES -> perfEntry(h, perf, n, PerfCounters.CYCLES);
            case CPU_INSTRUCTIONS -> perfEntry(h, perf, n, PerfCounters.INSTRUCTIONS);
            case CPU_LLC_MISSES -> perfEntry(h, perf, n, PerfCounters.LLC_MISSES);
            case CPU_STALL_CYCLES -> h.amd
                    ? no(n, "AMD Zen has no memory-stall event in perf's generic map (stalled-cycles-backend counts"
                    + " instruction-fetch back-pressure)", "use LLC misses and resctrl MBM instead", "perf_event_open", PERF)
                    : perfEntry(h, perf, n, LinuxPlatform.stallEvent(h));
            case CPU_FREQ_KHZ -> h.policies.isEmpty() ? no(n, h.cpufreqReason, "load a cpufreq driver", "cpufreq", ANY)
                    : yes(n, "cpufreq scaling_cur_freq (" + h.policies.getFirst().driver() + ")" + unusedPolicies(h), ANY);
            case PKG_ENERGY_UJ -> energy(h, n, PowercapRapl.Domain.PACKAGE);
            case DRAM_ENERGY_UJ -> energy(h, n, PowercapRapl.Domain.DRAM);
            case MEM_BYTES -> h.resctrl == null ? no(n, h.resctrlReason, "", "resctrl MBM", ANY)
                    : h.monFeatures.contains("mbm_total_bytes") ? yes(n, "resctrl mbm_total_bytes", ANY)
                    : no(n, "resctrl has no mbm_total_bytes monitoring (info/L3_MON/mon_features)", "", "resctrl MBM", ANY);
            case CGROUP_USAGE_USEC, CGROUP_THROTTLED_USEC, CGROUP_PERIODS, CGROUP_THROTTLED_PERIODS ->
                    cgroupEntry(h, n, s == Signal.CGROUP_USAGE_USEC ? "cpu.stat / cpuacct.usage" : "cpu.stat", ANY, false);
            case CGROUP_CPU_PRESSURE_SOME_USEC, CGROUP_MEM_PRESSURE_SOME_USEC -> cgroupPsi(h, n);
            case CGROUP_INSTRUCTIONS -> throw new IllegalStateException("decided by cgroupInstructions");
            case CGROUP_REQUESTS, CGROUP_SLO_VIOLATIONS, CGROUP_LATENCY, CGROUP_LATENCY_QUANTILE_USEC ->
                    no(n, "request latency comes from the service, not the kernel; the Linux backend has no source for it",
                            "", "service", ANY);
            case SYS_CPU_PRESSURE_SOME_USEC -> psi(h, n, "cpu", true);
            case SYS_MEM_PRESSURE_SOME_USEC -> psi(h, n, "memory", true);
            case SYS_MEM_PRESSURE_FULL_USEC -> psi(h, n, "memory", false);
            case SYS_IO_PRESSURE_SOME_USEC -> psi(h, n, "io", true);
        };
    }

    private static Entry control(HostProbe h, Control c) {
        String n = c.name().toLowerCase(java.util.Locale.ROOT);
        return switch (c) {
            case FREQ_MAX_KHZ, FREQ_MIN_KHZ -> {
                if (h.policies.isEmpty()) {
                    yield no(n, h.cpufreqReason, "load a cpufreq driver", "cpufreq", WRITE, true);
                }
                Path f = h.policies.getFirst().file(c == Control.FREQ_MAX_KHZ ? "scaling_max_freq" : "scaling_min_freq");
                yield writable(n, f, "cpufreq " + f.getFileName() + unusedPolicies(h), WRITE);
            }
            case EPP -> {
                var p = h.policies.stream().filter(x -> x.epp().isPresent()).findFirst();
                yield p.isEmpty() ? no(n, h.policies.isEmpty() ? h.cpufreqReason
                        : "the cpufreq driver (" + h.policies.getFirst().driver() + ") has no energy_performance_preference",
                        "intel_pstate with HWP or amd-pstate-epp", "cpufreq", WRITE, true)
                        : writable(n, p.get().file("energy_performance_preference"), "cpufreq energy_performance_preference", WRITE);
            }
            case CPU_MAX_USEC, CPU_WEIGHT -> cgroupEntry(h, n, c == Control.CPU_MAX_USEC ? "cpu.max / cpu.cfs_quota_us"
                    : "cpu.weight / cpu.shares", CG_WRITE, true);
            case MBA_PERCENT -> h.resctrl == null ? no(n, h.resctrlReason, "", "resctrl", WRITE, true)
                    : h.mb.isEmpty() ? no(n, "resctrl has no MB resource (no memory-bandwidth allocation on this CPU)", "",
                    "resctrl", WRITE, true)
                    : writable(n, h.resctrl.dir(), "resctrl schemata MB (" + h.mb.get().unit() + ")", WRITE + "; CAP_SYS_ADMIN to mount");
            case POWER_LIMIT_UW -> {
                var pl1 = h.packagePowerLimit(0);
                yield pl1 == null ? no(n, h.zones.isEmpty() ? "RAPL: " + h.raplReason
                        : "no package zone with a long_term constraint (PL1) in " + h.rapl.dir()
                        + (h.raplSkipped.isEmpty() ? "" : "; left out: " + String.join("; ", h.raplSkipped)),
                        "bare-metal Intel with intel_rapl_common loaded", "powercap", WRITE, true)
                        : writable(n, PowercapRapl.powerLimitFile(pl1.zone(), pl1.constraint()),
                        "powercap " + pl1.zone().id() + " constraint_" + pl1.constraint().index() + " (long_term)", WRITE);
            }
        };
    }

    /** The policies left out (their reasons are in the doctor's cpufreq line), or empty. */
    private static String unusedPolicies(HostProbe h) {
        return h.inactivePolicies.isEmpty() ? "" : " from " + h.policies.size() + " of "
                + (h.policies.size() + h.inactivePolicies.size()) + " policies; not used: "
                + String.join(", ", h.inactivePolicies.stream().map(CpufreqSysfs.Policy::name).toList());
    }

    /** Instructions per managed cgroup, counted in perf's cgroup mode (all cgroups or none). */
    private static Entry cgroupInstructions(HostProbe h, CgroupPerfCounters c, String n) {
        String source = "perf_event_open per cgroup (PERF_FLAG_PID_CGROUP)";
        if (c == null) {
            return no(n, h.perfReason.isEmpty() ? "no managed cgroups to count" : h.perfReason, "", source, PERF);
        }
        if (!c.counting()) {
            return no(n, "perf " + c.unavailableReason(), remedy(c.failureErrno()), source, PERF);
        }
        return yes(n, source + " " + c.event().name(), PERF);
    }

    private static Entry perfEntry(HostProbe h, PerfCounters perf, String n, PerfCounters.Event e) {
        if (perf == null) {
            return no(n, h.perfReason, "", "perf_event_open", PERF);
        }
        for (PerfCounters.Status st : perf.statuses()) {
            if (st.event().equals(e)) {
                return st.available() ? yes(n, "perf_event_open " + e.name(), PERF)
                        : no(n, "perf " + st.reason(), remedy(st.errno()), "perf_event_open", PERF);
            }
        }
        return no(n, "perf event " + e.name() + " was not requested", "", "perf_event_open", PERF);
    }

    private static String remedy(Errno e) {
        return e == Errno.EACCES ? "run as root, or grant CAP_PERFMON, or set kernel.perf_event_paranoid=0"
                : e == Errno.ENOENT ? "bare metal, or a VM with a virtual PMU (e.g. KVM -cpu host)" : "";
    }

    private static Entry energy(HostProbe h, String n, PowercapRapl.Domain d) {
        String domain = d.name().toLowerCase(java.util.Locale.ROOT);
        String priv = "root or CAP_DAC_READ_SEARCH (energy_uj is 0400)";
        if (!h.zones.isEmpty()) {
            if (!h.raplReason.isEmpty()) {
                return no(n, h.raplReason, "run as root", "powercap", priv);
            }
            if (h.zones.stream().noneMatch(z -> z.domain() == d)) {
                // where it looked: every zone's name file, and the zones left out
                return no(n, "no " + domain + " RAPL zone on this CPU (" + String.join(", ", h.zones.stream()
                        .map(z -> z.dir().resolve("name") + "=" + z.name()).toList()) + (h.raplSkipped.isEmpty() ? ""
                        : "; left out: " + String.join("; ", h.raplSkipped)) + ")", "", "powercap", priv);
            }
            String gap = h.energyGap(d);
            return gap.isEmpty() ? yes(n, "powercap " + domain + " energy_uj", priv) : no(n, gap, "", "powercap", priv);
        }
        if (h.msr != null && (d == PowercapRapl.Domain.PACKAGE || !h.amd)) {
            return yes(n, "RAPL MSR through /dev/cpu/N/msr", "CAP_SYS_RAWIO and the msr module");
        }
        String msr = h.msrReason.isEmpty() ? "" : "; MSR fallback: " + h.msrReason;
        return no(n, "RAPL: " + h.raplReason + msr, "bare-metal Intel or AMD Zen with intel_rapl_common loaded",
                "powercap / MSR", priv);
    }

    private static Entry cgroupEntry(HostProbe h, String n, String files, String priv, boolean write) {
        String layout = h.mounts.layout().name().toLowerCase(java.util.Locale.ROOT);
        if (h.cgroups.isEmpty()) {
            return no(n, "no managed cgroups configured (cgroup layout " + layout + ")",
                    "name the cgroups to manage in the configuration", "cgroup " + files, priv, write);
        }
        if (h.cgroups.stream().anyMatch(Objects::isNull) || !h.cgroupMissing.isEmpty()) {
            return no(n, String.join("; ", h.cgroupMissing), "create the cgroups or fix their paths", "cgroup " + files, priv, write);
        }
        String v = h.cgroups.getFirst().version();
        if (write) {
            Path f = h.cgroups.getFirst().dir();
            return writable(n, f, "cgroup " + v + " " + files, priv);
        }
        return yes(n, "cgroup " + v + " " + files, priv);
    }

    private static Entry cgroupPsi(HostProbe h, String n) {
        Entry base = cgroupEntry(h, n, "*.pressure", ANY, false);
        if (!base.available()) {
            return base;
        }
        if (h.cgroups.getFirst() instanceof CgroupV1) {
            return no(n, "cgroup v1 has no per-cgroup PSI files (cgroup layout "
                    + h.mounts.layout().name().toLowerCase(java.util.Locale.ROOT) + ")", "boot with the unified cgroup v2 hierarchy"
                    + " (systemd.unified_cgroup_hierarchy=1)", "cgroup *.pressure", ANY);
        }
        return h.cgroups.getFirst().pressureFile("cpu").isPresent() ? base
                : no(n, "no cpu.pressure in " + h.cgroups.getFirst().dir() + " (PSI disabled)", "boot with psi=1", "cgroup *.pressure", ANY);
    }

    private static Entry psi(HostProbe h, String n, String res, boolean some) {
        Path f = h.root.resolve("proc/pressure").resolve(res);
        if (!h.psiReason.isEmpty()) {
            return no(n, h.psiReason, "boot with psi=1 on a kernel with CONFIG_PSI", "/proc/pressure", ANY);
        }
        if (h.psiProblems.containsKey(res)) {
            return no(n, h.psiProblems.get(res), "", "/proc/pressure", ANY);
        }
        Psi.Pressure p = h.psiSeen.get(res);
        if (p == null) {
            return no(n, "no " + f, "", "/proc/pressure", ANY);
        }
        return (some ? p.some() : p.full()).isPresent() ? yes(n, "/proc/pressure/" + res, ANY)
                : no(n, f + " has no " + (some ? "some" : "full") + " line", "", "/proc/pressure", ANY);
    }

    private static Entry writable(String n, Path f, String source, String priv) {
        return Files.isWritable(f) ? new Entry("control", n, true, "", "", source, priv)
                : new Entry("control", n, false, f + " is not writable by this user", "run as root", source, priv);
    }

    private static Entry yes(String n, String source, String priv) {
        return new Entry("signal", n, true, "", "", source, priv);
    }

    private static Entry no(String n, String reason, String remedy, String source, String priv) {
        return new Entry("signal", n, false, reason, remedy, source, priv);
    }

    private static Entry no(String n, String reason, String remedy, String source, String priv, boolean control) {
        return new Entry(control ? "control" : "signal", n, false, reason, remedy, source, priv);
    }
}
