package dev.cohort.platform.linux;

import dev.cohort.platform.CpuSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * resctrl (Intel RDT, AMD PQoS): the mount, {@code info/}, groups, {@code schemata} and MBM counters.
 *
 * <pre>
 * info/last_cmd_status          "ok\n" or the error of the last command
 * info/MB/min_bandwidth         "10\n"   Intel percent; AMD 0
 * info/MB/bandwidth_gran        "10\n"   Intel percent step (values are rounded UP to it); AMD 1
 * info/MB/thread_throttle_mode  "max\n"  Intel only
 * info/L3_MON/mon_features      "llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n"
 * &lt;group&gt;/schemata               read:  "    MB:0=  100;1=   50\n" names right-aligned, values padded
 *                               write: "MB:0=50\n" (trailing newline REQUIRED, else EINVAL)
 * &lt;group&gt;/tasks                  one pid per write(); ESRCH for a gone task
 * &lt;group&gt;/cpus_list              "0-3,8\n"
 * &lt;group&gt;/mon_data/mon_L3_00/mbm_total_bytes  "7340032000\n", or "Unavailable\n" / "Error\n"
 * </pre>
 *
 * MB units: Intel percent in {@code [min_bandwidth, 100]} rounded up to {@code bandwidth_gran}; AMD multiples of
 * 1/8 GB/s up to 2048, no rounding; with the {@code mba_MBps} mount option, MBps. Failed commands leave a reason
 * in {@code info/last_cmd_status}, which is added to the error message.
 */
public final class Resctrl {
    /** AMD's maximum (and default) MB value: 2048 x 1/8 GB/s = 256 GB/s. */
    public static final int AMD_MB_MAX = 2048;

    private final Path dir;
    private final KernelFiles files;

    /** resctrl at {@code mountPoint} (normally {@code root/sys/fs/resctrl}). */
    public Resctrl(Path mountPoint, KernelFiles files) {
        this.dir = mountPoint;
        this.files = files;
    }

    /** How MB values are expressed. */
    public enum MbUnit { PERCENT, AMD_EIGHTH_GBPS, MBPS }

    /** {@code info/MB}: the MBA scale. */
    public record MbInfo(int minBandwidth, int bandwidthGran, boolean delayLinear, Optional<String> throttleMode,
                         int numClosids, MbUnit unit) {
        /** Highest value a schemata MB entry takes. */
        public int max() {
            return switch (unit) {
                case PERCENT -> 100;
                case AMD_EIGHTH_GBPS -> AMD_MB_MAX;
                case MBPS -> Integer.MAX_VALUE;
            };
        }

        /** The value the kernel applies for a request of {@code v}: Intel rounds up to {@code bandwidth_gran}. */
        public int round(int v) {
            if (unit == MbUnit.PERCENT && bandwidthGran > 1) {
                return (v + bandwidthGran - 1) / bandwidthGran * bandwidthGran;
            }
            return v;
        }
    }

    /** A reading of an MBM or occupancy file: bytes, or the kernel's "Unavailable"/"Error". */
    public sealed interface MonValue {
        /** A byte count. */
        record Bytes(long bytes) implements MonValue {
        }

        /** The hardware said the counter is not available now (just created, or reassigned). */
        record Unavailable() implements MonValue {
        }

        /** The hardware flagged an error. */
        record Error() implements MonValue {
        }
    }

    /** The mount point. */
    public Path dir() {
        return dir;
    }

    /** True when resctrl is mounted here ({@code info/} exists). */
    public boolean mounted() {
        return Files.isDirectory(dir.resolve("info"));
    }

    /** Mount options that change semantics ({@code cdp}, {@code cdpl2}, {@code mba_MBps}) from a mountinfo line set. */
    public static Set<String> options(List<CgroupMounts.Mount> mounts, Path mountPoint) {
        for (CgroupMounts.Mount m : mounts) {
            if (m.fsType().equals("resctrl") && m.mountPoint().equals(mountPoint.toString())) {
                return new TreeSet<>(m.superOptions());
            }
        }
        return Set.of();
    }

    /** {@code info/MB}, or empty when the host has no memory-bandwidth allocation. */
    public Optional<MbInfo> mbInfo(boolean amdCpu, Set<String> mountOptions) throws IOException {
        Path mb = dir.resolve("info/MB");
        if (!Files.isDirectory(mb)) {
            return Optional.empty();
        }
        int min = (int) files.readLong(mb.resolve("min_bandwidth"));
        int gran = (int) files.readLong(mb.resolve("bandwidth_gran"));
        boolean linear = files.readIfPresent(mb.resolve("delay_linear")).map("1"::equals).orElse(true);
        Optional<String> mode = files.readIfPresent(mb.resolve("thread_throttle_mode"));
        int closids = (int) files.readLongOrEmpty(mb.resolve("num_closids")).orElse(0);
        MbUnit unit = mountOptions.contains("mba_MBps") ? MbUnit.MBPS
                : amdCpu || (mode.isEmpty() && min == 0 && gran == 1) ? MbUnit.AMD_EIGHTH_GBPS : MbUnit.PERCENT;
        return Optional.of(new MbInfo(min, gran, linear, mode, closids, unit));
    }

    /** The events {@code info/L3_MON/mon_features} lists; empty without monitoring. */
    public List<String> monFeatures() throws IOException {
        return files.readIfPresent(dir.resolve("info/L3_MON/mon_features"))
                .map(s -> s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()).orElse(List.of());
    }

    /** The directory of a group; the empty name is the root (default) group. */
    public Path group(String name) {
        return name.isEmpty() ? dir : dir.resolve(name);
    }

    /** True when the group exists. */
    public boolean hasGroup(String name) {
        return Files.isDirectory(group(name));
    }

    /** Creates a CTRL_MON group; failures carry {@code info/last_cmd_status} (e.g. "Out of CLOSIDs"). */
    public void createGroup(String name) throws IOException {
        try {
            files.mkdir(group(name));
        } catch (KernelIoException e) {
            throw withStatus(e);
        }
    }

    /** Removes a group; the kernel moves its tasks and CPUs back to the parent. */
    public void removeGroup(String name) throws IOException {
        try {
            files.rmdir(group(name));
        } catch (KernelIoException e) {
            throw withStatus(e);
        }
    }

    /** Moves one task into the group (one id per write, as 6.1 requires). */
    public void assignTask(String name, long pid) throws IOException {
        try {
            files.write(group(name).resolve("tasks"), Long.toString(pid));
        } catch (KernelIoException e) {
            throw withStatus(e);
        }
    }

    /** Sets the CPUs of the group ({@code cpus_list}). */
    public void assignCpus(String name, CpuSet cpus) throws IOException {
        try {
            files.write(group(name).resolve("cpus_list"), cpus + "\n");
        } catch (KernelIoException e) {
            throw withStatus(e);
        }
    }

    /** Reads a group's schemata: resource name to (domain id to value, stripped). */
    public Map<String, Map<Integer, String>> readSchemata(String name) throws IOException {
        return parseSchemata(files.read(group(name).resolve("schemata")));
    }

    /** Writes one schemata line such as {@code MB:0=50}; the trailing newline is added. */
    public void writeSchemata(Path schemata, String line) throws IOException {
        try {
            files.write(schemata, line.strip() + "\n");
        } catch (KernelIoException e) {
            throw withStatus(e);
        }
    }

    /** The MBM total bytes of a group in one L3 domain ({@code mon_data/mon_L3_XX/mbm_total_bytes}). */
    public MonValue mbmTotalBytes(String name, int domainId) throws IOException {
        return parseMon(files.read(group(name).resolve("mon_data").resolve(monDir(domainId)).resolve("mbm_total_bytes")));
    }

    /** The monitoring directory name of an L3 domain: {@code mon_L3_00}, {@code mon_L3_01}, ..., {@code mon_L3_100}. */
    static String monDir(int domainId) {
        return String.format("mon_L3_%02d", domainId);
    }

    /** The last command's status: "ok" or the kernel's reason. */
    public String lastCmdStatus() {
        try {
            return files.readTrim(dir.resolve("info/last_cmd_status"));
        } catch (IOException e) {
            return "";
        }
    }

    private KernelIoException withStatus(KernelIoException e) {
        String status = lastCmdStatus();
        if (status.isEmpty() || status.equals("ok")) {
            return e;
        }
        return new KernelIoException(e.errno(), e.getMessage() + " (info/last_cmd_status: " + status + ")", e);
    }

    /**
     * Parses a schemata file: lines {@code NAME:id=value;id=value}, names right-aligned with spaces, values
     * zero- (cache) or space-padded (MB), a trailing {@code ;} allowed. Package-private for testing.
     *
     * @throws IOException naming the line when it has no ':' or a domain without '='
     */
    static Map<String, Map<Integer, String>> parseSchemata(String text) throws IOException {
        Map<String, Map<Integer, String>> out = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IOException("schemata: missing ':' in line '" + raw + "'");
            }
            Map<Integer, String> domains = new LinkedHashMap<>();
            for (String part : line.substring(colon + 1).split(";")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                try {
                    domains.put(Integer.parseInt(p.substring(0, Math.max(eq, 0)).strip()), p.substring(eq + 1).strip());
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    throw new IOException("schemata: bad domain '" + p + "' in line '" + raw + "'");
                }
            }
            out.put(line.substring(0, colon).strip(), domains);
        }
        return out;
    }

    /** Parses an MBM or occupancy file. Package-private for testing. */
    static MonValue parseMon(String text) throws IOException {
        String t = text.strip();
        return switch (t) {
            case "Unavailable", "Unassigned" -> new MonValue.Unavailable();
            case "Error" -> new MonValue.Error();
            default -> {
                try {
                    yield new MonValue.Bytes(Long.parseUnsignedLong(t));
                } catch (NumberFormatException e) {
                    throw new IOException("resctrl monitoring value '" + t + "' is neither bytes nor Unavailable/Error");
                }
            }
        };
    }

    /** The MB domain ids of the root schemata, ascending. */
    public List<Integer> mbDomains() throws IOException {
        Map<Integer, String> mb = readSchemata("").get("MB");
        return mb == null ? List.of() : mb.keySet().stream().sorted().toList();
    }

    /** The value of one domain of one resource in a group's schemata, if present. */
    public static OptionalInt mbValue(Map<String, Map<Integer, String>> schemata, int domainId) {
        Map<Integer, String> mb = schemata.get("MB");
        if (mb == null || !mb.containsKey(domainId)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(mb.get(domainId)));
    }
}
