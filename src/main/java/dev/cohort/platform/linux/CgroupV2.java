package dev.cohort.platform.linux;

import dev.cohort.platform.Knob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One cgroup v2 directory.
 *
 * <pre>
 * cpu.max                "max 100000\n" or "50000 100000\n"   quota period, µs; write "Q P", "Q" or "max"
 *                        EINVAL: quota &lt; 1000, period outside 1000..1000000, quota below cpu.max.burst, root cgroup
 * cpu.max.burst          "0\n" µs, at most the quota
 * cpu.weight             "100\n" 1..10000; out of range is ERANGE (not clamped)
 * cpu.stat               usage_usec user_usec system_usec [nr_periods nr_throttled throttled_usec nr_bursts burst_usec]
 *                        (throttling keys only with the cpu controller; look keys up by name)
 * cpu.pressure           PSI, see {@link Psi}
 * cgroup.controllers     "cpuset cpu io memory pids\n"  available to this cgroup
 * cgroup.subtree_control "cpu memory\n"; write "+cpu -io". EBUSY: no-internal-process rule; ENOENT: controller not available
 * cgroup.procs           pids, one per line; write one pid per write()
 * </pre>
 */
public final class CgroupV2 implements CgroupCpu {
    private final Path dir;
    private final KernelFiles files;

    public CgroupV2(Path dir, KernelFiles files) {
        this.dir = dir;
        this.files = files;
    }

    @Override
    public String version() {
        return "v2";
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public CpuStat stat() throws IOException {
        Map<String, Long> m = CgroupCpu.parseFlatKeyed(files.read(dir.resolve("cpu.stat")));
        Long usage = m.get("usage_usec");
        if (usage == null) {
            throw new IOException(dir.resolve("cpu.stat") + ": no usage_usec key");
        }
        return new CpuStat(usage, m.getOrDefault("user_usec", -1L), m.getOrDefault("system_usec", -1L),
                m.getOrDefault("nr_periods", -1L), m.getOrDefault("nr_throttled", -1L), m.getOrDefault("throttled_usec", -1L));
    }

    @Override
    public CpuMax cpuMax() throws IOException {
        Path f = dir.resolve("cpu.max");
        try {
            return parseCpuMax(files.read(f));
        } catch (IllegalArgumentException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
    }

    /** {@code cpu.max.burst} in µs (0 when the file is absent: kernels before 5.14). */
    public long burstUsec() throws IOException {
        return files.readIfPresent(dir.resolve("cpu.max.burst")).map(Long::parseLong).orElse(0L);
    }

    @Override
    public int weight() throws IOException {
        return (int) files.readLong(dir.resolve("cpu.weight"));
    }

    @Override
    public List<Step> cpuMaxSteps(long quotaUsec, long periodUsec) {
        return List.of(new Step(knob("cpu.max", "CPU bandwidth quota and period"),
                new CpuMax(quotaUsec < 0 ? -1 : quotaUsec, periodUsec).toString()));
    }

    @Override
    public Step weightStep(int weight) {
        return new Step(knob("cpu.weight", "CPU weight"), Integer.toString(weight));
    }

    @Override
    public Optional<Path> pressureFile(String resource) {
        Path p = dir.resolve(resource + ".pressure");
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public List<Long> procs() throws IOException {
        return CgroupCpu.parseProcs(files.read(dir.resolve("cgroup.procs")));
    }

    @Override
    public void addProcess(long pid) throws IOException {
        files.write(dir.resolve("cgroup.procs"), Long.toString(pid));
    }

    /** Controllers available to this cgroup ({@code cgroup.controllers}). */
    public List<String> controllers() throws IOException {
        return CpufreqSysfs.parseWords(files.read(dir.resolve("cgroup.controllers")));
    }

    /** Enables controllers for the children, e.g. {@code cpu}; errors explain the no-internal-process rule. */
    public void enableControllers(List<String> controllers) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String c : controllers) {
            b.append(b.isEmpty() ? "" : " ").append('+').append(c);
        }
        files.write(dir.resolve("cgroup.subtree_control"), b.toString());
    }

    private Knob knob(String file, String what) {
        return new Knob(dir.resolve(file).toAbsolutePath().toString(), "cgroup v2 " + what + " (" + file + ")");
    }

    /**
     * Parses {@code cpu.max}: "max 100000" or "50000 100000". Package-private for testing.
     *
     * @throws IllegalArgumentException when it is neither
     */
    static CpuMax parseCpuMax(String text) {
        String[] t = text.strip().split("\\s+");
        if (t.length != 2) {
            throw new IllegalArgumentException("cpu.max '" + text.strip() + "' is not '$MAX $PERIOD'");
        }
        try {
            return new CpuMax(t[0].equals("max") ? -1 : Long.parseLong(t[0]), Long.parseLong(t[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cpu.max '" + text.strip() + "' is not '$MAX $PERIOD'");
        }
    }
}
