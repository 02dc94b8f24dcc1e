package dev.cohort.balance.cost;

import dev.cohort.learn.env.Variation;
import dev.cohort.learn.train.VariationConfig;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.ConfigNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost estimator's training configuration ({@code configs/cost/default.yaml}): where the data comes from (training
 * scenarios drawn around their files as policy training draws them, rollout policies, episodes and their length,
 * candidates per state), the network's sizes, the optimiser, and the held-out evaluation.
 *
 * @param source         the file
 * @param text           its text (recorded in the model's provenance by name)
 * @param seed           the data and initialisation seed (rollout seeds start at 1000 + 1000·seed: never an evaluation seed)
 * @param scenarios      training scenarios (names or files)
 * @param variation      how each episode's scenario is drawn around its file
 * @param policies       rollout policies, drawn in turn ({@code random}, a baseline, {@code learned}, {@code onnx:DIR})
 * @param episodes       training episodes
 * @param episodeTicks   ticks per episode
 * @param every          a state is branched every this many ticks
 * @param candidates     candidate actions per branched state (the first is the rollout policy's own)
 * @param net            the network's sizes
 * @param lr             Adam's learning rate
 * @param epochs         passes over the data
 * @param fineEpochs     the last this many of them at a tenth of the learning rate
 * @param batchSamples   samples per update
 * @param utilWeight     weight of the utilisation task in the loss (power's is 1)
 * @param powerLoss      how the power task's relative error is charged: squared, or absolute (what MAPE counts)
 * @param evalScenarios  held-out evaluation scenarios
 * @param evalSeeds      evaluation seeds (below 1000: never a training seed)
 * @param evalPolicies   evaluation rollout policies
 * @param evalTicks      ticks per evaluation episode
 */
public record CostConfig(Path source, String text, long seed, List<String> scenarios, Variation variation, List<String> policies,
                         int episodes, int episodeTicks, int every, int candidates, CostNet net, double lr, int epochs,
                         int fineEpochs, int batchSamples, double utilWeight, PowerLoss powerLoss, List<String> evalScenarios, long[] evalSeeds,
                         List<String> evalPolicies, int evalTicks) {

    /** How the power task's relative error enters the loss. */
    public enum PowerLoss {
        /** Its square: the mean, pulled by the bursts. */
        SQUARED,
        /** Its magnitude: what MAPE counts, so under a load one tick cannot foresee, nearer the typical tick. */
        ABSOLUTE
    }

    /** Reads and checks a configuration file. */
    public static CostConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new CohortException(file + ": cannot read the cost configuration: " + e.getMessage());
        }
        ConfigNode n = ConfigNode.parse(file.toString(), text).allow("seed", "scenarios", "variation", "policies", "episodes",
                "episodeTicks", "every", "candidates", "network", "training", "evaluation");
        ConfigNode net = n.mapping("network").allow("dense", "cross", "deep", "experts", "expertUnits", "tower");
        List<String> deep = net.strings("deep", List.of("32", "16"));
        if (deep.size() != 2) {
            throw net.error("deep", "two layer widths, e.g. [32, 16]");
        }
        CostNet sizes = new CostNet(net.intValue("dense", 16, 2, 256), net.intValue("cross", 3, 0, 8), width(net, deep.get(0)),
                width(net, deep.get(1)), net.intValue("experts", 4, 1, 16), net.intValue("expertUnits", 16, 1, 256),
                net.intValue("tower", 8, 1, 256));
        ConfigNode tr = n.mapping("training").allow("lr", "epochs", "fineEpochs", "batchSamples", "utilWeight", "powerLoss");
        ConfigNode ev = n.mapping("evaluation").allow("scenarios", "seeds", "policies", "ticks");
        var cfg = new CostConfig(file, text, n.integer("seed", 1, 0, 1_000_000), n.strings("scenarios", List.of("colocation")),
                VariationConfig.read(n), n.strings("policies", List.of("random")), n.intValue("episodes", 40, 1, 100_000),
                n.intValue("episodeTicks", 200, 10, 100_000), n.intValue("every", 4, 1, 1000), n.intValue("candidates", 4, 2, 64),
                sizes, tr.number("lr", 3e-3, 1e-6, 1), tr.intValue("epochs", 20, 1, 10_000), tr.intValue("fineEpochs", 0, 0, 10_000),
                tr.intValue("batchSamples", 64, 1, 100_000), tr.number("utilWeight", 0.5, 0, 100),
                tr.choice("powerLoss", PowerLoss.SQUARED, PowerLoss.class),
                ev.strings("scenarios", List.of()), seeds(ev, ev.text("seeds", "1-3")), ev.strings("policies", List.of("random")),
                ev.intValue("ticks", 200, 10, 100_000));
        for (String s : cfg.scenarios) {
            if (s.contains("heldout") || s.equals("large")) {
                throw n.error("scenarios", "'" + s + "' is held out (configs/scenarios/heldout/, large): remove it from training");
            }
        }
        return cfg;
    }

    private static int width(ConfigNode net, String s) {
        try {
            int v = Integer.parseInt(s.strip());
            if (v >= 1 && v <= 1024) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // the error below
        }
        throw net.error("deep", "layer widths are whole numbers in 1..1024, got '" + s + "'");
    }

    /** {@code 1-3}, {@code 1,4,7} or a mix; each below 1000 (the first training seed). */
    static long[] seeds(ConfigNode n, String text) {
        List<Long> out = new ArrayList<>();
        try {
            for (String part : text.split(",")) {
                String p = part.strip();
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    long a = Long.parseLong(p.substring(0, dash).strip());
                    long b = Long.parseLong(p.substring(dash + 1).strip());
                    for (long s = a; s <= b; s++) {
                        out.add(s);
                    }
                } else if (!p.isEmpty()) {
                    out.add(Long.parseLong(p));
                }
            }
        } catch (NumberFormatException e) {
            throw n.error("seeds", "seeds like 1-3 or 1,4,7, got '" + text + "'");
        }
        if (out.isEmpty() || out.stream().anyMatch(s -> s < 0 || s >= 1000)) {
            throw n.error("seeds", "evaluation seeds in 0..999 (training's start at 1000), got '" + text + "'");
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The configuration with another number of epochs and episodes (tests and quick runs). */
    public CostConfig scaled(int episodes, int epochs, int evalTicks) {
        return new CostConfig(source, text, seed, scenarios, variation, policies, episodes, episodeTicks, every, candidates, net, lr,
                epochs, Math.min(fineEpochs, epochs / 2), batchSamples, utilWeight, powerLoss, evalScenarios, evalSeeds, evalPolicies, evalTicks);
    }
}
