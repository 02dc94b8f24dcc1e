package dev.cohort.learn.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.harness.Stats;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.Readable;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code cohort train merge DIR... --out DIR}: the finished runs of one sweep ({@link RunSummary#FILE} in each run's
 * directory, wherever its shard wrote it) in one comparison: {@value #CSV} (one line per run and validation scenario)
 * and {@value #MD} (a table of the runs, then one of the configurations with the mean over seeds and its 95% interval).
 * It refuses directories of different sweeps, a run finished in two of them, and runs that have not finished.
 */
public final class SweepMerge {
    static final String CSV = "comparison.csv";
    static final String MD = "comparison.md";

    private SweepMerge() {
    }

    /**
     * The merged sweep.
     *
     * @param runs    every run's summary, in sweep order
     * @param names   their directories' names, in the same order
     * @param written the files written
     */
    public record Merged(List<RunSummary> runs, List<String> names, List<Path> written) {
    }

    /** Reads every run of the sweep in {@code dirs} and writes the comparison into {@code out}. */
    public static Merged merge(List<Path> dirs, Path out) throws IOException {
        JsonNode manifest = SweepManifest.read(dirs.getFirst());
        for (Path d : dirs.subList(1, dirs.size())) {
            if (!SweepManifest.read(d).equals(manifest)) {
                throw new CohortException(dirs.getFirst() + " and " + d + " hold different sweeps (other configurations, seeds or "
                        + "budget); merge the directories of one sweep");
            }
        }
        List<RunSummary> runs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (JsonNode r : manifest.get("runs")) {
            String name = r.get("name").asText();
            Path found = null;
            for (Path d : dirs) {
                if (Files.isRegularFile(d.resolve(name).resolve(RunSummary.FILE))) {
                    if (found != null && !found.equals(d)) {
                        throw new CohortException("run " + name + " finished in both " + found + " and " + d + "; keep one of them");
                    }
                    found = d;
                }
            }
            if (found == null) {
                missing.add(name);
            } else {
                runs.add(RunSummary.read(found.resolve(name)));
                names.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new CohortException((missing.size() == 1 ? "run " + missing.getFirst() + " has" : missing.size() + " runs have ("
                    + String.join(", ", missing) + ")") + " not finished (no " + RunSummary.FILE + "): run their shards again, "
                    + "cohort train --sweep FILE --shard K/N carries on where they stopped");
        }
        Files.createDirectories(out);
        writeCsv(runs, names, out.resolve(CSV));
        Files.writeString(out.resolve(MD), markdown(runs, names));
        return new Merged(runs, names, List.of(out.resolve(MD), out.resolve(CSV)));
    }

    private static void writeCsv(List<RunSummary> runs, List<String> names, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("run,algorithm,config,seed,env_steps,updates,wall_seconds,bar_met,bar_first_met_env_steps,"
                    + "scenario,mean_reward,energy_j,slo_tick_share,be_work_share,bar\n");
            for (int i = 0; i < runs.size(); i++) {
                RunSummary r = runs.get(i);
                String head = String.join(",", names.get(i), r.algorithm(), r.config(), Long.toString(r.seed()),
                        Long.toString(r.envSteps()), Long.toString(r.updates()), num(r.wallSeconds()),
                        r.barMet() == null ? "" : r.barMet().toString(), r.barFirstMetEnvSteps() < 0 ? "" : Long.toString(r.barFirstMetEnvSteps()));
                for (RunSummary.Validation v : r.validation()) {
                    w.write(head + "," + v.scenario() + "," + num(v.meanReward()) + "," + num(v.energyJoules()) + ","
                            + num(v.sloTickShare()) + "," + num(v.beWorkShare()) + "," + quote(v.bar()) + "\n");
                }
            }
        }
    }

    /** The runs' table, then the configurations' (mean reward per validation scenario over seeds, ± 95% interval). */
    static String markdown(List<RunSummary> runs, List<String> names) {
        Set<String> scenarios = new LinkedHashSet<>();
        runs.forEach(r -> r.validation().forEach(v -> scenarios.add(v.scenario())));
        StringBuilder b = new StringBuilder("# Training sweep\n\nMean reward of the exported weights on the validation seeds, per "
                + "scenario; the bar as each run's report judges it.\n\n| run | algorithm | seed | ticks | updates | wall |");
        scenarios.forEach(s -> b.append(' ').append(s).append(" |"));
        b.append(" bar |\n|---|---|---|---|---|---|").append("---|".repeat(scenarios.size() + 1)).append('\n');
        for (int i = 0; i < runs.size(); i++) {
            RunSummary r = runs.get(i);
            b.append("| ").append(names.get(i)).append(" | ").append(r.algorithm()).append(" | ").append(r.seed()).append(" | ")
                    .append(Readable.count(r.envSteps())).append(" | ").append(Readable.count(r.updates())).append(" | ")
                    .append(Readable.seconds(r.wallSeconds())).append(" |");
            for (String s : scenarios) {
                b.append(' ').append(r.validation().stream().filter(v -> v.scenario().equals(s)).findFirst()
                        .map(v -> Readable.number(v.meanReward())).orElse(Readable.ABSENT)).append(" |");
            }
            b.append(' ').append(r.barMet() == null ? "no bar" : r.barMet() ? "met" + (r.barFirstMetEnvSteps() >= 0
                    ? " (first after " + Readable.count(r.barFirstMetEnvSteps()) + " ticks)" : "") : "missed").append(" |\n");
        }
        Map<String, List<RunSummary>> byConfig = new LinkedHashMap<>();
        runs.forEach(r -> byConfig.computeIfAbsent(r.config(), k -> new ArrayList<>()).add(r));
        b.append("\n## Per configuration, over its seeds (mean ± 95% interval)\n\n| configuration | algorithm | seeds | bar met |");
        scenarios.forEach(s -> b.append(' ').append(s).append(" |"));
        b.append("\n|---|---|---|---|").append("---|".repeat(scenarios.size())).append('\n');
        for (var e : byConfig.entrySet()) {
            List<RunSummary> rs = e.getValue();
            long met = rs.stream().filter(r -> Boolean.TRUE.equals(r.barMet())).count();
            boolean anyBar = rs.stream().anyMatch(r -> r.barMet() != null);
            b.append("| `").append(e.getKey()).append("` | ").append(rs.getFirst().algorithm()).append(" | ").append(rs.size())
                    .append(" | ").append(anyBar ? met + " of " + rs.size() : "no bar").append(" |");
            for (String s : scenarios) {
                double[] x = rs.stream().flatMap(r -> r.validation().stream()).filter(v -> v.scenario().equals(s))
                        .mapToDouble(RunSummary.Validation::meanReward).toArray();
                b.append(' ').append(Stats.of(x).format(Readable::number)).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
