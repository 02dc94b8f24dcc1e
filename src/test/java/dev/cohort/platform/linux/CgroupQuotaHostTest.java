package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.platform.ControlPlan;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.RestoreReport;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.StateFile;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.TelemetryInterval;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real busy process in a real cgroup (v1 cpu hierarchy or v2 with the cpu controller, whichever this host
 * has) given a 30% quota through {@link LinuxPlatform#apply}: measured at no more than ~33% of a CPU, the
 * kernel's own EINVAL mapped to a message, and the original quota back after restore. The cgroup is removed
 * even when the test fails.
 */
@Tag("host")
class CgroupQuotaHostTest {
    @TempDir
    Path state;

    @Test
    void thirtyPercentQuotaHoldsAndTheOriginalComesBack() throws Exception {
        Host.requireRoot();
        CgroupMounts mounts = CgroupMounts.read(Host.ROOT, KernelFiles.real());
        var cpuV1 = mounts.v1MountPoint("cpu");
        var v2 = mounts.v2MountPoint().filter(m -> readOr(Path.of(m, "cgroup.subtree_control")).contains("cpu"));
        assumeTrue(cpuV1.isPresent() || v2.isPresent(), "no v1 cpu hierarchy and no cgroup2 with cpu in the root's"
                + " subtree_control (layout " + mounts.layout() + ")");
        String name = "cohort-test-" + ProcessHandle.current().pid();
        List<Path> dirs = new ArrayList<>();
        if (cpuV1.isPresent()) {
            dirs.add(Path.of(cpuV1.get(), name));
            mounts.v1MountPoint("cpuacct").filter(a -> !a.equals(cpuV1.get())).ifPresent(a -> dirs.add(Path.of(a, name)));
        } else {
            dirs.add(Path.of(v2.get(), name));
        }
        Process busy = null;
        try {
            for (Path d : dirs) {
                Files.createDirectory(d);
            }
            Path spin = Path.of(System.getProperty("cohort.native", "target/native"), "cohort-spin");
            busy = Files.isExecutable(spin) ? Host.start(spin.toString(), "-t", "1", "-s", "60")
                    : Host.start("sh", "-c", "while :; do :; done");
            var opts = new LinuxPlatform.Options(Host.ROOT, List.of(ManagedCgroup.bestEffort("spin", name)), "cohort-be",
                    CpuSet.empty(), new StateFile(state.resolve("state.json")), false);
            try (LinuxPlatform p = new LinuxPlatform(opts)) {
                CgroupCpu g = new HostProbeAccess(p).cgroup(0);
                g.addProcess(busy.pid());
                var original = g.cpuMax();

                var bad = p.apply(new ControlPlan(1, List.of(new Setting.CpuMaxUsec(0, 500, 100000))));
                assertEquals(SettingResult.Outcome.FAILED, bad.getFirst().outcome());
                assertTrue(bad.getFirst().detail().contains("EINVAL") && bad.getFirst().detail().contains("at least 1000 µs"),
                        "the kernel's EINVAL, explained: " + bad.getFirst().detail());

                var r = p.apply(new ControlPlan(2, List.of(new Setting.CpuMaxUsec(0, 30000, 100000))));
                assertEquals(SettingResult.Outcome.APPLIED, r.getFirst().outcome(), r.getFirst().toString());
                Thread.sleep(300);
                Telemetry a = p.sample();
                Thread.sleep(2000);
                Telemetry b = p.sample();
                TelemetryInterval iv = TelemetryInterval.between(a, b);
                double cpus = iv.cgroupCpus(0);
                System.out.printf("CgroupQuotaHostTest: %s cgroup %s used %.3f CPUs under a 30%% quota, throttled in %.0f%% of periods%n",
                        g.version(), g.dir(), cpus, iv.throttledFraction(0) * 100);
                assertTrue(cpus <= 0.33, "a 30% quota holds the busy process to at most ~33% of a CPU, measured " + cpus);
                assertTrue(cpus >= 0.10, "the busy process really ran in the cgroup, measured " + cpus);
                assertTrue(iv.throttledFraction(0) > 0.5, "it was throttled");

                RestoreReport rep = p.restore(false);
                assertTrue(rep.ok(), rep.toString());
                assertEquals(original, g.cpuMax(), "the original quota is back");
                assertTrue(p.restore(false).entries().isEmpty(), "a second restore is harmless");
            }
        } finally {
            Host.stop(busy);
            for (int i = dirs.size() - 1; i >= 0; i--) {
                for (int attempt = 0; attempt < 50 && Files.exists(dirs.get(i)); attempt++) {
                    try {
                        Files.delete(dirs.get(i));
                    } catch (java.io.IOException e) {
                        Thread.sleep(100); // the killed task may take a moment to leave
                    }
                }
            }
        }
    }

    private static String readOr(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
