package dev.cohort.platform.linux;

import dev.cohort.platform.Knob;
import dev.cohort.platform.KnobIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Knobs of a real host for {@link dev.cohort.platform.KnobKeeper}. A knob id is the file's absolute path,
 * optionally with a fragment:
 * <ul>
 *   <li>{@code /sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq}: the whole file, one {@code write()}
 *       per value;</li>
 *   <li>{@code /sys/fs/resctrl/be/schemata#MB:0}: one domain of one resource of a schemata, written as
 *       {@code "MB:0=50\n"} (the kernel requires the newline) and read from the padded listing;</li>
 *   <li>{@code /sys/fs/resctrl/be#group}: whether a resctrl group exists ({@code present}/{@code absent}), so
 *       a group cohort created is removed again on restore, after its schemata were put back.</li>
 * </ul>
 * Failures are {@link KernelIoException}s naming the file, the value, the errno and what it means; resctrl
 * failures add {@code info/last_cmd_status}.
 */
public final class LinuxKnobIo implements KnobIo {
    /** Value of a {@code #group} knob when the group exists. */
    public static final String PRESENT = "present";
    /** Value of a {@code #group} knob when it does not. */
    public static final String ABSENT = "absent";

    private final KernelFiles files;
    private final ManagedTrees trees;
    private final java.util.Set<String> allowed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Knobs under the kernel trees {@code trees} allows; every other id is refused, read or write. */
    public LinuxKnobIo(KernelFiles files, ManagedTrees trees) {
        this.files = files;
        this.trees = trees;
    }

    @Override
    public String refuseId(String id) {
        return trees.refuse(id);
    }

    private void check(Knob knob) throws IOException {
        if (allowed.contains(knob.id())) {
            return; // checked once: the ids are a fixed set, and each check resolves links through /sys
        }
        String why = trees.refuse(knob.id());
        if (why != null) {
            throw new IOException("knob " + knob.id() + " " + why + ": not touched");
        }
        allowed.add(knob.id());
    }

    /** The id of a knob for a whole file. */
    public static String id(Path file) {
        return file.toAbsolutePath().toString();
    }

    /** The id of one domain of a schemata, e.g. {@code .../be/schemata#MB:0}. */
    public static String schemataId(Path schemata, String resource, int domain) {
        return id(schemata) + "#" + resource + ":" + domain;
    }

    /** The id of a resctrl group's existence. */
    public static String groupId(Path groupDir) {
        return id(groupDir) + "#group";
    }

    @Override
    public String read(Knob knob) throws IOException {
        check(knob);
        int hash = knob.id().indexOf('#');
        if (hash < 0) {
            return files.readTrim(Path.of(knob.id()));
        }
        Path path = Path.of(knob.id().substring(0, hash));
        String frag = knob.id().substring(hash + 1);
        if (frag.equals("group")) {
            return Files.isDirectory(path) ? PRESENT : ABSENT;
        }
        int colon = frag.indexOf(':');
        String res = frag.substring(0, colon);
        int domain = Integer.parseInt(frag.substring(colon + 1));
        Map<String, Map<Integer, String>> s = Resctrl.parseSchemata(files.read(path));
        String v = s.getOrDefault(res, Map.of()).get(domain);
        if (v == null) {
            throw new KernelIoException(Errno.ENOENT, "read " + path + ": no " + res + " domain " + domain
                    + " in the schemata (domains: " + s.getOrDefault(res, Map.of()).keySet() + ")");
        }
        return v;
    }

    @Override
    public void write(Knob knob, String value) throws IOException {
        check(knob);
        int hash = knob.id().indexOf('#');
        if (hash < 0) {
            files.write(Path.of(knob.id()), value);
            return;
        }
        Path path = Path.of(knob.id().substring(0, hash));
        String frag = knob.id().substring(hash + 1);
        Resctrl r = new Resctrl(mountOf(path), files);
        if (frag.equals("group")) {
            String name = path.getFileName().toString();
            boolean exists = Files.isDirectory(path);
            if (value.strip().equals(PRESENT) && !exists) {
                r.createGroup(name);
            } else if (value.strip().equals(ABSENT) && exists) {
                r.removeGroup(name);
            }
            return;
        }
        int colon = frag.indexOf(':');
        r.writeSchemata(path, frag.substring(0, colon) + ":" + frag.substring(colon + 1) + "=" + value.strip());
    }

    /**
     * What the kernel may make of a write: cpufreq limits snap to the driver's frequency table (a maximum to the highest
     * entry at or below it, a minimum to the lowest at or above it) and clamp to {@code cpuinfo_min/max_freq}; resctrl
     * MB percentages round up to {@code info/MB/bandwidth_gran} and to at least {@code min_bandwidth}. Anything unreadable
     * or unparseable adds nothing.
     */
    @Override
    public java.util.List<String> mayApply(Knob knob, String value) {
        try {
            long v = Long.parseLong(value.strip());
            int hash = knob.id().indexOf('#');
            if (hash < 0 && (knob.id().endsWith("/scaling_max_freq") || knob.id().endsWith("/scaling_min_freq"))) {
                return cpufreqCandidates(Path.of(knob.id()), v);
            }
            if (hash >= 0 && knob.id().startsWith("MB:", hash + 1)) {
                Path mount = mountOf(Path.of(knob.id().substring(0, hash)));
                long[] step = mbSteps.get(mount);
                if (step == null) {
                    step = new long[]{Long.parseLong(files.readIfPresent(mount.resolve("info/MB/bandwidth_gran")).orElse("1")),
                            Long.parseLong(files.readIfPresent(mount.resolve("info/MB/min_bandwidth")).orElse("0"))};
                    mbSteps.put(mount, step);
                }
                long gran = step[0];
                long min = step[1];
                long rounded = Math.min(100, Math.max(min, gran > 1 ? (v + gran - 1) / gran * gran : v));
                return java.util.List.of(Long.toString(rounded));
            }
        } catch (IOException | RuntimeException e) {
            // nothing more to announce than the value itself
        }
        return java.util.List.of();
    }

    /** A cpufreq policy's hardware range and frequency table (empty without one): fixed while the host runs. */
    private record FreqLimits(long minKhz, long maxKhz, long[] tableKhz) {
    }

    private final java.util.Map<Path, FreqLimits> freqLimits = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Path, long[]> mbSteps = new java.util.concurrent.ConcurrentHashMap<>();

    private FreqLimits freqLimits(Path dir) throws IOException {
        FreqLimits l = freqLimits.get(dir);
        if (l == null) {
            long lo = Long.parseLong(files.readIfPresent(dir.resolve("cpuinfo_min_freq")).orElse("0"));
            long hi = Long.parseLong(files.readIfPresent(dir.resolve("cpuinfo_max_freq")).orElse(Long.toString(Long.MAX_VALUE)));
            String table = files.readIfPresent(dir.resolve("scaling_available_frequencies")).orElse("").strip();
            long[] t = table.isEmpty() ? new long[0] : java.util.Arrays.stream(table.split("\\s+")).mapToLong(Long::parseLong).toArray();
            l = new FreqLimits(lo, hi, t);
            freqLimits.put(dir, l);
        }
        return l;
    }

    private java.util.List<String> cpufreqCandidates(Path file, long khz) throws IOException {
        FreqLimits l = freqLimits(file.getParent());
        long clamped = Math.max(l.minKhz(), Math.min(l.maxKhz(), khz));
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(Long.toString(clamped)));
        boolean max = file.getFileName().toString().equals("scaling_max_freq");
        long best = max ? Long.MIN_VALUE : Long.MAX_VALUE;
        for (long f : l.tableKhz()) {
            if (max ? f <= clamped && f > best : f >= clamped && f < best) {
                best = f;
            }
        }
        if (best != Long.MIN_VALUE && best != Long.MAX_VALUE) {
            out.add(Long.toString(best));
        }
        return out;
    }

    /** Values are equal when they are the same number (decimal, or hex for cache masks), or the same words. */
    @Override
    public boolean sameValue(Knob knob, String a, String b) {
        String x = a.strip().replaceAll("\\s+", " ");
        String y = b.strip().replaceAll("\\s+", " ");
        if (x.equals(y)) {
            return true;
        }
        int hash = knob.id().indexOf('#');
        boolean cacheMask = hash >= 0 && knob.id().startsWith("L", hash + 1);
        try {
            return cacheMask ? Long.parseLong(x, 16) == Long.parseLong(y, 16) : Long.parseLong(x) == Long.parseLong(y);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The resctrl mount holding a group directory or schemata file: the nearest ancestor with {@code info/}. */
    private static Path mountOf(Path p) {
        for (Path d = p.getParent(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("info"))) {
                return d;
            }
        }
        return p.getParent();
    }
}
