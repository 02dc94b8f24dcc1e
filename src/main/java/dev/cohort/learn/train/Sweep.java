package dev.cohort.learn.train;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.ConfigNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A training sweep: configurations × seeds, as a sweep file lists them ({@code configs/sweeps/*.yaml}):
 *
 * <pre>
 * configs: [configs/iql.yaml, configs/qmix.yaml]   # training configurations (paths from the working directory)
 * seeds: 1-3                                       # each run's seed, instead of the configuration's: 1-3 or [1, 2, 5]
 * out: runs/sweep                                  # one directory per run inside: &lt;config&gt;-seed&lt;S&gt;
 * </pre>
 *
 * Each run is an ordinary {@code cohort train} run in a directory of its own (log, checkpoint, report, curves, models,
 * {@link RunSummary#FILE}), so runs share nothing and any subset of them can run anywhere.
 *
 * @param source the sweep file
 * @param runs   every run, configuration-major, in the order the file lists them
 * @param out    the sweep's directory
 */
public record Sweep(Path source, List<Run> runs, Path out) {
    /**
     * One run of the sweep.
     *
     * @param name   its directory's name: the configuration file's stem and the seed ({@code qmix-seed2})
     * @param config the configuration file
     * @param seed   the run's seed
     */
    public record Run(String name, Path config, long seed) {
    }

    /** Reads and checks a sweep file; every configuration is loaded once, so a bad one fails before any run. */
    public static Sweep load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CohortException(file + ": cannot read the sweep file: " + e.getMessage(), e);
        }
        ConfigNode n = ConfigNode.parse(file.getFileName().toString(), text).allow("configs", "seeds", "out");
        if (!n.has("configs")) {
            throw n.error("configs", "required: the training configurations to sweep, e.g. [configs/iql.yaml, configs/qmix.yaml]");
        }
        if (!n.has("seeds")) {
            throw n.error("seeds", "required: each run's seed, a range (1-3) or a list ([1, 2, 5])");
        }
        List<Path> configs = n.strings("configs", List.of()).stream().map(Path::of).toList();
        List<Long> seeds = seeds(n);
        List<String> stems = new ArrayList<>();
        for (Path c : configs) {
            TrainConfig.load(c); // fails now, naming the file and key, rather than in the middle of the sweep
            String stem = c.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            if (stems.contains(stem)) {
                throw n.error("configs", "two configurations are named " + stem + "; their runs' directories would collide: rename one");
            }
            stems.add(stem);
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            for (long s : seeds) {
                runs.add(new Run(stems.get(i) + "-seed" + s, configs.get(i), s));
            }
        }
        return new Sweep(file, runs, Path.of(n.text("out", "runs/sweep")));
    }

    private static List<Long> seeds(ConfigNode n) {
        List<Long> out = new ArrayList<>();
        for (String part : n.strings("seeds", List.of())) {
            try {
                int dash = part.indexOf('-', 1);
                long lo = Long.parseLong((dash > 0 ? part.substring(0, dash) : part).strip());
                long hi = dash > 0 ? Long.parseLong(part.substring(dash + 1).strip()) : lo;
                if (lo < 0 || hi < lo || hi - lo > 10_000) {
                    throw n.error("seeds", "'" + part + "' is not a seed ≥ 0 or a range lo-hi of at most 10 000 seeds");
                }
                for (long s = lo; s <= hi; s++) {
                    if (out.contains(s)) {
                        throw n.error("seeds", "seed " + s + " is given twice");
                    }
                    out.add(s);
                }
            } catch (NumberFormatException e) {
                throw n.error("seeds", "'" + part + "' is not a seed or a range; give e.g. 1-3 or [1, 2, 5]");
            }
        }
        return out;
    }

    /** The same sweep writing into {@code dir}. */
    public Sweep withOut(Path dir) {
        return new Sweep(source, runs, dir);
    }

    /** The run directory of {@code r}. */
    public Path dir(Run r) {
        return out.resolve(r.name());
    }

    /**
     * The configuration of {@code r}: its file with the sweep's seed, writing into the run's directory (models in its
     * {@code models/}), and the budget given on the command line where one is.
     *
     * @param envSteps    ticks to train instead of the configuration's (null: its own)
     * @param wallMinutes minutes at most instead of the configuration's (null: its own)
     */
    public TrainConfig config(Run r, Long envSteps, Double wallMinutes) {
        TrainConfig c = TrainConfig.load(r.config()).withSeed(r.seed()).withOut(dir(r), null);
        if (envSteps != null || wallMinutes != null) {
            c = c.withBudget(envSteps == null ? c.envSteps() : envSteps, wallMinutes == null ? c.wallMinutes() : wallMinutes);
        }
        return c;
    }

    /** Each run's budget in ticks, in run order: the cost {@code --shard} balances. */
    public double[] costs(Long envSteps) {
        return runs.stream().mapToDouble(r -> envSteps != null ? envSteps : TrainConfig.load(r.config()).envSteps()).toArray();
    }
}
