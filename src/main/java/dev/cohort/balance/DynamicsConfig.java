package dev.cohort.balance;

import dev.cohort.learn.env.Variation;
import dev.cohort.learn.train.VariationConfig;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.ConfigNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How {@code cohort dynamics train} collects rollouts in which λ varies and fits the dynamics model
 * ({@code configs/dynamics/default.yaml} documents every key).
 *
 * @param source        the file it came from
 * @param policy        the learned policy that follows λ in the rollouts ({@code learned} or {@code onnx:DIR})
 * @param scenarios     training scenarios (names or files)
 * @param firstSeed     first training seed (training seeds are never evaluation seeds)
 * @param seeds         seeds per scenario
 * @param runSeconds    simulated seconds per rollout
 * @param windowMillis  the balancer step the model forecasts in
 * @param lambdaMax     λ is drawn in [0, lambdaMax]
 * @param jumpChance    each window, the chance λ jumps to a uniform draw (else it takes a small random step)
 * @param stepSd        the random step's standard deviation, in λ
 * @param hidden        hidden units per layer
 * @param layers        hidden layers
 * @param epochs        passes over the data
 * @param batch         rows per update
 * @param lr            Adam's learning rate
 * @param evalScenarios scenarios for the forecast evaluation (held out ones included)
 * @param evalFirstSeed first evaluation seed
 * @param evalSeeds     evaluation seeds per scenario
 * @param horizon       windows forecast ahead in the evaluation (the MPC's N)
 * @param threads       rollouts run at once
 * @param validationSeeds the last this many training seeds of each scenario are kept out of the fit and choose the
 *                      checkpoint: the one whose forecast over the horizon errs least on them (0: the last epoch)
 * @param rolledSteps   windows the fit rolls the network over from each start, feeding it its own forecast (1: one
 *                      window at a time, the network never seeing its own errors as inputs)
 * @param absoluteLoss  the fit charges each error unsquared (what the forecast is judged by), else squared
 * @param variation     how each training rollout's scenario is drawn around its file, as policy training draws its
 *                      episodes ({@link Variation#NONE}: the files as written); the evaluation runs the files as written
 */
public record DynamicsConfig(Path source, String policy, List<String> scenarios, long firstSeed, int seeds, long runSeconds,
                             long windowMillis, double lambdaMax, double jumpChance, double stepSd, int hidden, int layers,
                             int epochs, int batch, double lr, List<String> evalScenarios, long evalFirstSeed, int evalSeeds,
                             int horizon, int threads, int validationSeeds, int rolledSteps, boolean absoluteLoss,
                             Variation variation) {

    /** Reads a configuration file. */
    public static DynamicsConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CohortException(file + ": cannot read the dynamics configuration: " + e.getMessage(), e);
        }
        ConfigNode n = ConfigNode.parse(file.getFileName().toString(), text).allow("policy", "rollouts", "network",
                "training", "evaluation", "variation");
        ConfigNode r = n.mapping("rollouts").allow("scenarios", "firstSeed", "seeds", "seconds", "windowMillis", "lambdaMax",
                "jumpChance", "stepSd", "threads");
        ConfigNode net = n.mapping("network").allow("hidden", "layers");
        ConfigNode t = n.mapping("training").allow("epochs", "batch", "lr", "validationSeeds", "rolledSteps", "loss");
        ConfigNode e = n.mapping("evaluation").allow("scenarios", "firstSeed", "seeds", "horizon");
        if (!r.has("scenarios")) {
            throw r.error("scenarios", "required (the scenarios the rollouts run, e.g. [colocation, membw])");
        }
        var c = new DynamicsConfig(file, n.text("policy", "learned"), r.strings("scenarios", List.of()),
                r.integer("firstSeed", 1000, 1000, Long.MAX_VALUE / 2), r.intValue("seeds", 8, 1, 10_000),
                r.integer("seconds", 90, 5, 86_400), r.integer("windowMillis", 1000, 1, 600_000),
                r.number("lambdaMax", 6, 0, 100_000), r.number("jumpChance", 0.3, 0, 1), r.number("stepSd", 0.5, 0, 1000),
                net.intValue("hidden", 64, 1, 4096), net.intValue("layers", 2, 1, 8),
                t.intValue("epochs", 200, 1, 100_000), t.intValue("batch", 256, 1, 1 << 20), t.number("lr", 1e-3, 1e-7, 1),
                e.strings("scenarios", List.of("colocation", "membw", "diurnal")),
                e.integer("firstSeed", 1, 1, 999), e.intValue("seeds", 5, 1, 10_000), e.intValue("horizon", 10, 1, 1000),
                r.intValue("threads", 2, 1, 64), 0, 1, false, Variation.NONE);
        int seeds = c.seeds();
        int validation = t.intValue("validationSeeds", 0, 0, Math.max(0, seeds - 1));
        c = new DynamicsConfig(c.source(), c.policy(), c.scenarios(), c.firstSeed(), seeds, c.runSeconds(), c.windowMillis(),
                c.lambdaMax(), c.jumpChance(), c.stepSd(), c.hidden(), c.layers(), c.epochs(), c.batch(), c.lr(),
                c.evalScenarios(), c.evalFirstSeed(), c.evalSeeds(), c.horizon(), c.threads(), validation,
                t.intValue("rolledSteps", 1, 1, 100), lossIsAbsolute(t), VariationConfig.read(n));
        n.finish();
        return c;
    }

    private static boolean lossIsAbsolute(ConfigNode t) {
        String loss = t.text("loss", "squared");
        return switch (loss) {
            case "squared" -> false;
            case "absolute" -> true;
            default -> throw t.error("loss", "must be squared or absolute, got " + loss);
        };
    }
}
