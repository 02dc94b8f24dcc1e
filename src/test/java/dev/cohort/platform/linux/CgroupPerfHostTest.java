package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Signal;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * perf's cgroup mode on this kernel: real cgroups in the hierarchy perf_event is bound to, a real busy process in
 * one of them. A software event (cpu-clock) counts that cgroup's CPU time and nothing for an empty one; through
 * {@link LinuxPlatform}, instructions per cgroup are counted exactly where the PMU counts instructions per CPU, and
 * otherwise the capability says why. The cgroups are removed even when a test fails.
 */
@Tag("host")
class CgroupPerfHostTest {
    @TempDir
    Path tmp;

    @Test
    void cpuClockCountsTheCgroupsOwnTasksAndNothingElse() throws Exception {
        Path hierarchy = perfHierarchy();
        String name = "cohort-perf-" + ProcessHandle.current().pid();
        Path busyGroup = hierarchy.resolve(name + "-busy");
        Path emptyGroup = hierarchy.resolve(name + "-empty");
        Process busy = null;
        List<Path> made = new ArrayList<>();
        try {
            made.add(Files.createDirectory(busyGroup));
            made.add(Files.createDirectory(emptyGroup));
            busy = spin();
            Files.writeString(busyGroup.resolve("cgroup.procs"), Long.toString(busy.pid()));
            CpuSet online = new SysTopology(Host.ROOT).read().online();
            try (CgroupPerfCounters c = CgroupPerfCounters.open(PerfCounters.CPU_CLOCK, List.of(
                    new CgroupPerfCounters.Target("busy", busyGroup), new CgroupPerfCounters.Target("empty", emptyGroup)), online)) {
                assumeTrue(c.counting(), "cgroup-mode perf unavailable here: " + c.unavailableReason());
                long[] a = new long[2];
                long[] b = new long[2];
                Duration cpu0 = cpuTime(busy);
                c.read(a);
                // until the spinner has had half a second of CPU, however loaded the machine (at most 60 s)
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (cpuTime(busy).minus(cpu0).toMillis() < 500 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                c.read(b);
                Duration cpu1 = cpuTime(busy);
                double countedSec = (b[0] - a[0]) / 1e9;
                double processSec = (cpu1.toNanos() - cpu0.toNanos()) / 1e9;
                System.out.printf("CgroupPerfHostTest: busy cgroup cpu-clock %.3f s, the process's own CPU time %.3f s,"
                        + " empty cgroup %.6f s%n", countedSec, processSec, (b[1] - a[1]) / 1e9);
                assertTrue(processSec > 0.2, "the busy process ran: " + processSec + " s");
                assertEquals(1.0, countedSec / processSec, 0.15, "cgroup cpu-clock against the process's CPU time");
                assertTrue(b[1] - a[1] < 0.02 * (b[0] - a[0]), "the empty cgroup counts (almost) nothing: " + (b[1] - a[1]));
            }
        } finally {
            Host.stop(busy);
            removeAll(made);
        }
    }

    @Test
    void platformCountsInstructionsPerCgroupWhereThePmuCountsThem() throws Exception {
        Path hierarchy = perfHierarchy();
        CgroupMounts mounts = CgroupMounts.read(Host.ROOT, KernelFiles.real());
        String name = "cohort-perf-" + ProcessHandle.current().pid() + "-platform";
        List<Path> made = new ArrayList<>();
        Process busy = null;
        try {
            made.add(Files.createDirectory(hierarchy.resolve(name)));
            Optional<String> cpuV1 = mounts.v1MountPoint("cpu");
            if (cpuV1.isPresent() && !Path.of(cpuV1.get()).equals(hierarchy)) {
                made.add(Files.createDirectory(Path.of(cpuV1.get(), name))); // where the quota agent would look
            }
            busy = spin();
            Files.writeString(hierarchy.resolve(name).resolve("cgroup.procs"), Long.toString(busy.pid()));
            var opts = new LinuxPlatform.Options(Host.ROOT, List.of(ManagedCgroup.bestEffort("spin", name)), "cohort-be",
                    CpuSet.empty(), StateStore.inMemory(), true);
            try (LinuxPlatform p = new LinuxPlatform(opts)) {
                var perCgroup = p.capabilities().signal(Signal.CGROUP_INSTRUCTIONS);
                var perCpu = p.capabilities().signal(Signal.CPU_INSTRUCTIONS);
                System.out.println("CgroupPerfHostTest: instructions per CPU: " + (perCpu.available() ? "yes" : perCpu.reason())
                        + "; per cgroup: " + (perCgroup.available() ? "yes" : perCgroup.reason()));
                assertEquals(perCpu.available(), perCgroup.available(),
                        "per-cgroup instructions wherever per-CPU instructions count: " + perCgroup.reason());
                if (!perCgroup.available()) {
                    assertTrue(perCgroup.reason().contains("instructions") && !perCgroup.reason().contains("not implemented"),
                            perCgroup.reason());
                    return;
                }
                Telemetry a = p.sample();
                Thread.sleep(1000);
                TelemetryInterval iv = TelemetryInterval.between(a, p.sample());
                double rate = iv.rate(Signal.CGROUP_INSTRUCTIONS, 0);
                System.out.printf("CgroupPerfHostTest: the busy cgroup retired %.3g instructions/s%n", rate);
                assertTrue(rate > 1e7, "a spinning process retires instructions: " + rate);
            }
        } finally {
            Host.stop(busy);
            removeAll(made);
        }
    }

    @Test
    void aDirectoryThatIsNoCgroupIsRefusedByTheKernelAndNamed() throws Exception {
        perfHierarchy();
        try (CgroupPerfCounters c = CgroupPerfCounters.open(PerfCounters.CPU_CLOCK, List.of(
                new CgroupPerfCounters.Target("batch", tmp)), CpuSet.of(0))) {
            assertFalse(c.counting());
            assertEquals("batch on CPU 0: cpu-clock: EBADF, " + tmp + " is not in the hierarchy the perf_event controller"
                    + " is bound to", c.unavailableReason());
        }
    }

    /** The hierarchy perf_event is bound to (its v1 mount, else cgroup2), or a skip. */
    private static Path perfHierarchy() throws IOException {
        Host.requireRoot();
        CgroupMounts mounts = CgroupMounts.read(Host.ROOT, KernelFiles.real());
        Optional<String> mp = mounts.v1MountPoint("perf_event").or(mounts::v2MountPoint);
        assumeTrue(mp.isPresent(), "neither a cgroup2 mount nor a v1 perf_event mount (layout " + mounts.layout() + ")");
        return Path.of(mp.get());
    }

    private static Process spin() throws IOException {
        Path spin = Path.of(System.getProperty("cohort.native", "target/native"), "cohort-spin");
        return Files.isExecutable(spin) ? Host.start(spin.toString(), "-t", "1", "-s", "60")
                : Host.start("sh", "-c", "while :; do :; done");
    }

    private static Duration cpuTime(Process p) {
        Optional<Duration> d = p.toHandle().info().totalCpuDuration();
        assumeTrue(d.isPresent(), "no CPU time for the busy process from /proc");
        return d.get();
    }

    /** rmdir, newest first; a cgroup whose last task just exited may need a moment to empty. */
    private static void removeAll(List<Path> dirs) throws InterruptedException {
        for (int i = dirs.size() - 1; i >= 0; i--) {
            for (int attempt = 0; attempt < 50; attempt++) {
                try {
                    Files.deleteIfExists(dirs.get(i));
                    break;
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
            assertFalse(Files.exists(dirs.get(i)), "removed " + dirs.get(i));
        }
    }
}
