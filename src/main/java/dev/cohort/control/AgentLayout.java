package dev.cohort.control;

import dev.cohort.platform.Capabilities;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Control;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Topology;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Which agents exist on this host and what each one looks after: one core agent per managed frequency
 * domain (none holding a reserved CPU), one memory agent per MBA-capable memory domain (when there is
 * best-effort work to limit), one quota agent per best-effort cgroup. A role whose control the host lacks
 * has no agents, and {@link #missing()} says why. Immutable.
 */
public final class AgentLayout {
    private final Topology topology;
    final int[] coreDomain;
    final int[] memDomain;
    final int[] quotaCgroup;
    final int[] lcCgroups;
    final int[] beCgroups;
    /** Per core agent: the LC cgroup indices (into topology cgroups) with CPUs in the domain. */
    final int[][] coreLc;
    final double[] coreLcShare;
    final double[] coreBeShare;
    /** Per memory agent: LC cgroups in the domain, and the CPUs of LC / BE cgroups in it. */
    final int[][] memLc;
    final int[][] memLcCpus;
    final int[][] memBeCpus;
    /** Per quota agent: LC cgroups sharing its CPUs or its memory domains. */
    final int[][] quotaLc;
    /** Per quota agent: the share of its CPUs that LC cgroups run on too. */
    final double[] quotaLcShare;
    /** Per quota agent: the CPUs of LC cgroups in its reach (its CPUs and its memory domains'). */
    final int[][] quotaLcCpus;
    /** Per quota agent: the memory domains its CPUs are in. */
    final int[][] quotaMemDomains;
    private final ActionSpace coreActions;
    private final ActionSpace memActions;
    private final ActionSpace quotaActions;
    private final List<String> missing;

    public AgentLayout(Topology t, Capabilities caps, ControllerConfig cfg) {
        this.topology = t;
        List<String> why = new ArrayList<>();
        lcCgroups = t.cgroupsWithRole(CgroupRole.LATENCY_CRITICAL);
        beCgroups = t.cgroupsWithRole(CgroupRole.BEST_EFFORT);

        List<Integer> cd = new ArrayList<>();
        if (!caps.has(Control.FREQ_MAX_KHZ)) {
            why.add("core agents: no frequency control (" + caps.control(Control.FREQ_MAX_KHZ).reason() + ")");
        } else {
            for (int d = 0; d < t.frequencyDomains().size(); d++) {
                if (t.isManaged(t.frequencyDomains().get(d))) {
                    cd.add(d);
                }
            }
            if (cd.isEmpty()) {
                why.add("core agents: every frequency domain holds a reserved CPU or there are none");
            }
        }
        coreDomain = cd.stream().mapToInt(Integer::intValue).toArray();
        coreLc = new int[coreDomain.length][];
        coreLcShare = new double[coreDomain.length];
        coreBeShare = new double[coreDomain.length];
        for (int a = 0; a < coreDomain.length; a++) {
            CpuSet cpus = t.frequencyDomains().get(coreDomain[a]).cpus();
            coreLc[a] = touching(t, lcCgroups, cpus);
            coreLcShare[a] = share(t, lcCgroups, cpus);
            coreBeShare[a] = share(t, beCgroups, cpus);
        }

        List<Integer> md = new ArrayList<>();
        if (!caps.has(Control.MBA_PERCENT)) {
            why.add("memory agents: no MBA control (" + caps.control(Control.MBA_PERCENT).reason() + ")");
        } else if (beCgroups.length == 0) {
            why.add("memory agents: no best-effort cgroup to limit");
        } else {
            for (int m = 0; m < t.memoryDomains().size(); m++) {
                if (t.memoryDomains().get(m).mba().isPresent()) {
                    md.add(m);
                }
            }
        }
        memDomain = md.stream().mapToInt(Integer::intValue).toArray();
        memLc = new int[memDomain.length][];
        memLcCpus = new int[memDomain.length][];
        memBeCpus = new int[memDomain.length][];
        for (int a = 0; a < memDomain.length; a++) {
            CpuSet cpus = t.memoryDomains().get(memDomain[a]).cpus();
            memLc[a] = touching(t, lcCgroups, cpus);
            memLcCpus[a] = cpusOf(t, lcCgroups, cpus);
            memBeCpus[a] = cpusOf(t, beCgroups, cpus);
        }

        if (!caps.has(Control.CPU_MAX_USEC)) {
            why.add("quota agents: no CPU quota control (" + caps.control(Control.CPU_MAX_USEC).reason() + ")");
            quotaCgroup = new int[0];
        } else {
            quotaCgroup = beCgroups.clone();
            if (quotaCgroup.length == 0) {
                why.add("quota agents: no best-effort cgroup is managed");
            }
        }
        quotaLc = new int[quotaCgroup.length][];
        quotaLcShare = new double[quotaCgroup.length];
        quotaLcCpus = new int[quotaCgroup.length][];
        quotaMemDomains = new int[quotaCgroup.length][];
        for (int a = 0; a < quotaCgroup.length; a++) {
            describeQuotaAgent(t, a);
        }
        coreActions = new ActionSpace(Role.CORE, cfg.coreLevels());
        int mbaLevels = memDomain.length == 0 ? 10 : mbaLevels(t.memoryDomains().get(memDomain[0]).mba().orElseThrow());
        memActions = new ActionSpace(Role.MEMORY, mbaLevels);
        quotaActions = new ActionSpace(Role.QUOTA, cfg.quotaLevels());
        missing = List.copyOf(why);
    }

    /** What quota agent {@code a} observes around its job: the services its CPUs and memory domains reach. */
    private void describeQuotaAgent(Topology t, int a) {
        CpuSet cpus = t.cgroups().get(quotaCgroup[a]).cpus();
        CpuSet reach = cpus;
        List<Integer> domains = new ArrayList<>();
        for (int m = 0; m < t.memoryDomains().size(); m++) {
            if (t.memoryDomains().get(m).cpus().intersects(cpus)) {
                reach = reach.union(t.memoryDomains().get(m).cpus());
                domains.add(m);
            }
        }
        quotaLc[a] = touching(t, lcCgroups, reach);
        quotaLcShare[a] = share(t, lcCgroups, cpus);
        quotaLcCpus[a] = cpusOf(t, lcCgroups, reach);
        quotaMemDomains[a] = domains.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int mbaLevels(Topology.MbaScale s) {
        return s.percent() ? Math.max(2, (s.max() - s.min()) / Math.max(1, s.granularity()) + 1) : 10;
    }

    private static int[] touching(Topology t, int[] groups, CpuSet cpus) {
        return java.util.Arrays.stream(groups).filter(g -> t.cgroups().get(g).cpus().intersects(cpus)).toArray();
    }

    private static double share(Topology t, int[] groups, CpuSet cpus) {
        return cpus.isEmpty() ? 0 : (double) cpusOf(t, groups, cpus).length / cpus.size();
    }

    private static int[] cpusOf(Topology t, int[] groups, CpuSet cpus) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < cpus.size(); i++) {
            int c = cpus.get(i);
            for (int g : groups) {
                if (t.cgroups().get(g).cpus().contains(c)) {
                    out.add(c);
                    break;
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    public Topology topology() {
        return topology;
    }

    /** Number of agents of a role. */
    public int agents(Role r) {
        return switch (r) {
            case CORE -> coreDomain.length;
            case MEMORY -> memDomain.length;
            case QUOTA -> quotaCgroup.length;
        };
    }

    /** The action space of a role. */
    public ActionSpace actions(Role r) {
        return switch (r) {
            case CORE -> coreActions;
            case MEMORY -> memActions;
            case QUOTA -> quotaActions;
        };
    }

    /** Frequency-domain index of core agent {@code a}. */
    public int coreDomain(int a) {
        return coreDomain[a];
    }

    /** Memory-domain index of memory agent {@code a}. */
    public int memDomain(int a) {
        return memDomain[a];
    }

    /** Cgroup index of quota agent {@code a}. */
    public int quotaCgroup(int a) {
        return quotaCgroup[a];
    }

    /**
     * Per core agent, which group of agents serves the same latency-critical services (the same set of LC cgroups with
     * CPUs in its domain): agents of one group share an index from 0; an agent serving none has -1.
     */
    public int[] coreServiceGroups() {
        int[] group = new int[coreLc.length];
        List<int[]> seen = new ArrayList<>();
        for (int a = 0; a < coreLc.length; a++) {
            group[a] = -1;
            if (coreLc[a].length == 0) {
                continue;
            }
            for (int g = 0; g < seen.size() && group[a] < 0; g++) {
                if (java.util.Arrays.equals(seen.get(g), coreLc[a])) {
                    group[a] = g;
                }
            }
            if (group[a] < 0) {
                group[a] = seen.size();
                seen.add(coreLc[a]);
            }
        }
        return group;
    }

    /** Indices of the latency-critical cgroups. */
    public int[] lcCgroups() {
        return lcCgroups.clone();
    }

    /** Indices of the best-effort cgroups. */
    public int[] beCgroups() {
        return beCgroups.clone();
    }

    /** Why roles have fewer agents than they could (empty when every role is fully staffed). */
    public List<String> missing() {
        return missing;
    }
}
