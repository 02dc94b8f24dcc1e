package dev.cohort.platform.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.cohort.platform.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls perf counting needs, through the FFM API and {@link Libc}: {@code syscall(SYS_perf_event_open, ...)}
 * (glibc has no wrapper), {@code ioctl}, {@code read} and {@code close}, each capturing {@code errno}.
 * Only this class (and {@link Libc}) touches FFM types for perf.
 *
 * <pre>
 * struct perf_event_attr {          offset size   (little-endian, LP64; 128 bytes at VER7, we pass size 64)
 *     __u32 type;                        0    4   PERF_TYPE_HARDWARE 0, SOFTWARE 1, HW_CACHE 3, RAW 4
 *     __u32 size;                        4    4
 *     __u64 config;                      8    8
 *     __u64 sample_period;              16    8   0 = counting
 *     __u64 sample_type;                24    8
 *     __u64 read_format;                32    8   TOTAL_TIME_ENABLED 1 | TOTAL_TIME_RUNNING 2 | ID 4 | GROUP 8
 *     __u64 flags;                      40    8   bit 0 disabled, 5 exclude_kernel, 6 exclude_hv
 *     __u32 wakeup_events;              48    4
 *     __u32 bp_type;                    52    4
 *     __u64 config1;                    56    8
 *     __u64 config2;                    64    8   ... up to sig_data at 120
 * };
 * group read (PERF_FORMAT_GROUP|TOTAL_TIME_ENABLED|TOTAL_TIME_RUNNING):
 *     { u64 nr; u64 time_enabled; u64 time_running; u64 value[nr]; }
 * </pre>
 */
final class PerfEventNative {
    /** {@code __NR_perf_event_open}: 298 on x86_64, 241 on aarch64. */
    static final long NR_PERF_EVENT_OPEN = System.getProperty("os.arch").equals("aarch64") ? 241 : 298;
    static final long IOC_ENABLE = 0x2400, IOC_DISABLE = 0x2401, IOC_RESET = 0x2403, IOC_FLAG_GROUP = 1;
    static final long FORMAT_TOTAL_TIME_ENABLED = 1, FORMAT_TOTAL_TIME_RUNNING = 2, FORMAT_GROUP = 8;
    static final long FLAG_DISABLED = 1, FLAG_EXCLUDE_KERNEL = 1 << 5, FLAG_EXCLUDE_HV = 1 << 6;
    static final long PERF_FLAG_FD_CLOEXEC = 8, PERF_FLAG_PID_CGROUP = 4;
    /** {@code O_RDONLY | O_DIRECTORY | O_CLOEXEC}; O_DIRECTORY's value differs between x86_64 and aarch64. */
    static final int O_DIRECTORY_CLOEXEC = (System.getProperty("os.arch").equals("aarch64") ? 040000 : 0200000) | 02000000;
    static final int ATTR_BYTES = 128;
    static final int ATTR_SIZE = 64;

    static final StructLayout ATTR = MemoryLayout.structLayout(
            JAVA_INT.withName("type"), JAVA_INT.withName("size"), JAVA_LONG.withName("config"),
            JAVA_LONG.withName("sample_period"), JAVA_LONG.withName("sample_type"), JAVA_LONG.withName("read_format"),
            JAVA_LONG.withName("flags"), JAVA_INT.withName("wakeup_events"), JAVA_INT.withName("bp_type"),
            JAVA_LONG.withName("config1"), JAVA_LONG.withName("config2"), MemoryLayout.paddingLayout(ATTR_BYTES - 72));

    private static final MethodHandle SYSCALL;
    private static final MethodHandle IOCTL;
    private static final MethodHandle READ;
    private static final MethodHandle OPEN;
    private static final Throwable LINK_ERROR;

    static {
        MethodHandle sc = null, io = null, rd = null, op = null;
        Throwable linkError = null;
        try {
            sc = Libc.downcall("syscall",
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                    Linker.Option.firstVariadicArg(1));
            io = Libc.downcall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
            rd = Libc.downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
            op = Libc.downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
        } catch (Throwable t) {
            linkError = t;
        }
        SYSCALL = sc;
        IOCTL = io;
        READ = rd;
        OPEN = op;
        LINK_ERROR = linkError;
    }

    private PerfEventNative() {
    }

    /** Why native calls are unavailable (no libc, native access denied), or null when they work. */
    static String unavailableReason() {
        if (Libc.unavailableReason() != null) {
            return Libc.unavailableReason();
        }
        return LINK_ERROR == null ? null : "cannot bind libc through FFM: " + LINK_ERROR;
    }

    /** The result of a call: a non-negative value, or -1 with the errno. */
    record Result(long value, Errno errno) {
        boolean ok() {
            return value >= 0;
        }
    }

    /** perf_event_open(attr, pid, cpu, groupFd, PERF_FLAG_FD_CLOEXEC) for a counting event. */
    static Result open(int type, long config, long flags, long readFormat, int pid, int cpu, int groupFd) {
        return open(type, config, flags, readFormat, pid, cpu, groupFd, PERF_FLAG_FD_CLOEXEC);
    }

    /**
     * perf_event_open in cgroup mode: counts only the tasks of the cgroup (and its descendants) whose directory
     * {@code cgroupFd} is open, while they run on {@code cpu} (PERF_FLAG_PID_CGROUP: pid is that directory's fd).
     */
    static Result openCgroup(int type, long config, long readFormat, int cgroupFd, int cpu) {
        return open(type, config, 0, readFormat, cgroupFd, cpu, -1, PERF_FLAG_FD_CLOEXEC | PERF_FLAG_PID_CGROUP);
    }

    /** open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC): a cgroup directory's fd for {@link #openCgroup}. */
    static Result openDirectory(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(Libc.captureLayout());
            int fd = (int) OPEN.invokeExact(cs, a.allocateFrom(path), O_DIRECTORY_CLOEXEC);
            return fd < 0 ? new Result(-1, Errno.of(Libc.errno(cs))) : new Result(fd, null);
        } catch (Throwable t) {
            throw new IllegalStateException("open call failed: " + t, t);
        }
    }

    private static Result open(int type, long config, long flags, long readFormat, int pid, int cpu, int groupFd,
                               long syscallFlags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(ATTR);
            attr.set(JAVA_INT, 0, type);
            attr.set(JAVA_INT, 4, ATTR_SIZE);
            attr.set(JAVA_LONG, 8, config);
            attr.set(JAVA_LONG, 32, readFormat);
            attr.set(JAVA_LONG, 40, flags);
            MemorySegment cs = a.allocate(Libc.captureLayout());
            long fd = (long) SYSCALL.invokeExact(cs, NR_PERF_EVENT_OPEN, attr.address(), (long) pid, (long) cpu,
                    (long) groupFd, syscallFlags);
            return fd < 0 ? new Result(-1, Errno.of(Libc.errno(cs))) : new Result(fd, null);
        } catch (Throwable t) {
            throw new IllegalStateException("perf_event_open call failed: " + t, t);
        }
    }

    /** ioctl(fd, request, arg). */
    static Result ioctl(int fd, long request, long arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cs = a.allocate(Libc.captureLayout());
            int r = (int) IOCTL.invokeExact(cs, fd, request, arg);
            return r < 0 ? new Result(-1, Errno.of(Libc.errno(cs))) : new Result(r, null);
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl call failed: " + t, t);
        }
    }

    /** read(fd, buf, buf.byteSize()); {@code capture} is a segment of {@link #captureLayout()}. */
    static Result read(int fd, MemorySegment buf, MemorySegment capture) {
        try {
            long n = (long) READ.invokeExact(capture, fd, buf, buf.byteSize());
            return n < 0 ? new Result(-1, Errno.of(Libc.errno(capture))) : new Result(n, null);
        } catch (Throwable t) {
            throw new IllegalStateException("read call failed: " + t, t);
        }
    }

    /** The errno capture layout, for allocating a reusable capture segment. */
    static StructLayout captureLayout() {
        return Libc.captureLayout();
    }

    /** close(fd); errors ignored (nothing useful to do on a failed close of a perf fd). */
    static void close(int fd) {
        Libc.close(fd);
    }
}
