package dev.cohort.service.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one latency quantile from a scrape in the Prometheus text exposition format, the way a service exports
 * it: a summary's {@code name{quantile="0.99"} 0.0123}, or a histogram's cumulative
 * {@code name_bucket{le="0.025"} 1234} lines, whose quantile is computed over the requests of one interval (bucket
 * counts now minus at the previous scrape, linear inside the bucket, as {@code histogram_quantile} does).
 *
 * <pre>
 * # TYPE http_request_duration_seconds histogram
 * http_request_duration_seconds_bucket{handler="/api",le="0.005"} 24054
 * http_request_duration_seconds_bucket{handler="/api",le="+Inf"} 144320
 * </pre>
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** One sample line: name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Parses every sample line (comments and blank lines skipped; malformed lines ignored). */
    public static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Sample s = parseLine(line);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    public static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        String rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (i < line.length() && line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    return null;
                }
                String key = line.substring(i, eq).strip();
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length()) {
                        char n = line.charAt(++j);
                        v.append(n == 'n' ? '\n' : n);
                    } else {
                        v.append(c);
                    }
                }
                labels.put(key, v.toString());
                i = j + 1;
                while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
                    i++;
                }
            }
            if (i >= line.length()) {
                return null;
            }
            rest = line.substring(i + 1).strip();
        } else {
            if (space < 0) {
                return null;
            }
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        }
        String[] parts = rest.split("\\s+");
        try {
            return new Sample(name, labels, parseValue(parts[0]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static double parseValue(String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static boolean matches(Sample s, Map<String, String> want) {
        for (var e : want.entrySet()) {
            if (!e.getValue().equals(s.labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A summary's value at {@code quantile} over the series that match {@code labels} (the highest, when several
     * match); NaN when none carries that quantile.
     */
    public static double summaryQuantile(List<Sample> samples, String metric, double quantile, Map<String, String> labels) {
        double best = Double.NaN;
        for (Sample s : samples) {
            if (!s.name().equals(metric) || !matches(s, labels)) {
                continue;
            }
            String q = s.labels().get("quantile");
            try {
                if (q != null && Math.abs(Double.parseDouble(q) - quantile) < 1e-9 && !Double.isNaN(s.value())) {
                    best = Double.isNaN(best) ? s.value() : Math.max(best, s.value());
                }
            } catch (NumberFormatException ignored) {
                // not a quantile label
            }
        }
        return best;
    }

    /** Cumulative bucket counts by upper bound, summed over the series that match {@code labels}. */
    public static TreeMap<Double, Double> buckets(List<Sample> samples, String metric, Map<String, String> labels) {
        TreeMap<Double, Double> out = new TreeMap<>();
        String name = metric + "_bucket";
        for (Sample s : samples) {
            if (!s.name().equals(name) || !matches(s, labels)) {
                continue;
            }
            String le = s.labels().get("le");
            if (le == null) {
                continue;
            }
            try {
                out.merge(parseValue(le), s.value(), Double::sum);
            } catch (NumberFormatException ignored) {
                // malformed bound
            }
        }
        return out;
    }

    /**
     * The quantile of the requests between two bucket snapshots: the bucket where the rank falls, interpolated
     * linearly from its lower bound (0 for the first); the last finite bound when it falls in {@code +Inf}. NaN when
     * no request completed in between or the counts went backwards (a restart of the service).
     */
    public static double histogramQuantile(TreeMap<Double, Double> before, TreeMap<Double, Double> now, double q) {
        if (now.isEmpty()) {
            return Double.NaN;
        }
        double[] bounds = new double[now.size()];
        double[] counts = new double[now.size()];
        int i = 0;
        for (var e : now.entrySet()) {
            bounds[i] = e.getKey();
            double prev = before == null ? 0 : before.getOrDefault(e.getKey(), 0.0);
            counts[i] = e.getValue() - prev;
            if (counts[i] < 0) {
                return Double.NaN;
            }
            i++;
        }
        double total = counts[counts.length - 1];
        if (!(total > 0)) {
            return Double.NaN;
        }
        double rank = q * total;
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] >= rank) {
                if (Double.isInfinite(bounds[b])) {
                    return b > 0 ? bounds[b - 1] : Double.NaN;
                }
                double lo = b == 0 ? 0 : bounds[b - 1];
                double below = b == 0 ? 0 : counts[b - 1];
                double inBucket = counts[b] - below;
                return inBucket <= 0 ? bounds[b] : lo + (bounds[b] - lo) * (rank - below) / inBucket;
            }
        }
        return bounds[bounds.length - 1];
    }
}
