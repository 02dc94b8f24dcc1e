package dev.cohort.platform.linux;

import dev.cohort.platform.CpuSet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One perf event counted per cgroup ({@code perf_event_open} with {@code PERF_FLAG_PID_CGROUP}: pid is the fd of
 * the cgroup's directory in the hierarchy the {@code perf_event} controller is bound to, and the event counts that
 * cgroup's tasks, its descendants' too, while they run on the CPU). Cgroup mode is per CPU, so each cgroup has one
 * event per CPU and its count is their sum, each scaled by {@code time_enabled / time_running} (a cgroup event is
 * only scheduled while the cgroup runs there, and multiplexes with the per-CPU groups of {@link PerfCounters}).
 * All or nothing: if one cgroup or CPU cannot be opened, none counts, and {@link #unavailableReason()} says why, so
 * a reader never mixes instructions for some cgroups with busy cycles for others. Not thread-safe.
 */
public final class CgroupPerfCounters implements AutoCloseable {
    /** A cgroup to count: its name (for messages) and its directory in the perf_event hierarchy (null if none). */
    public record Target(String name, Path dir) {
    }

    /** {@code PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING}: {value, enabled, running}. */
    private static final long FORMAT = PerfEventNative.FORMAT_TOTAL_TIME_ENABLED | PerfEventNative.FORMAT_TOTAL_TIME_RUNNING;

    private final PerfCounters.Event event;
    private final int[][] fds; // [cgroup][i] over the counted CPUs
    private final String reason;
    private final Errno errno;
    private final Arena arena;
    private final MemorySegment buf;
    private final MemorySegment capture;

    private CgroupPerfCounters(PerfCounters.Event event, int[][] fds, String reason, Errno errno) {
        this.event = event;
        this.fds = fds;
        this.reason = reason;
        this.errno = errno;
        this.arena = Arena.ofShared();
        this.buf = arena.allocate(24, 8);
        this.capture = arena.allocate(PerfEventNative.captureLayout());
    }

    /**
     * Opens {@code event} for every cgroup on every CPU of {@code cpus}. Never throws for what the host lacks: then
     * nothing counts and {@link #unavailableReason()} names the first cgroup or CPU that failed and why.
     */
    public static CgroupPerfCounters open(PerfCounters.Event event, List<Target> cgroups, CpuSet cpus) {
        String nativeReason = PerfEventNative.unavailableReason();
        if (nativeReason != null) {
            return failed(event, nativeReason);
        }
        if (cgroups.isEmpty() || cpus.isEmpty()) {
            return failed(event, cgroups.isEmpty() ? "no managed cgroups to count" : "no online CPUs to count on");
        }
        int[] cpuIds = cpus.toArray();
        int[][] fds = new int[cgroups.size()][];
        for (int g = 0; g < cgroups.size(); g++) {
            Target t = cgroups.get(g);
            Failure why = openOne(event, t, cpuIds, fds, g);
            if (why != null) {
                closeAll(fds);
                return new CgroupPerfCounters(event, new int[0][], why.reason(), why.errno());
            }
        }
        return new CgroupPerfCounters(event, fds, "", null);
    }

    private record Failure(String reason, Errno errno) {
    }

    /** Opens one cgroup's events into {@code fds[g]}; why it could not, or null. */
    private static Failure openOne(PerfCounters.Event event, Target t, int[] cpuIds, int[][] fds, int g) {
        if (t.dir() == null) {
            return new Failure(t.name() + ": no hierarchy carries the perf_event controller (neither a cgroup2 mount nor"
                    + " a v1 perf_event mount)", null);
        }
        PerfEventNative.Result dir = PerfEventNative.openDirectory(t.dir().toString());
        if (!dir.ok()) {
            return new Failure(t.name() + ": cannot open " + t.dir() + ": " + dir.errno().name() + " ("
                    + dir.errno().text() + ")", null); // the directory, not the PMU: the reason says which
        }
        int[] f = new int[cpuIds.length];
        Arrays.fill(f, -1);
        fds[g] = f;
        try {
            for (int i = 0; i < cpuIds.length; i++) {
                PerfEventNative.Result r = PerfEventNative.openCgroup(event.type(), event.config(), FORMAT,
                        (int) dir.value(), cpuIds[i]);
                if (!r.ok()) {
                    return new Failure(t.name() + " on CPU " + cpuIds[i] + ": " + reason(event, t, r.errno()), r.errno());
                }
                f[i] = (int) r.value();
            }
            return null;
        } finally {
            PerfEventNative.close((int) dir.value()); // each event holds its own reference to the cgroup
        }
    }

    static String reason(PerfCounters.Event event, Target t, Errno errno) {
        return switch (errno) {
            case EBADF -> event.name() + ": EBADF, " + t.dir() + " is not in the hierarchy the perf_event controller"
                    + " is bound to";
            case EACCES -> event.name() + ": EACCES, counting per cgroup needs CAP_PERFMON (or CAP_SYS_ADMIN) or"
                    + " kernel.perf_event_paranoid <= 0";
            case EMFILE -> event.name() + ": EMFILE, one fd per cgroup and CPU exceeds the open-file limit; raise"
                    + " LimitNOFILE";
            default -> PerfCounters.reason(event, errno);
        };
    }

    private static CgroupPerfCounters failed(PerfCounters.Event event, String reason) {
        return new CgroupPerfCounters(event, new int[0][], reason, null);
    }

    /** The event counted. */
    public PerfCounters.Event event() {
        return event;
    }

    /** True when every cgroup counts on every CPU. */
    public boolean counting() {
        return reason.isEmpty();
    }

    /** Why nothing counts, or "" when {@link #counting()}. */
    public String unavailableReason() {
        return reason;
    }

    /** The errno of perf_event_open when it refused an event (null when counting, or when it was not reached). */
    public Errno failureErrno() {
        return errno;
    }

    /**
     * {@code out[g]} = cgroup g's cumulative count over every CPU, each CPU's scaled by time enabled over time
     * running. A CPU whose read fails this time keeps contributing nothing new (its share of the sum is re-read next
     * time), so a count may stall for a tick but never runs backwards.
     */
    public void read(long[] out) {
        for (int g = 0; g < fds.length && g < out.length; g++) {
            long sum = 0;
            for (int fd : fds[g]) {
                PerfEventNative.Result r = PerfEventNative.read(fd, buf, capture);
                if (r.ok() && r.value() >= 24) {
                    sum += PerfCounters.scale(buf.get(ValueLayout.JAVA_LONG, 0), buf.get(ValueLayout.JAVA_LONG, 8),
                            buf.get(ValueLayout.JAVA_LONG, 16));
                }
            }
            out[g] = Math.max(out[g], sum);
        }
    }

    private static void closeAll(int[][] fds) {
        for (int[] f : fds) {
            if (f != null) {
                for (int fd : f) {
                    if (fd >= 0) {
                        PerfEventNative.close(fd);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closeAll(fds);
        Arrays.fill(fds, new int[0]);
        arena.close();
    }
}
