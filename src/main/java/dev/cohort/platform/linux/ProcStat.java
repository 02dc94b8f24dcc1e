package dev.cohort.platform.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Per-CPU busy and idle time from {@code /proc/stat}.
 *
 * <pre>
 * cpu  2255 34 2290 22625563 6290 127 456 0 0 0      &lt;- aggregate, "cpu" then TWO spaces
 * cpu0 1132 34 1441 11311718 3675 127 438 0 0 0
 * cpu2 1123 0 849 11313845 2614 0 18 0 0 0         &lt;- cpu1 offline: no line
 * intr 114930548 ...
 * </pre>
 *
 * Fields: user nice system idle iowait irq softirq steal guest guest_nice, in USER_HZ ticks (100 per second
 * on x86_64 and aarch64, whatever CONFIG_HZ is). {@code guest} is already counted in {@code user} and
 * {@code guest_nice} in {@code nice}, so they are not added again. Busy = user + nice + system + irq +
 * softirq + steal; idle = idle + iowait (iowait is unreliable and may go down, so it counts as idle).
 * Only online CPUs have a line.
 */
public final class ProcStat {
    /** USER_HZ: the unit of /proc/stat ({@code sysconf(_SC_CLK_TCK)}, 100 on every Linux ABI cohort runs on). */
    public static final long USER_HZ = 100;
    /** Nanoseconds per USER_HZ tick. */
    public static final long NANOS_PER_TICK = 1_000_000_000L / USER_HZ;

    private final Path file;
    private final KernelFiles files;

    public ProcStat(Path root) {
        this(root, KernelFiles.real());
    }

    ProcStat(Path root, KernelFiles files) {
        this.file = root.resolve("proc/stat");
        this.files = files;
    }

    /** Busy and idle time per CPU, in ticks, indexed by CPU number; CPUs without a line are not {@code online}. */
    public record CpuTimes(long[] busyTicks, long[] idleTicks, boolean[] online) {
        /** Busy time of {@code cpu} in nanoseconds. */
        public long busyNanos(int cpu) {
            return busyTicks[cpu] * NANOS_PER_TICK;
        }

        /** Idle time of {@code cpu} in nanoseconds. */
        public long idleNanos(int cpu) {
            return idleTicks[cpu] * NANOS_PER_TICK;
        }
    }

    /** Reads the file once; {@code cpuCount} sizes the arrays (CPUs beyond it are ignored). */
    public CpuTimes read(int cpuCount) throws IOException {
        return parse(files.read(file), cpuCount);
    }

    /** The CPUs that have a {@code cpuN} line: the online ones (counts CPUs when sysfs cannot). */
    public dev.cohort.platform.CpuSet cpusListed() throws IOException {
        CpuTimes t = read(KernelText.MAX_CPUS);
        return dev.cohort.platform.CpuSet.of(java.util.stream.IntStream.range(0, t.online().length)
                .filter(c -> t.online()[c]).toArray());
    }

    /**
     * Parses the per-CPU lines of {@code /proc/stat} (format in the class comment). Package-private for testing.
     *
     * @throws IOException naming the line when a cpu line is malformed, or when there is no cpuN line at all
     */
    static CpuTimes parse(String text, int cpuCount) throws IOException {
        long[] busy = new long[cpuCount];
        long[] idle = new long[cpuCount];
        boolean[] online = new boolean[cpuCount];
        int pos = 0;
        int len = text.length();
        long[] f = new long[10];
        int lines = 0;
        while (pos < len) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) {
                eol = len;
            }
            if (text.startsWith("cpu", pos) && pos + 3 < eol && Character.isDigit(text.charAt(pos + 3))) {
                int p = pos + 3;
                int cpu = 0;
                while (p < eol && Character.isDigit(text.charAt(p))) {
                    cpu = cpu * 10 + (text.charAt(p) - '0');
                    if (++p - pos - 3 > 5) {
                        throw new IOException("/proc/stat: no such CPU number in line " + KernelText.shown(text.substring(pos, eol)));
                    }
                }
                Arrays.fill(f, 0);
                int n = 0;
                while (p < eol && n < 10) {
                    while (p < eol && text.charAt(p) == ' ') {
                        p++;
                    }
                    if (p >= eol) {
                        break;
                    }
                    long v = 0;
                    int start = p;
                    while (p < eol && Character.isDigit(text.charAt(p))) {
                        v = v * 10 + (text.charAt(p) - '0');
                        p++;
                    }
                    // at most 11 digits (31 years of one CPU), so the sums in nanoseconds cannot wrap a long
                    if (p == start || p - start > 11 || (p < eol && text.charAt(p) != ' ')) {
                        throw new IOException("/proc/stat: malformed line " + KernelText.shown(text.substring(pos, eol)));
                    }
                    f[n++] = v;
                }
                if (n < 4) {
                    throw new IOException("/proc/stat: line " + KernelText.shown(text.substring(pos, eol)) + " has " + n
                            + " fields, expected at least 4 (user nice system idle ...)");
                }
                lines++;
                if (cpu < cpuCount) {
                    busy[cpu] = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
                    idle[cpu] = f[3] + f[4];
                    online[cpu] = true;
                }
            } else if (pos < len && text.charAt(pos) != 'c') {
                break; // the cpu lines come first; stop at "intr"
            }
            pos = eol + 1;
        }
        if (lines == 0) {
            throw new IOException("/proc/stat: no cpuN line in " + KernelText.shown(text));
        }
        return new CpuTimes(busy, idle, online);
    }
}
