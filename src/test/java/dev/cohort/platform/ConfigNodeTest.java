package dev.cohort.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The one reader of configuration YAML (daemon configuration, scenarios, training runs): every error one line naming
 * the file, the line and the key; unknown keys refused both ways ({@code allow} before reading, {@code finish} after);
 * values read as YAML means them, with quoted forms the daemon's files have always accepted.
 */
class ConfigNodeTest {
    private enum Colour { RED, DARK_BLUE }

    private static ConfigNode parse(String yaml) {
        return ConfigNode.parse("f.yaml", yaml);
    }

    /** The message of the error {@code read} throws on {@code yaml}'s root, checked to be one line. */
    private static String error(String yaml, Consumer<ConfigNode> read) {
        String m = assertThrows(CohortException.class, () -> read.accept(parse(yaml))).getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        return m;
    }

    @Test
    void errorsNameTheFileTheLineAndTheKeyPath() {
        String yaml = "machine:\n  frequency:\n    maxMhz: fast\nservices:\n  - name: a\n  - name: b\n    cpus: x-y\n";
        assertEquals("f.yaml:3: machine.frequency.maxMhz: expected a number from 100 to 10000, got 'fast'",
                error(yaml, n -> n.mapping("machine").mapping("frequency").number("maxMhz", 1, 100, 10_000)));
        assertEquals("f.yaml:7: services[1].cpus: 'x-y' is not a CPU number or range in cpulist 'x-y' (expected a form like 0-3,8)",
                error(yaml, n -> n.list("services").get(1).cpus("cpus", CpuSet.empty())));
        assertEquals("f.yaml:5: services[0].cpus: missing (required)", error(yaml, n -> n.list("services").get(0).text("cpus")),
                "an absent key: the line of its mapping");
        assertEquals("f.yaml:1: power.watts: missing (a number of at least 0 is required)",
                error(yaml, n -> n.mapping("power").number("watts", 0, Double.MAX_VALUE)), "an absent mapping: its parent's line");
        assertEquals("f.yaml:2: machine.frequency: too fast", parse(yaml).mapping("machine").error("frequency", "too fast").getMessage());
        assertEquals(2, parse(yaml).mapping("machine").mapping("frequency").line(), "a mapping's line is its key's");
        assertEquals("f.yaml:2: machine.frequency.minMhz: missing (required)",
                error(yaml, n -> n.mapping("machine").mapping("frequency").text("minMhz")));
        assertEquals("services[1]", parse(yaml).list("services").get(1).path());
        assertEquals(7, parse(yaml).list("services").get(1).line("cpus"));
        assertEquals(6, parse(yaml).list("services").get(1).line("absent"), "an absent key: the mapping's line");
    }

    @Test
    void unknownKeysAreRefusedBeforeReadingOrAfter() {
        assertEquals("f.yaml:3: rapl: unknown key (allowed here: a, b)", error("a: 1\nb: 2\nrapl: 3\n", n -> n.allow("a", "b")));
        assertEquals("f.yaml:2: x.c: unknown key (allowed here: a)", error("x:\n  c: 1\n", n -> n.mapping("x").allow("a")));
        String yaml = "a: 1\nm: {b: 2, bee: 3}\nl:\n  - {c: 4}\n  - {c: 5, see: 6}\n";
        assertEquals("f.yaml:2: m.bee: unknown key (allowed here: b)", error(yaml, n -> {
            n.intValue("a", 0, 0, 9);
            n.mapping("m").intValue("b", 0, 0, 9);
            n.finish();
        }), "finish recurses into the mappings read");
        assertEquals("f.yaml:5: l[1].see: unknown key (allowed here: c)", error(yaml, n -> {
            ConfigNode m = n.mapping("m");
            m.text("b", null);
            m.text("bee", null);
            n.list("l").forEach(i -> i.text("c", null));
            n.text("a", null);
            n.finish();
        }), "and into the items of the lists read");
        assertEquals("f.yaml:1: a: unknown key", error(yaml, ConfigNode::finish), "nothing read: nothing allowed");
        assertEquals("f.yaml:1: 'a\\nb': unknown key", error("\"a\\nb\": 1\n", n -> n.allow()), "an unusual key is quoted, on one line");
    }

    @Test
    void theDocumentItselfIsCheckedWithItsLine() {
        assertFalse(parse("").has("anything"), "an empty document is an empty mapping");
        assertEquals(1, parse("# only a comment\n").mapping("x").line());
        assertEquals("f.yaml:2: a: the key appears twice (lines 1 and 2)", error("a: 1\na: 2\n", n -> { }));
        assertEquals("f.yaml:3: m.b: the key appears twice (lines 2 and 3)", error("m:\n  b: 1\n  b: 2\n", n -> { }));
        assertEquals("f.yaml:1: expected a mapping of keys (key: value) at the top level, got a list", error("- a\n- b\n", n -> { }));
        assertEquals("f.yaml:1: expected a mapping of keys (key: value) at the top level, got 'text'", error("text\n", n -> { }));
        assertEquals("f.yaml:1: not valid YAML: mapping values are not allowed here", error("a: b: c\n", n -> { }));
        assertEquals("f.yaml:2: not valid YAML: while parsing a flow mapping: expected ',' or '}', but got :",
                error("m: {a: 1\nb: [\n", n -> { }), "the engine's excerpt of the file is left out");
    }

    @Test
    void nestedValuesHaveTheShapeAskedFor() {
        assertEquals("f.yaml:1: m: expected a mapping of keys (key: value), got a list", error("m: [1, 2]\n", n -> n.mapping("m")));
        assertEquals("f.yaml:1: l: expected a list (items starting with '- '), got 'x'", error("l: x\n", n -> n.list("l")));
        assertEquals("f.yaml:3: l[1]: expected a mapping of keys (key: value), got 'x'", error("l:\n  - {a: 1}\n  - x\n", n -> n.list("l")));
        assertEquals("f.yaml:1: v: expected a single value, got a mapping", error("v: {a: 1}\n", n -> n.text("v", "")));
        assertEquals("f.yaml:1: v: expected a number from 0 to 1, got a list", error("v: [1]\n", n -> n.number("v", 0, 0, 1)));
        ConfigNode n = parse("m: ~\nl:\nv: null\n");
        assertEquals(List.of(), n.list("l"));
        assertFalse(n.has("v") || n.has("m") || n.has("absent"), "null is absent");
        assertEquals("d", n.text("v", "d"));
        assertEquals(List.of(), n.mapping("m").list("x"));
    }

    @Test
    void numbersReadAsYamlMeansThemAndQuotedOnlyWhenPlainlyNumbers() {
        ConfigNode n = parse("hex: 0x10\nus: 1_000\nq: \"2.5\"\ne: 1e3\nw: \"7\"\nplus: +5\n");
        assertEquals(16, n.integer("hex", 0, 0, 100));
        assertEquals(1000, n.intValue("us", 0, 0, 10_000));
        assertEquals(2.5, n.number("q", 0, 0, 10));
        assertEquals(1000.0, n.number("e", 0, 0, 1e6));
        assertEquals(7, n.integer("w", 0, 0, 10));
        assertEquals(5, n.integer("plus", 0, 0, 10));
        assertEquals(3.0, n.number("absent", 3, 0, 10));
        for (String bad : new String[]{".inf", "-.inf", ".nan", "\"NaN\"", "\"1d\"", "\"Infinity\"", "1e400", "true", "\"\""}) {
            String m = error("v: " + bad + "\n", r -> r.number("v", 0, 0, Double.MAX_VALUE));
            assertTrue(m.startsWith("f.yaml:1: v: expected a number of at least 0, got '"), m);
        }
        assertEquals("f.yaml:1: v: expected a number from 0.01 to 0.9999, got '2'", error("v: 2\n", r -> r.number("v", 0.5, 0.01, 0.9999)));
        for (String bad : new String[]{"2.0", "1e2", "99999999999999999999", "\"x\"", "-1", "65536"}) {
            assertEquals("f.yaml:1: v: expected a whole number from 0 to 65535, got '" + bad.replace("\"", "") + "'",
                    error("v: " + bad + "\n", r -> r.intValue("v", 0, 0, 65535)));
        }
    }

    @Test
    void textIsWhatWasWritten() {
        ConfigNode n = parse("a: 017\nb: 1.50\nc: ' spaced '\nd: true\ne: \"\"\n");
        assertEquals("017", n.text("a", null));
        assertEquals("1.50", n.text("b"));
        assertEquals(" spaced ", n.text("c"));
        assertEquals("true", n.text("d"));
        assertEquals("f.yaml:5: e: must not be empty", error("a: 017\nb: 1.50\nc: ' spaced '\nd: true\ne: \"\"\n", r -> r.text("e")));
        assertEquals("f.yaml:1: v: 'x\\ny' is bad", error("v: \"x\\ny\"\n", r -> r.value("v", "", s -> {
            throw new IllegalArgumentException("'" + s + "' is bad");
        })), "a parser's message, located, on one line");
        assertEquals(42L, parse("v: ' 42 '\n").value("v", 0L, Long::parseLong), "the text is stripped for a parser");
    }

    @Test
    void booleansAndChoices() {
        ConfigNode n = parse("a: yes\nb: off\nc: \"no\"\nd: True\ncolour: dark_blue\nsource: file\n");
        assertTrue(n.bool("a", false));
        assertFalse(n.bool("b", true));
        assertFalse(n.bool("c", true));
        assertTrue(n.bool("d", false));
        assertTrue(n.bool("absent", true));
        assertEquals(Colour.DARK_BLUE, n.choice("colour", Colour.RED, Colour.class));
        assertEquals(Colour.RED, n.choice("absent", Colour.RED, Colour.class));
        assertEquals("file", n.choice("source", "psi", List.of("psi", "file")));
        assertEquals("f.yaml:1: a: expected true or false, got 'maybe'", error("a: maybe\n", r -> r.bool("a", false)));
        assertEquals("f.yaml:1: c: expected one of red, dark_blue, got 'RED'", error("c: RED\n", r -> r.choice("c", Colour.RED, Colour.class)));
        assertEquals("f.yaml:1: s: expected one of psi, file, got 'x'", error("s: x\n", r -> r.choice("s", "psi", List.of("psi", "file"))));
    }

    @Test
    void listsRangesWeightsAndMaps() {
        ConfigNode n = parse("names: [a, b]\ncsv: 'a, b,,c'\nr: [0.5, 2]\none: 3\n"
                + "w: {steady: 2, membw: 0}\nwl: [steady, membw]\nlabels: {handler: /api, code: 200}\n");
        assertEquals(List.of("a", "b"), n.strings("names", List.of()));
        assertEquals(List.of("a", "b", "c"), n.strings("csv", List.of()));
        assertEquals(List.of("d"), n.strings("absent", List.of("d")));
        assertArrayEquals(new double[]{0.5, 2}, n.range("r", new double[]{1, 1}, 0, 100));
        assertArrayEquals(new double[]{3, 3}, n.range("one", new double[]{1, 1}, 0, 100));
        assertArrayEquals(new double[]{1, 1}, n.range("absent", new double[]{1, 1}, 0, 100));
        assertEquals(Map.of("steady", 2.0, "membw", 0.0), n.weights("w"));
        assertEquals(Map.of("steady", 1.0, "membw", 1.0), n.weights("wl"));
        assertEquals(Map.of(), n.weights("absent"));
        assertEquals(Map.of("handler", "/api", "code", "200"), n.stringMap("labels"));
        assertEquals("f.yaml:1: r: expected min ≤ low ≤ high ≤ max with min 0 and max 100, got [2, 1]",
                error("r: [2, 1]\n", r -> r.range("r", new double[]{1, 1}, 0, 100)));
        assertEquals("f.yaml:1: r: expected [low, high] or one number, got a list",
                error("r: [1, 2, 3]\n", r -> r.range("r", new double[]{1, 1}, 0, 100)));
        assertEquals("f.yaml:2: w.b: expected a weight of at least 0, got '-1'", error("w:\n  b: -1\n", r -> r.weights("w")));
        assertEquals("f.yaml:1: s: expected at least one name", error("s: ' , '\n", r -> r.strings("s", List.of())));
        assertEquals("f.yaml:1: s: expected a list of names, got a list", error("s: [[a]]\n", r -> r.strings("s", List.of())));
    }
}
