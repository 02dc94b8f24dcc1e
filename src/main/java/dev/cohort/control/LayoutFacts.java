package dev.cohort.control;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Topology;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * What a power estimator needs to know about a host's agents besides their observations, in plain numbers so a journal
 * can carry it: per core agent (a row) its CPU count, package and frequency range, and which quota and memory agents act
 * on its CPUs; the package count, the TDP, and each role's number of levels.
 *
 * @param packages   number of packages
 * @param tdpWatts   TDP of all packages together, W
 * @param levels     per role ordinal, the number of action levels
 * @param rowCpus    per core agent: its domain's CPU count
 * @param rowPackage per core agent: its package
 * @param rowMinKhz  per core agent: its domain's lowest frequency, kHz
 * @param rowMaxKhz  per core agent: its domain's highest frequency, kHz
 * @param rowQuota   per core agent: the quota agents whose cgroup holds some of its CPUs
 * @param rowMemory  per core agent: the memory agents whose domain holds some of its CPUs
 */
public record LayoutFacts(int packages, double tdpWatts, int[] levels, int[] rowCpus, int[] rowPackage, long[] rowMinKhz,
                          long[] rowMaxKhz, int[][] rowQuota, int[][] rowMemory) {

    /** The facts of {@code layout}, with the controller's TDP. */
    public static LayoutFacts of(AgentLayout layout, double tdpWatts) {
        Topology t = layout.topology();
        int n = layout.agents(Role.CORE);
        int[] cpus = new int[n];
        int[] pkg = new int[n];
        long[] min = new long[n];
        long[] max = new long[n];
        int[][] quota = new int[n][];
        int[][] memory = new int[n][];
        for (int a = 0; a < n; a++) {
            Topology.FrequencyDomain d = t.frequencyDomains().get(layout.coreDomain(a));
            cpus[a] = d.cpus().size();
            pkg[a] = d.cpus().isEmpty() ? 0 : t.cpus().get(d.cpus().get(0)).pkg();
            min[a] = d.minKhz();
            max[a] = d.maxKhz();
            quota[a] = touching(layout.agents(Role.QUOTA), q -> t.cgroups().get(layout.quotaCgroup(q)).cpus(), d.cpus());
            memory[a] = touching(layout.agents(Role.MEMORY), m -> t.memoryDomains().get(layout.memDomain(m)).cpus(), d.cpus());
        }
        int[] levels = new int[Role.values().length];
        for (Role r : Role.values()) {
            levels[r.ordinal()] = layout.actions(r).levels();
        }
        return new LayoutFacts(Math.max(1, t.packageCount()), tdpWatts, levels, cpus, pkg, min, max, quota, memory);
    }

    private static int[] touching(int agents, java.util.function.IntFunction<CpuSet> cpusOf, CpuSet row) {
        List<Integer> out = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            if (cpusOf.apply(a).intersects(row)) {
                out.add(a);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
