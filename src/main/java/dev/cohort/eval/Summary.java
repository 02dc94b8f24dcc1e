package dev.cohort.eval;

import dev.cohort.harness.Stats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs grouped by scenario and policy, with mean and 95% interval per metric. */
public final class Summary {
    /** One scenario × policy cell. */
    public record Cell(String scenario, String policy, List<RunResult> runs, EnumMap<Metric, Stats> stats) {
    }

    private final Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();
    private final List<RunResult> runs;
    private final List<String> notes;

    /** Groups runs in the order scenarios and policies were given. */
    public Summary(List<String> scenarios, List<String> policies, List<RunResult> runs) {
        this(scenarios, policies, runs, List.of());
    }

    /** The same with lines the report prints under the tables (which levels best-static chose on each scenario). */
    public Summary(List<String> scenarios, List<String> policies, List<RunResult> runs, List<String> notes) {
        this.notes = List.copyOf(notes);
        this.runs = List.copyOf(runs);
        for (String s : scenarios) {
            Map<String, Cell> row = new LinkedHashMap<>();
            for (String p : policies) {
                List<RunResult> rs = runs.stream().filter(r -> r.scenario().equals(s) && r.policy().equals(p)).toList();
                EnumMap<Metric, Stats> st = new EnumMap<>(Metric.class);
                for (Metric m : Metric.values()) {
                    st.put(m, Stats.of(rs.stream().mapToDouble(r -> m.of(r.metrics())).toArray()));
                }
                row.put(p, new Cell(s, p, rs, st));
            }
            cells.put(s, row);
        }
    }

    /** Lines printed under the tables; empty when there are none. */
    public List<String> notes() {
        return notes;
    }

    /** Every run. */
    public List<RunResult> runs() {
        return runs;
    }

    /** Scenario names in order. */
    public List<String> scenarios() {
        return new ArrayList<>(cells.keySet());
    }

    /** Policy names in order. */
    public List<String> policies(String scenario) {
        return new ArrayList<>(cells.get(scenario).keySet());
    }

    /** One cell. */
    public Cell cell(String scenario, String policy) {
        return cells.get(scenario).get(policy);
    }
}
