package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Control;
import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Signal;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.Topology;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LinuxPlatform over generated fake trees and the captured tree of this VM: topology, capabilities, sample. */
class LinuxPlatformTest {
    @TempDir
    Path root;

    static LinuxPlatform open(Path root, List<ManagedCgroup> groups) {
        return new LinuxPlatform(new LinuxPlatform.Options(root, groups, "cohort-be", CpuSet.empty(), StateStore.inMemory(), true),
                new FakeKernel());
    }

    static List<ManagedCgroup> twoGroups() {
        return List.of(new ManagedCgroup("web", "system.slice/web.service", CgroupRole.LATENCY_CRITICAL, 5000, 0.99),
                ManagedCgroup.bestEffort("batch", "batch.slice"));
    }

    @Test
    void intelServerTopologyCapabilitiesAndOneSample() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 2));
        try (var p = open(root, twoGroups())) {
            Topology t = p.topology();
            assertEquals(8, t.cpuCount());
            assertEquals(2, t.packageCount());
            assertEquals(8, t.frequencyDomains().size(), "intel_pstate: a policy per CPU");
            assertEquals(3900000, t.frequencyDomains().getFirst().maxKhz());
            assertEquals(2, t.memoryDomains().size());
            assertEquals(CpuSet.of(4, 5, 6, 7), t.memoryDomains().get(1).cpus());
            assertEquals(new Topology.MbaScale(10, 10, 100, true), t.memoryDomains().getFirst().mba().orElseThrow());
            assertEquals(CpuSet.range(0, 8), t.cgroups().get(1).cpus());

            var caps = p.capabilities();
            for (Signal s : List.of(Signal.CPU_BUSY_NANOS, Signal.CPU_FREQ_KHZ, Signal.PKG_ENERGY_UJ, Signal.DRAM_ENERGY_UJ,
                    Signal.MEM_BYTES, Signal.CGROUP_USAGE_USEC, Signal.CGROUP_THROTTLED_USEC, Signal.CGROUP_CPU_PRESSURE_SOME_USEC,
                    Signal.SYS_IO_PRESSURE_SOME_USEC)) {
                assertTrue(caps.has(s), s + ": " + caps.signal(s));
            }
            for (Control c : Control.values()) {
                assertTrue(caps.has(c), c + ": " + caps.control(c));
            }
            assertTrue(caps.signal(Signal.CPU_CYCLES).reason().contains("not the captured tree"), caps.signal(Signal.CPU_CYCLES).reason());

            Telemetry s = p.sample();
            assertEquals((1132 + 3 + 34 + 1441 + 3 + 127 + 438) * 10_000_000L, s.counter(Signal.CPU_BUSY_NANOS, 3));
            assertEquals((11311718 + 21 + 3675) * 10_000_000L, s.counter(Signal.CPU_IDLE_NANOS, 3));
            assertEquals(1996253 + 5, s.gauge(Signal.CPU_FREQ_KHZ, 5));
            assertEquals(9876543, s.counter(Signal.CGROUP_USAGE_USEC, 1));
            assertEquals(845120, s.counter(Signal.CGROUP_THROTTLED_USEC, 1));
            assertEquals(37, s.counter(Signal.CGROUP_THROTTLED_PERIODS, 1));
            assertEquals(5123456, s.counter(Signal.CGROUP_MEM_PRESSURE_SOME_USEC, 0));
            assertEquals(2000000, s.counter(Signal.SYS_MEM_PRESSURE_FULL_USEC, 0));
            assertEquals(0, s.counter(Signal.PKG_ENERGY_UJ, 1), "energy counts from the first sample");
            assertFalse(s.has(Signal.CPU_CYCLES));

            List<Setting> cur = p.currentSettings();
            assertTrue(cur.contains(new Setting.FreqMaxKhz(0, 3900000)));
            assertTrue(cur.contains(new Setting.Epp(1, "128")));
            assertTrue(cur.contains(new Setting.CpuMaxUsec(1, -1, 100000)));
            assertTrue(cur.contains(new Setting.CpuWeight(0, 100)));
            assertTrue(cur.contains(new Setting.MbaPercent(1, 100)));
        }
    }

    @Test
    void raplWrapIsUndoneAndMbmResetsAndUnavailableDoNotGoBackwards() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        String energy = "sys/class/powercap/intel-rapl:0/energy_uj";
        String mbm = "sys/fs/resctrl/mon_data/mon_L3_00/mbm_total_bytes";
        try (var p = open(root, List.of())) {
            FakeTreeWriter.put(root, energy, "262143000000\n");
            FakeTreeWriter.put(root, mbm, "1000\n");
            Telemetry a = p.sample();
            FakeTreeWriter.put(root, energy, "1000000\n");        // wrapped at 262143328850
            FakeTreeWriter.put(root, mbm, "5000\n");
            Telemetry b = p.sample();
            assertEquals(328850 + 1000000, b.counter(Signal.PKG_ENERGY_UJ, 0) - a.counter(Signal.PKG_ENERGY_UJ, 0));
            assertEquals(4000, b.counter(Signal.MEM_BYTES, 0) - a.counter(Signal.MEM_BYTES, 0));
            FakeTreeWriter.put(root, mbm, "Unavailable\n");
            Telemetry c = p.sample();
            assertEquals(b.counter(Signal.MEM_BYTES, 0), c.counter(Signal.MEM_BYTES, 0), "Unavailable adds nothing");
            FakeTreeWriter.put(root, mbm, "300\n");               // the group was re-created: counter restarted
            Telemetry d = p.sample();
            assertEquals(300, d.counter(Signal.MEM_BYTES, 0) - c.counter(Signal.MEM_BYTES, 0), "a decrease is a reset, not negative traffic");
            assertTrue(TelemetryInterval.between(a, b).packageWatts(0) > 0);
        }
    }

    @Test
    void cgroupV1AndAmdResctrlUnits() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 2).withCgroups(TreeSpec.Cgroups.V1)
                .withRdt(TreeSpec.Rdt.AMD).withAmd(true).withDriver(TreeSpec.Driver.AMD_PSTATE));
        try (var p = open(root, twoGroups())) {
            var mba = p.topology().memoryDomains().getFirst().mba().orElseThrow();
            assertEquals(new Topology.MbaScale(0, 1, 2048, false), mba, "AMD: 1/8 GB/s units up to 2048");
            assertFalse(p.capabilities().has(Signal.CPU_STALL_CYCLES));
            assertTrue(p.capabilities().signal(Signal.CPU_STALL_CYCLES).reason().contains("AMD"));
            assertFalse(p.capabilities().has(Signal.DRAM_ENERGY_UJ), "AMD has no dram zone");
            assertFalse(p.capabilities().has(Signal.CGROUP_CPU_PRESSURE_SOME_USEC));
            assertTrue(p.capabilities().signal(Signal.CGROUP_CPU_PRESSURE_SOME_USEC).reason().contains("v1 has no per-cgroup PSI"));
            Telemetry s = p.sample();
            assertEquals(9876543, s.counter(Signal.CGROUP_USAGE_USEC, 0), "cpuacct.usage ns -> us");
            assertEquals(845120, s.counter(Signal.CGROUP_THROTTLED_USEC, 0), "v1 throttled_time ns -> us");
            var r = p.apply(new ControlPlan(1, List.of(new Setting.MbaPercent(0, 16), new Setting.CpuWeight(1, 50),
                    new Setting.CpuMaxUsec(1, 30000, 100000))));
            assertEquals(SettingResult.Outcome.APPLIED, r.get(0).outcome(), r.get(0).detail());
            assertEquals("16", r.get(0).applied());
            assertEquals("512", r.get(1).applied(), "weight 50 is 512 shares");
            assertEquals("cpu.cfs_period_us=100000, cpu.cfs_quota_us=30000", r.get(2).applied());
            assertTrue(p.restore(false).ok());
        }
    }

    @Test
    void aHostWithNothingSaysWhyForEachControl() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(2, 1).withDriver(TreeSpec.Driver.NONE).withRapl(false)
                .withRdt(TreeSpec.Rdt.NONE).withCgroups(TreeSpec.Cgroups.HYBRID));
        try (var p = open(root, List.of(ManagedCgroup.bestEffort("gone", "no/such/group")))) {
            var caps = p.capabilities();
            assertTrue(caps.signal(Signal.CPU_FREQ_KHZ).reason().contains("no cpufreq policies"));
            assertTrue(caps.signal(Signal.PKG_ENERGY_UJ).reason().contains("sys/class/powercap"));
            assertTrue(caps.signal(Signal.PKG_ENERGY_UJ).reason().contains("msr"), "the MSR fallback's reason too");
            assertTrue(caps.control(Control.MBA_PERCENT).reason().contains("resctrl is not mounted"));
            assertTrue(caps.control(Control.CPU_MAX_USEC).reason().contains("no directory"), caps.control(Control.CPU_MAX_USEC).reason());
            assertTrue(p.topology().frequencyDomains().isEmpty());
            var r = p.apply(new ControlPlan(1, List.of(new Setting.FreqMaxKhz(0, 1), new Setting.MbaPercent(0, 50),
                    new Setting.CpuMaxUsec(0, 50000, 100000))));
            assertTrue(r.stream().allMatch(x -> x.outcome() == SettingResult.Outcome.UNSUPPORTED), r.toString());
            assertTrue(r.get(0).detail().startsWith("no cpufreq on this host"), r.get(0).detail());
            Telemetry s = p.sample();
            assertTrue(s.has(Signal.CPU_BUSY_NANOS) && !s.has(Signal.CPU_FREQ_KHZ) && !s.has(Signal.PKG_ENERGY_UJ));
        }
    }

    @Test
    void capturedTreeOfThisVmGivesTheSameAccountAsTheHost() throws Exception {
        Path fixture = Path.of(getClass().getResource("/fixtures/vm-hybrid").toURI());
        try (var p = new LinuxPlatform(new LinuxPlatform.Options(fixture, List.of(ManagedCgroup.bestEffort("batch", "batch")),
                "cohort-be", CpuSet.empty(), StateStore.inMemory(), true))) {
            assertEquals(2, p.topology().cpuCount());
            var caps = p.capabilities();
            assertFalse(caps.has(Signal.CPU_FREQ_KHZ));
            assertFalse(caps.has(Signal.PKG_ENERGY_UJ));
            assertFalse(caps.has(Signal.MEM_BYTES));
            assertTrue(caps.has(Signal.CGROUP_USAGE_USEC), caps.signal(Signal.CGROUP_USAGE_USEC).toString());
            assertTrue(caps.has(Signal.SYS_CPU_PRESSURE_SOME_USEC));
            DoctorReport d = p.doctor();
            assertTrue(d.host().get("cgroups").startsWith("hybrid; cgroup2 at /sys/fs/cgroup/unified"), d.host().get("cgroups"));
            assertTrue(d.host().get("cgroups").contains("v1 cpu at /sys/fs/cgroup/cpu;"), d.host().get("cgroups"));
            assertTrue(d.host().get("cpu").startsWith("AuthenticAMD, 2 CPUs"), d.host().get("cpu"));
            Telemetry s = p.sample();
            assertTrue(s.has(Signal.CPU_BUSY_NANOS) && s.has(Signal.CGROUP_USAGE_USEC) && s.has(Signal.CGROUP_PERIODS));
            assertFalse(s.has(Signal.CGROUP_CPU_PRESSURE_SOME_USEC), "v1: no per-cgroup PSI");
        }
    }

    @Test
    void rootOnlyEnergyMissingPsiAndAFailingSignalDegradeOneByOne() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        var fk = new FakeKernel();
        fk.failReads.put(root.resolve("sys/class/powercap/intel-rapl:0/energy_uj"), Errno.EACCES);
        java.nio.file.Files.delete(root.resolve("proc/pressure/io"));
        var o = new LinuxPlatform.Options(root, twoGroups(), "cohort-be", CpuSet.empty(), StateStore.inMemory(), false);
        try (var p = new LinuxPlatform(o, fk)) {
            var pkg = p.capabilities().signal(Signal.PKG_ENERGY_UJ);
            assertFalse(pkg.available());
            assertTrue(pkg.reason().contains("EACCES") && pkg.reason().contains("root-only"), pkg.reason());
            assertEquals("run as root", pkg.remedy());
            assertTrue(p.capabilities().signal(Signal.SYS_IO_PRESSURE_SOME_USEC).reason().contains("proc/pressure/io"));
            assertTrue(p.capabilities().has(Signal.SYS_CPU_PRESSURE_SOME_USEC));

            fk.failReads.put(root.resolve("proc/stat"), Errno.EIO);
            fk.failReads.put(root.resolve("sys/fs/cgroup/batch.slice/cpu.stat"), Errno.ENODEV);
            Telemetry a = p.sample();
            assertFalse(a.has(Signal.CPU_BUSY_NANOS), "an unreadable /proc/stat leaves the CPU signals out of this sample");
            assertFalse(a.has(Signal.PKG_ENERGY_UJ));
            assertTrue(a.has(Signal.CPU_FREQ_KHZ) && a.has(Signal.SYS_CPU_PRESSURE_SOME_USEC), "the other signals are still there");
            assertEquals(9876543, a.counter(Signal.CGROUP_USAGE_USEC, 0));
            assertEquals(0, a.counter(Signal.CGROUP_USAGE_USEC, 1), "a failing cgroup keeps its last value (none yet)");
            fk.failReads.clear();
            Telemetry b = p.sample();
            assertTrue(b.has(Signal.CPU_BUSY_NANOS), "and it comes back when the file reads again");
            assertEquals(9876543, b.counter(Signal.CGROUP_USAGE_USEC, 1));
        }
    }
}
