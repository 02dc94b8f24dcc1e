package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.service.config.DaemonConfig;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any state file, through {@code cohort restore}'s work ({@link Operator#restore}, below the option parsing that
 * RestoreRulesTest drives end to end): either it is refused with exit 1 and one line that
 * names the state file, and no file anywhere changes; or it is accepted and a restore writes only inside the kernel
 * trees cohort manages (never the files beside them). State documents are a valid one mutated: values replaced by
 * other JSON (strings, paths climbing out, fragments, numbers, null, lists, objects), keys added and removed, the text
 * cut short or followed by junk, random bytes.
 */
class StateFilePropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static Path root;
    private static Path config;
    private static Path state;
    private static DaemonConfig cfg;
    private static Map<String, String> pristine;

    @BeforeContainer
    static void host() throws IOException {
        // the state directory is a tmpfs on a real host (/run/cohort); here too where one exists, so fsync costs what it does there
        Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "cohort-state-prop")
                : Files.createTempDirectory("cohort-state-prop");
        root = dir.resolve("root");
        put("sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq", "3401000\n");
        put("sys/devices/system/cpu/cpufreq/policy0/scaling_min_freq", "800000\n");
        put("sys/fs/cgroup/batch.slice/cpu.max", "max 100000\n");
        put("sys/fs/cgroup/batch.slice/cpu.weight", "100\n");
        put("sys/fs/resctrl/info/MB/min_bandwidth", "10\n");
        put("sys/fs/resctrl/be/schemata", "MB:0=100;1=100\n");
        put("sys/class/powercap/intel-rapl:0/constraint_0_power_limit_uw", "150000000\n");
        put("etc/passwd", "root:x:0:0\n"); // outside every managed tree, under the same root
        Files.writeString(dir.resolve("outside.txt"), "precious\n");
        config = dir.resolve("cohort.yaml");
        Files.writeString(config, """
                host:
                  root: %s
                paths:
                  state_dir: %s
                """.formatted(root, dir.resolve("run")));
        state = dir.resolve("run/state.json");
        cfg = DaemonConfig.load(config);
        Files.createDirectories(state.getParent());
        pristine = snapshot();
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void put(String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** Every file under the temp directory but the state directory, by path. */
    private static Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        try (var s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir.resolve("run"))).toList()) {
                out.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void reset() throws IOException {
        for (var e : pristine.entrySet()) {
            Files.createDirectories(dir.resolve(e.getKey()).getParent());
            Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.ISO_8859_1);
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (!pristine.containsKey(dir.relativize(p).toString())) {
                    Files.delete(p);
                }
            }
        }
    }

    @Property(tries = 10_000)
    void anyStateFileIsRefusedInOneLineOrRestoredOnlyInsideTheManagedTrees(@ForAll("stateFiles") byte[] content) throws IOException {
        reset();
        Files.write(state, content);
        // what cohort restore does between parsing its options and printing (RestoreCommand, Errors): 1 and the message
        // on a CohortException, 0 with a report otherwise; anything else thrown fails the property
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try {
            var r = Operator.restore(cfg, false);
            if (r != null) {
                RestoreLines.of(r).forEach(l -> out.append(l).append('\n'));
            }
            code = 0;
        } catch (dev.cohort.platform.CohortException e) {
            err.append("cohort: ").append(e.getMessage()).append('\n');
            code = 1;
        }
        Map<String, String> after = snapshot();
        net.jqwik.api.statistics.Statistics.label("outcome").collect(code == 0 ? "accepted and restored" : "refused in one line");
        String text = new String(content, StandardCharsets.UTF_8);
        if (code != 0) {
            assertEquals(1, code, text + "\n" + out + err);
            List<String> lines = err.toString().strip().lines().toList();
            assertEquals(1, lines.size(), "one line: " + err);
            assertTrue(lines.getFirst().contains(state.toString()), "names the state file: " + err);
            assertFalse(lines.getFirst().contains("Exception") || lines.getFirst().contains("dev.cohort"), "no class names: " + err);
            assertEquals(pristine, after, "refused, so nothing written: " + text);
        } else {
            for (var e : pristine.entrySet()) {
                boolean managed = e.getKey().startsWith("root/sys/");
                if (!managed) {
                    assertEquals(e.getValue(), after.get(e.getKey()), "written outside the managed trees: " + e.getKey() + "\n" + text);
                }
            }
            assertEquals(pristine.keySet().stream().filter(k -> !k.startsWith("root/sys/")).toList(),
                    after.keySet().stream().filter(k -> !k.startsWith("root/sys/")).toList(), "no file created outside: " + text);
        }
    }

    @Provide
    Arbitrary<byte[]> stateFiles() {
        Arbitrary<byte[]> mutated = mutations().map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, mutated), net.jqwik.api.Tuple.of(1, junk));
    }

    /** The valid document with one to three edits applied. */
    private Arbitrary<String> mutations() {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 3),
                values(), Arbitraries.integers().between(0, 2000)).as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(3).map(StateFilePropertyTest::apply);
    }

    record Edit(int kind, int knob, Object value, int cut) {
    }

    private static final List<String> KEYS = List.of("id", "description", "original", "lastWritten", "intended", "left", "colour");

    private static String apply(List<Edit> edits) {
        ObjectNode doc = valid();
        String tail = "";
        int cut = -1;
        for (Edit e : edits) {
            ArrayNode knobs = doc.get("knobs") instanceof ArrayNode a ? a : null;
            ObjectNode k = knobs != null && knobs.size() > 0 && knobs.get(e.knob() % knobs.size()) instanceof ObjectNode o ? o : null;
            switch (e.kind()) {
                case 0, 1, 2 -> {
                    if (k != null) {
                        k.set(KEYS.get((e.cut() + e.kind()) % KEYS.size()), JSON.valueToTree(e.value()));
                    }
                }
                case 3 -> {
                    if (k != null) {
                        k.remove(KEYS.get(e.cut() % KEYS.size()));
                    }
                }
                case 4 -> doc.set(List.of("version", "pid", "knobs", "extra").get(e.knob()), JSON.valueToTree(e.value()));
                case 5 -> doc.remove(List.of("version", "pid", "knobs", "knobs").get(e.knob()));
                case 6 -> {
                    if (knobs != null) {
                        knobs.add(JSON.valueToTree(e.value()));
                    }
                }
                case 7 -> cut = e.cut();
                case 8 -> tail = String.valueOf(e.value());
                default -> {
                    if (k != null) {
                        k.put("id", String.valueOf(e.value()));
                    }
                }
            }
        }
        String text = doc.toString();
        if (cut >= 0 && cut < text.length()) {
            text = text.substring(0, cut);
        }
        return text + tail;
    }

    /** A state a run of cohort would leave: four knobs, one announced, one left to someone else. */
    private static ObjectNode valid() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("version", 2);
        doc.put("pid", 4242);
        ArrayNode knobs = doc.putArray("knobs");
        knob(knobs, root.resolve("sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq").toString(), "3401000", "2000000", null);
        knob(knobs, root.resolve("sys/fs/cgroup/batch.slice/cpu.max").toString(), "max 100000", "50000 100000", null);
        knob(knobs, root.resolve("sys/fs/resctrl/be/schemata") + "#MB:0", "100", "50", null);
        knob(knobs, root.resolve("sys/fs/cgroup/batch.slice/cpu.weight").toString(), "100", "50", "300");
        ((ObjectNode) knobs.get(0)).putArray("intended").add("2800000");
        return doc;
    }

    private static void knob(ArrayNode knobs, String id, String original, String last, String left) {
        ObjectNode k = knobs.addObject();
        k.put("id", id);
        k.put("description", "a knob");
        k.put("original", original);
        k.put("lastWritten", last);
        k.put("left", left);
    }

    /** JSON values worth trying: paths in and out of the trees, fragments, numbers, null, containers. */
    private Arbitrary<Object> values() {
        String r = root.toString();
        Arbitrary<Object> paths = Arbitraries.of(r + "/sys/fs/cgroup/../../../../outside.txt", dir.resolve("outside.txt").toString(),
                r + "/etc/passwd", r + "/sys/fs/cgroup", r + "/sys/fs/resctrl#group", r + "/sys/fs/resctrl/info#group",
                r + "/sys/fs/resctrl/be/schemata#MB:x", r + "/sys/fs/resctrl/be/schemata#L3:0", r + "/sys/fs/resctrl/be#group",
                r + "/sys/fs/cgroup/batch.slice/./cpu.max", r + "/sys/devices/system/cpu/cpufreq/policy0/scaling_min_freq",
                r + "/sys/class/powercap/intel-rapl:0/constraint_0_power_limit_uw", "relative/path", "", "/", "#group",
                r + "/sys/fs/cgroup/batch.slice/cpu.max#", r + "/sys/fs/cgroup/batch.slice/cpu.max\u0000x");
        Arbitrary<Object> strings = Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s);
        Arbitrary<Object> numbers = Arbitraries.oneOf(Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.of(Double.MAX_VALUE, -1.5, 0, 3, Long.MAX_VALUE).map(x -> (Object) x));
        Arbitrary<Object> others = Arbitraries.of(List.of(), List.of("a", 1), Map.of("k", "v"), true, "2000000", "max 100000");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, paths), net.jqwik.api.Tuple.of(2, strings),
                net.jqwik.api.Tuple.of(2, numbers), net.jqwik.api.Tuple.of(2, others)).injectNull(0.1);
    }
}
