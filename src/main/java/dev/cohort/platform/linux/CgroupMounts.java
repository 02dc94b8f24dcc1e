package dev.cohort.platform.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which cgroup hierarchies are mounted where, from {@code /proc/self/mountinfo}, and which cgroup a process
 * is in, from {@code /proc/self/cgroup}.
 *
 * <pre>
 * mountinfo:  ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [optional fields...] - FSTYPE SOURCE SUPEROPTS
 *   31 23 0:28 / /sys/fs/cgroup rw,relatime shared:9 - tmpfs tmpfs rw,mode=755
 *   32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw shared:10 master:1 - cgroup cgroup rw,cpu,cpuacct
 *   41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw
 *   (optional fields end at a lone "-"; paths escape space, tab, newline, backslash as \040 \011 \012 \134)
 * /proc/self/cgroup:  "0::/system.slice/x.service" (v2) and "4:cpu,cpuacct:/system.slice/x.service" (v1)
 * </pre>
 *
 * v2 (unified): a {@code cgroup2} mount and no {@code cgroup} mounts. v1 (legacy): {@code cgroup} mounts only.
 * Hybrid: both, the {@code cgroup2} one normally at {@code /sys/fs/cgroup/unified} and without controllers.
 */
public final class CgroupMounts {
    /** The cgroup layout of a host. */
    public enum Layout { V2, V1, HYBRID, NONE }

    /**
     * One mountinfo line.
     *
     * @param root         the root of the mount within its filesystem (field 4)
     * @param mountPoint   where it is mounted, unescaped
     * @param superOptions the per-superblock options (for v1 cgroup mounts: the controllers)
     */
    public record Mount(String root, String mountPoint, String fsType, String source, List<String> superOptions) {
    }

    /** One line of {@code /proc/PID/cgroup}: hierarchy id 0 is v2; controllers empty for v2. */
    public record Membership(int hierarchy, List<String> controllers, String path) {
    }

    private final List<Mount> mounts;

    private CgroupMounts(List<Mount> mounts) {
        this.mounts = List.copyOf(mounts);
    }

    /** Reads {@code root/proc/self/mountinfo}. Mount points are as the kernel prints them (absolute on the host). */
    public static CgroupMounts read(Path root, KernelFiles files) throws IOException {
        return new CgroupMounts(parseMountinfo(files.read(root.resolve("proc/self/mountinfo"))));
    }

    /** From already parsed lines (tests, captured trees). */
    public static CgroupMounts of(List<Mount> mounts) {
        return new CgroupMounts(mounts);
    }

    /** Every mount. */
    public List<Mount> mounts() {
        return mounts;
    }

    /** The layout these mounts make. */
    public Layout layout() {
        boolean v1 = mounts.stream().anyMatch(m -> m.fsType().equals("cgroup"));
        boolean v2 = mounts.stream().anyMatch(m -> m.fsType().equals("cgroup2"));
        return v1 && v2 ? Layout.HYBRID : v1 ? Layout.V1 : v2 ? Layout.V2 : Layout.NONE;
    }

    /** The cgroup2 mount point, if any. */
    public Optional<String> v2MountPoint() {
        return mounts.stream().filter(m -> m.fsType().equals("cgroup2")).map(Mount::mountPoint).findFirst();
    }

    /** The v1 mount point of a controller ({@code cpu}, {@code cpuacct}, {@code cpuset}, ...), if any. */
    public Optional<String> v1MountPoint(String controller) {
        return mounts.stream().filter(m -> m.fsType().equals("cgroup") && m.superOptions().contains(controller))
                .map(Mount::mountPoint).findFirst();
    }

    /** The mount point of the first mount of this filesystem type (e.g. {@code resctrl}). */
    public Optional<String> mountPointOf(String fsType) {
        return mounts.stream().filter(m -> m.fsType().equals(fsType)).map(Mount::mountPoint).findFirst();
    }

    /**
     * Parses mountinfo (format in the class comment). Package-private for testing.
     *
     * @throws IOException naming the line when it has no " - " separator
     */
    static List<Mount> parseMountinfo(String text) throws IOException {
        List<Mount> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sep = line.indexOf(" - ");
            if (sep < 0) {
                throw new IOException("mountinfo: no ' - ' separator in line '" + line + "'");
            }
            String[] pre = line.substring(0, sep).split(" ");
            String[] post = line.substring(sep + 3).split(" ");
            if (pre.length < 6 || post.length < 2) {
                throw new IOException("mountinfo: too few fields in line '" + line + "'");
            }
            List<String> superOpts = post.length > 2 ? List.of(post[2].split(",")) : List.of();
            out.add(new Mount(unescape(pre[3]), unescape(pre[4]), post[0], unescape(post[1]), superOpts));
        }
        return out;
    }

    /** Undoes mountinfo's octal escapes ({@code \040} is a space). Package-private for testing. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Parses {@code /proc/PID/cgroup} (v2 {@code 0::/path}, v1 {@code N:ctrl,ctrl:/path}, hybrid both).
     * Package-private for testing.
     */
    static List<Membership> parseProcCgroup(String text) throws IOException {
        List<Membership> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int a = line.indexOf(':');
            int b = a < 0 ? -1 : line.indexOf(':', a + 1);
            if (b < 0) {
                throw new IOException("/proc/self/cgroup: malformed line '" + line + "'");
            }
            String ctrl = line.substring(a + 1, b);
            out.add(new Membership(Integer.parseInt(line.substring(0, a)),
                    ctrl.isEmpty() ? List.of() : List.of(ctrl.split(",")), line.substring(b + 1)));
        }
        return out;
    }

    /** The cgroups this process is in. */
    public static List<Membership> self(Path root, KernelFiles files) throws IOException {
        return parseProcCgroup(files.read(root.resolve("proc/self/cgroup")));
    }
}
