package dev.cohort.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One mapping of a strict YAML file (a scenario, a training configuration), with the path that leads to it, so
 * that every error is one line naming the file, the key and what is allowed:
 * {@code steady.yaml: machine.frequency.maxMhz: expected a number from 100 to 10000, got 'fast'}. Unknown keys
 * are errors ({@link #allow}). Read with Jackson's tree model; used only while loading.
 */
public final class YamlNode {
    private final String origin;
    private final String path;
    private final JsonNode node;

    private YamlNode(String origin, String path, JsonNode node) {
        this.origin = origin;
        this.path = path;
        this.node = node;
    }

    /** The document root, which must be a mapping; {@code what} names its keys for the message (e.g. "scenario"). */
    public static YamlNode root(String origin, JsonNode doc, String what) {
        if (doc == null || !doc.isObject()) {
            throw new CohortException(origin + ": expected a YAML mapping of " + what + " keys at the top level");
        }
        return new YamlNode(origin, "", doc);
    }

    /** Rejects any key not in {@code allowed}, listing the allowed keys. */
    public YamlNode allow(String... allowed) {
        Set<String> ok = Set.of(allowed);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!ok.contains(k)) {
                throw new CohortException(origin + ": " + pathOf(k) + ": unknown key (allowed here: "
                        + String.join(", ", allowed) + ")");
            }
        }
        return this;
    }

    /** The dotted path of a key under this node, for messages. */
    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The file this node came from. */
    public String origin() {
        return origin;
    }

    /** An error about {@code key}. */
    public CohortException error(String key, String problem) {
        return new CohortException(origin + ": " + pathOf(key) + ": " + problem);
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    private JsonNode get(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? MissingNode.getInstance() : v;
    }

    /** A nested mapping; an absent key gives an empty one, so its defaults apply. */
    public YamlNode object(String key) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return new YamlNode(origin, pathOf(key), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        }
        if (!v.isObject()) {
            throw error(key, "expected a mapping of keys, got " + describe(v));
        }
        return new YamlNode(origin, pathOf(key), v);
    }

    /** A list of mappings; absent = empty. */
    public List<YamlNode> list(String key) {
        JsonNode v = get(key);
        List<YamlNode> out = new ArrayList<>();
        if (v.isMissingNode()) {
            return out;
        }
        if (!v.isArray()) {
            throw error(key, "expected a list, got " + describe(v));
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String p = pathOf(key) + "[" + i + "]";
            if (!e.isObject()) {
                throw new CohortException(origin + ": " + p + ": expected a mapping of keys, got " + describe(e));
            }
            out.add(new YamlNode(origin, p, e));
        }
        return out;
    }

    /**
     * Names with non-negative weights: a mapping of name to weight, or a list of names (each weight 1); absent =
     * empty (callers that need some say so).
     */
    public Map<String, Double> weights(String key) {
        JsonNode v = get(key);
        Map<String, Double> out = new LinkedHashMap<>();
        if (v.isMissingNode()) {
            return out;
        }
        if (v.isArray() || v.isTextual()) {
            for (String s : strings(key, List.of())) {
                out.put(s, 1.0);
            }
            return out;
        }
        if (!v.isObject()) {
            throw error(key, "expected a mapping of names to weights, got " + describe(v));
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            JsonNode w = e.getValue();
            if (!w.isNumber() || !Double.isFinite(w.asDouble()) || w.asDouble() < 0) {
                throw new CohortException(origin + ": " + pathOf(key) + "." + e.getKey()
                        + ": expected a weight of at least 0, got " + describe(w));
            }
            out.put(e.getKey(), w.asDouble());
        }
        return out;
    }

    /** A number in [min, max]; {@code def} when absent. */
    public double number(String key, double def, double min, double max) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < min || v.asDouble() > max) {
            throw error(key, "expected " + range(min, max) + ", got " + describe(v));
        }
        return v.asDouble();
    }

    /** A required number in [min, max]. */
    public double number(String key, double min, double max) {
        if (!has(key)) {
            throw error(key, "missing (" + range(min, max) + " is required)");
        }
        return number(key, Double.NaN, min, max);
    }

    /** A whole number in [min, max]; {@code def} when absent. */
    public long integer(String key, long def, long min, long max) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw error(key, "expected a whole number from " + min + " to " + max + ", got " + describe(v));
        }
        return v.asLong();
    }

    /** Text; {@code def} when absent. */
    public String text(String key, String def) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def;
        }
        if (!v.isValueNode()) {
            throw error(key, "expected text, got " + describe(v));
        }
        return v.asText();
    }

    /** A required piece of text. */
    public String text(String key) {
        if (!has(key)) {
            throw error(key, "missing (required)");
        }
        return text(key, null);
    }

    /** A boolean; {@code def} when absent. */
    public boolean bool(String key, boolean def) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def;
        }
        if (!v.isBoolean()) {
            throw error(key, "expected true or false, got " + describe(v));
        }
        return v.asBoolean();
    }

    /** One of an enum's constants, written in lower case; {@code def} when absent. */
    public <E extends Enum<E>> E choice(String key, E def, Class<E> type) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String n = e.name().toLowerCase(Locale.ROOT);
            names.add(n);
            if (v.isTextual() && v.asText().equals(n)) {
                return e;
            }
        }
        throw error(key, "expected one of " + String.join(", ", names) + ", got " + describe(v));
    }

    /** A CPU list in the kernel's cpulist form ({@code 0-3,8}); {@code def} when absent. */
    public CpuSet cpus(String key, CpuSet def) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def;
        }
        if (!v.isValueNode()) {
            throw error(key, "expected a CPU list like 0-3,8, got " + describe(v));
        }
        try {
            return CpuSet.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    /** A whole number in [min, max] that fits an int; {@code def} when absent. */
    public int intValue(String key, int def, int min, int max) {
        return (int) integer(key, def, min, max);
    }

    /** A two-number range {@code [low, high]} (or one number for both) within [min, max]; {@code def} when absent. */
    public double[] range(String key, double[] def, double min, double max) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def.clone();
        }
        double[] r;
        if (v.isNumber()) {
            r = new double[]{v.asDouble(), v.asDouble()};
        } else if (v.isArray() && v.size() == 2 && v.get(0).isNumber() && v.get(1).isNumber()) {
            r = new double[]{v.get(0).asDouble(), v.get(1).asDouble()};
        } else {
            throw error(key, "expected [low, high] or one number, got " + describe(v));
        }
        if (!(r[0] >= min && r[1] <= max && r[0] <= r[1])) {
            throw error(key, "expected min ≤ low ≤ high ≤ max with min " + fmt(min) + " and max " + fmt(max) + ", got " + v);
        }
        return r;
    }

    /** A non-empty list of names (or one comma-separated string); {@code def} when absent. */
    public List<String> strings(String key, List<String> def) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def;
        }
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            for (String s : v.asText().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isValueNode()) {
                    throw error(key, "expected a list of names, got " + describe(v));
                }
                out.add(e.asText());
            }
        } else {
            throw error(key, "expected a list of names, got " + describe(v));
        }
        if (out.isEmpty()) {
            throw error(key, "expected at least one name");
        }
        return out;
    }

    private static String describe(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return "'" + v.asText() + "'";
    }

    private static String range(double min, double max) {
        return max >= Double.MAX_VALUE ? "a number of at least " + fmt(min) : "a number from " + fmt(min) + " to " + fmt(max);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
