package dev.cohort.eval;

import dev.cohort.harness.oracle.OraclePolicy;
import dev.cohort.harness.oracle.OracleOptions;
import dev.cohort.harness.beststatic.Found;
import dev.cohort.harness.SimHarness;
import dev.cohort.platform.Topology;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one place a policy name becomes a run on the simulated machine, scenario by scenario: each policy as the user
 * named it (the name its row carries) and the specification that runs. Names any host understands go to
 * {@link Policies}; names only the simulator can serve are resolved here: {@code best-static} ({@link #BEST_STATIC},
 * {@link Policies#SIMULATOR_ONLY}) becomes another {@code static} policy on each scenario before any run starts, and
 * {@code oracle} ({@link OraclePolicy}) searches copies of the simulated machine's state, with every baseline's
 * decision (best-static's included, where it is in the run) among its candidates.
 */
public final class SimPolicies {
    /** The best fixed levels for each scenario ({@code dev.cohort.harness.beststatic}). */
    public static final String BEST_STATIC = "best-static";

    private final List<String> names;
    private final Map<String, Map<String, String>> specs;
    private final List<String> notes;

    private SimPolicies(List<String> names, Map<String, Map<String, String>> specs, List<String> notes) {
        this.names = List.copyOf(names);
        this.specs = specs;
        this.notes = List.copyOf(notes);
    }

    /** Every policy runs as named, on every scenario. */
    public static SimPolicies asNamed(List<String> policies) {
        return new SimPolicies(policies, Map.of(), List.of());
    }

    /**
     * Resolves every policy on every scenario. The policies that run as named are checked first
     * ({@link Evaluation#checkPolicies}), so a misnamed one fails at once, not after a search.
     *
     * @param bestStatic finds best-static's levels on a scenario (asked only when a policy is {@code best-static})
     */
    public static SimPolicies resolve(List<Scenario> scenarios, List<String> policies, Function<Scenario, Found> bestStatic) {
        Evaluation.checkPolicies(scenarios, policies.stream().filter(p -> !p.strip().equals(BEST_STATIC)).toList(),
                OracleOptions.DEFAULT);
        Map<String, Map<String, String>> specs = new HashMap<>();
        List<String> notes = new ArrayList<>();
        for (Scenario sc : scenarios) {
            for (String p : policies) {
                if (p.strip().equals(BEST_STATIC)) {
                    Found f = bestStatic.apply(sc);
                    specs.computeIfAbsent(sc.name(), k -> new HashMap<>()).put(p, f.spec());
                    notes.add(f.note(sc.name()));
                }
            }
        }
        return new SimPolicies(policies, specs, notes);
    }

    /** The policies as named, in order: the rows of the tables. */
    public List<String> names() {
        return names;
    }

    /**
     * The oracle's options on {@code sc}: its lock-step candidates gain best-static's levels where best-static is in
     * the run (a constant setting the oracle must at least match).
     */
    public OracleOptions oracleOn(Scenario sc, OracleOptions oracle) {
        String fixed = specs.getOrDefault(sc.name(), Map.of()).get(BEST_STATIC);
        if (fixed == null || oracle.policies().contains(fixed)) {
            return oracle;
        }
        List<String> with = new ArrayList<>(oracle.policies());
        with.add(fixed);
        return oracle.withPolicies(with);
    }

    /** The specification that runs for {@code name} on {@code sc}. */
    public String spec(Scenario sc, String name) {
        return specs.getOrDefault(sc.name(), Map.of()).getOrDefault(name, name);
    }

    /** One line per resolved policy and scenario, e.g. which levels best-static chose; empty when none was resolved. */
    public List<String> notes() {
        return notes;
    }

    /** True when {@code spec} names the oracle. */
    public static boolean isOracle(String spec) {
        return spec.strip().equals(OraclePolicy.NAME);
    }

    /** True when {@code spec} names a learned policy ({@code onnx:DIR}, {@code learned}). */
    public static boolean isLearned(String spec) {
        String s = spec.strip();
        return s.startsWith("onnx:") || s.equals("learned") || s.startsWith("learned,");
    }

    /** True when {@code spec} is a baseline for the oracle's gain: neither learned nor the oracle. */
    public static boolean isBaseline(String spec) {
        return !isOracle(spec) && !isLearned(spec);
    }

    /**
     * A run of {@code spec} on a fresh machine for {@code sc} and {@code seed}; the policy is closed with the harness.
     *
     * @param oracle how the oracle searches, when {@code spec} names it
     */
    public static SimHarness open(Scenario sc, long seed, String spec, SimHarness.Options o, OracleOptions oracle) {
        if (!isOracle(spec)) {
            return SimHarness.open(sc, seed, spec, o);
        }
        Topology t = SimHarness.machine(sc, seed).topology();
        List<Policy> lockStep = new ArrayList<>();
        try {
            for (String p : oracle.policies()) {
                lockStep.add(candidate(p, t));
            }
        } catch (RuntimeException e) {
            lockStep.forEach(Policy::close);
            throw e;
        }
        OraclePolicy p = new OraclePolicy(sc, o, oracle, lockStep);
        SimHarness h = SimHarness.openOwning(sc, seed, p, o);
        p.attach(h);
        return h;
    }

    /**
     * Builds and closes {@code spec} (and, for the oracle, each of its lock-step policies) for {@code sc}'s machine:
     * a misnamed policy fails at once with its one-line reason.
     */
    public static void check(String spec, Scenario sc, OracleOptions oracle) {
        Topology t = SimHarness.machine(sc, 1).topology();
        if (isOracle(spec)) {
            oracle.policies().forEach(p -> candidate(p, t).close());
        } else {
            try (Policy policy = Policies.create(spec, t)) {
                var why = policy.tickDifference(sc.tickNanos() / 1_000_000);
                if (why.isPresent()) {
                    throw new dev.cohort.platform.CohortException("scenario " + sc.name() + ": " + why.get());
                }
            }
        }
    }

    /** A policy the oracle runs in lock-step and whose decision each tick is one of its candidates. */
    static Policy candidate(String spec, Topology t) {
        if (isOracle(spec)) {
            throw new dev.cohort.platform.CohortException("the oracle cannot be one of its own candidates");
        }
        return Policies.create(spec, t);
    }
}
