package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CpuSet;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fixture tests of every parser, one kernel format each (linux-interfaces.md §8.7 edge cases). */
class ParseTest {

    @Test
    void procStatKeysByCpuNumberSkipsOfflineAndDoesNotCountGuestTwice() throws IOException {
        String text = """
                cpu  2255 34 2290 22625563 6290 127 456 0 0 0
                cpu0 1132 34 1441 11311718 3675 127 438 5 100 7
                cpu2 1123 0 849 11313845 2614 0 18 0 0 0
                intr 114930548 113199788 3 0 5
                ctxt 1990473
                """;
        ProcStat.CpuTimes t = ProcStat.parse(text, 4);
        assertTrue(t.online()[0] && !t.online()[1] && t.online()[2] && !t.online()[3], "cpu1 and cpu3 have no line: offline");
        assertEquals(1132 + 34 + 1441 + 127 + 438 + 5, t.busyTicks()[0], "busy = user+nice+system+irq+softirq+steal; guest is inside user");
        assertEquals(11311718 + 3675, t.idleTicks()[0], "idle = idle + iowait");
        assertEquals((1123 + 849 + 18) * 10_000_000L, t.busyNanos(2), "USER_HZ ticks are 10 ms");
        assertEquals(0, t.busyTicks()[1]);
    }

    @Test
    void procStatRejectsAMalformedCpuLineNamingIt() {
        IOException e = assertThrows(IOException.class, () -> ProcStat.parse("cpu0 12 x4 5 6\n", 1));
        assertTrue(e.getMessage().contains("cpu0 12 x4"), e.getMessage());
        assertThrows(IOException.class, () -> ProcStat.parse("cpu0 12 3\n", 1));
    }

    @Test
    void psiParsesSomeAndFullSomeOnlyAndFullOnly() {
        Psi.Pressure both = Psi.parse("some avg10=0.00 avg60=0.12 avg300=0.05 total=1234567\nfull avg10=1.50 avg60=0.00 avg300=0.00 total=42\n");
        assertEquals(1234567, both.some().orElseThrow().totalUsec());
        assertEquals(1.5, both.full().orElseThrow().avg10());
        assertEquals(0.12, both.some().orElseThrow().avg60());
        Psi.Pressure oldCpu = Psi.parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=99\n");
        assertTrue(oldCpu.full().isEmpty());
        assertEquals(99, Psi.someTotal(oldCpu));
        Psi.Pressure irq = Psi.parse("full avg10=0.00 avg60=0.00 avg300=0.00 total=7\n");
        assertTrue(irq.some().isEmpty());
        assertEquals(-1, Psi.someTotal(irq));
        var e = assertThrows(IllegalArgumentException.class, () -> Psi.parse("some avg10=zero avg60=0 avg300=0 total=1\n"));
        assertTrue(e.getMessage().contains("avg10=zero"), e.getMessage());
    }

    @Test
    void cpufreqListsWithAndWithoutTrailingSpace() {
        assertEquals(List.of(800000L, 2000000L, 2800000L, 3400000L, 3401000L),
                CpufreqSysfs.parseFrequencies("3401000 3400000 2800000 2000000 800000 \n"));
        assertEquals(List.of("conservative", "ondemand", "userspace", "powersave", "performance", "schedutil"),
                CpufreqSysfs.parseWords("conservative ondemand userspace powersave performance schedutil \n"));
        assertEquals(List.of("performance", "powersave"), CpufreqSysfs.parseWords("performance powersave\n"));
        assertEquals(CpuSet.of(0, 1, 2, 3), CpufreqSysfs.parseCpus("0 1 2 3\n"));
        assertTrue(CpufreqSysfs.parseKhz("<unknown>\n").isEmpty());
        assertTrue(CpufreqSysfs.parseKhz("<unsupported>\n").isEmpty());
        assertEquals(1996253, CpufreqSysfs.parseKhz("1996253\n").getAsLong());
    }

    @Test
    void raplZoneNamesNotIndexesDecideTheDomain() {
        assertEquals(PowercapRapl.Domain.PACKAGE, PowercapRapl.domainOf("package-0-die-1"));
        assertEquals(PowercapRapl.Domain.PSYS, PowercapRapl.domainOf("psys"));
        assertEquals(PowercapRapl.Domain.PSYS, PowercapRapl.domainOf("psys-1"));
        assertEquals(PowercapRapl.Domain.DRAM, PowercapRapl.domainOf("dram"));
        assertEquals(PowercapRapl.Domain.OTHER, PowercapRapl.domainOf("gpu-thing"));
        assertEquals(List.of(0, 1), List.of(PowercapRapl.packageDie("package-0-die-1")[0], PowercapRapl.packageDie("package-0-die-1")[1]));
        assertEquals(-1, PowercapRapl.packageDie("psys")[0]);
    }

    @Test
    void schemataWithPaddingCdpAmdAndGaps() throws IOException {
        var intel = Resctrl.parseSchemata("L3:0=7ff;1=7ff\nMB:0=100;1= 50\n");
        assertEquals("50", intel.get("MB").get(1));
        var cdp = Resctrl.parseSchemata("L3DATA:0=fffff;1=fffff\nL3CODE:0=fffff;1=fffff\n    MB:0=  100;1=   50\n");
        assertEquals(Map.of(0, "100", 1, "50"), cdp.get("MB"));
        assertEquals("fffff", cdp.get("L3CODE").get(0));
        var amd = Resctrl.parseSchemata("MB:0=2048;1=  16;2=2048;3=2048\n");
        assertEquals(16, Resctrl.mbValue(amd, 1).getAsInt());
        var gaps = Resctrl.parseSchemata("L3:0=00f;2=0f0;\nMB:0=10;2=20\n");
        assertEquals(List.of(0, 2), List.copyOf(gaps.get("L3").keySet()), "cache ids with gaps, trailing ';' accepted");
        assertTrue(Resctrl.mbValue(gaps, 1).isEmpty());
        var bad = assertThrows(IOException.class, () -> Resctrl.parseSchemata("MB 0=10\n"));
        assertTrue(bad.getMessage().contains("missing ':'"), bad.getMessage());
    }

    @Test
    void mbmValuesIncludeUnavailableAndError() throws IOException {
        assertEquals(new Resctrl.MonValue.Bytes(7340032000L), Resctrl.parseMon("7340032000\n"));
        assertInstanceOf(Resctrl.MonValue.Unavailable.class, Resctrl.parseMon("Unavailable\n"));
        assertInstanceOf(Resctrl.MonValue.Error.class, Resctrl.parseMon("Error\n"));
        assertThrows(IOException.class, () -> Resctrl.parseMon("lots\n"));
        assertEquals("mon_L3_00", Resctrl.monDir(0));
        assertEquals("mon_L3_100", Resctrl.monDir(100));
    }

    @Test
    void mbRoundsUpOnIntelAndNotOnAmd() {
        var intel = new Resctrl.MbInfo(10, 10, true, java.util.Optional.of("max"), 8, Resctrl.MbUnit.PERCENT);
        assertEquals(20, intel.round(15));
        assertEquals(100, intel.max());
        var amd = new Resctrl.MbInfo(0, 1, true, java.util.Optional.empty(), 16, Resctrl.MbUnit.AMD_EIGHTH_GBPS);
        assertEquals(15, amd.round(15));
        assertEquals(2048, amd.max());
    }

    @Test
    void mountinfoWithOptionalFieldsEscapesAndLayouts() throws IOException {
        String hybrid = """
                31 23 0:28 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
                32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:10 master:1 - cgroup cgroup rw,cpu,cpuacct
                41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:11 - cgroup2 cgroup2 rw,nsdelegate
                50 22 0:50 / /mnt/my\\040disk rw - ext4 /dev/sdb1 rw
                """;
        var m = CgroupMounts.of(CgroupMounts.parseMountinfo(hybrid));
        assertEquals(CgroupMounts.Layout.HYBRID, m.layout());
        assertEquals("/sys/fs/cgroup/cpu,cpuacct", m.v1MountPoint("cpuacct").orElseThrow());
        assertEquals("/sys/fs/cgroup/unified", m.v2MountPoint().orElseThrow());
        assertEquals("/mnt/my disk", m.mounts().get(3).mountPoint());
        var v2 = CgroupMounts.of(CgroupMounts.parseMountinfo("30 23 0:26 / /sys/fs/cgroup rw shared:9 - cgroup2 cgroup2 rw\n"));
        assertEquals(CgroupMounts.Layout.V2, v2.layout());
        var v1 = CgroupMounts.of(CgroupMounts.parseMountinfo("32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"));
        assertEquals(CgroupMounts.Layout.V1, v1.layout());
        assertEquals(CgroupMounts.Layout.NONE, CgroupMounts.of(List.of()).layout());
        assertThrows(IOException.class, () -> CgroupMounts.parseMountinfo("32 31 0:29 / /x rw cgroup cgroup rw\n"));
        assertEquals("a\\b", CgroupMounts.unescape("a\\134b"));
        assertEquals("end\\04", CgroupMounts.unescape("end\\04"));
    }

    @Test
    void procSelfCgroupInBothForms() throws IOException {
        var v2 = CgroupMounts.parseProcCgroup("0::/system.slice/agent.service\n");
        assertEquals(0, v2.getFirst().hierarchy());
        assertTrue(v2.getFirst().controllers().isEmpty());
        var hybrid = CgroupMounts.parseProcCgroup("5:cpu,cpuacct:/system.slice/agent.service\n1:name=systemd:/x\n0::/system.slice/agent.service\n");
        assertEquals(List.of("cpu", "cpuacct"), hybrid.getFirst().controllers());
        assertEquals("/system.slice/agent.service", hybrid.get(2).path());
    }

    @Test
    void cpuMaxAndCpuStatAndShares() {
        assertEquals(new CgroupCpu.CpuMax(-1, 100000), CgroupV2.parseCpuMax("max 100000\n"));
        assertEquals(new CgroupCpu.CpuMax(50000, 100000), CgroupV2.parseCpuMax("50000 100000\n"));
        assertEquals("max 100000", new CgroupCpu.CpuMax(-1, 100000).toString());
        assertThrows(IllegalArgumentException.class, () -> CgroupV2.parseCpuMax("50000\n"));
        var withKeys = CgroupCpu.parseFlatKeyed("usage_usec 9876543\nuser_usec 8000000\nsystem_usec 1876543\n"
                + "core_sched.force_idle_usec 0\nnr_periods 1200\nnr_throttled 37\nthrottled_usec 845120\n");
        assertEquals(845120L, withKeys.get("throttled_usec"));
        var base = CgroupCpu.parseFlatKeyed("usage_usec 1\nuser_usec 1\nsystem_usec 0\n");
        assertFalse(base.containsKey("nr_periods"));
        assertEquals(1024, CgroupV1.weightToShares(100));
        assertEquals(100, CgroupV1.sharesToWeight(1024));
        assertEquals(10, CgroupV1.weightToShares(1));
        assertEquals(102400, CgroupV1.weightToShares(10000));
        assertEquals(1, CgroupV1.sharesToWeight(2));
        assertEquals(List.of(4242L, 4250L), CgroupCpu.parseProcs("4242\n4250\n4242\n"));
    }

    @Test
    void perfScalingByTimeEnabledOverRunning() {
        assertEquals(1000, PerfCounters.scale(1000, 5000, 5000));
        assertEquals(2000, PerfCounters.scale(1000, 10000, 5000), "multiplexed half the time: doubled");
        assertEquals(0, PerfCounters.scale(1000, 10000, 0), "never ran: not counted");
    }

    @Test
    void errnoFromJdkExceptionsAndMessagesThatSayWhatToDo() {
        assertEquals(Errno.ERANGE, Errno.of(new IOException("Numerical result out of range")));
        assertEquals(Errno.ENOENT, Errno.of(new NoSuchFileException("/x")));
        assertEquals(Errno.EACCES, Errno.of(new AccessDeniedException("/x")));
        assertEquals(Errno.EPERM, Errno.of(new AccessDeniedException("/dev/cpu/0/msr", null, "Operation not permitted")));
        assertEquals(Errno.EBUSY, Errno.of(16));
        assertEquals(Errno.UNKNOWN, Errno.of(new IOException("weird")));
        var weight = Errno.explain("write", Path.of("/sys/fs/cgroup/batch/cpu.weight"), "20000", new IOException("Numerical result out of range"));
        assertEquals("write '20000' to /sys/fs/cgroup/batch/cpu.weight: ERANGE (Numerical result out of range): cpu.weight takes 1..10000",
                weight.getMessage());
        var period = Errno.explain("write", Path.of("/c/cpu.cfs_period_us"), "500", new IOException("Invalid argument"));
        assertTrue(period.getMessage().endsWith("the period must be 1000..1000000 µs"), period.getMessage());
        var busy = Errno.explain("write", Path.of("/c/cgroup.subtree_control"), "+cpu", new IOException("Device or resource busy"));
        assertTrue(busy.getMessage().contains("no-internal-process rule"), busy.getMessage());
        var offline = Errno.explain("read", Path.of("/p/policy4/scaling_max_freq"), null, new IOException("Device or resource busy"));
        assertTrue(offline.getMessage().contains("all its CPUs are offline"), offline.getMessage());
        var root = Errno.explain("read", Path.of("/p/energy_uj"), null, new AccessDeniedException("/p/energy_uj"));
        assertTrue(root.getMessage().contains("root-only"), root.getMessage());
    }

    @Test
    void hexCpuMasksAndNodeMeminfo() {
        assertEquals(CpuSet.range(0, 40), SysTopology.parseHexMask("ff,ffffffff\n"));
        assertEquals(CpuSet.of(0), SysTopology.parseHexMask("00000000,00000001\n"));
        assertEquals(CpuSet.range(0, 8), SysTopology.parseHexMask("ff\n"));
        assertEquals(CpuSet.empty(), SysTopology.parseHexMask("0\n"));
        var m = SysTopology.parseNodeMeminfo("Node 0 MemTotal:       16303128 kB\nNode 0 MemFree:        12303128 kB\n");
        assertEquals(16303128L, m.get("MemTotal"));
        assertEquals(12303128L, m.get("MemFree"));
        assertEquals(CpuSet.empty(), CpuSet.parse("\n"), "an empty offline list");
        assertEquals(CpuSet.of(0, 1, 2, 3, 5, 8, 9, 10, 11), CpuSet.parse("0-3,5,8-11\n"));
    }
}
