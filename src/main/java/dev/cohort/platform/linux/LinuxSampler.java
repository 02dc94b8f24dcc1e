package dev.cohort.platform.linux;

import dev.cohort.platform.EnergyCounter;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Takes one {@link Telemetry} sample of a real host. Each signal is read on its own: one that fails this
 * time is left out of the sample (or, for one failing entry of a per-cgroup or per-domain signal, keeps its
 * last value), never an exception. Counters the kernel wraps or resets are made monotonic here: RAPL with
 * {@link EnergyCounter}, resctrl MBM by adding only increases (a decrease is a reset: the group was
 * re-created; "Unavailable" adds nothing). Not thread-safe.
 */
final class LinuxSampler {
    private final HostProbe h;
    private final Topology topo;
    private final ProcStat procStat;
    private final PerfCounters perf;
    private final Signal[] perfSignals;
    private final long[][] perfOut;
    private final CgroupPerfCounters cgroupPerf;
    private final long[] cgroupInstructions;
    private final String resctrlGroup;

    private final List<List<PowercapRapl.Zone>> pkgZones = new ArrayList<>();
    private final List<List<PowercapRapl.Zone>> dramZones = new ArrayList<>();
    private final EnergyCounter[] zoneCounters;
    private final List<PowercapRapl.Zone> zoneOrder = new ArrayList<>();
    private final EnergyCounter[] msrPkg;
    private final EnergyCounter[] msrDram;
    private final int[] msrCpuOfPkg;
    private double msrUjPerCount;

    private final long[] mbmLast;
    private final long[] mbmTotal;
    private final long[][] cgLast;

    LinuxSampler(HostProbe h, Topology topo, PerfCounters perf, CgroupPerfCounters cgroupPerf, String resctrlGroup) {
        this.h = h;
        this.topo = topo;
        this.procStat = new ProcStat(h.root, h.files);
        this.perf = perf;
        this.resctrlGroup = resctrlGroup;
        List<PerfCounters.Event> ev = perf == null ? List.of() : perf.events();
        this.perfSignals = new Signal[ev.size()];
        for (int i = 0; i < ev.size(); i++) {
            PerfCounters.Event e = ev.get(i);
            perfSignals[i] = e.equals(PerfCounters.CYCLES) ? Signal.CPU_CYCLES
                    : e.equals(PerfCounters.INSTRUCTIONS) ? Signal.CPU_INSTRUCTIONS
                    : e.equals(PerfCounters.LLC_MISSES) ? Signal.CPU_LLC_MISSES : Signal.CPU_STALL_CYCLES;
        }
        this.perfOut = new long[ev.size()][topo.cpuCount()];
        this.cgroupPerf = cgroupPerf != null && cgroupPerf.counting() ? cgroupPerf : null;
        this.cgroupInstructions = new long[topo.cgroups().size()];
        for (int p = 0; p < topo.packageCount(); p++) {
            pkgZones.add(new ArrayList<>());
            dramZones.add(new ArrayList<>());
        }
        if (h.raplReason.isEmpty()) {
            // only a domain every package has a zone for: a package without one would read as zero energy
            boolean pkgOk = h.energyGap(PowercapRapl.Domain.PACKAGE).isEmpty();
            boolean dramOk = h.energyGap(PowercapRapl.Domain.DRAM).isEmpty();
            for (PowercapRapl.Zone z : h.energyZones) {
                if (z.domain() == PowercapRapl.Domain.PACKAGE && pkgOk) {
                    pkgZones.get(z.pkg()).add(z);
                    zoneOrder.add(z);
                } else if (z.domain() == PowercapRapl.Domain.DRAM && dramOk) {
                    dramZones.get(z.pkg()).add(z);
                    zoneOrder.add(z);
                }
            }
        }
        zoneCounters = new EnergyCounter[zoneOrder.size()];
        for (int i = 0; i < zoneCounters.length; i++) {
            zoneCounters[i] = new EnergyCounter(zoneOrder.get(i).maxEnergyRangeUj());
        }
        int packages = topo.packageCount();
        msrPkg = new EnergyCounter[packages];
        msrDram = new EnergyCounter[packages];
        msrCpuOfPkg = new int[packages];
        Arrays.fill(msrCpuOfPkg, -1);
        if (h.msr != null) {
            for (Topology.Cpu c : topo.cpus()) {
                if (msrCpuOfPkg[c.pkg()] < 0 && h.online().contains(c.id())) {
                    msrCpuOfPkg[c.pkg()] = c.id();
                    msrPkg[c.pkg()] = new EnergyCounter(1L << 32);
                    msrDram[c.pkg()] = new EnergyCounter(1L << 32);
                }
            }
            try {
                msrUjPerCount = h.msr.microjoulesPerCount(Math.max(0, msrCpuOfPkg[0]));
            } catch (IOException e) {
                msrUjPerCount = 0;
            }
        }
        mbmLast = new long[topo.memoryDomains().size()];
        mbmTotal = new long[topo.memoryDomains().size()];
        Arrays.fill(mbmLast, -1);
        cgLast = new long[6][topo.cgroups().size()];
    }

    Telemetry sample() {
        Telemetry.Builder b = Telemetry.builder(System.nanoTime());
        int n = topo.cpuCount();
        sampleCpuTimes(b, n);
        if (perf != null && perfSignals.length > 0) {
            perf.read(perfOut);
            for (int i = 0; i < perfSignals.length; i++) {
                b.counter(perfSignals[i], perfOut[i].clone());
            }
        }
        if (cgroupPerf != null) {
            cgroupPerf.read(cgroupInstructions);
            b.counter(Signal.CGROUP_INSTRUCTIONS, cgroupInstructions.clone());
        }
        // each part on its own: a kernel file holding something unexpected costs that signal this time, not the sample
        guarded(() -> sampleFreq(b, n));
        guarded(() -> sampleEnergy(b));
        guarded(() -> sampleMbm(b));
        guarded(() -> sampleCgroups(b));
        guarded(() -> sampleSystemPsi(b));
        return b.build();
    }

    private static void guarded(Runnable part) {
        try {
            part.run();
        } catch (RuntimeException e) {
            // the signals of this part are absent this time
        }
    }

    private void sampleCpuTimes(Telemetry.Builder b, int n) {
        try {
            ProcStat.CpuTimes t = procStat.read(n);
            long[] busy = new long[n];
            long[] idle = new long[n];
            for (int c = 0; c < n; c++) {
                busy[c] = t.busyNanos(c);
                idle[c] = t.idleNanos(c);
            }
            b.counter(Signal.CPU_BUSY_NANOS, busy).counter(Signal.CPU_IDLE_NANOS, idle);
        } catch (IOException | RuntimeException e) {
            // signal absent this time
        }
    }

    private void sampleFreq(Telemetry.Builder b, int n) {
        if (h.policies.isEmpty()) {
            return;
        }
        double[] f = new double[n];
        Arrays.fill(f, Double.NaN);
        boolean any = false;
        for (CpufreqSysfs.Policy p : h.policies) {
            var khz = h.cpufreq.curKhz(p);
            if (khz.isPresent()) {
                any = true;
                for (int c : p.affectedCpus().toArray()) {
                    if (c < n) {
                        f[c] = khz.getAsLong();
                    }
                }
            }
        }
        if (any) {
            b.gauge(Signal.CPU_FREQ_KHZ, f);
        }
    }

    private void sampleEnergy(Telemetry.Builder b) {
        int packages = topo.packageCount();
        if (!zoneOrder.isEmpty()) {
            long[] pkg = new long[packages];
            long[] dram = new long[packages];
            boolean okPkg = true;
            boolean okDram = true;
            boolean anyDram = false;
            for (int i = 0; i < zoneOrder.size(); i++) {
                PowercapRapl.Zone z = zoneOrder.get(i);
                boolean isPkg = z.domain() == PowercapRapl.Domain.PACKAGE;
                try {
                    long total = zoneCounters[i].update(h.rapl.energyUj(z));
                    (isPkg ? pkg : dram)[z.pkg()] += total;
                    anyDram |= !isPkg;
                } catch (IOException e) {
                    if (isPkg) {
                        okPkg = false;
                    } else {
                        okDram = false;
                    }
                }
            }
            if (okPkg) {
                b.counter(Signal.PKG_ENERGY_UJ, pkg);
            }
            if (okDram && anyDram) {
                b.counter(Signal.DRAM_ENERGY_UJ, dram);
            }
        } else if (h.msr != null && msrUjPerCount > 0) {
            long[] pkg = new long[packages];
            long[] dram = new long[packages];
            boolean okPkg = true;
            boolean okDram = !h.amd;
            for (int p = 0; p < packages; p++) {
                int cpu = msrCpuOfPkg[p];
                if (cpu < 0) {
                    continue;
                }
                try {
                    pkg[p] = (long) (msrPkg[p].update(h.msr.packageCounts(cpu)) * msrUjPerCount);
                } catch (IOException e) {
                    okPkg = false;
                }
                if (okDram) {
                    try {
                        dram[p] = (long) (msrDram[p].update(h.msr.dramCounts(cpu)) * msrUjPerCount);
                    } catch (IOException e) {
                        okDram = false;
                    }
                }
            }
            if (okPkg) {
                b.counter(Signal.PKG_ENERGY_UJ, pkg);
            }
            if (okDram) {
                b.counter(Signal.DRAM_ENERGY_UJ, dram);
            }
        }
    }

    private void sampleMbm(Telemetry.Builder b) {
        if (h.resctrl == null || !h.monFeatures.contains("mbm_total_bytes") || mbmLast.length == 0) {
            return;
        }
        String group = h.resctrl.hasGroup(resctrlGroup) ? resctrlGroup : "";
        for (int d = 0; d < mbmLast.length; d++) {
            try {
                if (h.resctrl.mbmTotalBytes(group, topo.memoryDomains().get(d).id()) instanceof Resctrl.MonValue.Bytes(long v)) {
                    mbmTotal[d] += mbmLast[d] < 0 ? 0 : v >= mbmLast[d] ? v - mbmLast[d] : v;
                    mbmLast[d] = v;
                }
            } catch (IOException e) {
                // keeps the last total
            }
        }
        b.counter(Signal.MEM_BYTES, mbmTotal.clone());
    }

    private void sampleCgroups(Telemetry.Builder b) {
        int g = topo.cgroups().size();
        if (g == 0) {
            return;
        }
        boolean throttling = false;
        boolean psiCpu = false;
        boolean psiMem = false;
        for (int i = 0; i < g; i++) {
            CgroupCpu c = h.cgroups.get(i);
            if (c == null) {
                continue;
            }
            try {
                CgroupCpu.CpuStat s = c.stat();
                cgLast[0][i] = s.usageUsec();
                if (s.hasThrottling()) {
                    throttling = true;
                    cgLast[1][i] = Math.max(0, s.throttledUsec());
                    cgLast[2][i] = s.periods();
                    cgLast[3][i] = s.throttledPeriods();
                }
            } catch (IOException | RuntimeException e) {
                // keeps the last values
            }
            psiCpu |= readPsi(c, "cpu", 4, i);
            psiMem |= readPsi(c, "memory", 5, i);
        }
        b.counter(Signal.CGROUP_USAGE_USEC, cgLast[0].clone());
        if (throttling) {
            b.counter(Signal.CGROUP_THROTTLED_USEC, cgLast[1].clone())
                    .counter(Signal.CGROUP_PERIODS, cgLast[2].clone())
                    .counter(Signal.CGROUP_THROTTLED_PERIODS, cgLast[3].clone());
        }
        if (psiCpu) {
            b.counter(Signal.CGROUP_CPU_PRESSURE_SOME_USEC, cgLast[4].clone());
        }
        if (psiMem) {
            b.counter(Signal.CGROUP_MEM_PRESSURE_SOME_USEC, cgLast[5].clone());
        }
    }

    private boolean readPsi(CgroupCpu c, String res, int row, int i) {
        var f = c.pressureFile(res);
        if (f.isEmpty()) {
            return false;
        }
        try {
            long t = Psi.someTotal(Psi.readFile(h.files, f.get()));
            if (t >= 0) {
                cgLast[row][i] = t;
                return true;
            }
        } catch (IOException e) {
            // keeps the last value
        }
        return false;
    }

    private void sampleSystemPsi(Telemetry.Builder b) {
        if (!h.psiReason.isEmpty()) {
            return;
        }
        try {
            Psi.Pressure cpu = h.psi.read("cpu");
            cpu.some().ifPresent(l -> b.counter(Signal.SYS_CPU_PRESSURE_SOME_USEC, new long[]{l.totalUsec()}));
        } catch (IOException | RuntimeException e) {
            // absent this time
        }
        try {
            Psi.Pressure mem = h.psi.read("memory");
            mem.some().ifPresent(l -> b.counter(Signal.SYS_MEM_PRESSURE_SOME_USEC, new long[]{l.totalUsec()}));
            mem.full().ifPresent(l -> b.counter(Signal.SYS_MEM_PRESSURE_FULL_USEC, new long[]{l.totalUsec()}));
        } catch (IOException | RuntimeException e) {
            // absent this time
        }
        try {
            h.psi.read("io").some().ifPresent(l -> b.counter(Signal.SYS_IO_PRESSURE_SOME_USEC, new long[]{l.totalUsec()}));
        } catch (IOException | RuntimeException e) {
            // absent this time
        }
    }
}
