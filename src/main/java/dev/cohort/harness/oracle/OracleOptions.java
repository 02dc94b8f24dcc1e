package dev.cohort.harness.oracle;

import dev.cohort.platform.CohortException;
import dev.cohort.policy.baseline.Baselines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the hindsight oracle searches ({@link OraclePolicy}; {@code docs/evaluation.md} explains the choice of the
 * defaults and what they cost).
 *
 * @param horizonTicks ticks each candidate is played forward after the tick it is applied in, holding it (at least 1)
 * @param width        levels per role in the uniform grid of candidates, spread evenly from the lowest to the highest
 *                     (1: the highest only); the grid holds every combination, {@code width^roles} candidates
 * @param policies     policies run in lock-step with the oracle whose decision each tick is a candidate, as
 *                     {@code eval.SimPolicies.candidate} names them
 * @param neighbours   whether the oracle's last choice, and it moved one level up and down in each role, are
 *                     candidates too (a local search that refines the grid's coarse levels over the ticks)
 * @param seedLimits   per scenario name, on how many of its seeds (the first ones) {@code evaluate} runs the oracle;
 *                     a scenario not named runs it on every seed
 * @param budgetWatts  a package power budget the oracle holds itself (NaN: none): a candidate is feasible when every
 *                     tick of its look-ahead draws at most this much ({@link OraclePolicy}); the outcome simulation
 *                     ({@code eval.OutcomeSweep}) sets it to the budget its rivals get
 * @param throttled    with a budget, one of {@code policies} (or null) whose decision is also tried with every core
 *                     capped at each frequency level below the top: what a power limit such as PL1 does to it
 * @param futures      0: the look-ahead plays the run's own arrivals (it sees the draws). N ≥ 1: it plays each
 *                     candidate on N other futures of the arrivals, drawn from the same processes
 *                     ({@link dev.cohort.platform.sim.SimMachine#reseedArrivals}; the same N for every candidate), and
 *                     scores their mean: an oracle blind to the draws, that knows the machine's state and its load's
 *                     model
 */
public record OracleOptions(int horizonTicks, int width, List<String> policies, boolean neighbours,
                            Map<String, Integer> seedLimits, double budgetWatts, String throttled, int futures) {
    /** Ticks each candidate is played forward by default. */
    public static final int DEFAULT_HORIZON = 2;
    /** Grid levels per role by default. */
    public static final int DEFAULT_WIDTH = 3;

    /**
     * Every baseline and reference rule: what the oracle must beat, it also tries. Another policy that judges the
     * others (such as a best fixed setting per scenario) joins by being added here and in {@code eval.SimPolicies.candidate}.
     */
    public static final List<String> DEFAULT_POLICIES = concat(Baselines.NAMES, Baselines.REFERENCES);

    /** The defaults: horizon {@value #DEFAULT_HORIZON}, width {@value #DEFAULT_WIDTH}, every baseline, neighbours, all seeds. */
    public static final OracleOptions DEFAULT = new OracleOptions(DEFAULT_HORIZON, DEFAULT_WIDTH, DEFAULT_POLICIES, true, Map.of(),
            Double.NaN, null, 0);

    public OracleOptions {
        if (horizonTicks < 1) {
            throw new CohortException("--oracle-horizon must be at least 1 tick, got " + horizonTicks);
        }
        if (futures < 0 || futures > 64) {
            throw new CohortException("--oracle-futures must be from 0 (the run's own arrivals) to 64, got " + futures);
        }
        if (width < 1) {
            throw new CohortException("--oracle-width must be at least 1 level, got " + width);
        }
        if (!Double.isNaN(budgetWatts) && !(budgetWatts > 0 && Double.isFinite(budgetWatts))) {
            throw new CohortException("the oracle's power budget must be a positive number of watts, got " + budgetWatts);
        }
        policies = List.copyOf(policies);
        seedLimits = Map.copyOf(seedLimits);
        if (throttled != null && !policies.contains(throttled)) {
            throw new IllegalArgumentException("the oracle's throttled candidate " + throttled + " is not among its policies "
                    + policies);
        }
    }

    /** Without a budget, as before budgets existed. */
    public OracleOptions(int horizonTicks, int width, List<String> policies, boolean neighbours,
                         Map<String, Integer> seedLimits) {
        this(horizonTicks, width, policies, neighbours, seedLimits, Double.NaN, null, 0);
    }

    /** These options with the look-ahead on {@code n} other futures of the arrivals (0: the run's own). */
    public OracleOptions withFutures(int n) {
        return new OracleOptions(horizonTicks, width, policies, neighbours, seedLimits, budgetWatts, throttled, n);
    }

    /** Whether the look-ahead is blind to the run's own arrivals. */
    public boolean blind() {
        return futures > 0;
    }

    public OracleOptions withHorizon(int ticks) {
        return new OracleOptions(ticks, width, policies, neighbours, seedLimits, budgetWatts, throttled, futures);
    }

    public OracleOptions withWidth(int levels) {
        return new OracleOptions(horizonTicks, levels, policies, neighbours, seedLimits, budgetWatts, throttled, futures);
    }

    public OracleOptions withPolicies(List<String> specs) {
        return new OracleOptions(horizonTicks, width, specs, neighbours, seedLimits, budgetWatts, throttled, futures);
    }

    public OracleOptions withNeighbours(boolean on) {
        return new OracleOptions(horizonTicks, width, policies, on, seedLimits, budgetWatts, throttled, futures);
    }

    public OracleOptions withSeedLimits(Map<String, Integer> limits) {
        return new OracleOptions(horizonTicks, width, policies, neighbours, limits, budgetWatts, throttled, futures);
    }

    /** The same holding a package power budget of {@code watts} (NaN: none). */
    public OracleOptions withBudget(double watts) {
        return new OracleOptions(horizonTicks, width, policies, neighbours, seedLimits, watts, throttled, futures);
    }

    /** The same trying {@code spec}'s decision (one of its policies) capped at every core level too, under a budget. */
    public OracleOptions withThrottled(String spec) {
        return new OracleOptions(horizonTicks, width, policies, neighbours, seedLimits, budgetWatts, spec, futures);
    }

    /** True when the oracle holds a power budget itself. */
    public boolean budgeted() {
        return !Double.isNaN(budgetWatts);
    }

    /** On how many of {@code seeds} seeds the oracle runs for {@code scenario}. */
    public int seedsFor(String scenario, int seeds) {
        return Math.min(seeds, seedLimits.getOrDefault(scenario, seeds));
    }

    /**
     * Checks that every scenario a seed limit names is in the run.
     *
     * @throws CohortException naming the first that is not, and the run's scenarios
     */
    public void checkSeedLimits(List<String> scenarios) {
        for (String s : seedLimits.keySet().stream().sorted().toList()) {
            if (!scenarios.contains(s)) {
                throw new CohortException("--oracle-seeds names " + s + ", which is not among --scenarios ("
                        + String.join(", ", scenarios) + ")");
            }
        }
    }

    /**
     * Parses {@code --oracle-seeds}: comma-separated {@code SCENARIO=N}, e.g. {@code large=5}.
     *
     * @throws CohortException naming the part that is not {@code SCENARIO=N} with N at least 1
     */
    public static Map<String, Integer> parseSeedLimits(String text) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] kv = part.split("=", 2);
            int n;
            try {
                n = kv.length == 2 ? Integer.parseInt(kv[1].strip()) : 0;
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (kv.length != 2 || kv[0].isBlank() || n < 1) {
                throw new CohortException("--oracle-seeds '" + part.strip() + "' is not SCENARIO=N with N at least 1 "
                        + "(e.g. large=5: the oracle runs on the first 5 seeds of large)");
            }
            out.put(kv[0].strip(), n);
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
