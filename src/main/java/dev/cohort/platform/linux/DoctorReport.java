package dev.cohort.platform.linux;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code cohort doctor} prints: the kernel and drivers seen, every signal and control with available
 * or missing and why, the privilege each needs, and which host-tagged tests would run or be skipped here.
 *
 * @param host     facts about the host, in display order (kernel, cpus, cpufreq, rapl, resctrl, cgroups, psi, perf, user)
 * @param signals  one entry per signal
 * @param controls one entry per control
 * @param tests    the host-tagged tests and whether their requirements are met
 */
public record DoctorReport(Map<String, String> host, List<Item> signals, List<Item> controls, List<TestGate> tests) {

    /** One signal or control. */
    public record Item(String name, boolean available, String reason, String remedy, String source, String privilege) {
    }

    /** A host-tagged test: would it run here, and if not, why. */
    public record TestGate(String test, boolean runs, String reason) {
    }

    static DoctorReport of(HostProbe h, List<LinuxCapabilities.Entry> entries, PerfCounters perf) {
        Map<String, String> host = new LinkedHashMap<>();
        host.put("root", h.root.toString());
        host.put("kernel", h.kernel);
        host.put("cpu", h.cpuVendor + ", " + h.topo.cpus().size() + " CPUs (online " + h.online() + "), "
                + h.topo.packageCount() + " package(s), " + h.topo.nodeCount() + " NUMA node(s) (MemTotal "
                + java.util.Arrays.stream(new SysTopology(h.root, h.files).nodeMemTotalKb(h.topo.nodeCount()))
                .mapToObj(kb -> kb > 0 ? kb / 1024 + " MiB" : "unknown").collect(java.util.stream.Collectors.joining(", ")) + "), topology from " + h.topo.source()
                + (h.topo.notes().isEmpty() ? "" : " (" + String.join("; ", h.topo.notes()) + ")"));
        host.put("cpufreq", h.policies.isEmpty() ? "none: " + h.cpufreqReason : h.policies.size() + " policies, driver "
                + h.policies.getFirst().driver() + ", governor " + h.policies.getFirst().governor()
                + h.driverGlobals.map(g -> ", " + g.dirName() + " status=" + g.values().getOrDefault("status", "?")).orElse("")
                + unusedPolicies(h));
        host.put("rapl", !h.zones.isEmpty() ? h.zones.stream().map(z -> z.id() + "=" + z.name()).toList()
                + (h.raplReason.isEmpty() ? "" : " (" + h.raplReason + ")")
                + (h.raplSkipped.isEmpty() ? "" : "; left out: " + String.join("; ", h.raplSkipped))
                : h.msr != null ? "MSR fallback through /dev/cpu/N/msr" : "none: " + h.raplReason
                + (h.msrReason.isEmpty() ? "" : "; MSR: " + h.msrReason));
        host.put("resctrl", h.resctrl == null ? "none: " + h.resctrlReason : "mounted at " + h.resctrl.dir() + " options "
                + h.resctrlOptions + ", MB " + h.mb.map(m -> m.unit() + " min " + m.minBandwidth() + " gran " + m.bandwidthGran())
                .orElse("none") + ", domains " + h.mbDomains + ", monitoring " + h.monFeatures);
        host.put("cgroups", cgroups(h));
        host.put("psi", h.psiReason.isEmpty() ? "present (" + h.root.resolve("proc/pressure") + ")" : "none: " + h.psiReason);
        host.put("perf", perf(h, perf));
        host.put("user", user());
        List<Item> signals = new ArrayList<>();
        List<Item> controls = new ArrayList<>();
        for (LinuxCapabilities.Entry e : entries) {
            Item it = new Item(e.name(), e.available(), e.reason(), e.remedy(), e.source(), e.privilege());
            (e.kind().equals("signal") ? signals : controls).add(it);
        }
        return new DoctorReport(host, signals, controls, tests(h, perf));
    }

    /** The policies not used, each with why, and the files left out of the used ones. */
    private static String unusedPolicies(HostProbe h) {
        List<String> out = new ArrayList<>();
        h.inactivePolicies.forEach(p -> out.add(p.name() + " not used: " + p.inactiveReason().orElse("")));
        h.policies.forEach(p -> out.addAll(p.notes()));
        return out.isEmpty() ? "" : "; " + String.join("; ", out);
    }

    private static String cgroups(HostProbe h) {
        StringBuilder b = new StringBuilder(h.mounts.layout().name().toLowerCase(java.util.Locale.ROOT));
        if (!h.cgroupReason.isEmpty()) {
            b.append(" (").append(h.cgroupReason).append(')');
        }
        h.mounts.v2MountPoint().ifPresent(m -> b.append("; cgroup2 at ").append(m).append(" controllers [")
                .append(readOr(h, h.under(m).resolve("cgroup.controllers"))).append(']'));
        for (String c : List.of("cpu", "cpuacct", "cpuset", "memory")) {
            h.mounts.v1MountPoint(c).ifPresent(m -> b.append("; v1 ").append(c).append(" at ").append(m));
        }
        if (!h.cgroupMissing.isEmpty()) {
            b.append("; missing: ").append(String.join("; ", h.cgroupMissing));
        }
        return b.toString();
    }

    private static String perf(HostProbe h, PerfCounters perf) {
        String paranoid = h.perfParanoid == Integer.MIN_VALUE ? "none" : Integer.toString(h.perfParanoid);
        if (perf == null) {
            return "perf_event_paranoid=" + paranoid + "; not opened: " + h.perfReason;
        }
        List<String> st = perf.statuses().stream().map(s -> s.event().name() + (s.available() ? " ok" : " " + s.errno())).toList();
        return "perf_event_paranoid=" + paranoid + "; per-CPU hardware events: " + String.join(", ", st)
                + "; software events (cpu-clock): " + h.perfSoftware;
    }

    private static String readOr(HostProbe h, Path p) {
        try {
            return h.files.readTrim(p);
        } catch (Exception e) {
            return "?";
        }
    }

    private static String user() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return "uid " + uid + (Integer.valueOf(0).equals(uid) ? " (root)" : " (not root: writes and per-CPU perf need privileges)");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static List<TestGate> tests(HostProbe h, PerfCounters perf) {
        List<TestGate> t = new ArrayList<>();
        String notLive = h.live ? null : "reads a captured tree, not this kernel";
        t.add(gate("ProcStatHostTest (per-CPU utilisation vs mpstat)", notLive != null ? notLive
                : onPath("mpstat") ? null : "no mpstat (apt-get install sysstat)"));
        boolean sw = perf != null || (h.live && h.perfReason.isEmpty());
        t.add(gate("PerfHostTest (software events vs perf stat)", notLive != null ? notLive
                : !onPath("perf") ? "no perf (apt-get install linux-perf)" : !sw ? h.perfReason : null));
        boolean cpuCtl = h.mounts.v1MountPoint("cpu").isPresent() || h.mounts.v2MountPoint()
                .map(m -> readOr(h, h.under(m).resolve("cgroup.controllers")).contains("cpu")).orElse(false);
        t.add(gate("CgroupQuotaHostTest (30% quota on a busy process, then restore)", notLive != null ? notLive
                : !cpuCtl ? "no cgroup hierarchy with the cpu controller" : !user().contains("root") ? "needs root" : null));
        t.add(gate("PsiHostTest (system PSI read)", notLive != null ? notLive : h.psiReason.isEmpty() ? null : h.psiReason));
        t.add(gate("CpufreqHostTest (policy invariants)", notLive != null ? notLive
                : h.policies.isEmpty() ? h.cpufreqReason : null));
        t.add(gate("RaplHostTest (energy increases)", notLive != null ? notLive
                : !h.zones.isEmpty() && h.raplReason.isEmpty() || h.msr != null ? null : "no RAPL: " + h.raplReason));
        t.add(gate("ResctrlHostTest (schemata and MBM read)", notLive != null ? notLive
                : h.resctrl == null ? h.resctrlReason : null));
        return t;
    }

    private static TestGate gate(String name, String whyNot) {
        return new TestGate(name, whyNot == null, whyNot == null ? "" : whyNot);
    }

    /** True when an executable of this name is on the PATH. */
    static boolean onPath(String exe) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the doctor report as JSON: " + e.getMessage(), e);
        }
    }

    /** The report as text for people. */
    public String toText() {
        StringBuilder b = new StringBuilder("cohort doctor\n\nHost\n");
        host.forEach((k, v) -> b.append(String.format("  %-8s %s%n", k, v)));
        section(b, "Signals", signals);
        section(b, "Controls", controls);
        b.append("\nHost-tagged tests\n");
        for (TestGate g : tests) {
            b.append(g.runs() ? "  runs     " : "  skipped  ").append(g.test());
            b.append(g.runs() ? "" : ": " + g.reason()).append('\n');
        }
        long avail = signals.stream().filter(Item::available).count() + controls.stream().filter(Item::available).count();
        b.append(String.format("%n%d of %d signals and controls available.%n", avail, signals.size() + controls.size()));
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<Item> items) {
        b.append('\n').append(title).append('\n');
        for (Item i : items) {
            if (i.available()) {
                b.append(String.format("  ok       %-34s %s; needs %s%n", i.name(), i.source(), i.privilege()));
            } else {
                b.append(String.format("  missing  %-34s %s%s%n", i.name(), i.reason(),
                        i.remedy().isEmpty() ? "" : "; to enable: " + i.remedy()));
            }
        }
    }
}
