package dev.cohort.platform.linux;

import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trees shaped like a capture of someone else's machine rather than like {@link FakeTreeWriter}'s output
 * (the kind of layout found in the test fixtures of other procfs/sysfs readers): {@code cpuN} directories with
 * {@code cpufreq} symlinks but no {@code present} or {@code possible}, a policy with only some of its files and
 * an inactive one whose files were captured empty (EBUSY when copied), a powercap directory named
 * {@code intel-rapl:a}, a two-die package and an MMIO zone that measures the same package again. Written
 * here, file by file; nothing is copied from another project.
 */
final class OddTrees {
    private static final String CPU = "sys/devices/system/cpu/";
    private static final String PC = "sys/class/powercap/";

    private OddTrees() {
    }

    /** Writes the captured-looking tree (4 CPUs, one package of two dies) under {@code root}. */
    static Path capturedLike(Path root) throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1).withRapl(false));
        Files.delete(root.resolve(CPU + "present"));
        Files.delete(root.resolve(CPU + "possible"));
        Path p2 = root.resolve(CPU + "cpufreq/policy2");
        for (String f : new String[]{"related_cpus", "affected_cpus", "cpuinfo_max_freq", "scaling_max_freq",
                "scaling_min_freq", "energy_performance_preference"}) {
            Files.delete(p2.resolve(f));
        }
        try (var files = Files.list(root.resolve(CPU + "cpufreq/policy3"))) {
            for (Path f : files.toList()) {
                Files.writeString(f, "");
            }
        }
        die(root, "intel-rapl:0", "package-0-die-0", "1000\n");
        die(root, "intel-rapl:1", "package-0-die-1", "1000\n");
        FakeTreeWriter.put(root, PC + "intel-rapl/enabled", "1\n");
        FakeTreeWriter.put(root, PC + "intel-rapl:0:0/name", "dram\n");
        FakeTreeWriter.put(root, PC + "intel-rapl:0:0/energy_uj", "77\n");
        FakeTreeWriter.put(root, PC + "intel-rapl:0:0/max_energy_range_uj", "65712999613\n");
        FakeTreeWriter.put(root, PC + "intel-rapl:a/name", "package-10\n");
        FakeTreeWriter.put(root, PC + "intel-rapl:a/energy_uj", "10\n");
        FakeTreeWriter.put(root, PC + "intel-rapl:a/max_energy_range_uj", "262143328850\n");
        FakeTreeWriter.put(root, PC + "intel-rapl-mmio/enabled", "1\n");
        die(root, "intel-rapl-mmio:0", "package-0", "500000\n");
        return root;
    }

    private static void die(Path root, String id, String name, String energyUj) throws IOException {
        FakeTreeWriter.put(root, PC + id + "/name", name + "\n");
        FakeTreeWriter.put(root, PC + id + "/energy_uj", energyUj);
        FakeTreeWriter.put(root, PC + id + "/max_energy_range_uj", "262143328850\n");
        FakeTreeWriter.put(root, PC + id + "/enabled", "1\n");
        FakeTreeWriter.put(root, PC + id + "/constraint_0_name", "long_term\n");
        FakeTreeWriter.put(root, PC + id + "/constraint_0_power_limit_uw", "65000000\n");
    }
}
