package dev.cohort.platform.linux.faketree;

import java.util.List;

/**
 * What {@link FakeTreeWriter} writes: the machine's shape and which kernel interfaces it has, in which flavour.
 *
 * @param cpus        logical CPUs (2 threads per core, split evenly over {@code sockets})
 * @param sockets     packages; also NUMA nodes, L3 domains and RAPL packages
 * @param driver      cpufreq driver; ACPI_CPUFREQ makes one policy per 4 CPUs (policy0, policy4, ...)
 * @param rapl        write powercap zones (Intel layout with limits, or AMD without, by {@code vendorAmd})
 * @param rdt         resctrl flavour
 * @param cgroups     cgroup layout
 * @param cgroupPaths cgroups to create (relative paths), each with cpu files and a few pids
 * @param vendorAmd   AMD CPU (vendor, RAPL and resctrl shapes)
 */
public record TreeSpec(int cpus, int sockets, Driver driver, boolean rapl, Rdt rdt, Cgroups cgroups,
                       List<String> cgroupPaths, boolean vendorAmd) {

    /** The cpufreq driver to imitate. */
    public enum Driver { INTEL_PSTATE, ACPI_CPUFREQ, AMD_PSTATE, NONE }

    /** resctrl flavour. */
    public enum Rdt { NONE, INTEL, AMD }

    /** cgroup layout. */
    public enum Cgroups { V2, V1, HYBRID }

    /** An Intel server: intel_pstate, RAPL, resctrl, cgroup v2, two cgroups. */
    public static TreeSpec intelServer(int cpus, int sockets) {
        return new TreeSpec(cpus, sockets, Driver.INTEL_PSTATE, true, Rdt.INTEL, Cgroups.V2,
                List.of("system.slice/web.service", "batch.slice"), false);
    }

    public TreeSpec withDriver(Driver d) {
        return new TreeSpec(cpus, sockets, d, rapl, rdt, cgroups, cgroupPaths, vendorAmd);
    }

    public TreeSpec withRapl(boolean r) {
        return new TreeSpec(cpus, sockets, driver, r, rdt, cgroups, cgroupPaths, vendorAmd);
    }

    public TreeSpec withRdt(Rdt r) {
        return new TreeSpec(cpus, sockets, driver, rapl, r, cgroups, cgroupPaths, vendorAmd);
    }

    public TreeSpec withCgroups(Cgroups c) {
        return new TreeSpec(cpus, sockets, driver, rapl, rdt, c, cgroupPaths, vendorAmd);
    }

    public TreeSpec withAmd(boolean amd) {
        return new TreeSpec(cpus, sockets, driver, rapl, rdt, cgroups, cgroupPaths, amd);
    }

    /** Logical CPUs per socket. */
    int perSocket() {
        return cpus / sockets;
    }

    /** The socket of logical CPU {@code cpu}. */
    int socketOf(int cpu) {
        return cpu / perSocket();
    }
}
