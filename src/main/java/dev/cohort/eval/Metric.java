package dev.cohort.eval;

import dev.cohort.platform.Readable;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The metrics a run is judged by, with whether lower is better. CSV and JSON keys name their unit ({@code _j},
 * {@code _w}, {@code _ms}) or say that the value is a fraction ({@code _share}); text shows each value in people's
 * units through {@link Readable}.
 */
public enum Metric {
    ENERGY_J("energy_j", "energy", true, RunMetrics::energyJoules, Readable::joules),
    MEAN_POWER_W("mean_power_w", "mean power", true, RunMetrics::meanPowerWatts, Readable::watts),
    LC_P50_MS("lc_p50_ms", "LC p50", true, RunMetrics::lcP50Ms, Readable::millis),
    LC_P99_MS("lc_p99_ms", "LC p99", true, RunMetrics::lcP99Ms, Readable::millis),
    SLO_TICK_SHARE("slo_violation_tick_share", "ticks over SLO", true, RunMetrics::sloViolationTickShare, Readable::share),
    SLO_REQUEST_SHARE("lc_requests_over_slo_share", "requests over SLO", true, RunMetrics::lcRequestsOverSloShare, Readable::share),
    BE_GIPS("be_throughput_gips", "BE throughput", false, RunMetrics::beThroughputGips, v -> Readable.number(v) + " G instr/s"),
    BE_WORK_SHARE("be_work_share", "BE work done", false, RunMetrics::beWorkShare, Readable::share),
    ENERGY_PER_BE_WORK("energy_per_be_ginstr_j", "energy per BE work", true, RunMetrics::energyPerBeGinstrJoules,
            v -> Readable.number(v) + " J/G instr"),
    BE_FAIRNESS("be_jain_fairness", "BE Jain fairness", false, RunMetrics::beJainFairness, Readable::number),
    UTILISATION("cpu_utilisation_share", "CPU utilisation", false, RunMetrics::utilisation, Readable::share),
    EDP("edp_js", "energy-delay", true, RunMetrics::energyDelayJouleSeconds, v -> Readable.number(v) + " J·s"),
    REWARD("mean_reward", "mean reward", false, RunMetrics::meanReward, Readable::number);

    private final String key;
    private final String label;
    private final boolean lowerIsBetter;
    private final ToDoubleFunction<RunMetrics> get;
    private final DoubleFunction<String> text;

    Metric(String key, String label, boolean lowerIsBetter, ToDoubleFunction<RunMetrics> get, DoubleFunction<String> text) {
        this.key = key;
        this.label = label;
        this.lowerIsBetter = lowerIsBetter;
        this.get = get;
        this.text = text;
    }

    /** Column name in CSV and JSON, with its unit: SI ({@code _j}, {@code _w}, {@code _ms}) or {@code _share} for a fraction. */
    public String key() {
        return key;
    }

    /** Heading in tables (the values carry their units). */
    public String label() {
        return label;
    }

    /** True for the best-effort work columns, absent from scenarios without best-effort jobs. */
    public boolean bestEffort() {
        return this == BE_GIPS || this == BE_WORK_SHARE || this == ENERGY_PER_BE_WORK || this == BE_FAIRNESS;
    }

    public boolean lowerIsBetter() {
        return lowerIsBetter;
    }

    /** The metric's value in one run, in the unit its key names. */
    public double of(RunMetrics m) {
        return get.applyAsDouble(m);
    }

    /** A value of this metric for people ({@code 2.91 kJ}, {@code 6.7%}); {@value Readable#ABSENT} when NaN. */
    public String format(double v) {
        return Double.isNaN(v) ? Readable.ABSENT : text.apply(v);
    }
}
