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
 */
public record RunResult(String scenario, String policy, long seed, RunMetrics metrics, Timeline timeline,
                        long ticks, long fallbacks) {
    /** The same run reported under another name (a policy resolved per scenario, such as best-static). */
    public RunResult withPolicy(String name) {
        return new RunResult(scenario, name, seed, metrics, timeline, ticks, fallbacks);
    }
}
