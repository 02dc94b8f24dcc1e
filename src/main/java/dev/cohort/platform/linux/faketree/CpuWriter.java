package dev.cohort.platform.linux.faketree;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.linux.faketree.TreeSpec.Driver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPUs in sysfs: present/online lists, each CPU's topology and caches, NUMA nodes, and cpufreq as the chosen
 * driver shows it (policies, their {@code cpuN/cpufreq} links, trailing spaces in the lists, the driver's own files).
 */
final class CpuWriter {
    private final TreeFiles f;
    private final TreeSpec spec;

    CpuWriter(TreeFiles f, TreeSpec spec) {
        this.f = f;
        this.spec = spec;
    }

    void write() throws IOException {
        cpus();
        cpufreq();
    }

    private void cpus() throws IOException {
        String all = CpuSet.range(0, spec.cpus()).toString();
        f.w("sys/devices/system/cpu/present", all + "\n");
        f.w("sys/devices/system/cpu/possible", all + "\n");
        f.w("sys/devices/system/cpu/online", all + "\n");
        f.w("sys/devices/system/cpu/offline", "\n");
        int perSocket = spec.perSocket();
        int half = perSocket / 2;
        for (int c = 0; c < spec.cpus(); c++) {
            int s = spec.socketOf(c);
            int local = c % perSocket;
            int core = local % Math.max(1, half);
            int sibling = local < half ? c + half : c - half;
            String t = "sys/devices/system/cpu/cpu" + c + "/topology/";
            f.w(t + "physical_package_id", s + "\n");
            f.w(t + "die_id", "0\n");
            f.w(t + "core_id", core + "\n");
            f.w(t + "core_cpus_list", (half > 0 ? CpuSet.of(c, sibling) : CpuSet.of(c)) + "\n");
            f.w(t + "package_cpus_list", CpuSet.range(s * perSocket, perSocket) + "\n");
            String cache = "sys/devices/system/cpu/cpu" + c + "/cache/";
            f.w(cache + "index0/level", "1\n");
            f.w(cache + "index0/id", core + "\n");
            f.w(cache + "index3/level", "3\n");
            f.w(cache + "index3/id", s + "\n");
            f.w(cache + "index3/shared_cpu_list", CpuSet.range(s * perSocket, perSocket) + "\n");
        }
        for (int s = 0; s < spec.sockets(); s++) {
            String node = "sys/devices/system/node/node" + s + "/";
            f.w(node + "cpulist", CpuSet.range(s * perSocket, perSocket) + "\n");
            f.w(node + "meminfo", "Node " + s + " MemTotal:       16303128 kB\nNode " + s + " MemFree:        12303128 kB\n");
        }
        f.w("sys/devices/system/node/online", "0-" + (spec.sockets() - 1) + "\n");
    }

    private void cpufreq() throws IOException {
        if (spec.driver() == Driver.NONE) {
            Files.createDirectories(f.root().resolve("sys/devices/system/cpu/cpufreq"));
            return;
        }
        int per = spec.driver() == Driver.ACPI_CPUFREQ ? 4 : 1;
        for (int first = 0; first < spec.cpus(); first += per) {
            CpuSet cpus = CpuSet.range(first, Math.min(per, spec.cpus() - first));
            policy(first, cpus);
            for (int c : cpus.toArray()) {
                Path link = f.root().resolve("sys/devices/system/cpu/cpu" + c + "/cpufreq");
                Files.createDirectories(link.getParent());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of("../cpufreq/policy" + first));
            }
        }
        switch (spec.driver()) {
            case INTEL_PSTATE -> {
                f.w("sys/devices/system/cpu/intel_pstate/status", "active\n");
                f.w("sys/devices/system/cpu/intel_pstate/max_perf_pct", "100\n");
                f.w("sys/devices/system/cpu/intel_pstate/min_perf_pct", "21\n");
                f.w("sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
            }
            case AMD_PSTATE -> f.w("sys/devices/system/cpu/amd_pstate/status", "active\n");
            default -> f.w("sys/devices/system/cpu/cpufreq/boost", "1\n");
        }
    }

    /** One cpufreq policy directory, {@code policy<first>}, covering {@code cpus}. */
    private void policy(int first, CpuSet cpus) throws IOException {
        String p = "sys/devices/system/cpu/cpufreq/policy" + first + "/";
        String list = cpus.toString().contains("-") ? spaced(cpus) : cpus + "\n";
        boolean acpi = spec.driver() == Driver.ACPI_CPUFREQ;
        f.w(p + "related_cpus", list);
        f.w(p + "affected_cpus", list);
        f.w(p + "cpuinfo_min_freq", "800000\n");
        f.w(p + "cpuinfo_max_freq", acpi ? "3401000\n" : "3900000\n");
        f.w(p + "cpuinfo_transition_latency", acpi ? "10000\n" : "4294967295\n");
        f.w(p + "scaling_min_freq", "800000\n");
        f.w(p + "scaling_max_freq", acpi ? "3401000\n" : "3900000\n");
        f.w(p + "scaling_cur_freq", (1996253 + first) + "\n");
        switch (spec.driver()) {
            case INTEL_PSTATE -> {
                f.w(p + "scaling_driver", "intel_pstate\n");
                f.w(p + "scaling_governor", "powersave\n");
                f.w(p + "scaling_available_governors", "performance powersave\n");
                f.w(p + "energy_performance_preference", first % 2 == 0 ? "balance_performance\n" : "128\n");
                f.w(p + "energy_performance_available_preferences", "default performance balance_performance balance_power power \n");
                f.w(p + "base_frequency", "2100000\n");
            }
            case AMD_PSTATE -> {
                f.w(p + "scaling_driver", "amd-pstate-epp\n");
                f.w(p + "scaling_governor", "powersave\n");
                f.w(p + "scaling_available_governors", "performance powersave\n");
                f.w(p + "energy_performance_preference", "balance_performance\n");
                f.w(p + "energy_performance_available_preferences", "default performance balance_performance balance_power power \n");
                f.w(p + "amd_pstate_max_freq", "3900000\n");
                f.w(p + "amd_pstate_lowest_nonlinear_freq", "1400000\n");
            }
            default -> {
                f.w(p + "scaling_driver", "acpi-cpufreq\n");
                f.w(p + "scaling_governor", "schedutil\n");
                f.w(p + "scaling_available_governors", "conservative ondemand userspace powersave performance schedutil \n");
                f.w(p + "scaling_available_frequencies", "3401000 3400000 2800000 2000000 800000 \n");
                f.w(p + "scaling_setspeed", "<unsupported>\n");
                f.w(p + "cpuinfo_cur_freq", "<unknown>\n");
            }
        }
    }

    /** A CPU list as cpufreq writes it: numbers separated by spaces. */
    private static String spaced(CpuSet s) {
        StringBuilder b = new StringBuilder();
        for (int c : s.toArray()) {
            b.append(b.isEmpty() ? "" : " ").append(c);
        }
        return b.append('\n').toString();
    }
}
