package dev.cohort.eval;

import dev.cohort.eval.beststatic.Found;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The policies {@code simulate} and {@code evaluate} run, scenario by scenario: each as the user named it (the name
 * its row carries) and the specification that runs. Most run as named. {@code best-static} ({@link #BEST_STATIC},
 * {@link Policies#SIMULATOR_ONLY}) is another {@code static} policy on each scenario, resolved here before any run
 * starts, so the per-policy checks and the parallel runs only ever see a {@code static} specification.
 */
public final class SimPolicies {
    /** The best fixed levels for each scenario ({@code dev.cohort.eval.beststatic}). */
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
        Evaluation.checkPolicies(scenarios, policies.stream().filter(p -> !p.strip().equals(BEST_STATIC)).toList());
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

    /** The specification that runs for {@code name} on {@code sc}. */
    public String spec(Scenario sc, String name) {
        return specs.getOrDefault(sc.name(), Map.of()).getOrDefault(name, name);
    }

    /** One line per resolved policy and scenario, e.g. which levels best-static chose; empty when none was resolved. */
    public List<String> notes() {
        return notes;
    }
}
