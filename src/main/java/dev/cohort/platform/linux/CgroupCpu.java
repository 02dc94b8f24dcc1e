package dev.cohort.platform.linux;

import dev.cohort.platform.Knob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The CPU side of one cgroup, whichever hierarchy holds it: {@link CgroupV2} ({@code cpu.max},
 * {@code cpu.weight}, {@code cpu.stat} in µs, PSI files) or {@link CgroupV1} ({@code cpu.cfs_quota_us},
 * {@code cpu.cfs_period_us}, {@code cpu.shares}, {@code cpuacct.usage} in ns). Values come out in v2 terms.
 */
public sealed interface CgroupCpu permits CgroupV2, CgroupV1 {

    /** Usage and throttling in µs; the throttling fields are -1 when the cgroup has no cpu controller. */
    record CpuStat(long usageUsec, long userUsec, long systemUsec, long periods, long throttledPeriods, long throttledUsec) {
        public boolean hasThrottling() {
            return periods >= 0;
        }
    }

    /** CPU bandwidth: {@code quotaUsec} per {@code periodUsec}; quota -1 means unlimited ({@code max}). */
    record CpuMax(long quotaUsec, long periodUsec) {
        @Override
        public String toString() {
            return (quotaUsec < 0 ? "max" : Long.toString(quotaUsec)) + " " + periodUsec;
        }
    }

    /** One file write that is part of a setting, in the order it must happen. */
    record Step(Knob knob, String value) {
    }

    /** {@code v1} or {@code v2}. */
    String version();

    /** The directory (v2) or the cpu controller's directory (v1). */
    Path dir();

    /** Reads usage and throttling. */
    CpuStat stat() throws IOException;

    /** The current bandwidth limit. */
    CpuMax cpuMax() throws IOException;

    /** The current weight on the v2 scale 1..10000 (v1 shares converted). */
    int weight() throws IOException;

    /** The writes that set the bandwidth limit ({@code quotaUsec < 0}: unlimited), in order. */
    List<Step> cpuMaxSteps(long quotaUsec, long periodUsec);

    /** The write that sets the weight (v2 scale; v1 converts to shares). */
    Step weightStep(int weight);

    /** A PSI file of this cgroup ({@code cpu}, {@code memory}, {@code io}); v1 has none. */
    Optional<Path> pressureFile(String resource);

    /** The processes in the cgroup ({@code cgroup.procs}). */
    List<Long> procs() throws IOException;

    /** Moves a process into the cgroup (in v1, into the cpu and cpuacct hierarchies both). */
    void addProcess(long pid) throws IOException;

    /** Parses a flat-keyed file ({@code cpu.stat}): "key value" per line, unknown keys kept. */
    static java.util.Map<String, Long> parseFlatKeyed(String text) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int sp = l.indexOf(' ');
            if (sp > 0) {
                try {
                    out.put(l.substring(0, sp), Long.parseLong(l.substring(sp + 1).strip()));
                } catch (NumberFormatException ignored) {
                    // a key with a non-numeric value is not a counter; skip it
                }
            }
        }
        return out;
    }

    /** Parses {@code cgroup.procs}: one pid per line, duplicates possible (kept once). */
    static List<Long> parseProcs(String text) {
        return text.lines().map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).distinct().toList();
    }
}
