package dev.cohort.cli;

import picocli.CommandLine;

/** Parses durations as people write them: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}; returns nanoseconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(v);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 30s, 10m, 1h)");
        }
        double n = Double.parseDouble(m.group(1));
        double nanos = n * switch (m.group(2)) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        if (nanos <= 0) {
            throw new CommandLine.TypeConversionException("duration must be positive, got '" + value + "'");
        }
        return (long) nanos;
    }
}
