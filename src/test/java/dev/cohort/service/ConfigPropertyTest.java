package dev.cohort.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.baseline.Baselines;
import dev.cohort.service.config.DaemonConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any configuration either loads, or {@link DaemonConfig#load} throws a {@link CohortException} whose message is one
 * line naming the file and the key; never another exception. Loading touches nothing on disk: the directory holding
 * the file (and every path the document names, which point into it) hashes the same before and after.
 *
 * <p>Documents are the shipped {@code configs/cohort.yaml} with its keys and values mutated (random strings, numbers,
 * NaN, infinities, negatives, huge values, wrong types, missing and extra keys, paths that climb out of their tree),
 * and, in the second property, the file's text itself cut, spliced and sprinkled with bytes.
 */
class ConfigPropertyTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static final String[] SCALARS = {"NaN", ".nan", ".inf", "-.inf", "Infinity", "-Infinity", "-1", "0", "-0", "1",
            "1e400", "-1e400", "1e-400", "9223372036854775808", "2147483648", "99999999999999999999", "0x10", "", " ", "\n",
            "a\nb", "\r", "\t", "~", "null", "true", "no", "[]", "{}", "../../x", "../../../../outside/cg", "/", ".", "..",
            "info", "mon_groups", "a/b", "0-2000000000", "0-8191", "8192", "0-3,8", "3-1", "-", ",", "5ms", "0ms", "-5ms",
            "1e400ms", "100ms", "10x", "0W", "-1W", "1e400W", "150W", "0GB/s", "40GB/s", "1e400GB/s", "0MHz", "50MHz",
            "16MiB", "0B", "1e400GiB", "static:core=NaN", "static:core=Infinity", "static:core=-0.1", "static:core=1e400",
            "static:core=0.5", "static:", "static:core", "static:=1", "static:core=0.5,core=1", "onnx:", "onnx:/x", "learned",
            "learned,fallback=x", "slo-guard", "headroom", "100%", "always", "never", "sim", "linux", "psi", "prometheus",
            "file", "histogram", "latency-critical", "best-effort", "seconds", "\u0000", "\u2028", "é", "😀", "a: b", "- x",
            "#", "'", "\"", "*a", "&a", "!!binary AA==", "%", "@", "`", "| x", "> x", "? x", "0.5", "0.99999", "1.00001",
            "65535", "65536", "-65535", "9464", "/metrics", "metrics", "x".repeat(300)};
    private static final String[] EXTRA_KEYS = {"perod", "name", "path", "role", "slo", "latency", "source", "port", "metric",
            "file", "unit", "interval", "target", "quantile", "labels", "type", "extra", "", " ", "a.b", "0", "cgroups", "tdp",
            "\n", "key with spaces", "ключ"};

    private static Path dir;
    private static Map<String, Object> shipped;

    @BeforeContainer
    @SuppressWarnings("unchecked")
    static void shippedConfiguration() throws IOException {
        Path shm = Path.of("/dev/shm"); // memory, when there is one: 40 000 small writes, none of them to a disk
        dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "cohort-config-prop")
                : Files.createTempDirectory("cohort-config-prop");
        Path f = Path.of(System.getProperty("cohort.repo", "."), "configs/cohort.yaml");
        shipped = YAML.readValue(f.toFile(), LinkedHashMap.class);
        // the shipped file manages no cgroups; the commented examples are the ones to mutate
        shipped.put("cgroups", new ArrayList<>(List.of(
                new LinkedHashMap<>(Map.of("name", "web", "path", "system.slice/web.service", "role", "latency-critical",
                        "slo", new LinkedHashMap<>(Map.of("target", "5ms", "quantile", 0.99)),
                        "latency", new LinkedHashMap<>(Map.of("source", "prometheus", "port", 9100, "metric", "http_seconds",
                                "labels", new LinkedHashMap<>(Map.of("handler", "/api")))))),
                new LinkedHashMap<>(Map.of("name", "kv", "path", "kv.slice", "role", "latency-critical",
                        "slo", Map.of("target", "800us"), "latency", Map.of("source", "file", "file", "/run/kv/p99"))),
                new LinkedHashMap<>(Map.of("name", "batch", "path", "batch.slice", "role", "best-effort")))));
        // every path the document names points into the hashed directory
        Map<String, Object> paths = (Map<String, Object>) shipped.get("paths");
        paths.put("state_dir", dir.resolve("run").toString());
        paths.put("journal", dir.resolve("journal.jsonl").toString());
        ((Map<String, Object>) shipped.get("host")).put("root", dir.resolve("root").toString());
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 10000)
    void mutatedKeysAndValuesLoadOrFailOnOneLineNamingFileAndKey(@ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        Object doc = deepCopy(shipped);
        int mutations = 1 + rnd.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            doc = mutate(doc, rnd, 0);
        }
        check(YAML.writeValueAsString(doc), true);
    }

    @Property(tries = 10000)
    void mutatedTextLoadsOrFailsOnOneLineNamingTheFile(@ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        StringBuilder text = new StringBuilder(YAML.writeValueAsString(mutate(deepCopy(shipped), rnd, 0)));
        int edits = 1 + rnd.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = rnd.nextInt(text.length() + 1);
            switch (rnd.nextInt(4)) {
                case 0 -> text.insert(at, SCALARS[rnd.nextInt(SCALARS.length)]);
                case 1 -> text.delete(at, Math.min(text.length(), at + rnd.nextInt(20)));
                case 2 -> text.insert(at, (char) rnd.nextInt(128));
                default -> {
                    int from = rnd.nextInt(text.length() + 1);
                    text.insert(at, text.substring(from, Math.min(text.length(), from + rnd.nextInt(60))));
                }
            }
        }
        check(text.toString(), false);
    }

    private static void check(String yaml, boolean structured) throws Exception {
        Path f = dir.resolve("cohort.yaml");
        Files.deleteIfExists(f); // a fresh file: truncating one in place makes ext4 flush it at close (auto_da_alloc)
        Files.write(f, yaml.getBytes(StandardCharsets.UTF_8)); // a lone surrogate (a cut emoji) becomes ?
        String before = hash(dir);
        DaemonConfig c = null;
        String message = null;
        try {
            c = DaemonConfig.load(f);
        } catch (CohortException e) {
            message = e.getMessage();
        } catch (Throwable t) {
            throw new AssertionError("not a CohortException for:\n" + yaml, t);
        }
        assertEquals(before, hash(dir), "loading wrote to disk:\n" + yaml);
        if (message != null) {
            assertFalse(message.contains("\n") || message.contains("\r"), "more than one line: " + message);
            assertTrue(message.startsWith(f + ":"), "does not name the file: " + message);
            String rest = message.substring(f.toString().length() + 1);
            boolean syntax = rest.matches("\\d+: not valid YAML: .*") || rest.matches(" not valid YAML: .*")
                    || rest.matches("\\d+: expected a mapping of keys \\(key: value\\) at the top level, got .*");
            assertTrue(syntax || rest.matches("\\d+: (\\S+|\\S*'.*'\\S*): .+"),
                    "does not name the line and key: " + message + "\nfor:\n" + yaml);
            if (structured) {
                assertFalse(rest.contains("not valid YAML"), "the generator writes valid YAML: " + message + "\n" + yaml);
            }
            return;
        }
        // what loads is safe to use
        for (DaemonConfig.Cgroup g : c.cgroups()) {
            assertFalse(g.path().startsWith("/") || g.path().isEmpty(), g.path());
            for (String seg : g.path().split("/", -1)) {
                assertFalse(seg.isEmpty() || seg.equals("..") || seg.equals("."), g.path());
            }
        }
        String rg = c.host().resctrlGroup();
        assertTrue(rg.matches("[A-Za-z0-9_.-]+") && !rg.equals(".") && !rg.equals("..") && !DaemonConfig.RESCTRL_RESERVED.contains(rg), rg);
        assertTrue(c.controller().tdpWatts() > 0 && Double.isFinite(c.controller().tdpWatts()));
        assertTrue(c.controller().memPeakBytesPerSec() > 0 && Double.isFinite(c.controller().memPeakBytesPerSec()));
        assertTrue(c.host().reservedCpus().isEmpty() || c.host().reservedCpus().get(c.host().reservedCpus().size() - 1) <= DaemonConfig.MAX_CPU);
        for (String p : c.policies().values()) {
            if (Baselines.isBaseline(p)) {
                Baselines.create(p).close();
            }
        }
        Baselines.create(c.fallback()).close();
    }

    @SuppressWarnings("unchecked")
    private static Object mutate(Object node, Random rnd, int depth) {
        if (node instanceof Map<?, ?> m0 && !m0.isEmpty() && rnd.nextInt(5) != 0) {
            Map<String, Object> m = (Map<String, Object>) m0;
            List<String> keys = new ArrayList<>(m.keySet());
            String k = keys.get(rnd.nextInt(keys.size()));
            switch (rnd.nextInt(10)) {
                case 0 -> m.remove(k);
                case 1 -> m.put(EXTRA_KEYS[rnd.nextInt(EXTRA_KEYS.length)], randomValue(rnd, depth));
                case 2 -> {
                    Object v = m.remove(k);
                    m.put(k + (rnd.nextBoolean() ? "s" : "_"), v);
                }
                default -> m.put(k, mutate(m.get(k), rnd, depth + 1));
            }
            return m;
        }
        if (node instanceof List<?> l0 && rnd.nextInt(4) != 0) {
            List<Object> l = (List<Object>) l0;
            if (l.isEmpty() || rnd.nextInt(5) == 0) {
                l.add(rnd.nextBoolean() && !l.isEmpty() ? deepCopy(l.get(rnd.nextInt(l.size()))) : randomValue(rnd, depth));
            } else if (rnd.nextInt(6) == 0) {
                l.remove(rnd.nextInt(l.size()));
            } else {
                int i = rnd.nextInt(l.size());
                l.set(i, mutate(l.get(i), rnd, depth + 1));
            }
            return l;
        }
        return randomValue(rnd, depth);
    }

    private static Object randomValue(Random rnd, int depth) {
        return switch (rnd.nextInt(depth > 4 ? 6 : 9)) {
            case 0, 1, 2 -> SCALARS[rnd.nextInt(SCALARS.length)];
            case 3 -> switch (rnd.nextInt(6)) {
                case 0 -> Double.NaN;
                case 1 -> rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                case 2 -> rnd.nextLong();
                case 3 -> rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20);
                case 4 -> rnd.nextInt(100) - 50;
                default -> rnd.nextDouble();
            };
            case 4 -> randomString(rnd);
            case 5 -> rnd.nextBoolean() ? null : rnd.nextBoolean();
            case 6 -> new ArrayList<>(java.util.Arrays.asList(randomValue(rnd, depth + 1), randomValue(rnd, depth + 1)));
            case 7 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(EXTRA_KEYS[rnd.nextInt(EXTRA_KEYS.length)], randomValue(rnd, depth + 1));
                yield m;
            }
            default -> new LinkedHashMap<>(Map.of("name", randomString(rnd), "path", SCALARS[rnd.nextInt(SCALARS.length)],
                    "role", rnd.nextBoolean() ? "best-effort" : "latency-critical"));
        };
    }

    private static String randomString(Random rnd) {
        int n = rnd.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(switch (rnd.nextInt(4)) {
                case 0 -> (char) (rnd.nextInt(95) + 32);
                case 1 -> (char) rnd.nextInt(32);
                case 2 -> "./-_:,=%"
                        .charAt(rnd.nextInt(8));
                default -> (char) ('a' + rnd.nextInt(26));
            });
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T o) {
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(k, deepCopy(v)));
            return (T) c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(deepCopy(v)));
            return (T) c;
        }
        return o;
    }

    /** Names, sizes and contents of everything under {@code root}. */
    private static String hash(Path root) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted().toList()) {
                md.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(p)) {
                    try {
                        md.update(Files.readAllBytes(p));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
