package dev.cohort.learn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished training run in one machine-readable file, {@value #FILE} in its run directory: what ran, how long, whether
 * the exported weights met the bar, and their figures on the validation seeds. It is written last, whole (a temporary
 * file renamed), so its presence means the run finished; a sweep skips such a run and its merge reads it
 * ({@link SweepMerge}).
 *
 * @param algorithm      the algorithm's id
 * @param config         the configuration file, as given
 * @param seed           the run's seed
 * @param envSteps       environment ticks trained
 * @param updates        learner updates
 * @param wallSeconds    wall-clock time, resumes included
 * @param barMet         whether the exported weights met the bar on every validation scenario; null without a bar
 * @param barFirstMetEnvSteps ticks after which an evaluation first met the bar; -1 when none did (or without a bar)
 * @param exported       which weights were exported (final or best evaluated), as the report says
 * @param validation     per validation scenario, the exported weights' figures (means over the validation seeds)
 */
public record RunSummary(String algorithm, String config, long seed, long envSteps, long updates, double wallSeconds,
                         Boolean barMet, long barFirstMetEnvSteps, String exported, List<Validation> validation) {
    /** The file in the run directory. */
    public static final String FILE = "result.json";

    /**
     * The exported weights on one validation scenario.
     *
     * @param bar "met", "missed: why", or empty without a bar
     */
    public record Validation(String scenario, double meanReward, double energyJoules, double sloTickShare, double beWorkShare,
                             String bar) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The finished run: the exported weights' validation figures ({@code exported}, {@code what}) and the bar. */
    static RunSummary of(TrainConfig cfg, RunState s, long updates, List<Evaluator.ScenarioResult> exported, String what) {
        List<Validation> v = exported.stream().map(r -> new Validation(r.scenario(), r.meanReward(), r.energyJoules(),
                r.sloTickShare(), r.beWorkShare(), s.bar == null ? "" : s.bar.missed(r).map(why -> "missed: " + why).orElse("met")))
                .toList();
        return new RunSummary(cfg.algorithm().id(), cfg.source().toString(), cfg.seed(), s.envSteps, updates, s.wallSeconds,
                s.bar == null ? null : s.bar.met(exported), s.barEnvSteps, what, v);
    }

    /** Writes {@value #FILE} into {@code runDir}, whole. */
    void write(Path runDir) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("algorithm", algorithm);
        o.put("config", config);
        o.put("seed", seed);
        o.put("env_steps", envSteps);
        o.put("updates", updates);
        num(o, "wall_seconds", wallSeconds);
        if (barMet == null) {
            o.putNull("bar_met");
        } else {
            o.put("bar_met", barMet);
        }
        o.put("bar_first_met_env_steps", barFirstMetEnvSteps);
        o.put("exported", exported);
        var v = o.putArray("validation");
        for (Validation x : validation) {
            ObjectNode n = v.addObject();
            n.put("scenario", x.scenario());
            num(n, "mean_reward", x.meanReward());
            num(n, "energy_j", x.energyJoules());
            num(n, "slo_tick_share", x.sloTickShare());
            num(n, "be_work_share", x.beWorkShare());
            n.put("bar", x.bar());
        }
        dev.cohort.platform.AtomicFiles.write(runDir.resolve(FILE), f -> JSON.writeValue(f.toFile(), o));
    }

    /**
     * Reads {@value #FILE} from {@code runDir}.
     *
     * @throws CohortException (one line naming the file) when it cannot be read
     */
    public static RunSummary read(Path runDir) {
        Path f = runDir.resolve(FILE);
        try {
            JsonNode o = JSON.readTree(f.toFile());
            List<Validation> v = new ArrayList<>();
            for (JsonNode n : o.get("validation")) {
                v.add(new Validation(n.get("scenario").asText(), d(n.get("mean_reward")), d(n.get("energy_j")),
                        d(n.get("slo_tick_share")), d(n.get("be_work_share")), n.get("bar").asText()));
            }
            JsonNode bar = o.get("bar_met");
            return new RunSummary(o.get("algorithm").asText(), o.get("config").asText(), o.get("seed").asLong(),
                    o.get("env_steps").asLong(), o.get("updates").asLong(), d(o.get("wall_seconds")),
                    bar == null || bar.isNull() ? null : bar.asBoolean(), o.get("bar_first_met_env_steps").asLong(),
                    o.get("exported").asText(), v);
        } catch (IOException | RuntimeException e) {
            throw new CohortException(f + ": cannot read the run's result (" + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse(e.getClass().getSimpleName()) + "); train the run again", e);
        }
    }

    private static void num(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    private static double d(JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : n.asDouble();
    }
}
