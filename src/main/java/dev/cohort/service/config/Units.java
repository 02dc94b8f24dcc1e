package dev.cohort.service.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quantities as people write them, in configuration and on the command line: durations ({@code 100ms}),
 * frequencies ({@code 2.4GHz}), percentages ({@code 250%}), sizes ({@code 16MiB}), bandwidths ({@code 40GB/s})
 * and power ({@code 150W}). Each parser returns the value in the unit its name says and throws
 * {@link IllegalArgumentException} with a message that shows an accepted form; callers add where the text came from.
 */
public final class Units {
    private static final Pattern NUM_UNIT = Pattern.compile("^\\s*([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*([A-Za-z%/]*)\\s*$");

    private Units() {
    }

    private record Parsed(double value, String unit) {
    }

    private static Parsed split(String text, String example) {
        Matcher m = NUM_UNIT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a number with a unit (e.g. " + example + ")");
        }
        return new Parsed(Double.parseDouble(m.group(1)), m.group(2));
    }

    /** A duration in nanoseconds: {@code 100ms}, {@code 1s}, {@code 250us}, {@code 2m}, {@code 1h}, {@code 500ns}. */
    public static long nanos(String text) {
        Parsed p = split(text, "100ms, 1s, 250us");
        double scale = switch (p.unit().toLowerCase(Locale.ROOT)) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m", "min" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new IllegalArgumentException("'" + text + "' is not a duration (use ns, us, ms, s, m or h, e.g. 100ms)");
        };
        return Math.round(p.value() * scale);
    }

    /** A frequency in kHz: {@code 2.4GHz}, {@code 2400MHz}, {@code 2400000kHz}, {@code 2400000000Hz}. */
    public static long khz(String text) {
        Parsed p = split(text, "2.4GHz, 2400MHz");
        double scale = switch (p.unit().toLowerCase(Locale.ROOT)) {
            case "hz" -> 1e-3;
            case "khz" -> 1;
            case "mhz" -> 1e3;
            case "ghz" -> 1e6;
            default -> throw new IllegalArgumentException("'" + text + "' is not a frequency (use GHz, MHz, kHz or Hz, e.g. 2.4GHz)");
        };
        return Math.round(p.value() * scale);
    }

    /** A percentage as a fraction: {@code 250%} is 2.5. The percent sign is required. */
    public static double percent(String text) {
        Parsed p = split(text, "50%");
        if (!p.unit().equals("%")) {
            throw new IllegalArgumentException("'" + text + "' is not a percentage (e.g. 50%)");
        }
        return p.value() / 100.0;
    }

    /** A size in bytes: {@code 16MiB}, {@code 1GiB}, {@code 512KiB}, {@code 100MB}, {@code 4096} or {@code 4096B}. */
    public static long bytes(String text) {
        Parsed p = split(text, "16MiB");
        double scale = switch (p.unit()) {
            case "", "B" -> 1;
            case "KiB", "K" -> 1024;
            case "MiB", "M" -> 1024.0 * 1024;
            case "GiB", "G" -> 1024.0 * 1024 * 1024;
            case "kB", "KB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            default -> throw new IllegalArgumentException("'" + text + "' is not a size (use B, KiB, MiB, GiB, kB, MB or GB, e.g. 16MiB)");
        };
        return Math.round(p.value() * scale);
    }

    /** A bandwidth in bytes per second: {@code 40GB/s}, {@code 25GiB/s}, {@code 800MB/s}. */
    public static double bytesPerSec(String text) {
        Parsed p = split(text, "40GB/s");
        if (!p.unit().endsWith("/s")) {
            throw new IllegalArgumentException("'" + text + "' is not a bandwidth (e.g. 40GB/s)");
        }
        return bytes(p.value() + p.unit().substring(0, p.unit().length() - 2));
    }

    /** Power in watts: {@code 150W}, {@code 1.2kW}. */
    public static double watts(String text) {
        Parsed p = split(text, "150W");
        return switch (p.unit()) {
            case "W" -> p.value();
            case "kW" -> p.value() * 1e3;
            case "mW" -> p.value() * 1e-3;
            default -> throw new IllegalArgumentException("'" + text + "' is not a power (e.g. 150W)");
        };
    }

    /** A frequency in kHz for people: {@code 2.4 GHz}, {@code 800 MHz}. */
    public static String formatKhz(long khz) {
        if (khz >= 1_000_000) {
            return trim(khz / 1e6) + " GHz";
        }
        return trim(khz / 1e3) + " MHz";
    }

    /** A duration in nanoseconds for people: {@code 100 ms}, {@code 850 µs}, {@code 2 s}. */
    public static String formatNanos(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return trim(nanos / 1e9) + " s";
        }
        if (nanos >= 1_000_000L) {
            return trim(nanos / 1e6) + " ms";
        }
        return trim(nanos / 1e3) + " µs";
    }

    /** A number with at most three decimals and no trailing zeros. */
    public static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
