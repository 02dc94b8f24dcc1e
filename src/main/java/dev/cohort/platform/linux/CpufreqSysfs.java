package dev.cohort.platform.linux;

import dev.cohort.platform.CpuSet;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * cpufreq: policies (frequency domains) under {@code /sys/devices/system/cpu/cpufreq/policyN/}, their CPUs,
 * limits, governors and energy-performance preference, and the intel_pstate / amd_pstate global files.
 *
 * <pre>
 * policy0/related_cpus                  "0 1\n"            all CPUs of the policy, online or not
 * policy0/affected_cpus                 "0 1\n"            the online ones
 * policy0/cpuinfo_min_freq              "800000\n"         kHz, hardware range
 * policy0/cpuinfo_max_freq              "3401000\n"
 * policy0/scaling_min_freq, _max_freq   "800000\n"         kHz, rw; writes are clamped silently
 * policy0/scaling_cur_freq              "1996253\n"        kHz, approximate
 * policy0/scaling_available_frequencies "3401000 2800000 800000 \n"  (trailing space; absent on intel_pstate, amd-pstate)
 * policy0/scaling_available_governors   "conservative ondemand userspace powersave performance schedutil \n"
 *                                       or "performance powersave\n" (setpolicy drivers)
 * policy0/scaling_driver, scaling_governor
 * policy0/energy_performance_preference "balance_performance\n" or a raw number "128\n"
 * cpuN/cpufreq -&gt; ../cpufreq/policyM  (M may differ from N)
 * </pre>
 *
 * Policy names are CPU numbers and need not be contiguous ({@code policy0}, {@code policy4}): they are listed,
 * never derived. A policy whose CPUs are all offline is inactive and every attribute read or write fails with
 * EBUSY; it is reported with {@link Policy#inactiveReason()}. So is a policy a captured tree holds only in part
 * (a file missing, empty, or not a number): it costs that policy, never the others.
 */
public final class CpufreqSysfs {
    private final Path cpuDir;
    private final Path dir;
    private final KernelFiles files;

    public CpufreqSysfs(Path root) {
        this(root, KernelFiles.real());
    }

    CpufreqSysfs(Path root, KernelFiles files) {
        this.cpuDir = root.resolve("sys/devices/system/cpu");
        this.dir = cpuDir.resolve("cpufreq");
        this.files = files;
    }

    /** Frequencies above this (kHz) are garbage: the kernel's frequency QoS takes an s32. */
    static final long MAX_KHZ = Integer.MAX_VALUE;

    /**
     * One cpufreq policy. For an inactive policy only {@code name}, {@code dir} and {@code inactiveReason} mean
     * anything.
     *
     * @param inactiveReason why the policy cannot be used (all CPUs offline, or a file missing or unreadable,
     *                       naming the file); empty for a usable policy
     * @param notes          files of a usable policy that were left out, e.g. a garbled frequency table
     */
    public record Policy(String name, Path dir, CpuSet relatedCpus, CpuSet affectedCpus, long cpuinfoMinKhz,
                         long cpuinfoMaxKhz, List<Long> availableKhz, List<String> governors, String driver,
                         String governor, Optional<String> epp, List<String> eppAvailable,
                         Optional<String> inactiveReason, List<String> notes) {

        /** True when the policy has an online CPU and its files can be read. */
        public boolean active() {
            return inactiveReason.isEmpty();
        }

        /** This policy, unusable for {@code reason}. */
        public Policy unusable(String reason) {
            return inactive(name, dir, reason);
        }

        static Policy inactive(String name, Path dir, String reason) {
            return new Policy(name, dir, CpuSet.empty(), CpuSet.empty(), 0, 0, List.of(), List.of(), "", "",
                    Optional.empty(), List.of(), Optional.of(reason), List.of());
        }

        /** A file of this policy. */
        public Path file(String name) {
            return dir.resolve(name);
        }
    }

    /** Global driver files: {@code intel_pstate/} or {@code amd_pstate/}, each key its file name. */
    public record DriverGlobals(String dirName, Map<String, String> values) {
    }

    /** The policies directory. */
    public Path dir() {
        return dir;
    }

    /** True when cpufreq has at least one policy. */
    public boolean present() {
        return !policyDirs().isEmpty();
    }

    /** Every policy, ordered by number (declares IOException for its callers' sake; an odd policy is inactive). */
    public List<Policy> policies() throws IOException {
        return policies(KernelText.MAX_CPUS);
    }

    /** Every policy, ordered by number; a policy naming a CPU at or above {@code cpuCount} is unusable. */
    public List<Policy> policies(int cpuCount) {
        List<Policy> out = new ArrayList<>();
        for (Path p : policyDirs()) {
            out.add(readPolicy(p, cpuCount));
        }
        return out;
    }

    /** Reads one policy; EBUSY (all CPUs offline) or a missing or garbled file gives an inactive policy, never an exception. */
    public Policy readPolicy(Path p) throws IOException {
        return readPolicy(p, KernelText.MAX_CPUS);
    }

    private Policy readPolicy(Path p, int cpuCount) {
        String name = p.getFileName().toString();
        try {
            CpuSet related = cpus(p.resolve("related_cpus"), cpuCount);
            CpuSet affected = cpus(p.resolve("affected_cpus"), cpuCount);
            long min = khz(p.resolve("cpuinfo_min_freq"));
            long max = khz(p.resolve("cpuinfo_max_freq"));
            if (max < min) {
                throw KernelText.bad(p.resolve("cpuinfo_max_freq"), max + " kHz is below " + p.resolve("cpuinfo_min_freq")
                        + " " + min + " kHz");
            }
            khz(p.resolve("scaling_min_freq")); // the controls: a policy without them cannot be driven
            khz(p.resolve("scaling_max_freq"));
            List<String> notes = new ArrayList<>();
            List<Long> avail = table(p.resolve("scaling_available_frequencies"), notes);
            List<String> govs = files.readIfPresent(p.resolve("scaling_available_governors"))
                    .map(CpufreqSysfs::parseWords).orElse(List.of());
            String driver = files.readIfPresent(p.resolve("scaling_driver")).orElse("");
            String governor = files.readIfPresent(p.resolve("scaling_governor")).orElse("");
            Optional<String> epp = files.readIfPresent(p.resolve("energy_performance_preference"));
            List<String> eppAvail = files.readIfPresent(p.resolve("energy_performance_available_preferences"))
                    .map(CpufreqSysfs::parseWords).orElse(List.of());
            return new Policy(name, p, related, affected, min, max, avail, govs, driver, governor, epp, eppAvail,
                    Optional.empty(), List.copyOf(notes));
        } catch (IOException e) {
            return Policy.inactive(name, p, e.getMessage());
        }
    }

    /** A CPU list file of a policy: present, non-empty, every CPU below {@code cpuCount}. */
    private CpuSet cpus(Path f, int cpuCount) throws IOException {
        CpuSet s;
        try {
            s = KernelText.cpus(files.read(f), cpuCount);
        } catch (IllegalArgumentException e) {
            throw KernelText.bad(f, e.getMessage());
        }
        if (s.isEmpty()) {
            throw KernelText.bad(f, "no CPU listed");
        }
        return s;
    }

    /** A kHz file that must hold a frequency. */
    private long khz(Path f) throws IOException {
        try {
            return KernelText.number(files.read(f), 1, MAX_KHZ);
        } catch (IllegalArgumentException e) {
            throw KernelText.bad(f, e.getMessage() + " (expected a frequency in kHz)");
        }
    }

    /** The frequency table; a garbled one is left out (levels then spread over the cpuinfo range) and noted. */
    private List<Long> table(Path f, List<String> notes) throws IOException {
        Optional<String> text = files.readIfPresent(f);
        try {
            return text.map(CpufreqSysfs::parseFrequencies).orElse(List.of());
        } catch (IllegalArgumentException e) {
            notes.add(f + ": " + e.getMessage() + "; the policy runs without a frequency table");
            return List.of();
        }
    }

    /** The current frequency of a policy in kHz ({@code scaling_cur_freq}); empty when it prints no frequency. */
    public OptionalLong curKhz(Policy p) {
        try {
            return parseKhz(files.read(p.file("scaling_cur_freq")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Which policy each CPU's {@code cpuN/cpufreq} link points at (CPU number to policy name). */
    public Map<Integer, String> cpuPolicyLinks() throws IOException {
        Map<Integer, String> out = new TreeMap<>();
        if (!Files.isDirectory(cpuDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(cpuDir, "cpu[0-9]*")) {
            for (Path c : ds) {
                Path link = c.resolve("cpufreq");
                if (Files.isSymbolicLink(link) && c.getFileName().toString().matches("cpu\\d{1,4}")) {
                    int cpu = Integer.parseInt(c.getFileName().toString().substring(3));
                    out.put(cpu, Files.readSymbolicLink(link).getFileName().toString());
                }
            }
        }
        return out;
    }

    /** The intel_pstate or amd_pstate global files, whichever exists. */
    public Optional<DriverGlobals> driverGlobals() throws IOException {
        for (String d : List.of("intel_pstate", "amd_pstate")) {
            Path g = cpuDir.resolve(d);
            if (Files.isDirectory(g)) {
                Map<String, String> values = new TreeMap<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(g)) {
                    for (Path f : ds) {
                        if (Files.isRegularFile(f)) {
                            try {
                                values.put(f.getFileName().toString(), files.readTrim(f));
                            } catch (KernelIoException e) {
                                values.put(f.getFileName().toString(), "<" + e.errno().name() + ">"); // e.g. EAGAIN when off
                            }
                        }
                    }
                }
                return Optional.of(new DriverGlobals(d, values));
            }
        }
        return Optional.empty();
    }

    private List<Path> policyDirs() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "policy[0-9]*")) {
            ds.forEach(p -> {
                if (p.getFileName().toString().matches("policy\\d{1,4}")) {
                    out.add(p);
                }
            });
        } catch (IOException e) {
            return out;
        }
        out.sort((a, b) -> Integer.compare(policyNumber(a), policyNumber(b)));
        return out;
    }

    private static int policyNumber(Path p) {
        return Integer.parseInt(p.getFileName().toString().substring("policy".length()));
    }

    /**
     * Parses {@code related_cpus}/{@code affected_cpus}: CPU numbers separated by spaces. Package-private for testing.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static CpuSet parseCpus(String text) {
        return KernelText.cpus(text, KernelText.MAX_CPUS);
    }

    /**
     * Parses {@code scaling_available_frequencies} (trailing space allowed) into ascending kHz. Package-private for testing.
     *
     * @throws IllegalArgumentException naming the entry that is not a frequency
     */
    static List<Long> parseFrequencies(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(t.split("\\s+")).map(f -> KernelText.number(f, 1, MAX_KHZ)).sorted().distinct().toList();
    }

    /** Splits a space-separated list (governors, preferences) on whitespace. Package-private for testing. */
    static List<String> parseWords(String text) {
        String t = text.strip();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
    }

    /** Parses a kHz file that may say {@code <unknown>} or {@code <unsupported>}. Package-private for testing. */
    static OptionalLong parseKhz(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.startsWith("<")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(KernelText.number(t, 1, MAX_KHZ));
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }
}
