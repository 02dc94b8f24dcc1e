package dev.cohort.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML configuration document (the daemon's configuration, a scenario, a training run) as a tree that remembers
 * where each value was written, so that every error is one line naming the file, the line, the key and what is
 * allowed: {@code cohort.yaml:14: cgroups[0].slo.target: '5xs' is not a duration (...)},
 * {@code steady.yaml:9: machine.frequency.maxMhz: expected a number from 100 to 10000, got 'fast'}.
 *
 * <p>Readers take values with typed getters, each with a default for an absent (or null) key. Unknown keys are
 * errors, checked one of two ways: {@link #allow} names a mapping's keys before it is read, or {@link #finish}, after
 * reading, rejects the keys no getter asked for. Built by {@link #parse} ({@link ConfigYaml}); used only while
 * loading, by one thread.
 */
public final class ConfigNode {
    private enum Kind { MAPPING, LIST, SCALAR, NULL }

    private static final String A_MAPPING = "a mapping of keys (key: value)";

    private final String file;
    private final String path;
    private final int line;
    private final Kind kind;
    private final Map<String, ConfigNode> children;
    private final Map<String, Integer> keyLines;
    private final List<ConfigNode> items;
    private final ConfigScalar scalar;
    private final Set<String> used = new LinkedHashSet<>();

    private ConfigNode(String file, String path, int line, Kind kind, Map<String, ConfigNode> children,
                       Map<String, Integer> keyLines, List<ConfigNode> items, ConfigScalar scalar) {
        this.file = file;
        this.path = path;
        this.line = line;
        this.kind = kind;
        this.children = children;
        this.keyLines = keyLines;
        this.items = items;
        this.scalar = scalar;
    }

    static ConfigNode mapping(String file, String path, int line, Map<String, ConfigNode> children, Map<String, Integer> keyLines) {
        return new ConfigNode(file, path, line, Kind.MAPPING, children, keyLines, null, null);
    }

    static ConfigNode list(String file, String path, int line, List<ConfigNode> items) {
        return new ConfigNode(file, path, line, Kind.LIST, null, null, items, null);
    }

    /** A scalar; {@code scalar} null for YAML's null ({@code ~}, {@code null} or nothing), which reads as absent. */
    static ConfigNode scalar(String file, String path, int line, ConfigScalar scalar) {
        return new ConfigNode(file, path, line, scalar == null ? Kind.NULL : Kind.SCALAR, null, null, null, scalar);
    }

    /**
     * Parses a YAML document whose top level is a mapping; an empty document is an empty mapping.
     *
     * @param file name used in error messages
     * @throws CohortException naming the file and line of a syntax error, a key written twice, or a top level that is
     *                         not a mapping
     */
    public static ConfigNode parse(String file, String yaml) {
        return ConfigYaml.read(file, yaml);
    }

    /** The text with line breaks and other control characters written as escapes: an error is always one line. */
    public static String oneLine(String text) {
        return ConfigText.oneLine(text);
    }

    /** The file this value came from, as given to {@link #parse}. */
    public String file() {
        return file;
    }

    /** The line of this value's key (1-based); at the top level and for a list item, the line the value starts on. */
    public int line() {
        return line;
    }

    /** The line of {@code key} in this mapping; this mapping's line when the key is absent. */
    public int line(String key) {
        children();
        return keyLines.getOrDefault(key, line);
    }

    /** The key path, e.g. {@code cgroups[1].slo.target}; empty at the top level. */
    public String path() {
        return path;
    }

    /** An error about this value, naming file, line and key. */
    public CohortException error(String message) {
        return new CohortException(ConfigText.oneLine(file + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + message));
    }

    /** An error about the value of {@code key} in this mapping: at the key's line, or at this mapping's when it is absent. */
    public CohortException error(String key, String problem) {
        return new CohortException(ConfigText.oneLine(file + ":" + line(key) + ": " + ConfigText.pathOf(path, key) + ": " + problem));
    }

    /** True when the mapping has the key with a non-null value. */
    public boolean has(String key) {
        ConfigNode n = children().get(key);
        return n != null && n.kind != Kind.NULL;
    }

    /** Rejects any key of this mapping not in {@code allowed}, listing the allowed keys. */
    public ConfigNode allow(String... allowed) {
        List<String> ok = List.of(allowed);
        for (String k : children().keySet()) {
            if (!ok.contains(k)) {
                throw unknown(k, ok);
            }
        }
        return this;
    }

    /**
     * Rejects keys of this mapping that no getter asked for, and recurses into the mappings and list items that were
     * read. Call once, after reading a mapping.
     */
    public void finish() {
        for (var e : children().entrySet()) {
            if (!used.contains(e.getKey())) {
                throw unknown(e.getKey(), used);
            }
            ConfigNode c = e.getValue();
            if (c.kind == Kind.MAPPING) {
                c.finish();
            } else if (c.kind == Kind.LIST) {
                for (ConfigNode i : c.items) {
                    if (i.kind == Kind.MAPPING) {
                        i.finish();
                    }
                }
            }
        }
    }

    private CohortException unknown(String key, Collection<String> allowed) {
        return new CohortException(ConfigText.oneLine(file + ":" + keyLines.get(key) + ": " + ConfigText.pathOf(path, key)
                + ": unknown key" + (allowed.isEmpty() ? "" : " (allowed here: " + String.join(", ", allowed) + ")")));
    }

    /** True when {@code key} holds a mapping (a key that takes one value or several spellings asks this first). */
    public boolean isMapping(String key) {
        ConfigNode n = children().get(key);
        return n != null && n.kind == Kind.MAPPING;
    }

    /** A nested mapping; an absent (or null) key gives an empty one, so its defaults apply. */
    public ConfigNode mapping(String key) {
        ConfigNode n = take(key);
        if (n == null || n.kind == Kind.NULL) {
            return mapping(file, ConfigText.pathOf(path, key), line(key), Map.of(), Map.of());
        }
        if (n.kind != Kind.MAPPING) {
            throw n.error("expected " + A_MAPPING + ", got " + n.describe());
        }
        return n;
    }

    /** A list of mappings; absent = empty. */
    public List<ConfigNode> list(String key) {
        ConfigNode n = take(key);
        if (n == null || n.kind == Kind.NULL) {
            return List.of();
        }
        if (n.kind != Kind.LIST) {
            throw n.error("expected a list (items starting with '- '), got " + n.describe());
        }
        for (ConfigNode i : n.items) {
            if (i.kind != Kind.MAPPING) {
                throw i.error("expected " + A_MAPPING + ", got " + i.describe());
            }
        }
        return Collections.unmodifiableList(n.items);
    }

    /** Text; {@code def} when absent. Any single value reads as the text it was written as. */
    public String text(String key, String def) {
        return read(key, def, "a single value", ConfigScalar::text);
    }

    /** A required piece of text, not blank. */
    public String text(String key) {
        String s = text(key, null);
        if (s == null) {
            throw error(key, "missing (required)");
        }
        if (s.isBlank()) {
            throw error(key, "must not be empty");
        }
        return s;
    }

    /** A value converted by {@code parse} from its text (stripped); its IllegalArgumentException becomes a located error. */
    public <T> T value(String key, T def, Function<String, T> parse) {
        return read(key, def, "a single value", s -> parse.apply(s.text().strip()));
    }

    /** A number in [min, max]; {@code def} when absent. */
    public double number(String key, double def, double min, double max) {
        return read(key, def, ConfigText.numberRange(min, max), s -> s.number(min, max));
    }

    /** A required number in [min, max]. */
    public double number(String key, double min, double max) {
        if (!has(key)) {
            throw error(key, "missing (" + ConfigText.numberRange(min, max) + " is required)");
        }
        return number(key, Double.NaN, min, max);
    }

    /** A whole number in [min, max]; {@code def} when absent. */
    public long integer(String key, long def, long min, long max) {
        return read(key, def, ConfigScalar.wholeRange(min, max), s -> s.whole(min, max));
    }

    /** A whole number in [min, max] that fits an int; {@code def} when absent. */
    public int intValue(String key, int def, int min, int max) {
        return (int) integer(key, def, min, max);
    }

    /** A boolean ({@code true}/{@code false}, or {@code yes}/{@code no}, {@code on}/{@code off}); {@code def} when absent. */
    public boolean bool(String key, boolean def) {
        return read(key, def, "true or false", ConfigScalar::bool);
    }

    /** One of the allowed words; {@code def} when absent. */
    public String choice(String key, String def, List<String> allowed) {
        return read(key, def, "one of " + String.join(", ", allowed), s -> s.choice(allowed));
    }

    /** One of an enum's constants, written in lower case; {@code def} when absent. */
    public <E extends Enum<E>> E choice(String key, E def, Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        String v = choice(key, null, names);
        return v == null ? def : type.getEnumConstants()[names.indexOf(v)];
    }

    /** A CPU list in the kernel's cpulist form ({@code 0-3,8}); {@code def} when absent. */
    public CpuSet cpus(String key, CpuSet def) {
        return read(key, def, "a CPU list like 0-3,8", s -> CpuSet.parse(s.text().strip()));
    }

    /** A two-number range {@code [low, high]} (or one number for both) within [min, max]; {@code def} when absent. */
    public double[] range(String key, double[] def, double min, double max) {
        ConfigNode n = take(key);
        if (n == null || n.kind == Kind.NULL) {
            return def.clone();
        }
        double[] r = null;
        String written = n.kind == Kind.SCALAR ? n.scalar.text() : n.describe();
        if (n.kind == Kind.SCALAR && n.scalar.asNumber().isPresent()) {
            r = new double[]{n.scalar.asNumber().getAsDouble(), n.scalar.asNumber().getAsDouble()};
        } else if (n.kind == Kind.LIST && n.items.size() == 2 && n.items.stream().allMatch(i -> i.kind == Kind.SCALAR
                && i.scalar.asNumber().isPresent())) {
            r = new double[]{n.items.get(0).scalar.asNumber().getAsDouble(), n.items.get(1).scalar.asNumber().getAsDouble()};
            written = "[" + n.items.get(0).scalar.text() + ", " + n.items.get(1).scalar.text() + "]";
        }
        if (r == null) {
            throw n.error("expected [low, high] or one number, got " + n.describe());
        }
        if (!(r[0] >= min && r[1] <= max && r[0] <= r[1])) {
            throw n.error("expected min ≤ low ≤ high ≤ max with min " + ConfigText.number(min) + " and max "
                    + ConfigText.number(max) + ", got " + written);
        }
        return r;
    }

    /** A non-empty list of names (or one comma-separated string); {@code def} when absent. */
    public List<String> strings(String key, List<String> def) {
        ConfigNode n = take(key);
        if (n == null || n.kind == Kind.NULL) {
            return def;
        }
        List<String> out = new ArrayList<>();
        if (n.kind == Kind.SCALAR) {
            for (String s : n.scalar.text().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        } else if (n.kind == Kind.LIST && n.items.stream().allMatch(i -> i.kind == Kind.SCALAR)) {
            n.items.forEach(i -> out.add(i.scalar.text()));
        } else {
            throw n.error("expected a list of names, got " + n.describe());
        }
        if (out.isEmpty()) {
            throw n.error("expected at least one name");
        }
        return out;
    }

    /**
     * Names with non-negative weights: a mapping of name to weight, or a list of names (each weight 1); absent =
     * empty (callers that need some say so).
     */
    public Map<String, Double> weights(String key) {
        ConfigNode n = children().get(key);
        if (n == null || n.kind != Kind.MAPPING) {
            Map<String, Double> out = new LinkedHashMap<>();
            strings(key, List.of()).forEach(s -> out.put(s, 1.0));
            return out;
        }
        used.add(key);
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : n.children.entrySet()) {
            n.used.add(e.getKey());
            ConfigNode w = e.getValue();
            OptionalDouble v = w.kind == Kind.SCALAR ? w.scalar.asNumber() : OptionalDouble.empty();
            if (v.isEmpty() || !(v.getAsDouble() >= 0 && v.getAsDouble() < Double.POSITIVE_INFINITY)) {
                throw w.error("expected a weight of at least 0, got " + w.describe());
            }
            out.put(e.getKey(), v.getAsDouble());
        }
        return out;
    }

    /** A mapping of text to text (e.g. label matchers); empty when absent. */
    public Map<String, String> stringMap(String key) {
        ConfigNode n = mapping(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : n.children.keySet()) {
            out.put(k, n.text(k, ""));
        }
        return out;
    }

    boolean isMapping() {
        return kind == Kind.MAPPING;
    }

    /** The value as messages show what was given instead: {@code 'text'}, {@code a mapping}, {@code a list}. */
    String describe() {
        return switch (kind) {
            case MAPPING -> "a mapping";
            case LIST -> "a list";
            case NULL -> "nothing";
            case SCALAR -> "'" + scalar.text() + "'";
        };
    }

    private Map<String, ConfigNode> children() {
        if (kind != Kind.MAPPING) {
            throw error("expected " + A_MAPPING + ", got " + describe());
        }
        return children;
    }

    /** The value of {@code key}, marked as read; null when absent. */
    private ConfigNode take(String key) {
        used.add(key);
        return children().get(key);
    }

    /**
     * The single value of {@code key}, marked as read, as {@code reading} makes it; {@code def} when absent or null. A
     * mapping or a list is an error saying {@code expected}; so is {@code reading}'s IllegalArgumentException.
     */
    private <T> T read(String key, T def, String expected, Function<ConfigScalar, T> reading) {
        ConfigNode n = take(key);
        if (n == null || n.kind == Kind.NULL) {
            return def;
        }
        if (n.kind != Kind.SCALAR) {
            throw n.error("expected " + expected + ", got " + n.describe());
        }
        try {
            return reading.apply(n.scalar);
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }
}
