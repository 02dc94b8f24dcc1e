package dev.cohort.platform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.CpuSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One mapping of a scenario file, with the path that leads to it, so that every error names the file, the
 * key and what is allowed: {@code steady.yaml: machine.frequency.maxMhz: expected a number from 100 to
 * 10000, got 'fast'}. Unknown keys are errors. Used only while loading.
 */
final class SpecNode {
    private final String origin;
    private final String path;
    private final JsonNode node;

    private SpecNode(String origin, String path, JsonNode node) {
        this.origin = origin;
        this.path = path;
        this.node = node;
    }

    /** The document root, which must be a mapping. */
    static SpecNode root(String origin, JsonNode doc) {
        if (doc == null || !doc.isObject()) {
            throw new CohortException(origin + ": expected a YAML mapping of scenario keys at the top level");
        }
        return new SpecNode(origin, "", doc);
    }

    /** Rejects any key not in {@code allowed}, listing the allowed keys. */
    SpecNode allow(String... allowed) {
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
    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The file this node came from. */
    String origin() {
        return origin;
    }

    /** An error about {@code key}. */
    CohortException error(String key, String problem) {
        return new CohortException(origin + ": " + pathOf(key) + ": " + problem);
    }

    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    private JsonNode get(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? MissingNode.getInstance() : v;
    }

    /** A nested mapping; an absent key gives an empty one, so its defaults apply. */
    SpecNode object(String key) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return new SpecNode(origin, pathOf(key), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        }
        if (!v.isObject()) {
            throw error(key, "expected a mapping of keys, got " + describe(v));
        }
        return new SpecNode(origin, pathOf(key), v);
    }

    /** A list of mappings; absent = empty. */
    List<SpecNode> list(String key) {
        JsonNode v = get(key);
        List<SpecNode> out = new ArrayList<>();
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
            out.add(new SpecNode(origin, p, e));
        }
        return out;
    }

    /** A mapping of names to numbers (e.g. trace size columns and their weights); absent = empty. */
    Map<String, Double> weights(String key) {
        JsonNode v = get(key);
        Map<String, Double> out = new LinkedHashMap<>();
        if (v.isMissingNode()) {
            return out;
        }
        if (!v.isObject()) {
            throw error(key, "expected a mapping of column name to weight, got " + describe(v));
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
                throw new CohortException(origin + ": " + pathOf(key) + "." + e.getKey()
                        + ": expected a number (the column's weight), got " + describe(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().asDouble());
        }
        return out;
    }

    /** A number in [min, max]; {@code def} when absent. */
    double number(String key, double def, double min, double max) {
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
    double number(String key, double min, double max) {
        if (!has(key)) {
            throw error(key, "missing (" + range(min, max) + " is required)");
        }
        return number(key, Double.NaN, min, max);
    }

    /** A whole number in [min, max]; {@code def} when absent. */
    long integer(String key, long def, long min, long max) {
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
    String text(String key, String def) {
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
    String text(String key) {
        if (!has(key)) {
            throw error(key, "missing (required)");
        }
        return text(key, null);
    }

    /** A boolean; {@code def} when absent. */
    boolean bool(String key, boolean def) {
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
    <E extends Enum<E>> E choice(String key, E def, Class<E> type) {
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
    CpuSet cpus(String key, CpuSet def) {
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
