package dev.cohort.platform.linux;

import dev.cohort.platform.CpuSet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-CPU counter groups through {@code perf_event_open} ({@code pid = -1, cpu = N}: every task on CPU N).
 * Each event is probed on its own first, so one the PMU lacks (ENOENT: not on this PMU, e.g. any hardware
 * event in a VM without a vPMU) or one the caller may not open (EACCES: per-CPU counting needs CAP_PERFMON
 * or {@code perf_event_paranoid} at most 0) is left out with its reason, and the others still count.
 * The events that open form one group per CPU, read in one {@code read()} and scaled by
 * {@code time_enabled / time_running} (multiplexing). Not thread-safe.
 */
public final class PerfCounters implements AutoCloseable {
    static final int TYPE_HARDWARE = 0, TYPE_SOFTWARE = 1, TYPE_HW_CACHE = 3, TYPE_RAW = 4;

    /** One countable event. */
    public record Event(String name, int type, long config, String meaning) {
    }

    /** Unhalted core cycles. */
    public static final Event CYCLES = new Event("cycles", TYPE_HARDWARE, 0, "unhalted core cycles");
    /** Instructions retired. */
    public static final Event INSTRUCTIONS = new Event("instructions", TYPE_HARDWARE, 1, "instructions retired");
    /** LL cache read misses ({@code LL | READ << 8 | MISS << 16}); ENOENT on AMD Zen. */
    public static final Event LLC_MISSES = new Event("LLC-load-misses", TYPE_HW_CACHE, 0x10002, "last-level cache read misses");
    /** Intel {@code CYCLE_ACTIVITY.STALLS_L3_MISS} (event 0xA3, umask 0x06, cmask 6). */
    public static final Event STALLS_L3_MISS = new Event("cycle_activity.stalls_l3_miss", TYPE_RAW, 0x060006A3L,
            "cycles stalled with an L3 miss outstanding (Intel)");
    /** Generic backend stalls; on arm64 STALL_BACKEND. Not a memory-stall count on AMD Zen. */
    public static final Event STALLED_BACKEND = new Event("stalled-cycles-backend", TYPE_HARDWARE, 8, "backend stall cycles");
    /** Software: CPU clock, ns. */
    public static final Event CPU_CLOCK = new Event("cpu-clock", TYPE_SOFTWARE, 0, "CPU clock, ns");
    /** Software: page faults. */
    public static final Event PAGE_FAULTS = new Event("page-faults", TYPE_SOFTWARE, 2, "page faults");
    /** Software: context switches. */
    public static final Event CONTEXT_SWITCHES = new Event("context-switches", TYPE_SOFTWARE, 3, "context switches");

    /** Whether an event counts here and, if not, why. */
    public record Status(Event event, boolean available, Errno errno, String reason) {
    }

    private final List<Event> events;
    private final List<Status> statuses;
    private final int cpuCount;
    private final int[][] fds; // [cpu][slot] fd or -1; slot = index into the available events
    private final int[][] order; // [cpu][position in group] = slot
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buf;
    private final MemorySegment capture;

    private PerfCounters(List<Event> events, List<Status> statuses, int cpuCount) {
        this.events = events;
        this.statuses = statuses;
        this.cpuCount = cpuCount;
        this.fds = new int[cpuCount][];
        this.order = new int[cpuCount][];
        this.buf = arena.allocate(8L * (3 + Math.max(1, events.size())), 8);
        this.capture = arena.allocate(PerfEventNative.captureLayout());
    }

    /**
     * Opens the events on every CPU of {@code cpus} (size the output by {@code cpuCount}). Never throws for an
     * event the host lacks: see {@link #statuses()}.
     */
    public static PerfCounters open(List<Event> wanted, CpuSet cpus, int cpuCount) {
        List<Status> statuses = new ArrayList<>();
        List<Event> ok = new ArrayList<>();
        String native_ = PerfEventNative.unavailableReason();
        int probeCpu = cpus.isEmpty() ? 0 : cpus.get(0);
        for (Event e : wanted) {
            if (native_ != null) {
                statuses.add(new Status(e, false, Errno.UNKNOWN, native_));
                continue;
            }
            PerfEventNative.Result r = PerfEventNative.open(e.type(), e.config(), PerfEventNative.FLAG_DISABLED, 0, -1, probeCpu, -1);
            if (r.ok()) {
                PerfEventNative.close((int) r.value());
                statuses.add(new Status(e, true, null, ""));
                ok.add(e);
            } else {
                statuses.add(new Status(e, false, r.errno(), reason(e, r.errno())));
            }
        }
        PerfCounters pc = new PerfCounters(List.copyOf(ok), List.copyOf(statuses), cpuCount);
        long fmt = PerfEventNative.FORMAT_GROUP | PerfEventNative.FORMAT_TOTAL_TIME_ENABLED | PerfEventNative.FORMAT_TOTAL_TIME_RUNNING;
        for (int cpu : cpus.toArray()) {
            if (cpu >= cpuCount || ok.isEmpty()) {
                continue;
            }
            int[] f = new int[ok.size()];
            Arrays.fill(f, -1);
            int[] ord = new int[ok.size()];
            int n = 0;
            int leader = -1;
            for (int s = 0; s < ok.size(); s++) {
                Event e = ok.get(s);
                long flags = leader < 0 ? PerfEventNative.FLAG_DISABLED : 0;
                PerfEventNative.Result r = PerfEventNative.open(e.type(), e.config(), flags, fmt, -1, cpu, leader);
                if (r.ok()) {
                    f[s] = (int) r.value();
                    ord[n++] = s;
                    if (leader < 0) {
                        leader = f[s];
                    }
                }
            }
            pc.fds[cpu] = f;
            pc.order[cpu] = Arrays.copyOf(ord, n);
            if (leader >= 0) {
                PerfEventNative.ioctl(leader, PerfEventNative.IOC_ENABLE, PerfEventNative.IOC_FLAG_GROUP);
            }
        }
        return pc;
    }

    static String reason(Event e, Errno errno) {
        return switch (errno) {
            case ENOENT -> e.name() + ": ENOENT, not on this PMU (a VM without a virtual PMU has no hardware events)";
            case EACCES -> e.name() + ": EACCES, per-CPU counting needs CAP_PERFMON (or CAP_SYS_ADMIN) or"
                    + " kernel.perf_event_paranoid <= 0";
            case EPERM -> e.name() + ": EPERM, blocked (seccomp or a security module)";
            case EOPNOTSUPP -> e.name() + ": EOPNOTSUPP, the PMU lacks a feature this event needs";
            case EINVAL -> e.name() + ": EINVAL, the PMU does not accept this event encoding";
            case ENODEV -> e.name() + ": ENODEV, the CPU is offline";
            case ENOSYS -> e.name() + ": ENOSYS, the kernel has no perf events";
            default -> e.name() + ": " + errno.name() + " (" + errno.text() + ")";
        };
    }

    /** Every requested event with its availability, in request order. */
    public List<Status> statuses() {
        return statuses;
    }

    /** The events that count, in the order {@link #read} fills them. */
    public List<Event> events() {
        return events;
    }

    /** True when the event counts. */
    public boolean has(Event e) {
        return events.contains(e);
    }

    /**
     * Reads every group: {@code out[slot][cpu]} = the cumulative count of event {@code slot} (see {@link #events()})
     * on that CPU, scaled by time enabled over time running; 0 where it never ran or has no fd.
     */
    public void read(long[][] out) {
        for (int cpu = 0; cpu < cpuCount; cpu++) {
            int[] f = fds[cpu];
            if (f == null || order[cpu].length == 0) {
                continue;
            }
            int leader = f[order[cpu][0]];
            PerfEventNative.Result r = PerfEventNative.read(leader, buf, capture);
            if (!r.ok() || r.value() < 24) {
                continue; // 0 bytes: a pinned group in error state; leave the last values
            }
            long nr = buf.get(ValueLayout.JAVA_LONG, 0);
            long enabled = buf.get(ValueLayout.JAVA_LONG, 8);
            long running = buf.get(ValueLayout.JAVA_LONG, 16);
            for (int i = 0; i < nr && i < order[cpu].length; i++) {
                long v = buf.get(ValueLayout.JAVA_LONG, 24 + 8L * i);
                out[order[cpu][i]][cpu] = scale(v, enabled, running);
            }
        }
    }

    /** {@code value x enabled / running}; 0 when it never ran. Package-private for testing. */
    static long scale(long value, long enabled, long running) {
        if (running <= 0) {
            return 0;
        }
        if (running >= enabled) {
            return value;
        }
        return (long) (value * ((double) enabled / running));
    }

    @Override
    public void close() {
        for (int[] f : fds) {
            if (f != null) {
                for (int fd : f) {
                    if (fd >= 0) {
                        PerfEventNative.close(fd);
                    }
                }
            }
        }
        Arrays.fill(fds, null);
        arena.close();
    }
}
