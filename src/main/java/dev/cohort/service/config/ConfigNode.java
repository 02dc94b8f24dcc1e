package dev.cohort.service.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML document as a tree that remembers where each value was written, so every configuration error can
 * name the file, the line and the key: {@code /etc/cohort/cohort.yaml:14: cgroups[0].slo.target: '5xs' is not
 * a duration (...)}. Built with Jackson's streaming YAML parser, whose token locations carry the line.
 *
 * <p>Readers take values with typed getters ({@link #string}, {@link #duration}, ...), each with a default for
 * an absent key; {@link #finish} then rejects keys nobody asked for (a misspelt option is an error, not ignored).
 */
public final class ConfigNode {
    private static final YAMLFactory YAML = new YAMLFactory();

    private enum Kind { MAP, LIST, SCALAR, NULL }

    private final String file;
    private final String path;
    private final int line;
    private final Kind kind;
    private final LinkedHashMap<String, ConfigNode> map;
    private final List<ConfigNode> list;
    private final String text;
    private final Set<String> used = new LinkedHashSet<>();

    private ConfigNode(String file, String path, int line, Kind kind, LinkedHashMap<String, ConfigNode> map,
                       List<ConfigNode> list, String text) {
        this.file = file;
        this.path = path;
        this.line = line;
        this.kind = kind;
        this.map = map;
        this.list = list;
        this.text = text;
    }

    /**
     * Parses a YAML document; an empty document is an empty map.
     *
     * @param file name used in error messages
     * @throws CohortException naming the file and line of a syntax error or a document that is not a map
     */
    public static ConfigNode parse(String file, String yaml) {
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new ConfigNode(file, "", 1, Kind.MAP, new LinkedHashMap<>(), null, null);
            }
            ConfigNode root = read(file, "", p);
            if (root.kind != Kind.MAP) {
                throw new CohortException(oneLine(file + ":" + root.line + ": the configuration must be a map of options (key: value)"));
            }
            return root;
        } catch (JsonProcessingException e) {
            int l = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new CohortException(oneLine(file + ":" + l + ": not valid YAML: "
                    + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("")));
        } catch (IOException e) {
            throw new CohortException(oneLine(file + ": cannot read it: " + e.getMessage()));
        } catch (CohortException e) {
            throw e;
        } catch (RuntimeException e) {
            // the YAML engine's own exceptions (a construct Jackson does not wrap) are bad input too, not a crash
            throw new CohortException(oneLine(file + ": not valid YAML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
        }
    }

    private static ConfigNode read(String file, String path, JsonParser p) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                LinkedHashMap<String, ConfigNode> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String child = path.isEmpty() ? keyName(key) : path + "." + keyName(key);
                    if (m.containsKey(key)) {
                        throw new CohortException(oneLine(file + ":" + keyLine + ": " + child + ": the key appears twice"));
                    }
                    p.nextToken();
                    m.put(key, read(file, child, p));
                }
                return new ConfigNode(file, path, line, Kind.MAP, m, null, null);
            }
            case START_ARRAY -> {
                List<ConfigNode> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(file, path + "[" + l.size() + "]", p));
                }
                return new ConfigNode(file, path, line, Kind.LIST, null, l, null);
            }
            case VALUE_NULL -> {
                return new ConfigNode(file, path, line, Kind.NULL, null, null, null);
            }
            default -> {
                return new ConfigNode(file, path, line, Kind.SCALAR, null, null, p.getText());
            }
        }
    }

    /** The line the value starts on. */
    public int line() {
        return line;
    }

    /** The key path, e.g. {@code cgroups[1].slo.target}. */
    public String path() {
        return path;
    }

    /** An error about this value, naming file, line and key. */
    public CohortException error(String message) {
        return new CohortException(oneLine(file + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + message));
    }

    /** A key as errors show it: quoted when it is empty or holds anything but letters, digits and {@code _-.}. */
    static String keyName(String key) {
        return key.matches("[A-Za-z0-9_.-]+") ? key : "'" + key + "'";
    }

    /** The text with line breaks and other control characters written as escapes: an error is always one line. */
    static String oneLine(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean control = ch < 0x20 || ch == 0x7f || ch == '\u2028' || ch == '\u2029' || ch == '\u0085';
            if (control && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (b != null) {
                switch (ch) {
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (control) {
                            b.append(String.format("\\u%04x", (int) ch));
                        } else {
                            b.append(ch);
                        }
                    }
                }
            }
        }
        return b == null ? text : b.toString();
    }

    /** An error about the value of {@code key} in this map: its own line and path (this map's when absent). */
    public CohortException errorAt(String key, String message) {
        ConfigNode n = map().get(key);
        return n != null ? n.error(message) : error(key + ": " + message);
    }

    /** True when the map has the key with a non-null value. */
    public boolean has(String key) {
        ConfigNode n = map().get(key);
        return n != null && n.kind != Kind.NULL;
    }

    /** A child map (an empty one, at this node's line, when absent). */
    public ConfigNode child(String key) {
        ConfigNode n = take(key);
        if (n == null || n.kind == Kind.NULL) {
            String p = path.isEmpty() ? key : path + "." + key;
            return new ConfigNode(file, p, line, Kind.MAP, new LinkedHashMap<>(), null, null);
        }
        if (n.kind != Kind.MAP) {
            throw n.error("expected a map of options (key: value)");
        }
        return n;
    }

    /** A child list (empty when absent). */
    public List<ConfigNode> list(String key) {
        ConfigNode n = take(key);
        if (n == null || n.kind == Kind.NULL) {
            return List.of();
        }
        if (n.kind != Kind.LIST) {
            throw n.error("expected a list (items starting with '- ')");
        }
        return Collections.unmodifiableList(n.list);
    }

    /** The keys of this map, in file order. */
    public List<String> keys() {
        return List.copyOf(map().keySet());
    }

    /** A string option. */
    public String string(String key, String def) {
        ConfigNode n = take(key);
        if (n == null || n.kind == Kind.NULL) {
            return def;
        }
        if (n.kind != Kind.SCALAR) {
            throw n.error("expected a single value");
        }
        return n.text;
    }

    /** A required string option. */
    public String requiredString(String key) {
        String s = string(key, null);
        if (s == null) {
            throw error("missing required key '" + key + "'");
        }
        if (s.isBlank()) {
            throw errorAt(key, "must not be empty");
        }
        return s;
    }

    /** An option converted by {@code parse}; its IllegalArgumentException becomes a located error. */
    public <T> T value(String key, T def, Function<String, T> parse) {
        ConfigNode n = take(key);
        if (n == null || n.kind == Kind.NULL) {
            return def;
        }
        if (n.kind != Kind.SCALAR) {
            throw n.error("expected a single value");
        }
        try {
            return parse.apply(n.text.strip());
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    /** A duration option in nanoseconds ({@code 100ms}). */
    public long duration(String key, long defNanos) {
        return value(key, defNanos, Units::nanos);
    }

    /** A boolean option ({@code true}/{@code false}). */
    public boolean bool(String key, boolean def) {
        return value(key, def, s -> switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not true or false");
        });
    }

    /** An integer option in {@code [min, max]}. */
    public int integer(String key, int def, int min, int max) {
        return value(key, def, s -> {
            int v;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a whole number");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(v + " is outside " + min + ".." + max);
            }
            return v;
        });
    }

    /** A number option in {@code [min, max]}. */
    public double number(String key, double def, double min, double max) {
        return value(key, def, s -> {
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a number");
            }
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException(s + " is outside " + Units.trim(min) + ".." + Units.trim(max));
            }
            return v;
        });
    }

    /** One of the allowed words. */
    public String choice(String key, String def, List<String> allowed) {
        return value(key, def, s -> {
            if (!allowed.contains(s)) {
                throw new IllegalArgumentException("'" + s + "' is not one of " + String.join(", ", allowed));
            }
            return s;
        });
    }

    /** A map of string to string (e.g. label matchers); empty when absent. */
    public Map<String, String> stringMap(String key) {
        ConfigNode n = child(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : n.keys()) {
            out.put(k, n.string(k, ""));
        }
        return out;
    }

    /**
     * Rejects keys of this map that no getter asked for, and recurses into child maps and list items that were
     * read. Call once after reading a map.
     */
    public void finish() {
        for (var e : map().entrySet()) {
            if (!used.contains(e.getKey())) {
                throw new CohortException(oneLine(file + ":" + e.getValue().line + ": " + (path.isEmpty() ? "" : path + ".")
                        + keyName(e.getKey()) + ": unknown option" + (used.isEmpty() ? "" : " (known here: " + String.join(", ", used) + ")")));
            }
            ConfigNode c = e.getValue();
            if (c.kind == Kind.MAP) {
                c.finish();
            } else if (c.kind == Kind.LIST) {
                for (ConfigNode i : c.list) {
                    if (i.kind == Kind.MAP) {
                        i.finish();
                    }
                }
            }
        }
    }

    /** Marks keys as known without reading them (options read elsewhere). */
    public void accept(String... keys) {
        Collections.addAll(used, keys);
    }

    private Map<String, ConfigNode> map() {
        if (kind != Kind.MAP) {
            throw error("expected a map of options (key: value)");
        }
        return map;
    }

    private ConfigNode take(String key) {
        used.add(key);
        return map().get(key);
    }
}
