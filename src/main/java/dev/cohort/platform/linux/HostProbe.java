package dev.cohort.platform.linux;

import dev.cohort.platform.CpuSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one look at a host found: kernel, CPU vendor, topology, cpufreq policies, RAPL zones (or the MSR
 * fallback), resctrl, the cgroup layout and the managed cgroups, PSI, and perf. Each part that is missing
 * carries the reason. Built once by {@link LinuxPlatform}; {@link LinuxCapabilities} and {@link DoctorReport}
 * read it.
 */
final class HostProbe {
    final Path root;
    final boolean live;
    final KernelFiles files;
    String kernel = "unknown";
    private String cpuFlags;
    String cpuVendor = "unknown";
    boolean amd;
    SysTopology.Result topo;

    final CpufreqSysfs cpufreq;
    final List<CpufreqSysfs.Policy> policies = new ArrayList<>();
    final List<CpufreqSysfs.Policy> inactivePolicies = new ArrayList<>();
    Optional<CpufreqSysfs.DriverGlobals> driverGlobals = Optional.empty();
    String cpufreqReason = "";

    final PowercapRapl rapl;
    final List<PowercapRapl.Zone> zones = new ArrayList<>();
    /** The package and DRAM zones whose energy is added up: each package and die once. */
    final List<PowercapRapl.Zone> energyZones = new ArrayList<>();
    /** Zones left out, each with why (naming the file). */
    final List<String> raplSkipped = new ArrayList<>();
    String raplReason = "";
    MsrRapl msr;
    String msrReason = "";

    Resctrl resctrl;
    Set<String> resctrlOptions = Set.of();
    Optional<Resctrl.MbInfo> mb = Optional.empty();
    List<Integer> mbDomains = List.of();
    List<String> monFeatures = List.of();
    String resctrlReason = "";

    CgroupMounts mounts = CgroupMounts.of(List.of());
    String cgroupReason = "";
    final List<CgroupCpu> cgroups = new ArrayList<>();
    final List<String> cgroupMissing = new ArrayList<>();

    final Psi psi;
    String psiReason = "";
    /** What each system PSI file (cpu, memory, io) held at probe time, or why it could not be used. */
    final Map<String, Psi.Pressure> psiSeen = new HashMap<>();
    final Map<String, String> psiProblems = new HashMap<>();
    /** Why /proc/stat cannot be used; empty when it parsed. */
    String procStatReason = "";

    int perfParanoid = Integer.MIN_VALUE;
    String perfReason = "";
    /** Whether a software event (cpu-clock) opens per CPU: "ok", or the errno and reason. */
    String perfSoftware = "not probed";

    HostProbe(Path root, KernelFiles files) {
        this.root = root;
        this.live = root.toAbsolutePath().normalize().toString().equals("/");
        this.files = files;
        this.cpufreq = new CpufreqSysfs(root, files);
        this.rapl = new PowercapRapl(root, files);
        this.psi = new Psi(root, files);
    }

    /**
     * Looks at everything; never throws for a missing feature or an odd file (that costs its signal, control,
     * policy or zone, with the reason), only for a host it cannot count CPUs on by any source.
     */
    static HostProbe probe(Path root, KernelFiles files, List<ManagedCgroup> managed) throws IOException {
        HostProbe h = new HostProbe(root, files);
        h.kernel = files.readIfPresent(root.resolve("proc/sys/kernel/osrelease")).orElse("unknown");
        String cpuinfo = files.readIfPresent(root.resolve("proc/cpuinfo")).orElse("");
        h.cpuVendor = cpuinfo.lines().filter(l -> l.startsWith("vendor_id")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst().orElse("unknown");
        h.amd = h.cpuVendor.equals("AuthenticAMD") || h.cpuVendor.equals("HygonGenuine");
        h.topo = new SysTopology(root, files).read();
        h.probeCpufreq();
        h.probeRapl();
        h.probeCgroups(managed);
        h.probeResctrl();
        h.probePsi();
        try {
            new ProcStat(root, files).read(h.topo.cpus().size());
        } catch (IOException e) {
            h.procStatReason = e.getMessage();
        }
        h.perfParanoid = (int) files.readLongOrEmpty(root.resolve("proc/sys/kernel/perf_event_paranoid")).orElse(Integer.MIN_VALUE);
        if (!h.live) {
            h.perfReason = "perf_event_open counts the running kernel, not the captured tree at " + root;
        } else if (h.perfParanoid == Integer.MIN_VALUE) {
            h.perfReason = "no /proc/sys/kernel/perf_event_paranoid: the kernel has no perf events (CONFIG_PERF_EVENTS=n)";
        } else if (PerfEventNative.unavailableReason() != null) {
            h.perfReason = PerfEventNative.unavailableReason();
        }
        if (h.perfReason.isEmpty()) {
            try (PerfCounters sw = PerfCounters.open(List.of(PerfCounters.CPU_CLOCK), h.online(), h.topo.cpus().size())) {
                PerfCounters.Status st = sw.statuses().getFirst();
                h.perfSoftware = st.available() ? "ok" : st.reason();
            }
        }
        return h;
    }

    private void probeCpufreq() throws IOException {
        if (!cpufreq.present()) {
            cpufreqReason = "no cpufreq policies in " + cpufreq.dir() + " (no cpufreq driver: a VM, or the driver is not"
                    + " loaded; intel_pstate/acpi-cpufreq/amd-pstate)";
            return;
        }
        for (CpufreqSysfs.Policy p : cpufreq.policies(topo.cpus().size())) {
            var other = policies.stream().filter(o -> o.relatedCpus().intersects(p.relatedCpus())).findFirst();
            // two policies cannot both set one CPU's frequency: the later one is left out, naming both files
            CpufreqSysfs.Policy q = other.isEmpty() || !p.active() ? p : p.unusable(p.file("related_cpus") + ": CPUs "
                    + p.relatedCpus() + " overlap " + other.get().file("related_cpus") + " (" + other.get().relatedCpus() + ")");
            (q.active() ? policies : inactivePolicies).add(q);
        }
        driverGlobals = cpufreq.driverGlobals();
        if (policies.isEmpty()) {
            cpufreqReason = "no usable cpufreq policy: " + String.join("; ", inactivePolicies.stream()
                    .map(p -> p.name() + ": " + p.inactiveReason().orElse("")).toList());
        }
    }

    /** A package zone and its long-term constraint. */
    record PowerLimit(PowercapRapl.Zone zone, PowercapRapl.Constraint constraint) {
    }

    /** Package {@code pkg}'s PL1 (on its lowest-numbered die's zone that has one), or null when powercap has none. */
    PowerLimit packagePowerLimit(int pkg) {
        PowerLimit best = null;
        for (PowercapRapl.Zone z : zones) {
            if (z.domain() == PowercapRapl.Domain.PACKAGE && z.pkg() == pkg && z.parent().isEmpty()
                    && (best == null || z.die() < best.zone().die())) {
                var c = PowercapRapl.longTerm(z);
                if (c.isPresent()) {
                    best = new PowerLimit(z, c.get());
                }
            }
        }
        return best;
    }

    private void probeRapl() {
        if (rapl.present()) {
            PowercapRapl.Scan scan = rapl.scan();
            zones.addAll(scan.zones());
            raplSkipped.addAll(scan.skipped());
        }
        List<PowercapRapl.Zone> readable = new ArrayList<>();
        for (PowercapRapl.Zone z : zones) {
            if (z.domain() != PowercapRapl.Domain.PACKAGE && z.domain() != PowercapRapl.Domain.DRAM || z.pkg() < 0) {
                continue; // psys, core, uncore: not added up
            }
            if (z.pkg() >= topo.packageCount()) {
                Path named = (z.parent().isEmpty() ? z.dir() : z.dir().resolveSibling(z.parent())).resolve("name");
                raplSkipped.add(z.id() + " not counted: " + named + " says package " + z.pkg() + ", but this host has "
                        + topo.packageCount() + " package(s)");
                continue;
            }
            try {
                rapl.energyUj(z);
                readable.add(z);
            } catch (KernelIoException e) {
                if (e.errno() == Errno.EACCES || e.errno() == Errno.EPERM) {
                    raplReason = e.getMessage(); // energy_uj is root-only for every zone alike
                    break;
                }
                raplSkipped.add(z.id() + " skipped: " + e.getMessage());
            } catch (IOException e) {
                raplSkipped.add(z.id() + " skipped: " + e.getMessage());
            }
        }
        // after dropping unreadable zones, so an MMIO zone stands in for an MSR zone that cannot be read
        energyZones.addAll(PowercapRapl.countedOnce(readable, raplSkipped));
        if (zones.isEmpty()) {
            raplReason = "no " + rapl.dir() + (Files.isDirectory(rapl.dir()) ? " RAPL zones" : "")
                    + "; load intel_rapl_common and intel_rapl_msr (bare metal Intel or AMD Zen only)"
                    + (raplSkipped.isEmpty() ? "" : " (" + String.join("; ", raplSkipped) + ")");
            probeMsr();
        }
    }

    /**
     * Why energy of domain {@code d} cannot be counted for every package from the zones, or empty when it can:
     * a package without a zone would read as zero energy, so the signal is all or nothing.
     */
    String energyGap(PowercapRapl.Domain d) {
        for (int p = 0; p < topo.packageCount(); p++) {
            int pkg = p;
            if (energyZones.stream().noneMatch(z -> z.domain() == d && z.pkg() == pkg)) {
                String skipped = raplSkipped.isEmpty() ? "" : " (" + String.join("; ", raplSkipped) + ")";
                return "no usable " + d.name().toLowerCase(java.util.Locale.ROOT) + " RAPL zone for package " + p + skipped;
            }
        }
        return "";
    }

    private void probeMsr() {
        MsrRapl m = new MsrRapl(root, amd);
        int cpu = topo.online().isEmpty() ? 0 : topo.online().get(0);
        if (!m.present(cpu)) {
            msrReason = "no " + m.device(cpu) + " (modprobe msr)";
            return;
        }
        try {
            m.microjoulesPerCount(cpu);
            m.packageCounts(cpu);
            msr = m;
        } catch (IOException e) {
            msrReason = e.getMessage();
        }
    }

    private void probePsi() {
        if (!psi.present()) {
            psiReason = "no " + root.resolve("proc/pressure") + " (kernel without CONFIG_PSI, or booted with psi=0)";
            return;
        }
        for (String res : List.of("cpu", "memory", "io")) {
            try {
                psiSeen.put(res, psi.read(res));
            } catch (KernelIoException e) {
                if (e.errno() != Errno.ENOENT) { // a missing file is reported as missing, not as a problem
                    psiProblems.put(res, e.getMessage());
                }
            } catch (IOException e) {
                psiProblems.put(res, e.getMessage());
            }
        }
    }

    private void probeCgroups(List<ManagedCgroup> managed) {
        try {
            mounts = CgroupMounts.read(root, files);
        } catch (IOException e) {
            cgroupReason = "cannot read mountinfo: " + e.getMessage();
        }
        if (mounts.layout() == CgroupMounts.Layout.NONE && cgroupReason.isEmpty()) {
            cgroupReason = "no cgroup filesystem is mounted";
        }
        Optional<String> cpuV1 = mounts.v1MountPoint("cpu");
        Optional<String> acctV1 = mounts.v1MountPoint("cpuacct");
        Optional<String> v2 = mounts.v2MountPoint();
        boolean v2HasCpu = v2.map(m -> hasWord(under(m).resolve("cgroup.controllers"), "cpu")).orElse(false);
        for (ManagedCgroup g : managed) {
            CgroupCpu c = null;
            if (v2HasCpu || (cpuV1.isEmpty() && v2.isPresent())) {
                c = new CgroupV2(under(v2.get()).resolve(g.path()), files);
            } else if (cpuV1.isPresent()) {
                Path cpuDir = under(cpuV1.get()).resolve(g.path());
                c = new CgroupV1(cpuDir, under(acctV1.orElse(cpuV1.get())).resolve(g.path()), files);
            }
            if (c == null || !Files.isDirectory(c.dir())) {
                cgroupMissing.add(g.name() + ": " + (c == null ? "no cgroup hierarchy with the cpu controller"
                        : "no directory " + c.dir()));
            }
            cgroups.add(c);
        }
    }

    /**
     * The cgroup's directory in the hierarchy the perf_event controller is bound to: its v1 mount if it has one, else
     * the cgroup2 mount (where perf_event is always on); null when neither is mounted.
     */
    Path perfEventDir(ManagedCgroup g) {
        return mounts.v1MountPoint("perf_event").or(mounts::v2MountPoint).map(m -> under(m).resolve(g.path())).orElse(null);
    }

    private void probeResctrl() {
        Path mp = mounts.mountPointOf("resctrl").map(this::under).orElse(root.resolve("sys/fs/resctrl"));
        Resctrl r = new Resctrl(mp, files);
        if (!r.mounted()) {
            resctrlReason = "resctrl is not mounted at " + mp + (cpuFlags().contains(" rdt_a") || cpuFlags().contains(" mba")
                    ? "; mount -t resctrl resctrl /sys/fs/resctrl" : "; this CPU has no RDT/PQoS (no rdt_a, mba flags)");
            return;
        }
        resctrl = r;
        resctrlOptions = Resctrl.options(mounts.mounts(), Path.of("/").resolve(root.relativize(mp).toString()));
        try {
            mb = r.mbInfo(amd, resctrlOptions);
            mbDomains = r.mbDomains();
            monFeatures = r.monFeatures();
        } catch (IOException e) {
            resctrlReason = "resctrl info unreadable: " + e.getMessage();
        }
    }

    private String cpuFlags() {
        if (cpuFlags == null) {
            cpuFlags = readCpuFlags();
        }
        return cpuFlags;
    }

    private String readCpuFlags() {
        try {
            return files.readIfPresent(root.resolve("proc/cpuinfo")).orElse("").lines()
                    .filter(l -> l.startsWith("flags")).findFirst().orElse("") + " ";
        } catch (IOException e) {
            return "";
        }
    }

    /** A host path (as mountinfo prints it) under this probe's root. */
    Path under(String hostPath) {
        return root.resolve(hostPath.replaceAll("^/+", ""));
    }

    private boolean hasWord(Path file, String word) {
        try {
            return CpufreqSysfs.parseWords(files.readTrim(file)).contains(word);
        } catch (IOException e) {
            return false;
        }
    }

    /** The online CPUs. */
    CpuSet online() {
        return topo.online();
    }
}
