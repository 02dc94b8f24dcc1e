package dev.cohort.platform.linux;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link Topology} of a probed host: CPUs from sysfs, one frequency domain per active cpufreq
 * policy (its {@code related_cpus}), one memory domain per resctrl MB domain (CPUs whose L3 cache id equals
 * the domain id), and the managed cgroups with the CPUs they may run on.
 */
final class LinuxTopology {
    private LinuxTopology() {
    }

    static Topology build(HostProbe h, LinuxPlatform.Options o) {
        List<Topology.FrequencyDomain> freq = new ArrayList<>();
        for (CpufreqSysfs.Policy p : h.policies) {
            if (p.cpuinfoMinKhz() > 0 && p.cpuinfoMaxKhz() >= p.cpuinfoMinKhz()) {
                freq.add(new Topology.FrequencyDomain(p.name(), p.relatedCpus(), p.cpuinfoMinKhz(), p.cpuinfoMaxKhz(),
                        p.availableKhz()));
            }
        }
        List<Topology.MemoryDomain> mem = new ArrayList<>();
        Optional<Topology.MbaScale> scale = h.mb.map(m -> new Topology.MbaScale(m.minBandwidth(), Math.max(1, m.bandwidthGran()), m.max(),
                m.unit() == Resctrl.MbUnit.PERCENT));
        for (int id : h.mbDomains) {
            List<Integer> cpus = new ArrayList<>();
            int pkg = -1;
            for (Topology.Cpu c : h.topo.cpus()) {
                if (h.topo.l3Ids()[c.id()] == id) {
                    cpus.add(c.id());
                    pkg = pkg < 0 ? c.pkg() : pkg;
                }
            }
            mem.add(new Topology.MemoryDomain(id, Math.max(0, pkg), CpuSet.of(cpus.stream().mapToInt(Integer::intValue).toArray()),
                    scale));
        }
        List<Topology.CgroupInfo> groups = new ArrayList<>();
        for (int i = 0; i < o.cgroups().size(); i++) {
            ManagedCgroup g = o.cgroups().get(i);
            groups.add(new Topology.CgroupInfo(g.name(), g.path(), g.role(), cgroupCpus(h, g), g.sloUsec(), g.sloQuantile(),
                    g.referenceInstructionsPerSec()));
        }
        return new Topology(h.topo.cpus(), h.topo.packageCount(), freq, mem, groups, o.reservedCpus());
    }

    /** {@code cpuset.cpus.effective} (v2) or the v1 cpuset hierarchy's {@code cpuset.effective_cpus}, else the online CPUs. */
    private static CpuSet cgroupCpus(HostProbe h, ManagedCgroup g) {
        List<Path> candidates = new ArrayList<>();
        h.mounts.v2MountPoint().ifPresent(m -> candidates.add(h.under(m).resolve(g.path()).resolve("cpuset.cpus.effective")));
        h.mounts.v1MountPoint("cpuset").ifPresent(m -> {
            candidates.add(h.under(m).resolve(g.path()).resolve("cpuset.effective_cpus"));
            candidates.add(h.under(m).resolve(g.path()).resolve("cpuset.cpus"));
        });
        for (Path p : candidates) {
            try {
                Optional<String> v = h.files.readIfPresent(p);
                if (v.isPresent() && !v.get().isBlank()) {
                    return KernelText.cpus(v.get(), h.topo.cpus().size()); // bounded: a garbled cpuset falls back
                }
            } catch (IOException | IllegalArgumentException e) {
                // try the next source
            }
        }
        return h.online();
    }
}
