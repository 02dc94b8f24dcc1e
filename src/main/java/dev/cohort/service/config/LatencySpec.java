package dev.cohort.service.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon learns a latency-critical service's latency on a real host (the simulated machine measures it
 * itself). Configured per cgroup under {@code latency:}.
 */
public sealed interface LatencySpec {

    /** Short name as written in the configuration: {@code psi}, {@code prometheus} or {@code file}. */
    String source();

    /**
     * No latency reading: the control tick uses the cgroup's CPU pressure (PSI {@code cpu.pressure some}) as a
     * proxy, 20% of time waiting for a CPU counting as the edge of the SLO. The default.
     */
    record Psi() implements LatencySpec {
        public String source() {
            return "psi";
        }
    }

    /**
     * A quantile scraped from the service's own Prometheus endpoint, always {@code http://127.0.0.1:port/path}
     * (the agent makes no connection off the host).
     *
     * @param port          the service's metrics port on localhost
     * @param path          the scrape path, usually {@code /metrics}
     * @param metric        the metric family, e.g. {@code http_request_duration_seconds}
     * @param histogram     true: a histogram ({@code _bucket{le=...}}), whose quantile is computed over the buckets
     *                      that grew since the previous scrape; false: a summary with a {@code quantile} label
     * @param quantile      the quantile to read or compute, e.g. 0.99
     * @param labels        label values a series must have (e.g. {@code handler: /api}); matching series are summed
     * @param usecPerUnit   microseconds per unit of the metric (1e6 for seconds)
     * @param intervalNanos how often to scrape
     */
    record Prometheus(int port, String path, String metric, boolean histogram, double quantile,
                      Map<String, String> labels, double usecPerUnit, long intervalNanos) implements LatencySpec {
        public Prometheus {
            labels = Map.copyOf(labels);
        }

        public String source() {
            return "prometheus";
        }

        /** The URL scraped. */
        public String url() {
            return "http://127.0.0.1:" + port + path;
        }
    }

    /**
     * A number in a file the service (or a sidecar) keeps up to date, e.g. {@code /run/web/p99}.
     *
     * @param file          the file; its first word that is a number is the latency ({@code 812.5}, {@code p99_us 812.5})
     * @param usecPerUnit   microseconds per unit of that number
     * @param intervalNanos how often to read it
     */
    record File(Path file, double usecPerUnit, long intervalNanos) implements LatencySpec {
        public String source() {
            return "file";
        }
    }

    /** Microseconds per unit for {@code seconds}, {@code milliseconds}, {@code microseconds}, {@code nanoseconds}. */
    static double usecPerUnit(String unit) {
        return switch (unit) {
            case "seconds", "s" -> 1e6;
            case "milliseconds", "ms" -> 1e3;
            case "microseconds", "us" -> 1;
            case "nanoseconds", "ns" -> 1e-3;
            default -> throw new IllegalArgumentException("'" + unit + "' is not a unit of time (seconds, milliseconds, microseconds, nanoseconds)");
        };
    }
}
