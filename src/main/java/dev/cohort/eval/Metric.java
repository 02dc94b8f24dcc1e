package dev.cohort.eval;

import java.util.function.ToDoubleFunction;

/** The metrics a run is judged by, with their units and whether lower is better. */
public enum Metric {
    ENERGY_J("energy_j", "energy (J)", true, RunMetrics::energyJoules),
    MEAN_POWER_W("mean_power_w", "mean power (W)", true, RunMetrics::meanPowerWatts),
    LC_P50_MS("lc_p50_ms", "LC p50 (ms)", true, RunMetrics::lcP50Ms),
    LC_P99_MS("lc_p99_ms", "LC p99 (ms)", true, RunMetrics::lcP99Ms),
    SLO_TICK_SHARE("slo_violation_tick_share", "ticks over SLO", true, RunMetrics::sloViolationTickShare),
    BE_GIPS("be_throughput_gips", "BE throughput (G instr/s)", false, RunMetrics::beThroughputGips),
    BE_FAIRNESS("be_jain_fairness", "BE Jain fairness", false, RunMetrics::beJainFairness),
    UTILISATION("utilisation", "CPU utilisation", false, RunMetrics::utilisation),
    EDP("edp_js", "energy-delay (J·s)", true, RunMetrics::energyDelayJouleSeconds),
    REWARD("mean_reward", "mean reward", false, RunMetrics::meanReward);

    private final String key;
    private final String label;
    private final boolean lowerIsBetter;
    private final ToDoubleFunction<RunMetrics> get;

    Metric(String key, String label, boolean lowerIsBetter, ToDoubleFunction<RunMetrics> get) {
        this.key = key;
        this.label = label;
        this.lowerIsBetter = lowerIsBetter;
        this.get = get;
    }

    /** Column name in CSV and JSON. */
    public String key() {
        return key;
    }

    /** Heading in tables. */
    public String label() {
        return label;
    }

    public boolean lowerIsBetter() {
        return lowerIsBetter;
    }

    /** The metric's value in one run. */
    public double of(RunMetrics m) {
        return get.applyAsDouble(m);
    }
}
