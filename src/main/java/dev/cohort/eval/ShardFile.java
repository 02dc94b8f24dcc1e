package dev.cohort.eval;

import dev.cohort.harness.oracle.OracleOptions;
import dev.cohort.harness.Shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.harness.beststatic.CacheKey;
import dev.cohort.harness.beststatic.SearchSettings;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What one shard of {@code evaluate --shard K/N} writes, {@code shard-K-of-N.json}, and reads back for
 * {@code evaluate merge}: the grid (every run, in report order), the settings every shard must share, the notes the
 * report prints, and this shard's runs, each with its grid index, its metrics in full precision (a double's shortest
 * exact text, NaN as {@code "NaN"}) and its timeline where the run kept one. The per-run rows are all a shard computes;
 * every table, verdict, share and plot is derived from the merged rows ({@link Results}).
 *
 * @param shard     which slice
 * @param scenarios scenario names, in order
 * @param policies  policy names, in order
 * @param settings  what must be equal across shards, by name (duration, governor, oracle, each scenario's content, each
 *                  resolved policy)
 * @param notes     the report's lines under the tables (best-static's levels)
 * @param grid      every run of the whole grid, in report order
 * @param runs      this shard's runs, with their grid indices
 */
public record ShardFile(Shard shard, List<String> scenarios, List<String> policies, Map<String, String> settings,
                        List<String> notes, List<Evaluation.GridRun> grid, List<Indexed> runs) {
    /** The first line of defence against a file of another kind or an older layout. */
    static final String FORMAT = "cohort evaluate shard 1";

    /** One run and its place in the grid. */
    public record Indexed(int index, RunResult run) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file name of shard {@code s}: {@code shard-K-of-N.json}. */
    public static String fileName(Shard s) {
        return "shard-" + s.index() + "-of-" + s.count() + ".json";
    }

    /**
     * The settings shards must share, by name, each as text that is the same in every process: the run length, the
     * governor, the oracle's search (seed limits sorted), each scenario's content (a digest of every value the
     * simulation uses, wherever its file lives) and the specification each policy runs on each scenario (best-static's
     * levels).
     */
    public static Map<String, String> settings(List<Scenario> scenarios, SimPolicies resolved, SimRunner.Options o) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("duration", o.durationNanos() > 0 ? o.durationNanos() + " ns" : "each scenario's own");
        s.put("governor", o.governor().toString());
        OracleOptions or = o.oracle();
        s.put("oracle", "horizon " + or.horizonTicks() + ", width " + or.width() + ", candidates " + or.policies()
                + ", neighbours " + or.neighbours() + ", seed limits " + new TreeMap<>(or.seedLimits())
                + (or.blind() ? ", futures " + or.futures() : "")); // as before when it sees the draws: old shards still merge
        for (Scenario sc : scenarios) {
            s.put("scenario " + sc.name(), CacheKey.of(sc, SearchSettings.DEFAULT).substring(0, 16));
            for (String p : resolved.names()) {
                s.put("policy " + p + " on " + sc.name(), resolved.spec(sc, p));
            }
        }
        return s;
    }

    /**
     * The file of {@code shard}'s slice, from the summary {@link Evaluation#run} returned for it.
     *
     * @param slice the summary of the slice's runs, in grid order
     */
    public static ShardFile of(List<Scenario> scenarios, SimPolicies resolved, long[] seeds, SimRunner.Options o, Shard shard,
                               Summary slice) {
        int[] idx = Evaluation.slice(scenarios, resolved, seeds, o, shard);
        if (idx.length != slice.runs().size()) {
            throw new IllegalStateException("the slice has " + idx.length + " runs, the summary " + slice.runs().size());
        }
        List<Indexed> runs = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            runs.add(new Indexed(idx[i], slice.runs().get(i)));
        }
        return new ShardFile(shard, scenarios.stream().map(Scenario::name).toList(), resolved.names(), settings(scenarios, resolved, o),
                resolved.notes(), Evaluation.grid(scenarios, resolved, seeds, o), runs);
    }

    /** Writes the file into {@code dir}, whole: to a temporary file, then renamed, so a merge never reads half of it. */
    public Path write(Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("shard", shard.index());
        root.put("shards", shard.count());
        scenarios.forEach(root.putArray("scenarios")::add);
        policies.forEach(root.putArray("policies")::add);
        ObjectNode st = root.putObject("settings");
        settings.forEach(st::put);
        notes.forEach(root.putArray("notes")::add);
        ArrayNode g = root.putArray("grid");
        for (Evaluation.GridRun r : grid) {
            g.addArray().add(r.scenario()).add(r.policy()).add(r.seed());
        }
        ArrayNode rs = root.putArray("runs");
        for (Indexed i : runs) {
            RunResult r = i.run();
            ObjectNode o = rs.addObject();
            o.put("index", i.index());
            o.put("ticks", r.ticks());
            o.put("fallbacks", r.fallbacks());
            o.set("metrics", JSON.valueToTree(r.metrics()));
            if (r.timeline() != null) {
                ObjectNode t = o.putObject("timeline");
                r.timeline().services().forEach(t.putArray("services")::add);
                rows(t.putArray("slos"), r.timeline().slos());
                rows(t.putArray("rows"), r.timeline().rows());
            }
        }
        return dev.cohort.platform.AtomicFiles.write(dir.resolve(fileName(shard)), f -> JSON.writeValue(f.toFile(), root));
    }

    private static void rows(ArrayNode to, List<double[]> rows) {
        for (double[] row : rows) {
            ArrayNode a = to.addArray();
            for (double v : row) {
                a.add(v);
            }
        }
    }

    /**
     * Every shard file in {@code dir}, by name.
     *
     * @throws CohortException when {@code dir} is not a directory or holds no shard file
     */
    public static List<Path> find(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CohortException(dir + " is not a directory; give the --out directories of cohort evaluate --shard runs");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().matches("shard-\\d+-of-\\d+\\.json")).sorted().toList();
            if (found.isEmpty()) {
                throw new CohortException(dir + " holds no shard file (shard-K-of-N.json); give the --out directories of "
                        + "cohort evaluate --shard runs");
            }
            return found;
        } catch (IOException e) {
            throw new CohortException(dir + ": cannot list the directory: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a file {@link #write} wrote.
     *
     * @throws CohortException (one line naming the file) when it cannot be read or is not a shard file
     */
    public static ShardFile read(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new CohortException(file + " is not a shard file of this cohort (no \"format\": \"" + FORMAT + "\"); "
                        + "write it again with cohort evaluate --shard");
            }
            Shard shard = new Shard(root.get("shard").asInt(), root.get("shards").asInt());
            Map<String, String> settings = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.get("settings").fields(); it.hasNext(); ) {
                var e = it.next();
                settings.put(e.getKey(), e.getValue().asText());
            }
            List<Evaluation.GridRun> grid = new ArrayList<>();
            for (JsonNode g : root.get("grid")) {
                grid.add(new Evaluation.GridRun(g.get(0).asText(), g.get(1).asText(), g.get(2).asLong()));
            }
            List<Indexed> runs = new ArrayList<>();
            for (JsonNode r : root.get("runs")) {
                int index = r.get("index").asInt();
                if (index < 0 || index >= grid.size()) {
                    throw new CohortException(file + ": run index " + index + " is outside the grid of " + grid.size() + " runs");
                }
                Evaluation.GridRun at = grid.get(index);
                RunMetrics m = JSON.treeToValue(r.get("metrics"), RunMetrics.class);
                runs.add(new Indexed(index, new RunResult(at.scenario(), at.policy(), at.seed(), m, timeline(r.get("timeline")),
                        r.get("ticks").asLong(), r.get("fallbacks").asLong())));
            }
            return new ShardFile(shard, texts(root.get("scenarios")), texts(root.get("policies")), settings,
                    texts(root.get("notes")), grid, runs);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CohortException ce) {
                throw ce;
            }
            throw new CohortException(file + ": cannot read the shard file (" + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse(e.getClass().getSimpleName()) + "); write it again with cohort evaluate --shard", e);
        }
    }

    private static Timeline timeline(JsonNode t) {
        if (t == null || t.isNull()) {
            return null;
        }
        return Timeline.of(texts(t.get("services")), doubles(t.get("slos")), doubles(t.get("rows")));
    }

    private static List<double[]> doubles(JsonNode rows) {
        List<double[]> out = new ArrayList<>();
        for (JsonNode row : rows) {
            double[] r = new double[row.size()];
            for (int i = 0; i < r.length; i++) {
                JsonNode v = row.get(i);
                r[i] = v.isTextual() ? Double.parseDouble(v.asText()) : v.doubleValue();
            }
            out.add(r);
        }
        return out;
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }
}
