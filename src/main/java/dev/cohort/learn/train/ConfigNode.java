package dev.cohort.learn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cohort.platform.CohortException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mapping of a training configuration file with the path that leads to it, so every error names the file
 * and the key: {@code qmix.yaml: learning.gama: unknown key (allowed here: gamma, ...)}. Unknown keys are errors.
 */
final class ConfigNode {
    private final String origin;
    private final String path;
    private final JsonNode node;

    private ConfigNode(String origin, String path, JsonNode node) {
        this.origin = origin;
        this.path = path;
        this.node = node;
    }

    static ConfigNode root(String origin, JsonNode doc) {
        if (doc == null || !doc.isObject()) {
            throw new CohortException(origin + ": expected a YAML mapping of training keys at the top level");
        }
        return new ConfigNode(origin, "", doc);
    }

    ConfigNode allow(String... allowed) {
        Set<String> ok = Set.of(allowed);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!ok.contains(k)) {
                throw new CohortException(origin + ": " + pathOf(k) + ": unknown key (allowed here: " + String.join(", ", allowed) + ")");
            }
        }
        return this;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

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

    ConfigNode object(String key) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return new ConfigNode(origin, pathOf(key), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        }
        if (!v.isObject()) {
            throw error(key, "expected a mapping");
        }
        return new ConfigNode(origin, pathOf(key), v);
    }

    String text(String key, String def) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            if (def == null) {
                throw error(key, "required");
            }
            return def;
        }
        if (!v.isValueNode()) {
            throw error(key, "expected a value, got a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return v.asText();
    }

    double number(String key, double def, double min, double max) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def;
        }
        if (!v.isNumber()) {
            throw error(key, "expected a number from " + fmt(min) + " to " + fmt(max) + ", got '" + v.asText() + "'");
        }
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            throw error(key, "expected a number from " + fmt(min) + " to " + fmt(max) + ", got " + fmt(d));
        }
        return d;
    }

    long whole(String key, long def, long min, long max) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw error(key, "expected a whole number from " + min + " to " + max + ", got '" + v.asText() + "'");
        }
        return v.asLong();
    }

    int integer(String key, int def, int min, int max) {
        return (int) whole(key, def, min, max);
    }

    boolean bool(String key, boolean def) {
        JsonNode v = get(key);
        if (v.isMissingNode()) {
            return def;
        }
        if (!v.isBoolean()) {
            throw error(key, "expected true or false, got '" + v.asText() + "'");
        }
        return v.asBoolean();
    }

    /** A two-number range {@code [lo, hi]} (or one number for both). */
    double[] range(String key, double[] def, double min, double max) {
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
            throw error(key, "expected [low, high] or one number, got '" + v + "'");
        }
        if (!(r[0] >= min && r[1] <= max && r[0] <= r[1])) {
            throw error(key, "expected min ≤ low ≤ high ≤ max with min " + fmt(min) + " and max " + fmt(max) + ", got " + v);
        }
        return r;
    }

    /** A list of strings (or one comma-separated string). */
    List<String> strings(String key, List<String> def) {
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
                    throw error(key, "expected a list of names");
                }
                out.add(e.asText());
            }
        } else {
            throw error(key, "expected a list of names");
        }
        if (out.isEmpty()) {
            throw error(key, "expected at least one name");
        }
        return out;
    }

    /** A mapping of names to non-negative weights (or a list of names, each weight 1). */
    Map<String, Double> weights(String key) {
        JsonNode v = get(key);
        Map<String, Double> out = new LinkedHashMap<>();
        if (v.isMissingNode()) {
            throw error(key, "required (scenario names with weights, e.g. {colocation: 1, membw: 1})");
        }
        if (v.isArray() || v.isTextual()) {
            for (String s : strings(key, List.of())) {
                out.put(s, 1.0);
            }
            return out;
        }
        if (!v.isObject()) {
            throw error(key, "expected a mapping of names to weights");
        }
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().isNumber() || e.getValue().asDouble() < 0) {
                throw new CohortException(origin + ": " + pathOf(key) + "." + e.getKey() + ": expected a weight ≥ 0, got '"
                        + e.getValue().asText() + "'");
            }
            out.put(e.getKey(), e.getValue().asDouble());
        }
        if (out.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw error(key, "at least one weight must be positive");
        }
        return out;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
