package dev.cohort.harness.beststatic;

import dev.cohort.policy.Role;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a best-static search found for one scenario: the finalists, best first, and how they were found.
 *
 * @param scenario    the scenario's name when it was searched
 * @param key         its cache key ({@link CacheKey})
 * @param finalists   the points run at full length on every seed, by mean reward, best first (never empty)
 * @param grid        the levels tried per role, their counts, and the levels merged as identical
 * @param seeds       the training seeds the finalists ran on
 * @param screenNanos stage 1's run length on the first seed; 0 when every point ran in full (a small grid)
 * @param searchedAt  when the search finished
 * @param wallSeconds how long it took, wall-clock
 */
public record Found(String scenario, String key, List<Candidate> finalists, Grid grid, List<Long> seeds, long screenNanos,
                    Instant searchedAt, double wallSeconds) {
    public Found {
        finalists = List.copyOf(finalists);
        seeds = List.copyOf(seeds);
        if (finalists.isEmpty()) {
            throw new IllegalArgumentException("a best-static result needs at least one finalist");
        }
    }

    /**
     * One point of the grid that ran in full.
     *
     * @param levels       the level of each present role
     * @param spec         the {@code static} policy that holds them
     * @param seedRewards  mean per-tick reward of each seed's run, in {@link #seeds} order
     * @param screenReward mean per-tick reward of its stage 1 run; NaN when there was no stage 1
     */
    public record Candidate(Map<Role, Integer> levels, String spec, List<Double> seedRewards, double screenReward) {
        public Candidate {
            var l = new EnumMap<Role, Integer>(Role.class);
            l.putAll(levels);
            levels = Collections.unmodifiableMap(l);
            seedRewards = List.copyOf(seedRewards);
        }

        /** Mean over seeds of the runs' mean per-tick reward: what evaluate's "mean reward" column averages. */
        public double meanReward() {
            return seedRewards.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    /** The winner. */
    public Candidate chosen() {
        return finalists.getFirst();
    }

    /** The winner's {@code static} policy, e.g. {@code static:core=0.9,quota=0.1}. */
    public String spec() {
        return chosen().spec();
    }

    /** The seeds as people read them: {@code 1000–1004}. */
    public String seedsText() {
        return SearchSettings.seedsText(seeds);
    }

    /** One line for reports: {@code best-static on colocation = static:core=0.9,quota=0.1 (searched on seeds 1000–1004)}. */
    public String note(String scenarioName) {
        return "best-static on " + scenarioName + " = " + spec() + " (" + Grid.describe(chosen().levels(), grid.counts())
                + "; searched on seeds " + seedsText() + ")";
    }
}
