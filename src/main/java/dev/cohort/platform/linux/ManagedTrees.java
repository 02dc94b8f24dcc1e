package dev.cohort.platform.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kernel trees cohort may write under a host root: cpufreq ({@code sys/devices/system/cpu}), powercap
 * ({@code sys/class/powercap}, {@code sys/devices/virtual/powercap}), the cgroup hierarchies and resctrl (at
 * {@code sys/fs/cgroup} and {@code sys/fs/resctrl}, and wherever {@code proc/self/mountinfo} mounts them). A knob id
 * outside them is refused, whoever asks: a state file is data, not authority.
 */
public final class ManagedTrees {
    private static final Pattern FRAGMENT = Pattern.compile("group|[A-Z][A-Z0-9]*:\\d{1,6}");
    private static final Set<String> RESCTRL_RESERVED = Set.of("info", "mon_groups", "mon_data");
    private final List<Path> roots;
    private final List<Path> resctrlRoots;

    private ManagedTrees(List<Path> roots, List<Path> resctrlRoots) {
        this.roots = List.copyOf(roots);
        this.resctrlRoots = List.copyOf(resctrlRoots);
    }

    /** The managed trees under {@code root}; a missing or unreadable mountinfo leaves the default places only. */
    public static ManagedTrees under(Path root, KernelFiles files) {
        Path r = root.toAbsolutePath().normalize();
        List<Path> roots = new ArrayList<>(List.of(r.resolve("sys/devices/system/cpu"), r.resolve("sys/class/powercap"),
                r.resolve("sys/devices/virtual/powercap"), r.resolve("sys/fs/cgroup")));
        List<Path> resctrl = new ArrayList<>(List.of(r.resolve("sys/fs/resctrl")));
        try {
            for (CgroupMounts.Mount m : CgroupMounts.read(root, files).mounts()) {
                boolean cg = m.fsType().equals("cgroup") || m.fsType().equals("cgroup2");
                if (!cg && !m.fsType().equals("resctrl")) {
                    continue;
                }
                Path p = r.resolve(m.mountPoint().replaceFirst("^/+", "")).normalize();
                if (!p.startsWith(r) || p.equals(r)) {
                    continue; // a mount point that climbs out of the root, or is the root itself, manages nothing
                }
                (cg ? roots : resctrl).add(p);
            }
        } catch (IOException | RuntimeException e) {
            // without mountinfo the default places stand
        }
        roots.addAll(resctrl);
        return new ManagedTrees(roots, resctrl);
    }

    /** The trees, for messages. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * Why cohort must not write the knob {@code id} ({@link LinuxKnobIo}'s form: an absolute path, optionally with
     * {@code #group} or {@code #RES:domain}), or null when it may.
     */
    public String refuse(String id) {
        if (id == null || id.isBlank()) {
            return "is empty";
        }
        int hash = id.indexOf('#');
        String file = hash < 0 ? id : id.substring(0, hash);
        String frag = hash < 0 ? null : id.substring(hash + 1);
        if (frag != null && !FRAGMENT.matcher(frag).matches()) {
            return "has the fragment '#" + frag + "', which names no resctrl knob (#group, or #MB:N for a schemata domain)";
        }
        Path p;
        try {
            p = Path.of(file);
        } catch (InvalidPathException e) {
            return "is not a path (" + e.getReason() + ")";
        }
        if (!p.isAbsolute() || !p.normalize().toString().equals(p.toString()) || file.endsWith("/")) {
            return "is not an absolute, normalized path (no '.' or '..' parts)";
        }
        Path tree = roots.stream().filter(r -> p.startsWith(r) && !p.equals(r)).findFirst().orElse(null);
        if (tree == null) {
            return "is outside the kernel trees cohort manages (" + String.join(", ", roots.stream().map(Path::toString).toList()) + ")";
        }
        if (frag != null) {
            boolean resctrl = resctrlRoots.contains(frag.equals("group") ? p.getParent() : p.getParent().getParent());
            if (!resctrl) {
                return "has a resctrl fragment but is not a group of a resctrl mount (" + resctrlRoots + ")";
            }
            String group = frag.equals("group") ? p.getFileName().toString() : p.getParent().getFileName().toString();
            if (RESCTRL_RESERVED.contains(group) || (!frag.equals("group") && !p.getFileName().toString().equals("schemata"))) {
                return "names no resctrl group's schemata or existence";
            }
        }
        return escapes(p, tree);
    }

    /** A path whose real location (symbolic links followed) leaves its tree is refused too. */
    private static String escapes(Path p, Path tree) {
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.startsWith(tree)) {
            return null;
        }
        try {
            Path real = existing.toRealPath();
            Path realTree = tree.toRealPath();
            // cpufreq policies and cgroups are reached through links inside /sys; a link out of /sys is not
            Path sys = realTree;
            while (sys.getParent() != null && sys.getParent().getParent() != null && !sys.getFileName().toString().equals("sys")) {
                sys = sys.getParent();
            }
            return real.startsWith(sys) ? null : "leads through a symbolic link to " + real + ", outside " + sys;
        } catch (IOException e) {
            return null;
        }
    }
}
