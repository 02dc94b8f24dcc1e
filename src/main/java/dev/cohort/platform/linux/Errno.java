package dev.cohort.platform.linux;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The errnos the kernel interfaces return, with glibc's strerror text (which is all the JDK keeps of a
 * failed system call) and the one place that turns a failure into a message a person can act on:
 * {@code "write '20000' to /sys/fs/cgroup/batch/cpu.weight: ERANGE (Numerical result out of range):
 * cpu.weight takes 1..10000"}. Numbers are the same on x86_64 and aarch64 (asm-generic).
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    EIO(5, "Input/output error"),
    ENXIO(6, "No such device or address"),
    E2BIG(7, "Argument list too long"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    ENOTDIR(20, "Not a directory"),
    EINVAL(22, "Invalid argument"),
    EMFILE(24, "Too many open files"),
    ENOTTY(25, "Inappropriate ioctl for device"),
    ENOSPC(28, "No space left on device"),
    EROFS(30, "Read-only file system"),
    ERANGE(34, "Numerical result out of range"),
    ENOSYS(38, "Function not implemented"),
    ENOTEMPTY(39, "Directory not empty"),
    ENODATA(61, "No data available"),
    EPROTO(71, "Protocol error"),
    EOVERFLOW(75, "Value too large for defined data type"),
    EOPNOTSUPP(95, "Operation not supported"),
    UNKNOWN(-1, "unknown error");

    private final int number;
    private final String text;

    Errno(int number, String text) {
        this.number = number;
        this.text = text;
    }

    /** The errno number, -1 for {@link #UNKNOWN}. */
    public int number() {
        return number;
    }

    /** glibc's strerror text. */
    public String text() {
        return text;
    }

    /** The errno with this number, or {@link #UNKNOWN}. */
    public static Errno of(int number) {
        for (Errno e : values()) {
            if (e.number == number) {
                return e;
            }
        }
        return UNKNOWN;
    }

    /** The errno behind a JDK exception: its type for open failures, else the strerror text in its message. */
    public static Errno of(IOException e) {
        if (e instanceof KernelIoException k) {
            return k.errno();
        }
        String msg = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : String.valueOf(e.getMessage());
        for (Errno x : values()) {
            if (x != UNKNOWN && msg.contains(x.text)) {
                return x;
            }
        }
        if (e instanceof NoSuchFileException) {
            return ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return EACCES;
        }
        if (e instanceof FileAlreadyExistsException) {
            return EEXIST;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return ENOTEMPTY;
        }
        return UNKNOWN;
    }

    /**
     * A {@link KernelIoException} for a failed {@code verb} ("read", "write", "mkdir", ...) of {@code path},
     * naming the value written (null for none), the errno and, where known, what it means for that file.
     */
    public static KernelIoException explain(String verb, Path path, String value, IOException e) {
        if (e instanceof KernelIoException k) {
            return k;
        }
        Errno errno = of(e);
        String what = value == null ? verb + " " + path : verb + " '" + value.strip() + "' to " + path;
        String said = errno == UNKNOWN ? String.valueOf(e.getMessage()) : errno.name() + " (" + errno.text + ")";
        String hint = hint(path.getFileName() == null ? "" : path.getFileName().toString(), verb, errno);
        return new KernelIoException(errno, what + ": " + said + (hint.isEmpty() ? "" : ": " + hint), e);
    }

    /** What an errno means for one kernel file (by name), or a generic reading of the errno; may be empty. */
    static String hint(String file, String verb, Errno e) {
        boolean write = verb.equals("write");
        String specific = switch (file) {
            case "cpu.weight" -> e == ERANGE ? "cpu.weight takes 1..10000" : "";
            case "cpu.weight.nice" -> e == ERANGE ? "cpu.weight.nice takes -20..19" : "";
            case "cpu.max" -> e == EINVAL ? "the quota must be at least 1000 µs (or 'max'), the period 1000..1000000 µs,"
                    + " and the quota not below cpu.max.burst" : "";
            case "cpu.max.burst" -> e == EINVAL ? "the burst must not exceed the quota in cpu.max" : "";
            case "cpu.cfs_period_us" -> e == EINVAL ? "the period must be 1000..1000000 µs" : "";
            case "cpu.cfs_quota_us" -> e == EINVAL ? "the quota must be -1 (unlimited) or at least 1000 µs, and in cgroup v1"
                    + " not above the parent's quota" : "";
            case "cgroup.subtree_control" -> switch (e) {
                case EBUSY -> "no-internal-process rule: this cgroup has processes (move them into a leaf child first),"
                        + " or a child still uses the controller";
                case ENOENT -> "the controller is not in this cgroup's cgroup.controllers; enable it in the parent first";
                default -> "";
            };
            case "cgroup.procs", "tasks" -> switch (e) {
                case EBUSY -> "the cgroup has controllers enabled in cgroup.subtree_control; processes may only live in leaf cgroups";
                case ESRCH -> "no such process (it has exited)";
                default -> "";
            };
            case "scaling_max_freq", "scaling_min_freq", "scaling_governor", "scaling_setspeed", "scaling_cur_freq",
                 "related_cpus", "affected_cpus", "cpuinfo_min_freq", "cpuinfo_max_freq" ->
                    e == EBUSY ? "the cpufreq policy is inactive: all its CPUs are offline" : "";
            case "energy_performance_preference" -> switch (e) {
                case EBUSY -> "the governor is 'performance', which pins EPP to performance; switch the governor to powersave first";
                case EINVAL -> "not a preference this driver accepts (see energy_performance_available_preferences)";
                case EAGAIN -> "the cpufreq driver is not registered";
                default -> "";
            };
            case "schemata" -> e == EINVAL ? "the schemata line was refused (see info/last_cmd_status)" : "";
            case "energy_uj" -> e == EACCES ? "energy_uj is root-only since Linux 5.10 (PLATYPUS); run as root or with"
                    + " CAP_DAC_READ_SEARCH" : "";
            case "msr" -> switch (e) {
                case EPERM -> "opening the MSR device needs CAP_SYS_RAWIO";
                case EIO -> "this CPU (or hypervisor) does not implement the MSR";
                case ENXIO -> "the CPU is offline";
                default -> "";
            };
            default -> file.startsWith("constraint_") && e == ENODATA ? "the power limit is locked (BIOS) or unsupported" : "";
        };
        if (!specific.isEmpty()) {
            return specific;
        }
        return switch (e) {
            case ENOENT -> "the file does not exist on this kernel or hardware";
            case EACCES, EPERM -> write ? "writing it needs root (or CAP_DAC_OVERRIDE) and a writable /sys (no systemd"
                    + " ProtectKernelTunables/ProtectControlGroups)" : "reading it needs root (or CAP_DAC_READ_SEARCH)";
            case EROFS -> "the filesystem is mounted read-only here (container or systemd sandbox)";
            case EAGAIN -> "the driver is not ready (unregistered or switching mode); try again";
            default -> "";
        };
    }
}
