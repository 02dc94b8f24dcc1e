package dev.cohort.learn.train;

import dev.cohort.control.RewardWeights;
import dev.cohort.harness.PairedDifference;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policy;
import dev.cohort.policy.baseline.Baselines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The bar a learned policy has to clear on each validation scenario, judged against every rival (the baselines,
 * and best-static where it is known) run on the same seeds, by paired comparisons with 95% intervals
 * ({@link PairedDifference}):
 * <ol>
 *   <li>no rival Pareto-dominates it on (energy, share of ticks over the SLO, best-effort work done; work only
 *       where the scenario has best-effort jobs): not worse on one axis while no better on any;</li>
 *   <li>no rival's mean reward is above its own outside the interval;</li>
 *   <li>where the load varies in time, its reward is above best-static's outside the interval (a constant
 *       setting must not do as well where following the load is the point).</li>
 * </ol>
 * Training checks it at each evaluation so the log says when it was first met.
 *
 * @param scenarios per scenario name, the rivals' figures
 */
record Bar(Map<String, ScenarioBar> scenarios) {
    /** The rival a learned policy must beat where the load varies in time. */
    static final String BEST_STATIC = "best-static";

    /**
     * One rival's runs, in the order of the evaluation seeds.
     *
     * @param name the policy as named in reports
     * @param runs one per seed
     */
    record Rival(String name, List<Evaluator.RunFigures> runs) {
        Rival {
            runs = List.copyOf(runs);
        }

        double meanReward() {
            return runs.stream().mapToDouble(Evaluator.RunFigures::meanReward).average().orElse(Double.NaN);
        }

        double[] each(ToDoubleFunction<Evaluator.RunFigures> f) {
            return runs.stream().mapToDouble(f).toArray();
        }
    }

    /**
     * One scenario's rivals.
     *
     * @param loadVaries whether some service's load changes over the run (then best-static must be beaten)
     * @param rivals     every rival, in order
     */
    record ScenarioBar(boolean loadVaries, List<Rival> rivals) {
        ScenarioBar {
            rivals = List.copyOf(rivals);
        }
    }

    /**
     * Runs every rival on every scenario and seed.
     *
     * @param extraRivals per scenario, further rivals as (report name, policy spec), e.g. best-static's levels
     */
    static Bar measure(List<Scenario> scenarios, long[] seeds, double seconds, RewardWeights reward,
                       java.util.function.Function<Scenario, Map<String, String>> extraRivals) {
        Map<String, ScenarioBar> out = new LinkedHashMap<>();
        for (Scenario sc : scenarios) {
            Map<String, String> specs = new LinkedHashMap<>();
            Baselines.NAMES.forEach(n -> specs.put(n, n));
            specs.putAll(extraRivals.apply(sc));
            List<Rival> rivals = new ArrayList<>();
            for (var e : specs.entrySet()) {
                List<Evaluator.RunFigures> runs = new ArrayList<>();
                for (long seed : seeds) {
                    try (Policy p = Baselines.create(e.getValue())) {
                        runs.add(Evaluator.runOne(sc, seed, seconds, p, reward));
                    }
                }
                rivals.add(new Rival(e.getKey(), runs));
            }
            out.put(sc.name(), new ScenarioBar(sc.loadVariesInTime(), rivals));
        }
        return new Bar(out);
    }

    /** The highest mean reward of any rival on {@code scenario}; NaN when it was not measured. */
    double bestReward(String scenario) {
        return best(scenario).map(Rival::meanReward).orElse(Double.NaN);
    }

    /** The rival with the highest mean reward on {@code scenario}. */
    Optional<Rival> best(String scenario) {
        ScenarioBar b = scenarios.get(scenario);
        return b == null ? Optional.empty()
                : b.rivals().stream().max(java.util.Comparator.comparingDouble(Rival::meanReward));
    }

    /** True when every scenario's result clears its bar. */
    boolean met(List<Evaluator.ScenarioResult> results) {
        return !results.isEmpty() && results.stream().allMatch(r -> missed(r).isEmpty());
    }

    /** Why {@code r} misses its scenario's bar, as a short phrase; empty when it clears it. */
    Optional<String> missed(Evaluator.ScenarioResult r) {
        ScenarioBar b = scenarios.get(r.scenario());
        if (b == null) {
            return Optional.of("no baselines measured for " + r.scenario());
        }
        for (Rival rival : b.rivals()) {
            if (rival.runs().size() != r.runs().size()) {
                return Optional.of(rival.name() + " ran on other seeds");
            }
            if (dominated(r, rival)) {
                return Optional.of("dominated by " + rival.name());
            }
            PairedDifference reward = reward(r, rival);
            if (reward.better() < 0) {
                return Optional.of(rival.name() + "'s reward is higher");
            }
            if (rival.name().equals(BEST_STATIC) && b.loadVaries() && reward.better() <= 0) {
                return Optional.of("reward not above best-static's where the load varies");
            }
        }
        return Optional.empty();
    }

    private static PairedDifference reward(Evaluator.ScenarioResult r, Rival rival) {
        return PairedDifference.of(r.each(Evaluator.RunFigures::meanReward), rival.each(Evaluator.RunFigures::meanReward), false);
    }

    /** Worse on some axis, better on none (best-effort work counts only where the scenario has such jobs). */
    private static boolean dominated(Evaluator.ScenarioResult r, Rival rival) {
        List<PairedDifference> axes = new ArrayList<>();
        axes.add(PairedDifference.of(r.each(Evaluator.RunFigures::energyJoules), rival.each(Evaluator.RunFigures::energyJoules), true));
        axes.add(PairedDifference.of(r.each(Evaluator.RunFigures::sloTickShare), rival.each(Evaluator.RunFigures::sloTickShare), true));
        PairedDifference work = PairedDifference.of(r.each(Evaluator.RunFigures::beWorkShare),
                rival.each(Evaluator.RunFigures::beWorkShare), false);
        if (work.diff().n() > 0) {
            axes.add(work);
        }
        return axes.stream().anyMatch(a -> a.better() < 0) && axes.stream().noneMatch(a -> a.better() > 0);
    }
}
