package dev.cohort.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads YAML text into a {@link ConfigNode} tree with Jackson's streaming YAML parser, whose token locations carry the
 * line each value starts on. A key written twice and a syntax error are errors naming the file and the line.
 */
final class ConfigYaml {
    private static final YAMLFactory YAML = new YAMLFactory();

    private ConfigYaml() {
    }

    /** The document's root mapping; an empty document is an empty mapping. */
    static ConfigNode read(String file, String yaml) {
        try (JsonParser p = YAML.createParser(yaml)) {
            if (p.nextToken() == null) {
                return ConfigNode.mapping(file, "", 1, new LinkedHashMap<>(), new LinkedHashMap<>());
            }
            ConfigNode root = node(file, "", p, 0);
            if (!root.isMapping()) {
                throw new CohortException(ConfigText.oneLine(file + ":" + root.line()
                        + ": expected a mapping of keys (key: value) at the top level, got " + root.describe()));
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new CohortException(ConfigText.oneLine(file + ":" + line + ": not valid YAML: " + why(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new CohortException(ConfigText.oneLine(file + ": cannot read it: " + e.getMessage()));
        } catch (CohortException e) {
            throw e;
        } catch (RuntimeException e) {
            // the YAML engine's own exceptions (a construct Jackson does not wrap) are bad input too, not a crash
            throw new CohortException(ConfigText.oneLine(file + ": not valid YAML: " + why(e.getMessage())));
        }
    }

    /**
     * The YAML engine's message without its excerpt of the file: it writes what it was doing and what it found on
     * lines of their own, each followed by {@code in 'reader', line L, column C:}, the line and a caret.
     */
    static String why(String message) {
        String m = String.valueOf(message);
        String kept = m.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip).collect(Collectors.joining(": "));
        return kept.isEmpty() ? m.strip() : kept;
    }

    /** The value at the parser's token; its line is its key's ({@code keyLine}), or its own at the top and in lists (0). */
    private static ConfigNode node(String file, String path, JsonParser p, int keyLine) throws IOException {
        int line = keyLine > 0 ? keyLine : p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, ConfigNode> children = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int at = p.currentTokenLocation().getLineNr();
                    String child = ConfigText.pathOf(path, key);
                    if (children.containsKey(key)) {
                        throw new CohortException(ConfigText.oneLine(file + ":" + at + ": " + child
                                + ": the key appears twice (lines " + keyLines.get(key) + " and " + at + ")"));
                    }
                    keyLines.put(key, at);
                    p.nextToken();
                    children.put(key, node(file, child, p, at));
                }
                return ConfigNode.mapping(file, path, line, children, keyLines);
            }
            case START_ARRAY -> {
                List<ConfigNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(file, path + "[" + items.size() + "]", p, 0));
                }
                return ConfigNode.list(file, path, line, items);
            }
            default -> {
                return ConfigNode.scalar(file, path, line, t == JsonToken.VALUE_NULL ? null
                        : new ConfigScalar(p.getText(), t, t.isNumeric() ? number(p) : null));
            }
        }
    }

    /** The number YAML means by a number token; null when it cannot hold it ({@code .inf}, {@code .nan}). */
    private static Number number(JsonParser p) {
        try {
            return p.getNumberValue();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
