package dev.cohort.platform.linux.faketree;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a realistic fake host tree (procfs, sysfs, cgroupfs, resctrl) in the kernel's own formats, for tests
 * and benchmarks: trailing spaces in cpufreq lists, the two-space {@code cpu  } line of /proc/stat, padded
 * resctrl schemata, mountinfo optional fields, RAPL zones named by {@code name} with dram before core. Point a
 * {@link dev.cohort.platform.linux.LinuxPlatform} at the root it wrote. It writes files only; it never emulates a
 * kernel's reaction to a write (tests wrap {@link dev.cohort.platform.linux.KernelFiles} for that). One writer per
 * interface: {@link ProcWriter}, {@link CpuWriter} (topology and cpufreq), {@link PowercapWriter},
 * {@link ResctrlWriter}, {@link CgroupWriter}.
 */
public final class FakeTreeWriter {

    private FakeTreeWriter() {
    }

    /** Writes the tree {@code spec} describes under {@code root} and returns {@code root}. */
    public static Path write(Path root, TreeSpec spec) throws IOException {
        if (spec.cpus() < 1 || spec.sockets() < 1 || spec.cpus() % spec.sockets() != 0) {
            throw new IllegalArgumentException("FakeTreeWriter: " + spec.cpus() + " CPUs do not split over " + spec.sockets() + " sockets");
        }
        TreeFiles f = new TreeFiles(root);
        new ProcWriter(f, spec).write();
        new CpuWriter(f, spec).write();
        if (spec.rapl()) {
            new PowercapWriter(f, spec).write();
        }
        if (spec.rdt() != TreeSpec.Rdt.NONE) {
            new ResctrlWriter(f, spec).write();
        }
        new CgroupWriter(f, spec).write();
        return root;
    }

    /** Writes a file under the root, creating its directories. */
    public static void put(Path root, String rel, String content) throws IOException {
        TreeFiles.put(root, rel, content);
    }
}
