package dev.cohort.platform.linux;

import dev.cohort.platform.CpuSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a realistic fake host tree (procfs, sysfs, cgroupfs, resctrl) in the kernel's own formats, for tests
 * and benchmarks: trailing spaces in cpufreq lists, the two-space {@code cpu  } line of /proc/stat, padded
 * resctrl schemata, mountinfo optional fields, RAPL zones named by {@code name} with dram before core. Point a
 * {@link LinuxPlatform} at the root it wrote. It writes files only; it never emulates a kernel's reaction to a
 * write (tests wrap {@link KernelFiles} for that).
 */
public final class FakeTreeWriter {

    /** The cpufreq driver to imitate. */
    public enum Driver { INTEL_PSTATE, ACPI_CPUFREQ, AMD_PSTATE, NONE }

    /** resctrl flavour. */
    public enum Rdt { NONE, INTEL, AMD }

    /** cgroup layout. */
    public enum Cgroups { V2, V1, HYBRID }

    /**
     * What to write.
     *
     * @param cpus     logical CPUs (2 threads per core, split evenly over {@code sockets})
     * @param sockets  packages; also NUMA nodes, L3 domains and RAPL packages
     * @param driver   cpufreq driver; ACPI_CPUFREQ makes one policy per 4 CPUs (policy0, policy4, ...)
     * @param rapl     write powercap zones (Intel layout with limits, or AMD without, by {@code vendorAmd})
     * @param rdt      resctrl flavour
     * @param cgroups  cgroup layout
     * @param cgroupPaths cgroups to create (relative paths), each with cpu files and a few pids
     * @param vendorAmd AMD CPU (vendor, RAPL and resctrl shapes)
     */
    public record Spec(int cpus, int sockets, Driver driver, boolean rapl, Rdt rdt, Cgroups cgroups,
                       List<String> cgroupPaths, boolean vendorAmd) {
        /** An Intel server: intel_pstate, RAPL, resctrl, cgroup v2, two cgroups. */
        public static Spec intelServer(int cpus, int sockets) {
            return new Spec(cpus, sockets, Driver.INTEL_PSTATE, true, Rdt.INTEL, Cgroups.V2,
                    List.of("system.slice/web.service", "batch.slice"), false);
        }

        public Spec withDriver(Driver d) {
            return new Spec(cpus, sockets, d, rapl, rdt, cgroups, cgroupPaths, vendorAmd);
        }

        public Spec withRapl(boolean r) {
            return new Spec(cpus, sockets, driver, r, rdt, cgroups, cgroupPaths, vendorAmd);
        }

        public Spec withRdt(Rdt r) {
            return new Spec(cpus, sockets, driver, rapl, r, cgroups, cgroupPaths, vendorAmd);
        }

        public Spec withCgroups(Cgroups c) {
            return new Spec(cpus, sockets, driver, rapl, rdt, c, cgroupPaths, vendorAmd);
        }

        public Spec withAmd(boolean amd) {
            return new Spec(cpus, sockets, driver, rapl, rdt, cgroups, cgroupPaths, amd);
        }
    }

    private final Path root;
    private final Spec spec;

    private FakeTreeWriter(Path root, Spec spec) {
        this.root = root;
        this.spec = spec;
    }

    /** Writes the tree under {@code root} and returns {@code root}. */
    public static Path write(Path root, Spec spec) throws IOException {
        if (spec.cpus() < 1 || spec.sockets() < 1 || spec.cpus() % spec.sockets() != 0) {
            throw new IllegalArgumentException("FakeTreeWriter: " + spec.cpus() + " CPUs do not split over " + spec.sockets() + " sockets");
        }
        new FakeTreeWriter(root, spec).all();
        return root;
    }

    /** Writes a file under the root, creating its directories. */
    public static void put(Path root, String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.US_ASCII);
    }

    private void w(String rel, String content) {
        try {
            put(root, rel, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void all() throws IOException {
        try {
            proc();
            cpus();
            cpufreq();
            if (spec.rapl()) {
                rapl();
            }
            if (spec.rdt() != Rdt.NONE) {
                resctrl();
            }
            cgroups();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private int perSocket() {
        return spec.cpus() / spec.sockets();
    }

    private int socketOf(int cpu) {
        return cpu / perSocket();
    }

    private void proc() {
        StringBuilder stat = new StringBuilder();
        long n = spec.cpus();
        stat.append("cpu  ").append(1132 * n).append(' ').append(34 * n).append(' ').append(1441 * n).append(' ')
                .append(11311718 * n).append(' ').append(3675 * n).append(" 127 438 0 0 0\n");
        for (int c = 0; c < spec.cpus(); c++) {
            stat.append("cpu").append(c).append(' ').append(1132 + c).append(" 34 ").append(1441 + c).append(' ')
                    .append(11311718 + 7L * c).append(" 3675 127 438 0 0 0\n");
        }
        stat.append("intr 114930548 113199788 3 0 5 0 0 0\nctxt 1990473\nbtime 1062191376\nprocesses 2915\n")
                .append("procs_running 1\nprocs_blocked 0\nsoftirq 183433 0 21755 12 39 1137 231 21459 2263\n");
        w("proc/stat", stat.toString());
        w("proc/sys/kernel/osrelease", "6.1.0-fake-amd64\n");
        w("proc/sys/kernel/perf_event_paranoid", "3\n");
        String vendor = spec.vendorAmd() ? "AuthenticAMD" : "GenuineIntel";
        String flags = "fpu vme tsc msr pae" + (spec.rdt() != Rdt.NONE ? " rdt_a cat_l3 cqm_mbm_total mba" : "");
        StringBuilder info = new StringBuilder();
        for (int c = 0; c < spec.cpus(); c++) {
            info.append("processor\t: ").append(c).append("\nvendor_id\t: ").append(vendor)
                    .append("\nphysical id\t: ").append(socketOf(c)).append("\nflags\t\t: ").append(flags).append("\n\n");
        }
        w("proc/cpuinfo", info.toString());
        w("proc/pressure/cpu", "some avg10=0.00 avg60=0.12 avg300=0.05 total=1234567\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        w("proc/pressure/memory", "some avg10=1.25 avg60=0.40 avg300=0.10 total=5123456\nfull avg10=0.50 avg60=0.10 avg300=0.02 total=2000000\n");
        w("proc/pressure/io", "some avg10=0.10 avg60=0.05 avg300=0.01 total=712345\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=301234\n");
        StringBuilder mi = new StringBuilder("22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/root rw\n")
                .append("23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n");
        switch (spec.cgroups()) {
            case V2 -> mi.append("30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n");
            case V1, HYBRID -> {
                mi.append("30 23 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n");
                mi.append("32 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 master:1 - cgroup cgroup rw,cpu,cpuacct\n");
                mi.append("33 30 0:29 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpuset\n");
                mi.append("34 30 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory\n");
                if (spec.cgroups() == Cgroups.HYBRID) {
                    mi.append("31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:13 - cgroup2 cgroup2 rw,nsdelegate\n");
                }
            }
        }
        if (spec.rdt() != Rdt.NONE) {
            mi.append("40 23 0:40 / /sys/fs/resctrl rw,relatime shared:20 - resctrl resctrl rw\n");
        }
        w("proc/self/mountinfo", mi.toString());
        w("proc/self/cgroup", spec.cgroups() == Cgroups.V2 ? "0::/system.slice/cohort.service\n"
                : "4:memory:/system.slice/cohort.service\n3:cpuset:/\n2:cpu,cpuacct:/system.slice/cohort.service\n"
                + (spec.cgroups() == Cgroups.HYBRID ? "0::/system.slice/cohort.service\n" : ""));
    }

    private void cpus() {
        String all = CpuSet.range(0, spec.cpus()).toString();
        w("sys/devices/system/cpu/present", all + "\n");
        w("sys/devices/system/cpu/possible", all + "\n");
        w("sys/devices/system/cpu/online", all + "\n");
        w("sys/devices/system/cpu/offline", "\n");
        int half = perSocket() / 2;
        for (int c = 0; c < spec.cpus(); c++) {
            int s = socketOf(c);
            int local = c % perSocket();
            int core = local % Math.max(1, half);
            int sibling = local < half ? c + half : c - half;
            String t = "sys/devices/system/cpu/cpu" + c + "/topology/";
            w(t + "physical_package_id", s + "\n");
            w(t + "die_id", "0\n");
            w(t + "core_id", core + "\n");
            w(t + "core_cpus_list", (half > 0 ? CpuSet.of(c, sibling) : CpuSet.of(c)) + "\n");
            w(t + "package_cpus_list", CpuSet.range(s * perSocket(), perSocket()) + "\n");
            String cache = "sys/devices/system/cpu/cpu" + c + "/cache/";
            w(cache + "index0/level", "1\n");
            w(cache + "index0/id", core + "\n");
            w(cache + "index3/level", "3\n");
            w(cache + "index3/id", s + "\n");
            w(cache + "index3/shared_cpu_list", CpuSet.range(s * perSocket(), perSocket()) + "\n");
        }
        for (int s = 0; s < spec.sockets(); s++) {
            String node = "sys/devices/system/node/node" + s + "/";
            w(node + "cpulist", CpuSet.range(s * perSocket(), perSocket()) + "\n");
            w(node + "meminfo", "Node " + s + " MemTotal:       16303128 kB\nNode " + s + " MemFree:        12303128 kB\n");
        }
        w("sys/devices/system/node/online", "0-" + (spec.sockets() - 1) + "\n");
    }

    private void cpufreq() throws IOException {
        if (spec.driver() == Driver.NONE) {
            Files.createDirectories(root.resolve("sys/devices/system/cpu/cpufreq"));
            return;
        }
        int per = spec.driver() == Driver.ACPI_CPUFREQ ? 4 : 1;
        for (int first = 0; first < spec.cpus(); first += per) {
            CpuSet cpus = CpuSet.range(first, Math.min(per, spec.cpus() - first));
            String p = "sys/devices/system/cpu/cpufreq/policy" + first + "/";
            String list = cpus.toString().contains("-") ? spaced(cpus) : cpus + "\n";
            w(p + "related_cpus", list);
            w(p + "affected_cpus", list);
            w(p + "cpuinfo_min_freq", "800000\n");
            w(p + "cpuinfo_max_freq", spec.driver() == Driver.ACPI_CPUFREQ ? "3401000\n" : "3900000\n");
            w(p + "cpuinfo_transition_latency", spec.driver() == Driver.ACPI_CPUFREQ ? "10000\n" : "4294967295\n");
            w(p + "scaling_min_freq", "800000\n");
            w(p + "scaling_max_freq", spec.driver() == Driver.ACPI_CPUFREQ ? "3401000\n" : "3900000\n");
            w(p + "scaling_cur_freq", (1996253 + first) + "\n");
            switch (spec.driver()) {
                case INTEL_PSTATE -> {
                    w(p + "scaling_driver", "intel_pstate\n");
                    w(p + "scaling_governor", "powersave\n");
                    w(p + "scaling_available_governors", "performance powersave\n");
                    w(p + "energy_performance_preference", first % 2 == 0 ? "balance_performance\n" : "128\n");
                    w(p + "energy_performance_available_preferences", "default performance balance_performance balance_power power \n");
                    w(p + "base_frequency", "2100000\n");
                }
                case AMD_PSTATE -> {
                    w(p + "scaling_driver", "amd-pstate-epp\n");
                    w(p + "scaling_governor", "powersave\n");
                    w(p + "scaling_available_governors", "performance powersave\n");
                    w(p + "energy_performance_preference", "balance_performance\n");
                    w(p + "energy_performance_available_preferences", "default performance balance_performance balance_power power \n");
                    w(p + "amd_pstate_max_freq", "3900000\n");
                    w(p + "amd_pstate_lowest_nonlinear_freq", "1400000\n");
                }
                default -> {
                    w(p + "scaling_driver", "acpi-cpufreq\n");
                    w(p + "scaling_governor", "schedutil\n");
                    w(p + "scaling_available_governors", "conservative ondemand userspace powersave performance schedutil \n");
                    w(p + "scaling_available_frequencies", "3401000 3400000 2800000 2000000 800000 \n");
                    w(p + "scaling_setspeed", "<unsupported>\n");
                    w(p + "cpuinfo_cur_freq", "<unknown>\n");
                }
            }
            for (int c : cpus.toArray()) {
                Path link = root.resolve("sys/devices/system/cpu/cpu" + c + "/cpufreq");
                Files.createDirectories(link.getParent());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of("../cpufreq/policy" + first));
            }
        }
        switch (spec.driver()) {
            case INTEL_PSTATE -> {
                w("sys/devices/system/cpu/intel_pstate/status", "active\n");
                w("sys/devices/system/cpu/intel_pstate/max_perf_pct", "100\n");
                w("sys/devices/system/cpu/intel_pstate/min_perf_pct", "21\n");
                w("sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
            }
            case AMD_PSTATE -> w("sys/devices/system/cpu/amd_pstate/status", "active\n");
            default -> w("sys/devices/system/cpu/cpufreq/boost", "1\n");
        }
    }

    private static String spaced(CpuSet s) {
        StringBuilder b = new StringBuilder();
        for (int c : s.toArray()) {
            b.append(b.isEmpty() ? "" : " ").append(c);
        }
        return b.append('\n').toString();
    }

    private void rapl() {
        String base = "sys/class/powercap/";
        w(base + "intel-rapl/enabled", "1\n");
        String range = spec.vendorAmd() ? "4294967295\n" : "262143328850\n";
        for (int s = 0; s < spec.sockets(); s++) {
            String z = base + "intel-rapl:" + s + "/";
            w(z + "name", "package-" + s + "\n");
            w(z + "energy_uj", (83715266201L + s * 1000L) % Long.parseLong(range.strip()) + "\n");
            w(z + "max_energy_range_uj", range);
            w(z + "enabled", "1\n");
            if (!spec.vendorAmd()) {
                w(z + "constraint_0_name", "long_term\n");
                w(z + "constraint_0_power_limit_uw", "65000000\n");
                w(z + "constraint_0_time_window_us", "27983872\n");
                w(z + "constraint_0_max_power_uw", "65000000\n");
                w(z + "constraint_1_name", "short_term\n");
                w(z + "constraint_1_power_limit_uw", "90000000\n");
                w(z + "constraint_1_time_window_us", "2440\n");
                String dram = base + "intel-rapl:" + s + ":0/";
                w(dram + "name", "dram\n");
                w(dram + "energy_uj", "1230045678\n");
                w(dram + "max_energy_range_uj", "65712999613\n");
            }
            String core = base + "intel-rapl:" + s + ":" + (spec.vendorAmd() ? 0 : 1) + "/";
            w(core + "name", "core\n");
            w(core + "energy_uj", "3002145973\n");
            w(core + "max_energy_range_uj", range);
        }
        if (!spec.vendorAmd()) {
            String psys = base + "intel-rapl:" + spec.sockets() + "/";
            w(psys + "name", "psys\n");
            w(psys + "energy_uj", "123456789\n");
            w(psys + "max_energy_range_uj", "262143328850\n");
        }
    }

    private void resctrl() {
        String r = "sys/fs/resctrl/";
        boolean amd = spec.rdt() == Rdt.AMD;
        w(r + "info/last_cmd_status", "ok\n");
        w(r + "info/L3/num_closids", amd ? "16\n" : "16\n");
        w(r + "info/L3/cbm_mask", amd ? "ffff\n" : "7ff\n");
        w(r + "info/L3/min_cbm_bits", amd ? "0\n" : "1\n");
        w(r + "info/L3/shareable_bits", "0\n");
        w(r + "info/MB/num_closids", amd ? "16\n" : "8\n");
        w(r + "info/MB/min_bandwidth", amd ? "0\n" : "10\n");
        w(r + "info/MB/bandwidth_gran", amd ? "1\n" : "10\n");
        w(r + "info/MB/delay_linear", "1\n");
        if (!amd) {
            w(r + "info/MB/thread_throttle_mode", "max\n");
        }
        w(r + "info/L3_MON/num_rmids", "224\n");
        w(r + "info/L3_MON/mon_features", "llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n");
        StringBuilder l3 = new StringBuilder("L3:");
        StringBuilder mb = new StringBuilder("MB:");
        for (int s = 0; s < spec.sockets(); s++) {
            l3.append(s == 0 ? "" : ";").append(s).append('=').append(amd ? "ffff" : "7ff");
            mb.append(s == 0 ? "" : ";").append(s).append('=').append(amd ? "2048" : "100");
        }
        w(r + "schemata", l3 + "\n" + mb + "\n");
        w(r + "tasks", "1\n2\n");
        w(r + "cpus_list", CpuSet.range(0, spec.cpus()) + "\n");
        for (int s = 0; s < spec.sockets(); s++) {
            String m = r + "mon_data/" + Resctrl.monDir(s) + "/";
            w(m + "llc_occupancy", "16234000\n");
            w(m + "mbm_total_bytes", (7340032000L + s) + "\n");
            w(m + "mbm_local_bytes", (5340032000L + s) + "\n");
        }
    }

    private void cgroups() {
        String sys = "sys/fs/cgroup/";
        String online = CpuSet.range(0, spec.cpus()).toString();
        if (spec.cgroups() == Cgroups.V2) {
            w(sys + "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
            w(sys + "cgroup.subtree_control", "cpuset cpu io memory pids\n");
            w(sys + "cpu.stat", "usage_usec 123456789\nuser_usec 100000000\nsystem_usec 23456789\n");
            w(sys + "cpu.pressure", "some avg10=0.00 avg60=0.12 avg300=0.05 total=1234567\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
            for (String g : spec.cgroupPaths()) {
                String d = sys + g + "/";
                w(d + "cgroup.procs", "4242\n4250\n");
                w(d + "cgroup.controllers", "cpuset cpu io memory pids\n");
                w(d + "cgroup.subtree_control", "\n");
                w(d + "cpu.max", "max 100000\n");
                w(d + "cpu.max.burst", "0\n");
                w(d + "cpu.weight", "100\n");
                w(d + "cpu.weight.nice", "0\n");
                w(d + "cpu.stat", "usage_usec 9876543\nuser_usec 8000000\nsystem_usec 1876543\ncore_sched.force_idle_usec 0\n"
                        + "nr_periods 1200\nnr_throttled 37\nthrottled_usec 845120\nnr_bursts 0\nburst_usec 0\n");
                w(d + "cpu.pressure", "some avg10=0.00 avg60=0.12 avg300=0.05 total=1234567\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
                w(d + "memory.pressure", "some avg10=1.25 avg60=0.40 avg300=0.10 total=5123456\nfull avg10=0.50 avg60=0.10 avg300=0.02 total=2000000\n");
                w(d + "io.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
                w(d + "cpuset.cpus", "\n");
                w(d + "cpuset.cpus.effective", online + "\n");
            }
            return;
        }
        String cpu = sys + "cpu,cpuacct/";
        w(cpu + "cpu.cfs_quota_us", "-1\n");
        w(cpu + "cpu.cfs_period_us", "100000\n");
        w(cpu + "cpu.shares", "1024\n");
        w(cpu + "cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
        w(cpu + "cpuacct.usage", "123456789000\n");
        w(sys + "cpuset/cpuset.cpus", online + "\n");
        w(sys + "cpuset/cpuset.effective_cpus", online + "\n");
        if (spec.cgroups() == Cgroups.HYBRID) {
            w(sys + "unified/cgroup.controllers", "\n");
            w(sys + "unified/cgroup.subtree_control", "\n");
            w(sys + "unified/cpu.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        }
        for (String g : spec.cgroupPaths()) {
            String d = cpu + g + "/";
            w(d + "cgroup.procs", "4242\n4250\n");
            w(d + "tasks", "4242\n4243\n4250\n");
            w(d + "cpu.cfs_quota_us", "-1\n");
            w(d + "cpu.cfs_period_us", "100000\n");
            w(d + "cpu.shares", "1024\n");
            w(d + "cpu.stat", "nr_periods 1200\nnr_throttled 37\nthrottled_time 845120000\nnr_bursts 0\nburst_time 0\n");
            w(d + "cpuacct.usage", "9876543000\n");
            w(d + "cpuacct.usage_user", "8000000000\n");
            w(d + "cpuacct.usage_sys", "1876543000\n");
            w(d + "cpuacct.stat", "user 800\nsystem 187\n");
            w(d + "cpuacct.usage_percpu", "4938271500 4938271500 \n");
            w(sys + "cpuset/" + g + "/cpuset.cpus", online + "\n");
            w(sys + "cpuset/" + g + "/cpuset.effective_cpus", online + "\n");
        }
    }
}
