package dev.cohort.platform;

/**
 * The first sample of a run and the last two, published together so a reader on another thread (status, metrics) sees
 * a consistent set.
 *
 * @param first    the first sample (whole-run counters start here)
 * @param previous the sample before {@code current}; null until there are two
 * @param current  the latest sample
 */
public record RecentSamples(Telemetry first, Telemetry previous, Telemetry current) {
    /** Rates over the last interval, or null before the second sample. */
    public TelemetryInterval interval() {
        return previous == null ? null : TelemetryInterval.between(previous, current);
    }
}
