package dev.cohort.eval;

/**
 * One finished run.
 *
 * @param scenario  scenario name
 * @param policy    policy as named on the command line
 * @param seed      simulator seed
 * @param metrics   its metrics
 * @param timeline  its per-tick series (null when not kept)
 * @param ticks     control ticks run
 * @param fallbacks ticks in which the fallback policy decided
 * @param budget    how it held a power budget (null when it ran without one)
 */
public record RunResult(String scenario, String policy, long seed, RunMetrics metrics, Timeline timeline,
                        long ticks, long fallbacks, dev.cohort.balance.BudgetFigures budget) {
    /** A run without a power budget. */
    public RunResult(String scenario, String policy, long seed, RunMetrics metrics, Timeline timeline, long ticks,
                     long fallbacks) {
        this(scenario, policy, seed, metrics, timeline, ticks, fallbacks, null);
    }

    /** The same run reported under another name (a policy resolved per scenario, such as best-static). */
    public RunResult withPolicy(String name) {
        return new RunResult(scenario, name, seed, metrics, timeline, ticks, fallbacks, budget);
    }
}
