package dev.cohort.platform.linux;

import dev.cohort.platform.Knob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One cgroup in the v1 {@code cpu} hierarchy (and the same path in {@code cpuacct}, which may be the same
 * mount, {@code cpu,cpuacct}, or a separate one).
 *
 * <pre>
 * cpu.cfs_quota_us     "-1\n" µs; -1 (any negative) = unlimited; else at least 1000, and not above the parent's (EINVAL)
 * cpu.cfs_period_us    "100000\n" µs, 1000..1000000 else EINVAL
 * cpu.shares           "1024\n" clamped silently to 2..262144; weight = shares x 100 / 1024
 * cpu.stat             nr_periods nr_throttled throttled_time(ns!) [nr_bursts burst_time(ns)]
 * cpuacct.usage        total CPU time, ns
 * cpuacct.usage_user, cpuacct.usage_sys   ns
 * </pre>
 *
 * There is no PSI in v1 hierarchies. There is no no-internal-process rule either.
 */
public final class CgroupV1 implements CgroupCpu {
    /** Limits of {@code cpu.shares}. */
    public static final long MIN_SHARES = 2, MAX_SHARES = 262144;

    private final Path cpuDir;
    private final Path cpuacctDir;
    private final KernelFiles files;

    /** @param cpuacctDir the same cgroup in the cpuacct hierarchy (may equal {@code cpuDir}) */
    public CgroupV1(Path cpuDir, Path cpuacctDir, KernelFiles files) {
        this.cpuDir = cpuDir;
        this.cpuacctDir = cpuacctDir;
        this.files = files;
    }

    @Override
    public String version() {
        return "v1";
    }

    @Override
    public Path dir() {
        return cpuDir;
    }

    @Override
    public CpuStat stat() throws IOException {
        long usageNs = files.readLong(cpuacctDir.resolve("cpuacct.usage"));
        long user = files.readLongOrEmpty(cpuacctDir.resolve("cpuacct.usage_user")).orElse(-1000);
        long sys = files.readLongOrEmpty(cpuacctDir.resolve("cpuacct.usage_sys")).orElse(-1000);
        Map<String, Long> m = CgroupCpu.parseFlatKeyed(files.read(cpuDir.resolve("cpu.stat")));
        long throttledNs = m.getOrDefault("throttled_time", -1000L);
        return new CpuStat(usageNs / 1000, user / 1000, sys / 1000, m.getOrDefault("nr_periods", -1L),
                m.getOrDefault("nr_throttled", -1L), throttledNs / 1000);
    }

    @Override
    public CpuMax cpuMax() throws IOException {
        long q = files.readLong(cpuDir.resolve("cpu.cfs_quota_us"));
        long p = files.readLong(cpuDir.resolve("cpu.cfs_period_us"));
        return new CpuMax(q < 0 ? -1 : q, p);
    }

    @Override
    public int weight() throws IOException {
        return sharesToWeight(files.readLong(cpuDir.resolve("cpu.shares")));
    }

    /** Period first, then quota: the quota's range check does not depend on the period. */
    @Override
    public List<Step> cpuMaxSteps(long quotaUsec, long periodUsec) {
        return List.of(new Step(knob("cpu.cfs_period_us", "CFS period"), Long.toString(periodUsec)),
                new Step(knob("cpu.cfs_quota_us", "CFS quota"), Long.toString(quotaUsec < 0 ? -1 : quotaUsec)));
    }

    @Override
    public Step weightStep(int weight) {
        return new Step(knob("cpu.shares", "CPU shares"), Long.toString(weightToShares(weight)));
    }

    @Override
    public Optional<Path> pressureFile(String resource) {
        return Optional.empty();
    }

    @Override
    public List<Long> procs() throws IOException {
        return CgroupCpu.parseProcs(files.read(cpuDir.resolve("cgroup.procs")));
    }

    @Override
    public void addProcess(long pid) throws IOException {
        files.write(cpuDir.resolve("cgroup.procs"), Long.toString(pid));
        if (!cpuacctDir.equals(cpuDir) && Files.isDirectory(cpuacctDir)) {
            files.write(cpuacctDir.resolve("cgroup.procs"), Long.toString(pid));
        }
    }

    private Knob knob(String file, String what) {
        return new Knob(cpuDir.resolve(file).toAbsolutePath().toString(), "cgroup v1 " + what + " (" + file + ")");
    }

    /** v2 weight (1..10000) to v1 shares: weight x 1024 / 100, rounded, within 2..262144. Package-private for testing. */
    static long weightToShares(int weight) {
        return Math.max(MIN_SHARES, Math.min(MAX_SHARES, Math.round(weight * 1024.0 / 100.0)));
    }

    /** v1 shares to the v2 weight scale, rounded, within 1..10000. Package-private for testing. */
    static int sharesToWeight(long shares) {
        return (int) Math.max(1, Math.min(10000, Math.round(shares * 100.0 / 1024.0)));
    }
}
