package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each interface class against @TempDir fake trees: missing, empty and odd files (linux-interfaces.md §8.7). */
class InterfaceTreeTest {
    @TempDir
    Path root;

    private static void put(Path root, String rel, String content) throws IOException {
        FakeTreeWriter.put(root, rel, content);
    }

    @Test
    void cpufreqNonContiguousPoliciesSymlinksIntelPstateAndOfflinePolicy() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 1).withDriver(TreeSpec.Driver.ACPI_CPUFREQ));
        var fk = new FakeKernel();
        var c = new CpufreqSysfs(root, fk);
        List<CpufreqSysfs.Policy> ps = c.policies();
        assertEquals(List.of("policy0", "policy4"), ps.stream().map(CpufreqSysfs.Policy::name).toList());
        assertEquals(CpuSet.of(4, 5, 6, 7), ps.get(1).relatedCpus());
        assertEquals(List.of(800000L, 2000000L, 2800000L, 3400000L, 3401000L), ps.getFirst().availableKhz());
        assertEquals("policy4", c.cpuPolicyLinks().get(6), "cpu6/cpufreq points at a differently numbered policy");
        assertTrue(c.driverGlobals().isEmpty(), "acpi-cpufreq has no intel_pstate/amd_pstate directory");
        assertEquals(1996253 + 4, c.curKhz(ps.get(1)).getAsLong());
        // all CPUs of policy4 offline: every attribute gives EBUSY
        fk.failReads.put(root.resolve("sys/devices/system/cpu/cpufreq/policy4/related_cpus"), Errno.EBUSY);
        ps = c.policies();
        assertFalse(ps.get(1).active());
        assertTrue(ps.get(1).inactiveReason().orElseThrow().contains("all its CPUs are offline"));
        assertTrue(ps.getFirst().active());
    }

    @Test
    void cpufreqIntelPstateHasNoTableAndEppMayBeARawNumber() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        var c = new CpufreqSysfs(root);
        var ps = c.policies();
        assertEquals(4, ps.size(), "intel_pstate: one policy per CPU");
        assertTrue(ps.getFirst().availableKhz().isEmpty());
        assertEquals(List.of("performance", "powersave"), ps.getFirst().governors());
        assertEquals("balance_performance", ps.getFirst().epp().orElseThrow());
        assertEquals("128", ps.get(1).epp().orElseThrow(), "a raw EPP that matches no name is printed as a number");
        assertEquals(List.of("default", "performance", "balance_performance", "balance_power", "power"), ps.getFirst().eppAvailable());
        var g = c.driverGlobals().orElseThrow();
        assertEquals("intel_pstate", g.dirName());
        assertEquals("active", g.values().get("status"));
    }

    @Test
    void cpufreqAbsentOrEmpty() throws IOException {
        assertFalse(new CpufreqSysfs(root).present());
        Files.createDirectories(root.resolve("sys/devices/system/cpu/cpufreq"));
        assertFalse(new CpufreqSysfs(root).present(), "an empty cpufreq directory (this VM) has no policies");
        assertTrue(new CpufreqSysfs(root).policies().isEmpty());
    }

    @Test
    void raplZonesByNameWithPsysDieAndUnusualSubzoneOrder() throws IOException {
        String b = "sys/class/powercap/";
        put(root, b + "intel-rapl:0/name", "package-0-die-0\n");
        put(root, b + "intel-rapl:0/energy_uj", "100\n");
        put(root, b + "intel-rapl:0/max_energy_range_uj", "262143328850\n");
        put(root, b + "intel-rapl:0/constraint_0_name", "long_term\n");
        put(root, b + "intel-rapl:0/constraint_0_power_limit_uw", "65000000\n");
        put(root, b + "intel-rapl:0:0/name", "dram\n");
        put(root, b + "intel-rapl:0:0/energy_uj", "5\n");
        put(root, b + "intel-rapl:0:0/max_energy_range_uj", "65712999613\n");
        put(root, b + "intel-rapl:1/name", "psys\n");
        put(root, b + "intel-rapl:1/energy_uj", "7\n");
        put(root, b + "intel-rapl:1/max_energy_range_uj", "262143328850\n");
        put(root, b + "intel-rapl:2/name", "package-0-die-1\n");
        put(root, b + "intel-rapl:2/energy_uj", "9\n");
        put(root, b + "intel-rapl:2/max_energy_range_uj", "262143328850\n");
        var zones = new PowercapRapl(root).zones();
        assertEquals(List.of("intel-rapl:0", "intel-rapl:0:0", "intel-rapl:1", "intel-rapl:2"), zones.stream().map(PowercapRapl.Zone::id).toList());
        assertEquals(PowercapRapl.Domain.DRAM, zones.get(1).domain());
        assertEquals(0, zones.get(1).pkg(), "a subzone belongs to its parent's package");
        assertEquals(PowercapRapl.Domain.PSYS, zones.get(2).domain());
        assertEquals(-1, zones.get(2).pkg(), "intel-rapl:1 is psys, not socket 1");
        assertEquals(1, zones.get(3).die());
        assertEquals(65000000, zones.getFirst().constraints().getFirst().powerLimitUw().getAsLong());
        assertTrue(zones.get(1).constraints().isEmpty(), "monitoring-only zones have no constraint files");
    }

    @Test
    void raplRootOnlyEnergyIsEaccesWithTheReason() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        var fk = new FakeKernel();
        var r = new PowercapRapl(root, fk);
        var z = r.zones().getFirst();
        fk.failReads.put(z.energyFile(), Errno.EACCES);
        var e = assertThrows(KernelIoException.class, () -> r.energyUj(z));
        assertEquals(Errno.EACCES, e.errno());
        assertTrue(e.getMessage().contains("root-only since Linux 5.10"), e.getMessage());
    }

    @Test
    void amdRaplHasNoConstraints() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1).withAmd(true));
        var zones = new PowercapRapl(root).zones();
        assertTrue(zones.stream().allMatch(z -> z.constraints().isEmpty()));
        assertEquals(List.of(PowercapRapl.Domain.PACKAGE, PowercapRapl.Domain.CORE), zones.stream().map(PowercapRapl.Zone::domain).toList());
    }

    @Test
    void msrFallbackReadsUnitAndCountersAtTheirOffsets() throws IOException {
        Path dev = root.resolve("dev/cpu/0/msr");
        Files.createDirectories(dev.getParent());
        writeMsr(dev, MsrRapl.INTEL_UNIT, 0xA0E03L);   // ESU = 0x0e = 14: 61.035 uJ per count
        writeMsr(dev, MsrRapl.INTEL_PKG, 0xFFFF_FFFF_0000_1234L);
        var m = new MsrRapl(root, false);
        assertTrue(m.present(0));
        assertEquals(1e6 / (1 << 14), m.microjoulesPerCount(0), 1e-9);
        assertEquals(0x1234, m.packageCounts(0), "only bits 31:0 are the counter");
        var missing = assertThrows(KernelIoException.class, () -> m.dramCounts(0));
        assertEquals(Errno.EIO, missing.errno(), "an MSR the CPU lacks reads as EIO");
        Path amdDev = root.resolve("dev/cpu/1/msr");
        Files.createDirectories(amdDev.getParent());
        writeMsr(amdDev, MsrRapl.AMD_UNIT, 0x10 << 8);
        writeMsr(amdDev, MsrRapl.AMD_PKG, 777);
        var amd = new MsrRapl(root, true);
        assertEquals(777, amd.packageCounts(1));
        assertEquals(1e6 / 65536, amd.microjoulesPerCount(1), 1e-9);
        assertFalse(amd.present(2));
    }

    static void writeMsr(Path dev, long msr, long value) throws IOException {
        try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).flip(), msr);
        }
    }

    @Test
    void resctrlInfoGroupsTasksCpusSchemataAndMonitoring() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 2));
        var fk = new FakeKernel();
        var r = new Resctrl(root.resolve("sys/fs/resctrl"), fk);
        assertTrue(r.mounted());
        var mb = r.mbInfo(false, Set.of()).orElseThrow();
        assertEquals(Resctrl.MbUnit.PERCENT, mb.unit());
        assertEquals(Resctrl.MbUnit.MBPS, r.mbInfo(false, Set.of("mba_MBps")).orElseThrow().unit());
        assertEquals(List.of(0, 1), r.mbDomains());
        assertEquals(List.of("llc_occupancy", "mbm_total_bytes", "mbm_local_bytes"), r.monFeatures());
        assertEquals(new Resctrl.MonValue.Bytes(7340032001L), r.mbmTotalBytes("", 1));

        r.createGroup("be");
        assertTrue(r.hasGroup("be"));
        assertInstanceOf(Resctrl.MonValue.Unavailable.class, r.mbmTotalBytes("be", 0), "a new group's counters start Unavailable");
        r.assignTask("be", 4242);
        r.assignCpus("be", CpuSet.of(2, 3));
        assertEquals("2-3", Files.readString(r.group("be").resolve("cpus_list")).strip());
        r.writeSchemata(r.group("be").resolve("schemata"), "MB:1=15");
        assertEquals("20", r.readSchemata("be").get("MB").get(1), "Intel rounds MB up to bandwidth_gran");
        assertTrue(Files.readString(r.group("be").resolve("schemata")).contains("MB:0=100;1= 20"), "the kernel pads MB values");
        var e = assertThrows(KernelIoException.class, () -> r.writeSchemata(r.group("be").resolve("schemata"), "MB:0=5"));
        assertTrue(e.getMessage().contains("MB value 5 out of range [10,100]"), "the reason comes from info/last_cmd_status: " + e.getMessage());
        r.removeGroup("be");
        assertFalse(r.hasGroup("be"));
    }

    @Test
    void resctrlAmdUnitsAndOutOfClosids() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 2).withRdt(TreeSpec.Rdt.AMD).withAmd(true));
        var fk = new FakeKernel();
        var r = new Resctrl(root.resolve("sys/fs/resctrl"), fk);
        var mb = r.mbInfo(true, Set.of()).orElseThrow();
        assertEquals(Resctrl.MbUnit.AMD_EIGHTH_GBPS, mb.unit());
        assertEquals(2048, Resctrl.mbValue(r.readSchemata(""), 0).getAsInt());
        fk.failWrites.put(r.group("full"), Errno.ENOSPC);
        put(root, "sys/fs/resctrl/info/last_cmd_status", "Out of CLOSIDs\n");
        var e = assertThrows(KernelIoException.class, () -> r.createGroup("full"));
        assertEquals(Errno.ENOSPC, e.errno());
        assertTrue(e.getMessage().contains("Out of CLOSIDs"), e.getMessage());
    }

    @Test
    void resctrlNotMountedAndSchemataNeedsTheNewline() throws IOException {
        assertFalse(new Resctrl(root.resolve("sys/fs/resctrl"), KernelFiles.real()).mounted());
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        var fk = new FakeKernel();
        Path s = root.resolve("sys/fs/resctrl/schemata");
        var e = assertThrows(KernelIoException.class, () -> fk.write(s, "MB:0=50"));
        assertEquals(Errno.EINVAL, e.errno(), "the fake kernel, like the real one, refuses a schemata write without its newline");
        new Resctrl(root.resolve("sys/fs/resctrl"), fk).writeSchemata(s, "MB:0=50");
        assertEquals("50", Resctrl.parseSchemata(Files.readString(s)).get("MB").get(0), "Resctrl adds the newline");
    }

    @Test
    void cgroupV2AndV1ReadInV2Units() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        var v2 = new CgroupV2(root.resolve("sys/fs/cgroup/batch.slice"), KernelFiles.real());
        var st = v2.stat();
        assertEquals(9876543, st.usageUsec());
        assertEquals(845120, st.throttledUsec());
        assertEquals(37, st.throttledPeriods());
        assertEquals(new CgroupCpu.CpuMax(-1, 100000), v2.cpuMax());
        assertEquals(100, v2.weight());
        assertEquals(0, v2.burstUsec());
        assertTrue(v2.pressureFile("cpu").isPresent());
        assertEquals(List.of(4242L, 4250L), v2.procs());
        assertEquals(List.of("cpuset", "cpu", "io", "memory", "pids"), v2.controllers());
        var rootCg = new CgroupV2(root.resolve("sys/fs/cgroup"), KernelFiles.real());
        assertFalse(rootCg.stat().hasThrottling(), "without the cpu controller cpu.stat has only the three base keys");
        v2.enableControllers(List.of("cpu", "memory"));
        assertEquals("+cpu +memory", Files.readString(v2.dir().resolve("cgroup.subtree_control")));

        Path v1root = root.resolve("v1");
        FakeTreeWriter.write(v1root, TreeSpec.intelServer(4, 1).withCgroups(TreeSpec.Cgroups.V1));
        Path d = v1root.resolve("sys/fs/cgroup/cpu,cpuacct/batch.slice");
        var v1 = new CgroupV1(d, d, KernelFiles.real());
        var s1 = v1.stat();
        assertEquals(9876543, s1.usageUsec(), "cpuacct.usage ns -> us");
        assertEquals(845120, s1.throttledUsec(), "v1 throttled_time is ns");
        assertEquals(8000000, s1.userUsec());
        assertEquals(new CgroupCpu.CpuMax(-1, 100000), v1.cpuMax());
        assertEquals(100, v1.weight());
        assertTrue(v1.pressureFile("cpu").isEmpty(), "v1 has no PSI");
        assertEquals(List.of("cpu.cfs_period_us", "cpu.cfs_quota_us"),
                v1.cpuMaxSteps(30000, 100000).stream().map(x -> Path.of(x.knob().id()).getFileName().toString()).toList());
        assertEquals("-1", v1.cpuMaxSteps(-5, 100000).get(1).value());
        assertEquals("max 100000", v2.cpuMaxSteps(-1, 100000).getFirst().value());
    }

    @Test
    void topologyFromSysfsWithNodesCachesAndAnOfflineCpu() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(8, 2));
        put(root, "sys/devices/system/cpu/online", "0-6\n");
        var t = new SysTopology(root).read();
        assertEquals("sysfs", t.source());
        assertEquals(8, t.cpus().size());
        assertEquals(2, t.packageCount());
        assertEquals(2, t.nodeCount());
        assertEquals(CpuSet.parse("0-6"), t.online());
        assertEquals(1, t.cpus().get(5).pkg());
        assertEquals(1, t.cpus().get(5).node());
        assertEquals(t.cpus().get(0).core(), t.cpus().get(2).core(), "SMT siblings 0 and 2 share a core");
        assertTrue(t.cpus().get(0).core() != t.cpus().get(4).core(), "core_id repeats across packages but cores differ");
        assertEquals(1, t.l3Ids()[7]);
        var none = assertThrows(IOException.class, () -> new SysTopology(root.resolve("empty")).read());
        assertTrue(none.getMessage().contains("cannot count CPUs"), none.getMessage());
    }

    @Test
    void kernelFilesReadWholeFilesAndMissingIsEnoent() throws IOException {
        KernelFiles f = KernelFiles.real();
        put(root, "big", "x".repeat(40000) + "\n");
        assertEquals(40001, f.read(root.resolve("big")).length(), "reads past the first buffer");
        var e = assertThrows(KernelIoException.class, () -> f.read(root.resolve("nope")));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(f.readIfPresent(root.resolve("nope")).isEmpty());
        assertTrue(f.readLongOrEmpty(root.resolve("big")).isEmpty());
        var w = assertThrows(KernelIoException.class, () -> f.write(root.resolve("nope"), "1"));
        assertTrue(w.getMessage().startsWith("write '1' to " + root.resolve("nope")), w.getMessage());
        put(root, "empty", "");
        assertEquals("", f.readTrim(root.resolve("empty")));
        assertThrows(KernelIoException.class, () -> f.readLong(root.resolve("empty")));
    }
}
