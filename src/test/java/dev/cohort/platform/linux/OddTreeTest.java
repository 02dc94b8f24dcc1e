package dev.cohort.platform.linux;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.Control;
import dev.cohort.platform.Signal;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real kernel trees that differ from ours: each odd file costs its own signal, control, policy or zone, with a
 * reason naming the file; the host as a whole still runs.
 */
class OddTreeTest {
    private static final String CPU = "sys/devices/system/cpu/";
    private static final String PC = "sys/class/powercap/";

    @TempDir
    Path root;

    private LinuxPlatform open() {
        return LinuxPlatformTest.open(root, LinuxPlatformTest.twoGroups());
    }

    private static String doctorText(LinuxPlatform p) {
        return p.doctor().toText();
    }

    // defect 1: no present and no possible

    @Test
    void cpusAreCountedFromTheCpuDirectoriesWhenPresentAndPossibleAreMissing() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        Files.delete(root.resolve(CPU + "present"));
        Files.delete(root.resolve(CPU + "possible"));
        try (var p = assertDoesNotThrow(this::open)) {
            assertEquals(4, p.topology().cpuCount());
            String cpu = p.doctor().host().get("cpu");
            assertTrue(cpu.contains("present") && cpu.contains("cpuN directories"), cpu);
            assertTrue(p.sample().has(Signal.CPU_BUSY_NANOS));
        }
    }

    @Test
    void cpusAreCountedFromProcStatWhenSysfsHasNoCpuList() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1).withDriver(TreeSpec.Driver.NONE));
        Files.delete(root.resolve(CPU + "present"));
        Files.delete(root.resolve(CPU + "possible"));
        Files.delete(root.resolve(CPU + "online"));
        for (int c = 0; c < 4; c++) {
            deleteTree(root.resolve(CPU + "cpu" + c));
        }
        try (var p = assertDoesNotThrow(this::open)) {
            assertEquals(4, p.topology().cpuCount());
            assertTrue(p.doctor().host().get("cpu").contains("proc/stat"), p.doctor().host().get("cpu"));
        }
    }

    // defect 2: one incomplete cpufreq policy

    @Test
    void anIncompletePolicyCostsOnlyThatPolicy() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        Files.delete(root.resolve(CPU + "cpufreq/policy2/scaling_max_freq"));
        Files.delete(root.resolve(CPU + "cpufreq/policy3/related_cpus"));
        try (var p = assertDoesNotThrow(this::open)) {
            assertEquals(List.of("policy0", "policy1"), p.topology().frequencyDomains().stream()
                    .map(d -> d.name()).toList());
            assertTrue(p.capabilities().has(Signal.CPU_FREQ_KHZ));
            assertTrue(p.capabilities().has(Control.FREQ_MAX_KHZ));
            String cpufreq = p.doctor().host().get("cpufreq");
            assertTrue(cpufreq.contains("policy2/scaling_max_freq"), cpufreq);
            assertTrue(cpufreq.contains("policy3/related_cpus"), cpufreq);
            String source = p.doctor().signals().stream().filter(i -> i.name().equals("cpu.freq_khz")).findFirst().orElseThrow().source();
            assertTrue(source.endsWith("from 2 of 4 policies; not used: policy2, policy3"), source);
            Telemetry s = p.sample();
            assertEquals(1996253 + 1, s.gauge(Signal.CPU_FREQ_KHZ, 1));
        }
    }

    // defect 3: intel-rapl:a

    @Test
    void aZoneWithALetterForAnIndexIsSkippedWithAReason() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        FakeTreeWriter.put(root, PC + "intel-rapl:a/name", "package-10\n");
        FakeTreeWriter.put(root, PC + "intel-rapl:a/energy_uj", "1\n");
        FakeTreeWriter.put(root, PC + "intel-rapl:a/max_energy_range_uj", "262143328850\n");
        try (var p = assertDoesNotThrow(this::open)) {
            assertTrue(p.capabilities().has(Signal.PKG_ENERGY_UJ), p.capabilities().signal(Signal.PKG_ENERGY_UJ).toString());
            String rapl = p.doctor().host().get("rapl");
            assertTrue(rapl.contains("intel-rapl:a"), rapl);
        }
    }

    // defect 4: MMIO RAPL counted twice; dies summed

    @Test
    void anMmioPackageZoneIsNotCountedOnTopOfTheMsrZone() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        String energy = PC + "intel-rapl:0/energy_uj";
        String mmio = PC + "intel-rapl-mmio:0/";
        FakeTreeWriter.put(root, mmio + "name", "package-0\n");
        FakeTreeWriter.put(root, mmio + "energy_uj", "5000000\n");
        FakeTreeWriter.put(root, mmio + "max_energy_range_uj", "262143328850\n");
        try (var p = open()) {
            FakeTreeWriter.put(root, energy, "1000000\n");
            Telemetry a = p.sample();
            FakeTreeWriter.put(root, energy, "3000000\n");
            FakeTreeWriter.put(root, mmio + "energy_uj", "7000000\n");
            Telemetry b = p.sample();
            assertEquals(2_000_000, b.counter(Signal.PKG_ENERGY_UJ, 0) - a.counter(Signal.PKG_ENERGY_UJ, 0),
                    "package 0 counted once, from intel-rapl:0");
            assertTrue(p.doctor().host().get("rapl").contains("intel-rapl-mmio:0"), p.doctor().host().get("rapl"));
        }
    }

    @Test
    void anMmioZoneAloneStillCounts() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1).withRapl(false));
        String mmio = PC + "intel-rapl-mmio:0/";
        FakeTreeWriter.put(root, mmio + "name", "package-0\n");
        FakeTreeWriter.put(root, mmio + "energy_uj", "5000000\n");
        FakeTreeWriter.put(root, mmio + "max_energy_range_uj", "262143328850\n");
        try (var p = open()) {
            Telemetry a = p.sample();
            FakeTreeWriter.put(root, mmio + "energy_uj", "6000000\n");
            assertEquals(1_000_000, p.sample().counter(Signal.PKG_ENERGY_UJ, 0) - a.counter(Signal.PKG_ENERGY_UJ, 0));
        }
    }

    @Test
    void theDiesOfAMultiDiePackageAreSummed() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1).withRapl(false));
        for (int d = 0; d < 2; d++) {
            String z = PC + "intel-rapl:" + d + "/";
            FakeTreeWriter.put(root, z + "name", "package-0-die-" + d + "\n");
            FakeTreeWriter.put(root, z + "energy_uj", "100\n");
            FakeTreeWriter.put(root, z + "max_energy_range_uj", "262143328850\n");
        }
        try (var p = open()) {
            Telemetry a = p.sample();
            FakeTreeWriter.put(root, PC + "intel-rapl:0/energy_uj", "1100\n");
            FakeTreeWriter.put(root, PC + "intel-rapl:1/energy_uj", "2100\n");
            assertEquals(3000, p.sample().counter(Signal.PKG_ENERGY_UJ, 0) - a.counter(Signal.PKG_ENERGY_UJ, 0));
        }
    }

    // defect 5: garbage in one file at probe time

    static Stream<Arguments> garbage() {
        List<String> junk = List.of("abc", "0-", "3-1", "0-2000000000", "", "\u0000\u00ff\u0001junk", "-1", "99999999999999999999");
        List<String> files = List.of(CPU + "present", CPU + "online", CPU + "cpufreq/policy1/related_cpus",
                CPU + "cpufreq/policy1/affected_cpus", CPU + "cpufreq/policy1/scaling_available_frequencies",
                CPU + "cpufreq/policy1/cpuinfo_max_freq", CPU + "cpufreq/policy1/scaling_max_freq",
                PC + "intel-rapl:0/name", PC + "intel-rapl:0/max_energy_range_uj", PC + "intel-rapl:0/energy_uj",
                "proc/pressure/memory", "proc/stat");
        return files.stream().flatMap(f -> junk.stream().map(j -> Arguments.of(f, j)));
    }

    @ParameterizedTest
    @MethodSource("garbage")
    void garbageInOneFileCostsOnlyWhatThatFileFeedsAndSaysWhich(String rel, String content) throws IOException {
        // two CPUs, two packages, a policy (with a frequency table) each
        FakeTreeWriter.write(root, TreeSpec.intelServer(2, 2));
        for (int p = 0; p < 2; p++) {
            FakeTreeWriter.put(root, CPU + "cpufreq/policy" + p + "/scaling_available_frequencies", "3900000 2000000 800000 \n");
        }
        putBytes(root, rel, content);
        try (var p = assertDoesNotThrow(this::open, rel + " = '" + content + "'")) {
            Telemetry s = assertDoesNotThrow(p::sample);
            assertTrue(p.capabilities().has(Signal.CGROUP_USAGE_USEC) && s.has(Signal.CGROUP_USAGE_USEC));
            assertTrue(p.capabilities().has(Control.MBA_PERCENT));
            if (!rel.startsWith("proc/pressure")) {
                assertTrue(s.has(Signal.SYS_MEM_PRESSURE_SOME_USEC), "PSI is untouched by " + rel);
            }
            if (!rel.equals("proc/stat")) {
                assertTrue(s.has(Signal.CPU_BUSY_NANOS), "/proc/stat is untouched by " + rel);
            }
            if (!rel.contains("cpufreq")) {
                assertTrue(s.has(Signal.CPU_FREQ_KHZ), "cpufreq is untouched by " + rel);
                assertEquals(2, p.topology().frequencyDomains().size(), "cpufreq is untouched by " + rel);
            } else {
                assertTrue(s.has(Signal.CPU_FREQ_KHZ), "policy0 still runs");
                assertTrue(p.topology().frequencyDomains().size() >= 1, "policy0 still runs");
            }
            if (!rel.startsWith(PC)) {
                assertTrue(s.has(Signal.PKG_ENERGY_UJ), "RAPL is untouched by " + rel);
            }
            String text = doctorText(p);
            boolean degraded = !s.has(Signal.SYS_MEM_PRESSURE_SOME_USEC) || !s.has(Signal.CPU_BUSY_NANOS)
                    || !s.has(Signal.PKG_ENERGY_UJ) || p.topology().frequencyDomains().size() < 2
                    || !p.capabilities().has(Signal.PKG_ENERGY_UJ);
            boolean alwaysOdd = rel.endsWith("/present") || rel.endsWith("/online")
                    || rel.endsWith("scaling_available_frequencies") && !content.isBlank();
            if (degraded || alwaysOdd) {
                assertTrue(text.contains(rel), "the doctor names " + rel + ":\n" + text);
            }
        }
    }

    // defect 5, at run time: a garbage read costs that signal for that sample

    @Test
    void garbageAtSampleTimeCostsThatSignalForThatSampleOnly() throws IOException {
        FakeTreeWriter.write(root, TreeSpec.intelServer(4, 1));
        try (var p = open()) {
            assertTrue(p.sample().has(Signal.PKG_ENERGY_UJ));
            FakeTreeWriter.put(root, PC + "intel-rapl:0/energy_uj", "abc\n");
            putBytes(root, CPU + "cpufreq/policy1/scaling_cur_freq", "\u0000\u00ff\n");
            FakeTreeWriter.put(root, "proc/stat", "cpu  1 2 3 4\ncpu0 1 x 3 4\n");
            FakeTreeWriter.put(root, "proc/pressure/cpu", "some avg10=junk\n");
            Telemetry s = assertDoesNotThrow(p::sample);
            assertFalse(s.has(Signal.PKG_ENERGY_UJ));
            assertFalse(s.has(Signal.CPU_BUSY_NANOS));
            assertFalse(s.has(Signal.SYS_CPU_PRESSURE_SOME_USEC));
            assertTrue(Double.isNaN(s.gauge(Signal.CPU_FREQ_KHZ, 1)));
            assertEquals(1996253 + 2, s.gauge(Signal.CPU_FREQ_KHZ, 2));
            assertTrue(s.has(Signal.SYS_MEM_PRESSURE_SOME_USEC) && s.has(Signal.CGROUP_USAGE_USEC));
            FakeTreeWriter.put(root, PC + "intel-rapl:0/energy_uj", "-5\n");
            assertFalse(p.sample().has(Signal.PKG_ENERGY_UJ), "a negative energy is garbage, not a wrap");
            FakeTreeWriter.put(root, PC + "intel-rapl:0/energy_uj", "83715266301\n");
            assertTrue(p.sample().has(Signal.PKG_ENERGY_UJ), "back once the file reads a number again");
        }
    }

    // defect 6: a captured-looking tree with every oddity at once

    @Test
    void aCapturedTreeWithEveryOddityRunsAndTheDoctorSaysWhatItCouldNotUse() throws IOException {
        OddTrees.capturedLike(root);
        try (var p = assertDoesNotThrow(this::open)) {
            assertEquals(4, p.topology().cpuCount());
            assertEquals(List.of("policy0", "policy1"), p.topology().frequencyDomains().stream().map(d -> d.name()).toList());
            assertTrue(p.capabilities().has(Signal.PKG_ENERGY_UJ));
            String text = doctorText(p);
            for (String why : List.of("present", "policy2", "policy3", "intel-rapl:a", "intel-rapl-mmio:0")) {
                assertTrue(text.contains(why), why + " in\n" + text);
            }
            Telemetry a = p.sample();
            FakeTreeWriter.put(root, PC + "intel-rapl:0/energy_uj", "2000\n");
            FakeTreeWriter.put(root, PC + "intel-rapl:1/energy_uj", "3000\n");
            FakeTreeWriter.put(root, PC + "intel-rapl-mmio:0/energy_uj", "900000\n");
            assertEquals(1000 + 2000, p.sample().counter(Signal.PKG_ENERGY_UJ, 0) - a.counter(Signal.PKG_ENERGY_UJ, 0),
                    "two dies summed, the MMIO zone not added");
        }
    }

    /** Writes any chars 0..255 as the bytes they stand for (binary junk included). */
    static void putBytes(Path root, String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, content.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
