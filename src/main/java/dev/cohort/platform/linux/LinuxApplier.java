package dev.cohort.platform.linux;

import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.Knob;
import dev.cohort.platform.KnobKeeper;
import dev.cohort.platform.KnobWrite;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Topology;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps each {@link Setting} of a plan to knob writes through the {@link KnobKeeper} (save before the first
 * write, read back) and reports what became of it. Frequency limits of one domain are written in an order
 * that never makes min above max; domains with reserved CPUs are never written; a control the host lacks
 * is UNSUPPORTED with the reason; one failure never stops the rest of the plan.
 */
final class LinuxApplier {
    private final HostProbe h;
    private final Topology topo;
    private final KnobKeeper keeper;
    private final LinuxKnobIo io;
    private final String group;

    LinuxApplier(HostProbe h, Topology topo, KnobKeeper keeper, LinuxKnobIo io, String group) {
        this.h = h;
        this.topo = topo;
        this.keeper = keeper;
        this.io = io;
        this.group = group;
    }

    List<SettingResult> apply(ControlPlan plan) {
        List<Setting> s = plan.settings();
        SettingResult[] out = new SettingResult[s.size()];
        for (int i = 0; i < s.size(); i++) {
            if (out[i] != null) {
                continue;
            }
            Setting x = s.get(i);
            switch (x) {
                case Setting.FreqMaxKhz f -> freqDomain(s, out, f.domain());
                case Setting.FreqMinKhz f -> freqDomain(s, out, f.domain());
                case Setting.Epp e -> out[i] = epp(e);
                case Setting.CpuMaxUsec c -> out[i] = cpuMax(c);
                case Setting.CpuWeight w -> out[i] = weight(w);
                case Setting.MbaPercent m -> out[i] = mba(m);
                case Setting.PowerLimitUw p -> out[i] = powerLimit(p);
            }
        }
        try {
            keeper.flush();
        } catch (IOException e) {
            // the originals are saved; only the last-written values could not be persisted, which restore tolerates
        }
        return List.of(out);
    }

    /** Handles every min/max setting of one domain at once, in a safe order; results go to their plan slots. */
    private void freqDomain(List<Setting> s, SettingResult[] out, int d) {
        int iMin = -1;
        int iMax = -1;
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i) instanceof Setting.FreqMinKhz f && f.domain() == d) {
                iMin = i;
            } else if (s.get(i) instanceof Setting.FreqMaxKhz f && f.domain() == d) {
                iMax = i;
            }
        }
        String why = freqUnsupported(d);
        if (why != null) {
            if (iMin >= 0) {
                out[iMin] = SettingResult.unsupported(s.get(iMin), why);
            }
            if (iMax >= 0) {
                out[iMax] = SettingResult.unsupported(s.get(iMax), why);
            }
            return;
        }
        CpufreqSysfs.Policy p = policy(d);
        Knob minK = new Knob(LinuxKnobIo.id(p.file("scaling_min_freq")), "cpufreq " + p.name() + " minimum frequency (kHz)");
        Knob maxK = new Knob(LinuxKnobIo.id(p.file("scaling_max_freq")), "cpufreq " + p.name() + " maximum frequency (kHz)");
        long newMin = iMin >= 0 ? ((Setting.FreqMinKhz) s.get(iMin)).khz() : -1;
        long newMax = iMax >= 0 ? ((Setting.FreqMaxKhz) s.get(iMax)).khz() : -1;
        long curMax = h.files.readLongOrEmpty(p.file("scaling_max_freq")).orElse(Long.MAX_VALUE);
        long curMin = h.files.readLongOrEmpty(p.file("scaling_min_freq")).orElse(0);
        if (iMin >= 0 && iMax >= 0) {
            // min first while the new min fits under both the max in force and the new max, else max first:
            // min never exceeds max, and a contradictory min above the new max shows up as CLAMPED
            if (newMin <= curMax && newMin <= newMax) {
                out[iMin] = result(s.get(iMin), keeper.write(minK, Long.toString(newMin)));
                out[iMax] = result(s.get(iMax), keeper.write(maxK, Long.toString(newMax)));
            } else {
                out[iMax] = result(s.get(iMax), keeper.write(maxK, Long.toString(newMax)));
                out[iMin] = result(s.get(iMin), keeper.write(minK, Long.toString(newMin)));
            }
        } else if (iMax >= 0) {
            if (newMax < curMin) {
                keeper.write(minK, Long.toString(newMax)); // lower min first, so the new max is not below it
            }
            out[iMax] = result(s.get(iMax), keeper.write(maxK, Long.toString(newMax)));
        } else if (iMin >= 0) {
            out[iMin] = result(s.get(iMin), keeper.write(minK, Long.toString(newMin))); // above max: the kernel clamps, reported
        }
    }

    /** The ids of the knobs {@code s} writes on this host (empty when the host lacks the control). */
    List<String> knobIds(Setting s) {
        switch (s) {
            case Setting.FreqMaxKhz f -> {
                return freqUnsupported(f.domain()) != null ? List.of() : List.of(LinuxKnobIo.id(policy(f.domain()).file("scaling_max_freq")));
            }
            case Setting.FreqMinKhz f -> {
                return freqUnsupported(f.domain()) != null ? List.of() : List.of(LinuxKnobIo.id(policy(f.domain()).file("scaling_min_freq")));
            }
            case Setting.Epp e -> {
                return freqUnsupported(e.domain()) != null ? List.of()
                        : List.of(LinuxKnobIo.id(policy(e.domain()).file("energy_performance_preference")));
            }
            case Setting.CpuMaxUsec c -> {
                CgroupCpu g = cgroup(c.cgroup());
                return g == null ? List.of() : g.cpuMaxSteps(c.quotaUsec(), c.periodUsec()).stream().map(st -> st.knob().id()).toList();
            }
            case Setting.CpuWeight w -> {
                CgroupCpu g = cgroup(w.cgroup());
                return g == null ? List.of() : List.of(g.weightStep(Math.max(1, w.weight())).knob().id());
            }
            case Setting.MbaPercent m -> {
                if (h.resctrl == null || m.domain() < 0 || m.domain() >= topo.memoryDomains().size()) {
                    return List.of();
                }
                return List.of(LinuxKnobIo.schemataId(h.resctrl.group(group).resolve("schemata"), "MB",
                        topo.memoryDomains().get(m.domain()).id()));
            }
            case Setting.PowerLimitUw p -> {
                HostProbe.PowerLimit pl1 = h.packagePowerLimit(p.pkg());
                return pl1 == null ? List.of() : powerLimitSteps(pl1, p).stream().map(st -> st.knob().id()).toList();
            }
        }
    }

    /** PL1 as two writes: the window first, then the limit, so the new limit is never averaged over the old window. */
    private static List<CgroupCpu.Step> powerLimitSteps(HostProbe.PowerLimit pl1, Setting.PowerLimitUw p) {
        String zone = pl1.zone().id();
        return List.of(
                new CgroupCpu.Step(new Knob(LinuxKnobIo.id(PowercapRapl.timeWindowFile(pl1.zone(), pl1.constraint())),
                        "powercap " + zone + " long-term (PL1) time window, µs"), Long.toString(p.windowUs())),
                new CgroupCpu.Step(new Knob(LinuxKnobIo.id(PowercapRapl.powerLimitFile(pl1.zone(), pl1.constraint())),
                        "powercap " + zone + " long-term (PL1) power limit, µW"), Long.toString(p.limitUw())));
    }

    private SettingResult powerLimit(Setting.PowerLimitUw p) {
        HostProbe.PowerLimit pl1 = h.packagePowerLimit(p.pkg());
        if (pl1 == null) {
            return SettingResult.unsupported(p, h.zones.isEmpty() ? "no RAPL on this host: " + h.raplReason
                    : "package " + p.pkg() + " has no powercap zone with a long_term constraint (PL1)");
        }
        if (p.limitUw() <= 0 || p.windowUs() <= 0) {
            // a real package always has a limit: "none" is the original value, which restore puts back
            return new SettingResult(p, SettingResult.Outcome.FAILED, p.valueText(), "",
                    "a package power limit must be positive, with a positive window (restore returns the original limit)");
        }
        return steps(p, powerLimitSteps(pl1, p));
    }

    private String freqUnsupported(int d) {
        if (topo.frequencyDomains().isEmpty()) {
            return "no cpufreq on this host: " + h.cpufreqReason;
        }
        if (d < 0 || d >= topo.frequencyDomains().size()) {
            return "no freq-domain " + d + " (this host has " + topo.frequencyDomains().size() + ")";
        }
        Topology.FrequencyDomain fd = topo.frequencyDomains().get(d);
        if (!topo.isManaged(fd)) {
            return "freq-domain " + d + " (" + fd.name() + ", CPUs " + fd.cpus() + ") holds reserved CPUs "
                    + topo.reservedCpus() + "; cohort never writes it";
        }
        return null;
    }

    private CpufreqSysfs.Policy policy(int d) {
        String name = topo.frequencyDomains().get(d).name();
        return h.policies.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private SettingResult epp(Setting.Epp e) {
        String why = freqUnsupported(e.domain());
        if (why != null) {
            return SettingResult.unsupported(e, why);
        }
        CpufreqSysfs.Policy p = policy(e.domain());
        if (p.epp().isEmpty()) {
            return SettingResult.unsupported(e, "driver " + p.driver() + " has no energy_performance_preference in " + p.dir());
        }
        return result(e, keeper.write(new Knob(LinuxKnobIo.id(p.file("energy_performance_preference")),
                "cpufreq " + p.name() + " energy-performance preference"), e.preference()));
    }

    private SettingResult cpuMax(Setting.CpuMaxUsec c) {
        CgroupCpu g = cgroup(c.cgroup());
        if (g == null) {
            return SettingResult.unsupported(c, cgroupWhy(c.cgroup()));
        }
        return steps(c, g.cpuMaxSteps(c.quotaUsec(), c.periodUsec()));
    }

    private SettingResult weight(Setting.CpuWeight w) {
        CgroupCpu g = cgroup(w.cgroup());
        if (g == null) {
            return SettingResult.unsupported(w, cgroupWhy(w.cgroup()));
        }
        return steps(w, List.of(g.weightStep(w.weight())));
    }

    /** Writes the steps in order; one result: FAILED at the first failure, CLAMPED if any step was. */
    private SettingResult steps(Setting s, List<CgroupCpu.Step> steps) {
        List<String> req = new ArrayList<>();
        List<String> app = new ArrayList<>();
        boolean clamped = false;
        for (CgroupCpu.Step st : steps) {
            KnobWrite w = keeper.write(st.knob(), st.value());
            String file = Path.of(st.knob().id()).getFileName().toString();
            req.add(steps.size() > 1 ? file + "=" + st.value() : st.value());
            if (!w.ok()) {
                return new SettingResult(s, SettingResult.Outcome.FAILED, String.join(", ", req), "", w.error());
            }
            app.add(steps.size() > 1 ? file + "=" + w.applied() : w.applied());
            clamped |= !io.sameValue(st.knob(), st.value(), w.applied());
        }
        String r = String.join(", ", req);
        String a = String.join(", ", app);
        return clamped ? new SettingResult(s, SettingResult.Outcome.CLAMPED, r, a, "requested " + r + ", applied " + a)
                : new SettingResult(s, SettingResult.Outcome.APPLIED, r, a, "");
    }

    private CgroupCpu cgroup(int i) {
        if (i < 0 || i >= h.cgroups.size()) {
            return null;
        }
        CgroupCpu g = h.cgroups.get(i);
        return g != null && Files.isDirectory(g.dir()) ? g : null;
    }

    private String cgroupWhy(int i) {
        if (i < 0 || i >= h.cgroups.size()) {
            return "no managed cgroup " + i + " (" + h.cgroups.size() + " configured)";
        }
        return "cgroup " + topo.cgroups().get(i).name() + ": " + String.join("; ", h.cgroupMissing);
    }

    private SettingResult mba(Setting.MbaPercent m) {
        if (h.resctrl == null || h.mb.isEmpty()) {
            return SettingResult.unsupported(m, h.resctrl == null ? h.resctrlReason : "resctrl has no MB resource");
        }
        if (m.domain() < 0 || m.domain() >= topo.memoryDomains().size()) {
            return SettingResult.unsupported(m, "no mem-domain " + m.domain() + " (this host has " + topo.memoryDomains().size() + ")");
        }
        Path groupDir = h.resctrl.group(group);
        if (!Files.isDirectory(groupDir)) {
            KnobWrite created = keeper.write(new Knob(LinuxKnobIo.groupId(groupDir), "resctrl group " + group
                    + " for best-effort tasks"), LinuxKnobIo.PRESENT);
            if (!created.ok()) {
                return new SettingResult(m, SettingResult.Outcome.FAILED, Integer.toString(m.percent()), "", created.error());
            }
            assignBestEffortTasks();
        }
        int id = topo.memoryDomains().get(m.domain()).id();
        Knob k = new Knob(LinuxKnobIo.schemataId(groupDir.resolve("schemata"), "MB", id), "resctrl " + group
                + " memory bandwidth, domain " + id + " (" + h.mb.get().unit() + ")");
        return result(m, keeper.write(k, Integer.toString(m.percent())));
    }

    /** Moves every thread of the best-effort cgroups into the resctrl group (children inherit it on fork). */
    private void assignBestEffortTasks() {
        for (int i = 0; i < topo.cgroups().size(); i++) {
            CgroupCpu g = h.cgroups.get(i);
            if (g == null || topo.cgroups().get(i).role() != dev.cohort.platform.CgroupRole.BEST_EFFORT) {
                continue;
            }
            try {
                for (long pid : g.procs()) {
                    for (long tid : threads(pid)) {
                        try {
                            h.resctrl.assignTask(group, tid);
                        } catch (KernelIoException e) {
                            if (e.errno() != Errno.ESRCH) {
                                throw e;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // tasks stay where they were; the MB limit then covers fewer tasks, which is safe
            }
        }
    }

    private List<Long> threads(long pid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(h.root.resolve("proc").resolve(Long.toString(pid)).resolve("task"))) {
            for (Path t : ds) {
                out.add(Long.parseLong(t.getFileName().toString()));
            }
        } catch (IOException | NumberFormatException e) {
            out.add(pid);
        }
        return out;
    }

    private SettingResult result(Setting s, KnobWrite w) {
        return SettingResult.of(s, w, io);
    }

    /** The present value of every knob cohort manages. */
    List<Setting> current() {
        List<Setting> out = new ArrayList<>();
        for (int d = 0; d < topo.frequencyDomains().size(); d++) {
            if (!topo.isManaged(topo.frequencyDomains().get(d))) {
                continue;
            }
            CpufreqSysfs.Policy p = policy(d);
            var max = h.files.readLongOrEmpty(p.file("scaling_max_freq"));
            var min = h.files.readLongOrEmpty(p.file("scaling_min_freq"));
            if (max.isPresent()) {
                out.add(new Setting.FreqMaxKhz(d, max.getAsLong()));
            }
            if (min.isPresent()) {
                out.add(new Setting.FreqMinKhz(d, min.getAsLong()));
            }
            if (p.epp().isPresent()) {
                try {
                    out.add(new Setting.Epp(d, h.files.readTrim(p.file("energy_performance_preference"))));
                } catch (IOException e) {
                    // left out
                }
            }
        }
        for (int i = 0; i < h.cgroups.size(); i++) {
            CgroupCpu g = cgroup(i);
            if (g == null) {
                continue;
            }
            try {
                CgroupCpu.CpuMax cm = g.cpuMax();
                out.add(new Setting.CpuMaxUsec(i, cm.quotaUsec(), cm.periodUsec()));
                out.add(new Setting.CpuWeight(i, g.weight()));
            } catch (IOException e) {
                // left out
            }
        }
        if (h.resctrl != null && h.mb.isPresent()) {
            String grp = h.resctrl.hasGroup(group) ? group : "";
            try {
                var schemata = h.resctrl.readSchemata(grp);
                for (int d = 0; d < topo.memoryDomains().size(); d++) {
                    var v = Resctrl.mbValue(schemata, topo.memoryDomains().get(d).id());
                    if (v.isPresent()) {
                        out.add(new Setting.MbaPercent(d, v.getAsInt()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // left out
            }
        }
        for (int p = 0; ; p++) {
            HostProbe.PowerLimit pl1 = h.packagePowerLimit(p);
            if (pl1 == null) {
                break;
            }
            var limit = h.files.readLongOrEmpty(PowercapRapl.powerLimitFile(pl1.zone(), pl1.constraint()));
            var window = h.files.readLongOrEmpty(PowercapRapl.timeWindowFile(pl1.zone(), pl1.constraint()));
            if (limit.isPresent() && window.isPresent()) {
                out.add(new Setting.PowerLimitUw(p, limit.getAsLong(), window.getAsLong()));
            }
        }
        return out;
    }
}
