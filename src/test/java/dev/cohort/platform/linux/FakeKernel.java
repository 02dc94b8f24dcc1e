package dev.cohort.platform.linux;

import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A hand-written fake of the kernel's reactions to writes on a {@link FakeTreeWriter} tree, so tests can
 * exercise the real code paths: cpufreq limits clamped to the hardware range and the frequency table (min
 * forced to at most max), resctrl schemata that need a trailing newline, round MB up to the granularity,
 * refuse out-of-range values with a {@code last_cmd_status} and print padded, cgroup {@code cpu.weight} ERANGE,
 * {@code cpu.max} EINVAL, resctrl mkdir/rmdir, and injected errnos per path (e.g. EBUSY for an offline policy).
 */
final class FakeKernel implements KernelFiles {
    private final KernelFiles disk = KernelFiles.real();
    final Map<Path, Errno> failReads = new HashMap<>();
    final Map<Path, Errno> failWrites = new HashMap<>();
    final Map<Path, Integer> writes = new LinkedHashMap<>();

    @Override
    public String read(Path path) throws IOException {
        Errno e = failReads.get(path);
        if (e != null) {
            throw Errno.explain("read", path, null, new IOException(e.text()));
        }
        return disk.read(path);
    }

    @Override
    public void write(Path path, String value) throws IOException {
        Errno e = failWrites.get(path);
        if (e != null) {
            throw Errno.explain("write", path, value, new IOException(e.text()));
        }
        writes.merge(path, 1, Integer::sum);
        String name = path.getFileName().toString();
        switch (name) {
            case "scaling_max_freq", "scaling_min_freq" -> cpufreq(path, name, value);
            case "cpu.weight" -> {
                long w = parse(path, value);
                if (w < 1 || w > 10000) {
                    throw Errno.explain("write", path, value, new IOException(Errno.ERANGE.text()));
                }
                disk.write(path, w + "\n");
            }
            case "cpu.max" -> {
                String[] t = value.strip().split("\\s+");
                long q = t[0].equals("max") ? -1 : parse(path, t[0]);
                long p = t.length > 1 ? parse(path, t[1]) : 100000;
                if ((q >= 0 && q < 1000) || p < 1000 || p > 1000000) {
                    throw Errno.explain("write", path, value, new IOException(Errno.EINVAL.text()));
                }
                disk.write(path, (q < 0 ? "max" : Long.toString(q)) + " " + p + "\n");
            }
            case "cpu.shares" -> disk.write(path, Math.max(2, Math.min(262144, parse(path, value))) + "\n");
            case "schemata" -> schemata(path, value);
            default -> disk.write(path, value.endsWith("\n") ? value : value + "\n");
        }
    }

    private static long parse(Path path, String v) throws IOException {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw Errno.explain("write", path, v, new IOException(Errno.EINVAL.text()));
        }
    }

    private void cpufreq(Path path, String name, String value) throws IOException {
        long v = parse(path, value);
        Path dir = path.getParent();
        long lo = disk.readLong(dir.resolve("cpuinfo_min_freq"));
        long hi = disk.readLong(dir.resolve("cpuinfo_max_freq"));
        long c = Math.max(lo, Math.min(hi, v));
        var table = disk.readIfPresent(dir.resolve("scaling_available_frequencies")).map(CpufreqSysfs::parseFrequencies);
        if (table.isPresent() && !table.get().isEmpty()) {
            final long want = c;
            var t = table.get();
            c = name.equals("scaling_max_freq")
                    ? t.stream().filter(f -> f <= want).reduce((x, y) -> y).orElse(t.getFirst())
                    : t.stream().filter(f -> f >= want).findFirst().orElse(t.getLast());
        }
        if (name.equals("scaling_min_freq")) {
            c = Math.min(c, disk.readLong(dir.resolve("scaling_max_freq")));
            disk.write(path, c + "\n");
        } else {
            disk.write(path, c + "\n");
            long min = disk.readLong(dir.resolve("scaling_min_freq"));
            if (min > c) {
                disk.write(dir.resolve("scaling_min_freq"), c + "\n");
            }
        }
    }

    private void schemata(Path path, String value) throws IOException {
        Path mount = path.getParent();
        while (!Files.isDirectory(mount.resolve("info"))) {
            mount = mount.getParent();
        }
        Path status = mount.resolve("info/last_cmd_status");
        if (!value.endsWith("\n")) {
            disk.write(status, "ok\n");
            throw Errno.explain("write", path, value, new IOException(Errno.EINVAL.text()));
        }
        var current = Resctrl.parseSchemata(disk.read(path));
        var staged = new LinkedHashMap<String, Map<Integer, String>>();
        current.forEach((k, v) -> staged.put(k, new LinkedHashMap<>(v)));
        int min = (int) disk.readLong(mount.resolve("info/MB/min_bandwidth"));
        int gran = (int) disk.readLong(mount.resolve("info/MB/bandwidth_gran"));
        boolean amd = !Files.exists(mount.resolve("info/MB/thread_throttle_mode"));
        int max = amd ? Resctrl.AMD_MB_MAX : 100;
        for (var e : Resctrl.parseSchemata(value).entrySet()) {
            var line = staged.get(e.getKey());
            if (line == null) {
                disk.write(status, "Unknown or unsupported resource name '" + e.getKey() + "'\n");
                throw Errno.explain("write", path, value, new IOException(Errno.EINVAL.text()));
            }
            for (var d : e.getValue().entrySet()) {
                if (!line.containsKey(d.getKey())) {
                    disk.write(status, "\n");
                    throw Errno.explain("write", path, value, new IOException(Errno.EINVAL.text()));
                }
                String v = d.getValue();
                if (e.getKey().equals("MB")) {
                    int bw = Integer.parseInt(v);
                    if (bw < min || bw > max) {
                        disk.write(status, "MB value " + bw + " out of range [" + min + "," + max + "]\n");
                        throw Errno.explain("write", path, value, new IOException(Errno.EINVAL.text()));
                    }
                    v = Integer.toString(amd ? bw : (bw + gran - 1) / gran * gran);
                }
                line.put(d.getKey(), v);
            }
        }
        disk.write(status, "ok\n");
        disk.write(path, format(staged));
    }

    /** The kernel's listing: names right-aligned, MB space-padded and masks zero-padded to a common width. */
    static String format(Map<String, Map<Integer, String>> s) {
        int nameW = s.keySet().stream().mapToInt(String::length).max().orElse(2);
        int dataW = 3;
        for (var e : s.entrySet()) {
            for (String v : e.getValue().values()) {
                dataW = Math.max(dataW, v.length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (var e : s.entrySet()) {
            b.append(String.format("%" + nameW + "s:", e.getKey()));
            boolean first = true;
            for (var d : e.getValue().entrySet()) {
                String v = e.getKey().equals("MB") ? String.format("%" + dataW + "s", d.getValue())
                        : "0".repeat(Math.max(0, dataW - d.getValue().length())) + d.getValue();
                b.append(first ? "" : ";").append(d.getKey()).append('=').append(v);
                first = false;
            }
            b.append('\n');
        }
        return b.toString();
    }

    @Override
    public void mkdir(Path path) throws IOException {
        Errno e = failWrites.get(path);
        if (e != null) {
            throw Errno.explain("mkdir", path, null, new IOException(e.text()));
        }
        disk.mkdir(path);
        Path mount = path.getParent();
        if (Files.isDirectory(mount.resolve("info"))) {
            Files.writeString(path.resolve("schemata"), format(Resctrl.parseSchemata(disk.read(mount.resolve("schemata")))));
            Files.writeString(path.resolve("tasks"), "");
            Files.writeString(path.resolve("cpus_list"), "\n");
            try (Stream<Path> s = Files.list(mount.resolve("mon_data"))) {
                for (Path d : s.toList()) {
                    Path m = path.resolve("mon_data").resolve(d.getFileName());
                    Files.createDirectories(m);
                    Files.writeString(m.resolve("mbm_total_bytes"), "Unavailable\n");
                }
            }
        }
    }

    @Override
    public void rmdir(Path path) throws IOException {
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
