package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.platform.Control;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Invariants on this machine's real kernel. Each test skips with the reason when the feature is missing
 * (on a VM: cpufreq, RAPL and resctrl), so the same suite checks a bare-metal host fully.
 */
@Tag("host")
class HostInvariantsTest {

    static LinuxPlatform host() {
        return new LinuxPlatform(LinuxPlatform.Options.readOnly(Host.ROOT));
    }

    @Test
    void psiIsReadSystemWideAndGrows() throws Exception {
        Host.requireLinux();
        Psi psi = new Psi(Host.ROOT);
        assumeTrue(psi.present(), "no /proc/pressure: kernel without PSI (CONFIG_PSI) or booted with psi=0");
        Psi.Pressure cpu1 = psi.read("cpu");
        Psi.Pressure mem = psi.read("memory");
        Psi.Pressure io = psi.read("io");
        assertTrue(cpu1.some().isPresent() && mem.some().isPresent() && mem.full().isPresent() && io.some().isPresent());
        Thread.sleep(50);
        Psi.Pressure cpu2 = psi.read("cpu");
        assertTrue(cpu2.some().orElseThrow().totalUsec() >= cpu1.some().orElseThrow().totalUsec(), "total is cumulative");
        double avg = cpu2.some().orElseThrow().avg10();
        assertTrue(avg >= 0 && avg <= 100, "avg10 is a percentage: " + avg);
        try (LinuxPlatform p = host()) {
            Telemetry t = p.sample();
            assertTrue(t.has(Signal.SYS_CPU_PRESSURE_SOME_USEC) && t.has(Signal.SYS_IO_PRESSURE_SOME_USEC));
            assertTrue(t.counter(Signal.SYS_CPU_PRESSURE_SOME_USEC, 0) >= cpu1.some().orElseThrow().totalUsec());
        }
    }

    @Test
    void sampleOfThisHostIsConsistent() throws Exception {
        Host.requireLinux();
        try (LinuxPlatform p = host()) {
            int online = new SysTopology(Host.ROOT).read().online().size();
            assertTrue(p.topology().cpuCount() >= online, "every online CPU is in the topology");
            Telemetry a = p.sample();
            // long enough that a sample's own delay on a loaded machine (the time between its timestamp and its read
            // of /proc/stat) is small beside the interval
            Thread.sleep(2000);
            Telemetry b = p.sample();
            TelemetryInterval iv = TelemetryInterval.between(a, b);
            double total = 0;
            for (int c = 0; c < p.topology().cpuCount(); c++) {
                double u = iv.utilisation(c);
                assertTrue(Double.isNaN(u) || (u >= 0 && u <= 1), "cpu" + c + " utilisation " + u);
                total += iv.delta(Signal.CPU_BUSY_NANOS, c) + iv.delta(Signal.CPU_IDLE_NANOS, c);
            }
            double expected = iv.seconds() * 1e9 * online;
            assertEquals(1.0, total / expected, 0.35, "busy + idle covers the wall time of every online CPU (USER_HZ resolution)");
            var caps = p.capabilities();
            assertEquals(new CpufreqSysfs(Host.ROOT).present(), caps.has(Control.FREQ_MAX_KHZ), caps.control(Control.FREQ_MAX_KHZ).toString());
            boolean source = new PowercapRapl(Host.ROOT).present() || Files.exists(Path.of("/dev/cpu/0/msr"));
            assertTrue(source || !caps.has(Signal.PKG_ENERGY_UJ), "RAPL energy only with powercap or the MSR device");
            if (!source) {
                assertTrue(caps.signal(Signal.PKG_ENERGY_UJ).reason().contains("no /sys/class/powercap"), caps.signal(Signal.PKG_ENERGY_UJ).reason());
            }
            String text = p.doctor().toText();
            assertTrue(text.contains("kernel   " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip()), text);
        }
    }

    @Test
    void cpufreqPoliciesAreWithinTheirHardwareRange() throws Exception {
        Host.requireLinux();
        CpufreqSysfs c = new CpufreqSysfs(Host.ROOT);
        assumeTrue(c.present(), "no cpufreq policies in /sys/devices/system/cpu/cpufreq (a VM, or no cpufreq driver)");
        for (CpufreqSysfs.Policy p : c.policies()) {
            if (!p.active()) {
                continue;
            }
            long max = Files.readString(p.file("scaling_max_freq")).strip().isEmpty() ? 0 : Long.parseLong(Files.readString(p.file("scaling_max_freq")).strip());
            assertTrue(max >= p.cpuinfoMinKhz() && max <= p.cpuinfoMaxKhz(), p.name() + " scaling_max_freq " + max);
            assertTrue(p.affectedCpus().size() <= p.relatedCpus().size());
        }
    }

    @Test
    void raplEnergyGrows() throws Exception {
        Host.requireRoot();
        try (LinuxPlatform p = host()) {
            assumeTrue(p.capabilities().has(Signal.PKG_ENERGY_UJ), "no RAPL here: " + p.capabilities().signal(Signal.PKG_ENERGY_UJ).reason());
            Telemetry a = p.sample();
            Thread.sleep(300);
            Telemetry b = p.sample();
            double w = TelemetryInterval.between(a, b).totalPackageWatts();
            assertTrue(w > 0.1 && w < 2000, "package power " + w + " W");
        }
    }

    @Test
    void resctrlSchemataParsesWhenMounted() throws Exception {
        Host.requireLinux();
        CgroupMounts m = CgroupMounts.read(Host.ROOT, KernelFiles.real());
        assumeTrue(m.mountPointOf("resctrl").isPresent(), "resctrl is not mounted (no RDT/PQoS, or not mounted at /sys/fs/resctrl)");
        Resctrl r = new Resctrl(Path.of(m.mountPointOf("resctrl").get()), KernelFiles.real());
        assertTrue(!r.readSchemata("").isEmpty());
        assertTrue(r.lastCmdStatus().length() > 0);
    }

    @Test
    void oshiFallbackAgreesWithSysfsOnCpuCountAndPackages() throws Exception {
        Host.requireLinux();
        SysTopology.Result sysfs = new SysTopology(Host.ROOT).read();
        SysTopology.Result oshi = SysTopology.fromOshi(sysfs.online());
        assertEquals("oshi", oshi.source());
        assertEquals(sysfs.online().size(), oshi.cpus().size(), "OSHI lists the online logical CPUs");
        assertEquals(sysfs.packageCount(), oshi.packageCount());
        for (int c = 0; c < oshi.cpus().size(); c++) {
            assertEquals(sysfs.cpus().get(c).pkg(), oshi.cpus().get(c).pkg(), "package of cpu" + c);
        }
    }

    @Test
    void cgroupV2BurstReadsWhereTheHostHasIt() throws Exception {
        Host.requireLinux();
        var v2 = CgroupMounts.read(Host.ROOT, KernelFiles.real()).v2MountPoint();
        assumeTrue(v2.isPresent(), "no cgroup2 mount");
        var g = new CgroupV2(Path.of(v2.get()), KernelFiles.real());
        assertTrue(g.burstUsec() >= 0);
        assertTrue(g.stat().usageUsec() >= 0, "cpu.stat exists in every cgroup2, controller or not");
    }
}
