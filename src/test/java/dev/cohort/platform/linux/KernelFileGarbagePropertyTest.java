package dev.cohort.platform.linux;

import dev.cohort.platform.Availability;
import dev.cohort.platform.Capabilities;
import dev.cohort.platform.Control;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Signal;
import dev.cohort.platform.StateStore;
import dev.cohort.platform.Telemetry;
import dev.cohort.platform.linux.faketree.FakeTreeWriter;
import dev.cohort.platform.linux.faketree.TreeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any content in any one kernel file the probe or the sampler reads: building a {@link LinuxPlatform} on the tree
 * and sampling it (and sampling a platform built before the file changed) never throws; the signals and controls
 * that file does not feed are all still there; those it feeds that went missing say so naming the file; and
 * nothing in the tree is written. The base tree is generated once; the one mutated file is restored after each try.
 * For speed, reads of the files no try has touched are served from a snapshot of the base tree taken before the
 * first try (the same bytes); the mutated file is always read from disk.
 */
class KernelFileGarbagePropertyTest {
    private static final String CPU = "sys/devices/system/cpu/";
    private static final String PC = "sys/class/powercap/";
    private static final Set<Object> RAPL_PKG = Set.of(Signal.PKG_ENERGY_UJ);
    /** A package zone's own files: an unreadable one leaves the zone out, its energy, its subzones' and its limit (PL1). */
    private static final Set<Object> RAPL_ALL = Set.of(Signal.PKG_ENERGY_UJ, Signal.DRAM_ENERGY_UJ, Control.POWER_LIMIT_UW);

    /** Each file the property writes into, and the signals and controls it may cost. */
    private static final Map<String, Set<Object>> FEEDS = Map.ofEntries(
            Map.entry(CPU + "present", Set.of()), Map.entry(CPU + "possible", Set.of()), Map.entry(CPU + "online", Set.of()),
            Map.entry(CPU + "cpufreq/policy0/related_cpus", Set.of()), Map.entry(CPU + "cpufreq/policy1/related_cpus", Set.of()),
            Map.entry(CPU + "cpufreq/policy1/affected_cpus", Set.of()),
            Map.entry(CPU + "cpufreq/policy0/scaling_available_frequencies", Set.of()),
            Map.entry(CPU + "cpufreq/policy1/scaling_min_freq", Set.of()), Map.entry(CPU + "cpufreq/policy0/scaling_max_freq", Set.of()),
            Map.entry(CPU + "cpufreq/policy1/cpuinfo_min_freq", Set.of()), Map.entry(CPU + "cpufreq/policy0/cpuinfo_max_freq", Set.of()),
            Map.entry(CPU + "cpufreq/policy1/scaling_cur_freq", Set.of()),
            Map.entry(PC + "intel-rapl:0/energy_uj", RAPL_PKG), Map.entry(PC + "intel-rapl:0/max_energy_range_uj", RAPL_ALL),
            Map.entry(PC + "intel-rapl:0/name", RAPL_ALL), Map.entry(PC + "intel-rapl:0:0/name", Set.of(Signal.DRAM_ENERGY_UJ)),
            Map.entry(PC + "intel-rapl:0:0/energy_uj", Set.of(Signal.DRAM_ENERGY_UJ)),
            Map.entry(PC + "intel-rapl:1/name", RAPL_PKG), Map.entry(PC + "intel-rapl-mmio:0/name", RAPL_PKG),
            Map.entry(PC + "intel-rapl-mmio:0/energy_uj", Set.of()),
            Map.entry("proc/stat", Set.of(Signal.CPU_BUSY_NANOS, Signal.CPU_IDLE_NANOS)),
            Map.entry("proc/pressure/cpu", Set.of(Signal.SYS_CPU_PRESSURE_SOME_USEC)),
            Map.entry("proc/pressure/memory", Set.of(Signal.SYS_MEM_PRESSURE_SOME_USEC, Signal.SYS_MEM_PRESSURE_FULL_USEC)),
            Map.entry("proc/pressure/io", Set.of(Signal.SYS_IO_PRESSURE_SOME_USEC)));

    private static Path root;
    private static String treeHash;
    private static Baseline base;
    private static LinuxPlatform live;
    private static final AtomicReference<String> WRITTEN = new AtomicReference<>();
    private static final Map<Path, String> SNAPSHOT = new java.util.HashMap<>();
    private static volatile Path mutated;

    /** What the unmutated tree offers. */
    private record Baseline(Capabilities caps, Set<Signal> sampled, int freqDomains, List<String> topoNotes) {
    }

    @BeforeContainer
    static void writeBaseTree() throws IOException {
        // on tmpfs where there is one: ext4 starts writeback when a truncated file is closed, milliseconds a try
        Path shm = Path.of("/dev/shm");
        root = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "cohort-garbage")
                : Files.createTempDirectory("cohort-garbage");
        FakeTreeWriter.write(root, TreeSpec.intelServer(2, 1).withRdt(TreeSpec.Rdt.NONE));
        for (int p = 0; p < 2; p++) {
            FakeTreeWriter.put(root, CPU + "cpufreq/policy" + p + "/scaling_available_frequencies", "3900000 2800000 800000 \n");
        }
        FakeTreeWriter.put(root, PC + "intel-rapl-mmio:0/name", "package-0\n");
        FakeTreeWriter.put(root, PC + "intel-rapl-mmio:0/energy_uj", "5000000\n");
        FakeTreeWriter.put(root, PC + "intel-rapl-mmio:0/max_energy_range_uj", "262143328850\n");
        treeHash = hashTree();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                SNAPSHOT.put(f, KernelFiles.real().read(f));
            }
        }
        try (LinuxPlatform p = open()) {
            Telemetry s = p.sample();
            Set<Signal> sampled = Stream.of(Signal.values()).filter(s::has).collect(java.util.stream.Collectors.toSet());
            base = new Baseline(p.capabilities(), sampled, p.topology().frequencyDomains().size(), p.probe().topo.notes());
        }
        live = open();
        live.sample();
    }

    @AfterContainer
    static void removeTree() throws IOException {
        live.close();
        if (!treeHash.equals(hashTree())) {
            throw new AssertionError("the tree changed under the properties");
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 10000)
    void cpuListsAndCpufreqFiles(@ForAll("cpufreqFile") String rel, @ForAll("junk") String content) throws IOException {
        check(rel, content);
    }

    @Property(tries = 10000)
    void raplFiles(@ForAll("raplFile") String rel, @ForAll("junk") String content) throws IOException {
        check(rel, content);
    }

    @Property(tries = 10000)
    void procStatAndPsiFiles(@ForAll("procFile") String rel, @ForAll("junk") String content) throws IOException {
        check(rel, content);
    }

    @Provide
    Arbitrary<String> cpufreqFile() {
        return Arbitraries.of(FEEDS.keySet().stream().filter(f -> f.startsWith(CPU)).sorted().toList());
    }

    @Provide
    Arbitrary<String> raplFile() {
        return Arbitraries.of(FEEDS.keySet().stream().filter(f -> f.startsWith(PC)).sorted().toList());
    }

    @Provide
    Arbitrary<String> procFile() {
        return Arbitraries.of(FEEDS.keySet().stream().filter(f -> f.startsWith("proc/")).sorted().toList());
    }

    /** Anything: bytes, numbers (negative, huge), CPU ranges, whitespace, and near-miss kernel lines. */
    @Provide
    Arbitrary<String> junk() {
        Arbitrary<String> bytes = Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(60);
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf),
                Arbitraries.integers().between(-3, 5000).map(String::valueOf),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30));
        Arbitrary<String> range = Combinators.combine(number, number).as((a, b) -> a + "-" + b);
        Arbitrary<String> list = Arbitraries.oneOf(number, range).list().ofMaxSize(6)
                .flatMap(l -> Arbitraries.of(",", " ", ", ", "\t").map(sep -> String.join(sep, l)));
        Arbitrary<String> blank = Arbitraries.strings().withChars(" \t\n\r").ofMaxLength(5);
        Arbitrary<String> psi = Combinators.combine(Arbitraries.of("some", "full", "sum", ""), number, number, number)
                .as((k, a, b, t) -> k + " avg10=" + a + ".00 avg60=" + b + " avg300=0.00 total=" + t);
        Arbitrary<String> stat = Combinators.combine(Arbitraries.of("cpu", "cpu ", "cpu0", "cpu1", "cpu9999999999", "cpux"),
                        number.list().ofMaxSize(12))
                .as((k, f) -> "cpu  1 2 3 4\n" + k + " " + String.join(" ", f));
        Arbitrary<String> names = Arbitraries.of("package-0", "package-1", "package-0-die-1", "package-", "package-99999999999",
                "psys", "psys-1", "dram", "core", "uncore", "package-0-die-", "Package-0");
        Arbitrary<String> one = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(4, bytes), net.jqwik.api.Tuple.of(3, number), net.jqwik.api.Tuple.of(3, list),
                net.jqwik.api.Tuple.of(1, blank), net.jqwik.api.Tuple.of(1, psi), net.jqwik.api.Tuple.of(1, stat),
                net.jqwik.api.Tuple.of(1, names)).flatMap(a -> a);
        return Combinators.combine(one, Arbitraries.of("", "\n", " \n")).as((s, end) -> s + end);
    }

    private void check(String rel, String content) throws IOException {
        Path file = root.resolve(rel);
        byte[] original = Files.readAllBytes(file);
        byte[] junk = content.getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, junk);
        mutated = file;
        try {
            Telemetry later = live.sample();
            LinuxPlatform p;
            try {
                p = open();
            } catch (RuntimeException e) {
                throw new AssertionError(rel + " = " + KernelText.shown(content) + ": " + e, e);
            }
            try (p) {
                Telemetry s = p.sample();
                Set<Object> feeds = FEEDS.get(rel);
                for (Signal sig : Signal.values()) {
                    expectStill(rel, content, sig, feeds, base.caps().signal(sig), p.capabilities().signal(sig));
                    if (base.sampled().contains(sig) && !feeds.contains(sig)) {
                        assertThat(s.has(sig), rel, content, sig + " is still sampled");
                        assertThat(later.has(sig), rel, content, sig + " is still sampled by a platform built before");
                    }
                }
                for (Control c : Control.values()) {
                    expectStill(rel, content, c, feeds, base.caps().control(c), p.capabilities().control(c));
                }
                int domains = p.topology().frequencyDomains().size();
                assertThat(domains >= 1 && domains >= base.freqDomains() - 1, rel, content, "at most one policy lost: " + domains);
                boolean topoNoted = !p.probe().topo.notes().equals(base.topoNotes());
                boolean tableLost = !content.isBlank() && p.probe().policies.stream().anyMatch(x -> x.availableKhz().isEmpty());
                if (topoNoted || tableLost || domains < base.freqDomains()) {
                    String text = p.doctor().toText();
                    assertThat(text.contains(rel) || rel.endsWith("/present") && text.contains(CPU + "online"), rel, content,
                            "the doctor names the file:\n" + text);
                }
            }
            assertThat(WRITTEN.get() == null, rel, content, "nothing is written, but " + WRITTEN.get());
            assertThat(java.util.Arrays.equals(junk, Files.readAllBytes(file)), rel, content, "the file was rewritten");
        } finally {
            Files.write(file, original);
            mutated = null;
        }
    }

    private static void expectStill(String rel, String content, Object what, Set<Object> feeds, Availability before,
                                    Availability after) {
        if (!before.available() || after.available()) {
            return;
        }
        assertThat(feeds.contains(what), rel, content, what + " went missing: " + after.reason());
        assertThat(after.reason().contains(rel), rel, content, what + ": the reason names the file: " + after.reason());
    }

    private static void assertThat(boolean ok, String rel, String content, String what) {
        if (!ok) {
            throw new AssertionError(rel + " = " + KernelText.shown(content) + ": " + what);
        }
    }

    private static LinuxPlatform open() {
        return new LinuxPlatform(new LinuxPlatform.Options(root, List.of(), "cohort-be", CpuSet.empty(), StateStore.inMemory(),
                false), new ReadOnly());
    }

    private static String hashTree() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : s.sorted().toList()) {
                md.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    md.update(Files.readAllBytes(p));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The kernel's files, except that any write, mkdir or rmdir is recorded and refused. */
    private static final class ReadOnly implements KernelFiles {
        private final KernelFiles disk = KernelFiles.real();

        @Override
        public String read(Path path) throws IOException {
            String base = path.equals(mutated) ? null : SNAPSHOT.get(path);
            return base != null ? base : disk.read(path);
        }

        @Override
        public void write(Path path, String value) throws IOException {
            refuse("write " + path);
        }

        @Override
        public void mkdir(Path path) throws IOException {
            refuse("mkdir " + path);
        }

        @Override
        public void rmdir(Path path) throws IOException {
            refuse("rmdir " + path);
        }

        private static void refuse(String what) throws IOException {
            WRITTEN.compareAndSet(null, what);
            throw new KernelIoException(Errno.EROFS, what + ": the property tree is read-only");
        }
    }
}
