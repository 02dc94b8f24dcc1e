package dev.cohort.policy;

import dev.cohort.platform.CohortException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads typed values from ONNX metadata, failing with a message that names the file, the key and the value. */
final class MetadataReader {
    private final Map<String, String> md;
    private final String source;

    MetadataReader(Map<String, String> md, String source) {
        this.md = md;
        this.source = source;
    }

    String required(String key) {
        String v = md.get(key);
        if (v == null || v.isBlank()) {
            throw new CohortException(source + ": model contract lacks " + key);
        }
        return v.strip();
    }

    String optional(String key) {
        String v = md.get(key);
        return v == null || v.isBlank() ? ModelProvenance.UNKNOWN : v.strip();
    }

    List<String> list(String key) {
        String v = md.get(key);
        return v == null || v.isBlank() ? List.of() : Arrays.stream(v.split(",")).map(String::strip).toList();
    }

    int integer(String key) {
        return parse(key, Integer::parseInt);
    }

    <T> T parse(String key, Function<String, T> parser) {
        return convert(key, required(key), parser);
    }

    <T> T parse(String key, String fallback, Function<String, T> parser) {
        String v = md.get(key);
        return convert(key, v == null || v.isBlank() ? fallback : v.strip(), parser);
    }

    static boolean bool(String s) {
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }

    private <T> T convert(String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new CohortException(source + ": model contract " + key + " = '" + value + "' is malformed"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }
}
