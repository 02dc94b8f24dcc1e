package dev.cohort.platform;

import java.util.EnumMap;

/**
 * One immutable sample of every signal the host has, timestamped from a monotonic clock. Counters are
 * cumulative; {@link TelemetryInterval} turns two samples into rates. A signal the host lacks is absent
 * ({@link #has} is false) rather than filled with a sentinel. Values are indexed as {@link Signal#scope()}
 * says: by CPU number, package, memory domain, or position in {@link Topology#cgroups()}.
 */
public final class Telemetry {
    private final long timestampNanos;
    private final EnumMap<Signal, long[]> counters;
    private final EnumMap<Signal, double[]> gauges;
    private final LatencyHistogram[] latency;

    private Telemetry(long timestampNanos, EnumMap<Signal, long[]> counters, EnumMap<Signal, double[]> gauges,
                      LatencyHistogram[] latency) {
        this.timestampNanos = timestampNanos;
        this.counters = counters;
        this.gauges = gauges;
        this.latency = latency;
    }

    /** Starts a sample taken at {@code timestampNanos} (monotonic clock). */
    public static Builder builder(long timestampNanos) {
        return new Builder(timestampNanos);
    }

    /** When the sample was taken, monotonic nanoseconds. */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** True when the sample carries this signal. */
    public boolean has(Signal s) {
        return switch (s.kind()) {
            case COUNTER -> counters.containsKey(s);
            case GAUGE -> gauges.containsKey(s);
            case HISTOGRAM -> latency != null;
        };
    }

    /**
     * A counter's cumulative value at {@code index}.
     *
     * @throws IllegalStateException when the signal is absent; check {@link #has} first
     */
    public long counter(Signal s, int index) {
        long[] v = counters.get(s);
        if (v == null) {
            throw new IllegalStateException("Telemetry: counter " + s + " is not in this sample");
        }
        return v[index];
    }

    /**
     * A gauge's value at {@code index}; NaN where this one index has no reading (e.g. a service without a
     * latency endpoint).
     *
     * @throws IllegalStateException when the signal is absent; check {@link #has} first
     */
    public double gauge(Signal s, int index) {
        double[] v = gauges.get(s);
        if (v == null) {
            throw new IllegalStateException("Telemetry: gauge " + s + " is not in this sample");
        }
        return v[index];
    }

    /** Number of values of a present signal. */
    public int width(Signal s) {
        return switch (s.kind()) {
            case COUNTER -> counters.get(s).length;
            case GAUGE -> gauges.get(s).length;
            case HISTOGRAM -> latency.length;
        };
    }

    /**
     * The cumulative latency histogram of cgroup {@code index}; null for a cgroup that records none.
     *
     * @throws IllegalStateException when the sample has no latency histograms
     */
    public LatencyHistogram latency(int index) {
        if (latency == null) {
            throw new IllegalStateException("Telemetry: no latency histograms in this sample");
        }
        return latency[index];
    }

    /**
     * A copy of this sample with one gauge added or replaced; the rest is shared, not copied. The daemon uses it
     * to attach service-reported latency ({@link Signal#CGROUP_LATENCY_QUANTILE_USEC}) to a backend's sample.
     *
     * @param values the gauge's values; must not be changed afterwards
     */
    public Telemetry withGauge(Signal s, double[] values) {
        if (s.kind() != Signal.Kind.GAUGE) {
            throw new IllegalArgumentException(s + " is not a gauge");
        }
        EnumMap<Signal, double[]> g = new EnumMap<>(gauges);
        g.put(s, values);
        return new Telemetry(timestampNanos, counters, g, latency);
    }

    /** Builds one {@link Telemetry}; arrays handed over are owned by the sample from then on. */
    public static final class Builder {
        private final long timestampNanos;
        private final EnumMap<Signal, long[]> counters = new EnumMap<>(Signal.class);
        private final EnumMap<Signal, double[]> gauges = new EnumMap<>(Signal.class);
        private LatencyHistogram[] latency;

        private Builder(long timestampNanos) {
            this.timestampNanos = timestampNanos;
        }

        /** Adds a counter; the array must not be changed afterwards. */
        public Builder counter(Signal s, long[] values) {
            if (s.kind() != Signal.Kind.COUNTER) {
                throw new IllegalArgumentException(s + " is not a counter");
            }
            counters.put(s, values);
            return this;
        }

        /** Adds a gauge; the array must not be changed afterwards. */
        public Builder gauge(Signal s, double[] values) {
            if (s.kind() != Signal.Kind.GAUGE) {
                throw new IllegalArgumentException(s + " is not a gauge");
            }
            gauges.put(s, values);
            return this;
        }

        /** Adds the per-cgroup latency histograms (snapshots, entries may be null). */
        public Builder latency(LatencyHistogram[] histograms) {
            this.latency = histograms;
            return this;
        }

        public Telemetry build() {
            return new Telemetry(timestampNanos, counters, gauges, latency);
        }
    }
}
