package dev.cohort.platform.linux;

import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Topology;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU, core, package, NUMA node and L3 cache ids from sysfs, with OSHI as the fallback on a live host whose
 * sysfs lacks the topology directories.
 *
 * <pre>
 * /sys/devices/system/cpu/present, online        cpulists: "0-3,5,8-11\n"; offline may be just "\n"
 * /sys/devices/system/cpu/cpuN/topology/physical_package_id   "%d\n" (-1 if the arch has none)
 * /sys/devices/system/cpu/cpuN/topology/core_id               NOT unique across packages: key by (pkg, die, core)
 * /sys/devices/system/cpu/cpuN/topology/die_id                x86 multi-die, else absent or -1
 * /sys/devices/system/cpu/cpuN/cache/indexK/{level,id}        the L3 cache id is the resctrl domain id
 * /sys/devices/system/node/nodeN/cpulist                      cpulist; non-NUMA hosts still have node0
 * </pre>
 */
public final class SysTopology {
    /** NUMA nodes a kernel can have (x86 MAX_NUMNODES). */
    private static final int MAX_NODES = 1024;
    /** Package ids beyond this are taken as garbage and share one index. */
    private static final long MAX_PACKAGES = 4096;

    private final Path root;
    private final Path cpuDir;
    private final KernelFiles files;

    public SysTopology(Path root) {
        this(root, KernelFiles.real());
    }

    SysTopology(Path root, KernelFiles files) {
        this.root = root;
        this.cpuDir = root.resolve("sys/devices/system/cpu");
        this.files = files;
    }

    /**
     * What was found.
     *
     * @param cpus      every present CPU, indexed by number (gaps filled with package 0, node 0)
     * @param online    the online CPUs
     * @param l3Ids     L3 cache id per CPU (-1 where unknown)
     * @param source    "sysfs" or "oshi"
     * @param notes     files that could not be used and what was taken instead, each naming the file
     */
    public record Result(List<Topology.Cpu> cpus, int packageCount, int nodeCount, CpuSet online, int[] l3Ids, String source,
                         List<String> notes) {
    }

    /**
     * Reads the topology; falls back to OSHI when sysfs has no topology and {@code root} is the live {@code /}.
     *
     * @throws IOException only when no source at all says how many CPUs there are
     */
    public Result read() throws IOException {
        List<String> notes = new ArrayList<>();
        CpuSet present = present(notes);
        int n = present.get(present.size() - 1) + 1;
        CpuSet online = cpulist("online", n, notes).orElseGet(() -> {
            notes.add("taking every present CPU as online");
            return present;
        });
        if (!Files.isDirectory(cpuDir.resolve("cpu" + present.get(0)).resolve("topology"))
                && root.toAbsolutePath().normalize().toString().equals("/")) {
            return fromOshi(online);
        }
        int[] nodeOf = nodes(n, notes);
        int[] l3 = new int[n];
        Map<String, Integer> coreIds = new HashMap<>();
        Map<Integer, Integer> pkgIds = new HashMap<>();
        List<Topology.Cpu> cpus = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            Path t = cpuDir.resolve("cpu" + c).resolve("topology");
            long pkgRaw = files.readLongOrEmpty(t.resolve("physical_package_id")).orElse(0);
            int pkg = pkgIds.computeIfAbsent((int) Math.max(0, Math.min(MAX_PACKAGES, pkgRaw)), k -> pkgIds.size());
            long die = files.readLongOrEmpty(t.resolve("die_id")).orElse(0);
            long core = files.readLongOrEmpty(t.resolve("core_id")).orElse(c);
            int coreIdx = coreIds.computeIfAbsent(pkg + "/" + die + "/" + core, k -> coreIds.size());
            cpus.add(new Topology.Cpu(c, coreIdx, pkg, nodeOf[c]));
            l3[c] = l3Id(c);
        }
        int nodes = 1 + java.util.Arrays.stream(nodeOf).max().orElse(0);
        return new Result(cpus, Math.max(1, pkgIds.size()), nodes, online, l3, "sysfs", List.copyOf(notes));
    }

    /**
     * The present CPUs: {@code present}; else the {@code cpuN} directories (sysfs makes one per present CPU);
     * else {@code possible}; else the {@code cpuN} lines of /proc/stat (online CPUs only). Captured trees often
     * lack {@code present} and {@code possible}; each fallback is noted.
     */
    private CpuSet present(List<String> notes) throws IOException {
        CpuSet dirs = cpuDirs();
        int limit = dirs.isEmpty() ? KernelText.MAX_CPUS : dirs.get(dirs.size() - 1) + 1;
        var present = cpulist("present", limit, notes);
        if (present.isPresent()) {
            return present.get();
        }
        if (!dirs.isEmpty()) {
            notes.add("counted the CPUs from the cpuN directories in " + cpuDir + ": " + dirs);
            return dirs;
        }
        var possible = cpulist("possible", KernelText.MAX_CPUS, notes);
        if (possible.isPresent()) {
            notes.add("counted the CPUs from " + cpuDir.resolve("possible"));
            return possible.get();
        }
        try {
            CpuSet listed = new ProcStat(root, files).cpusListed();
            notes.add("counted the CPUs from the cpuN lines of " + root.resolve("proc/stat") + " (online CPUs only)");
            return listed;
        } catch (IOException e) {
            notes.add(e.getMessage());
        }
        throw new IOException("cannot count CPUs: " + String.join("; ", notes));
    }

    /** The numbers of the {@code cpuN} directories. */
    private CpuSet cpuDirs() {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(cpuDir)) {
            return CpuSet.empty();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(cpuDir, "cpu[0-9]*")) {
            for (Path d : ds) {
                String num = d.getFileName().toString().substring(3);
                if (num.matches("\\d{1,4}") && Integer.parseInt(num) < KernelText.MAX_CPUS && Files.isDirectory(d)) {
                    out.add(Integer.parseInt(num));
                }
            }
        } catch (IOException e) {
            return CpuSet.empty();
        }
        return CpuSet.of(out.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A non-empty cpulist file with every CPU below {@code limit}; else empty, with the reason noted. */
    private java.util.Optional<CpuSet> cpulist(String name, int limit, List<String> notes) {
        Path f = cpuDir.resolve(name);
        try {
            var text = files.readIfPresent(f);
            if (text.isEmpty()) {
                notes.add("no " + f);
                return java.util.Optional.empty();
            }
            CpuSet s = KernelText.cpus(text.get(), limit);
            if (s.isEmpty()) {
                notes.add(f + ": names no CPU");
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(s);
        } catch (IOException e) {
            notes.add(e.getMessage());
        } catch (IllegalArgumentException e) {
            notes.add(f + ": " + e.getMessage());
        }
        return java.util.Optional.empty();
    }

    private int[] nodes(int n, List<String> notes) throws IOException {
        int[] nodeOf = new int[n];
        Path nodeDir = root.resolve("sys/devices/system/node");
        if (!Files.isDirectory(nodeDir)) {
            return nodeOf;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(nodeDir, "node[0-9]*")) {
            for (Path d : ds) {
                String num = d.getFileName().toString().substring(4);
                if (!num.matches("\\d{1,4}") || Integer.parseInt(num) >= MAX_NODES) {
                    continue; // not a node directory
                }
                Path list = d.resolve("cpulist");
                try {
                    CpuSet cpus = files.readIfPresent(list).map(t -> KernelText.cpus(t, KernelText.MAX_CPUS)).orElse(CpuSet.empty());
                    for (int c : cpus.toArray()) {
                        if (c < n) {
                            nodeOf[c] = Integer.parseInt(num);
                        }
                    }
                } catch (IOException | IllegalArgumentException e) {
                    notes.add(list + ": " + e.getMessage() + "; its CPUs counted in node 0");
                }
            }
        }
        return nodeOf;
    }

    private int l3Id(int cpu) throws IOException {
        Path cache = cpuDir.resolve("cpu" + cpu).resolve("cache");
        for (int k = 0; k < 8; k++) {
            Path idx = cache.resolve("index" + k);
            if (!Files.isDirectory(idx)) {
                continue;
            }
            if (files.readLongOrEmpty(idx.resolve("level")).orElse(0) == 3) {
                return (int) files.readLongOrEmpty(idx.resolve("id")).orElse(-1);
            }
        }
        return -1;
    }

    /**
     * Parses the kernel's hex CPU mask ({@code %*pb}: lower-case hex, most significant 32-bit chunk first,
     * comma-separated, e.g. {@code ff,ffffffff} for CPUs 0-39), as in {@code cpumap}, {@code *_siblings} and
     * resctrl {@code cpus}. Package-private for testing.
     *
     * @throws IllegalArgumentException when a chunk is not 32 bits of hex, or the mask reaches past {@link KernelText#MAX_CPUS}
     */
    static CpuSet parseHexMask(String text) {
        String[] chunks = text.strip().split(",");
        java.util.List<Integer> cpus = new ArrayList<>();
        for (int i = 0; i < chunks.length; i++) {
            String c = chunks[chunks.length - 1 - i];
            if (c.isEmpty()) {
                continue;
            }
            if (!c.matches("[0-9a-fA-F]{1,8}") || i * 32 >= KernelText.MAX_CPUS) {
                throw new IllegalArgumentException(KernelText.shown(text.strip()) + " is not a CPU mask (32-bit hex chunks)");
            }
            long bits = Long.parseLong(c, 16);
            for (int b = 0; b < 32; b++) {
                if ((bits >>> b & 1) != 0) {
                    cpus.add(i * 32 + b);
                }
            }
        }
        return CpuSet.of(cpus.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Parses {@code nodeN/meminfo} ({@code Node 0 MemTotal:       16303128 kB}) into key to kB. Package-private for testing.
     */
    static Map<String, Long> parseNodeMeminfo(String text) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (t.length >= 4 && t[0].equals("Node") && t[2].endsWith(":")) {
                try {
                    out.put(t[2].substring(0, t[2].length() - 1), Long.parseLong(t[3]));
                } catch (NumberFormatException ignored) {
                    // not a number: skip the line
                }
            }
        }
        return out;
    }

    /** MemTotal of every NUMA node, kB (empty where the node has no meminfo). */
    public long[] nodeMemTotalKb(int nodes) {
        long[] out = new long[nodes];
        for (int n = 0; n < nodes; n++) {
            try {
                out[n] = files.readIfPresent(root.resolve("sys/devices/system/node/node" + n + "/meminfo"))
                        .map(SysTopology::parseNodeMeminfo).map(m -> m.getOrDefault("MemTotal", 0L)).orElse(0L);
            } catch (IOException e) {
                out[n] = 0;
            }
        }
        return out;
    }

    /** The topology as OSHI sees the live host (the fallback when sysfs lacks it). Package-private for testing. */
    static Result fromOshi(CpuSet online) {
        System.setProperty("oshi.util.memoizer.expiration", "0");
        if (System.getProperty("slf4j.provider") == null) {
            // OSHI logs through SLF4J; without a binding on the classpath, stay quiet instead of warning
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        }
        var proc = new oshi.SystemInfo().getHardware().getProcessor();
        List<Topology.Cpu> cpus = new ArrayList<>();
        Map<String, Integer> coreIds = new HashMap<>();
        int pkgs = 1;
        int nodes = 1;
        for (var lp : proc.getLogicalProcessors()) {
            int core = coreIds.computeIfAbsent(lp.getPhysicalPackageNumber() + "/" + lp.getPhysicalProcessorNumber(),
                    k -> coreIds.size());
            cpus.add(new Topology.Cpu(lp.getProcessorNumber(), core, lp.getPhysicalPackageNumber(), lp.getNumaNode()));
            pkgs = Math.max(pkgs, lp.getPhysicalPackageNumber() + 1);
            nodes = Math.max(nodes, lp.getNumaNode() + 1);
        }
        cpus.sort(java.util.Comparator.comparingInt(Topology.Cpu::id));
        int[] l3 = new int[cpus.size()];
        java.util.Arrays.fill(l3, -1);
        return new Result(cpus, pkgs, nodes, online, l3, "oshi", List.of());
    }
}
