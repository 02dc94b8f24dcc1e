package dev.cohort.learn.train;

import dev.cohort.control.RewardWeights;
import dev.cohort.learn.algo.Algorithm;
import dev.cohort.learn.algo.AwrqConfig;
import dev.cohort.learn.algo.LearnerConfig;
import dev.cohort.learn.env.Variation;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.ConfigNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A training run, as {@code configs/<algorithm>.yaml} describes it (every key, its default and range:
 * {@code docs/training.md}). Unknown keys are errors naming the file and the key.
 *
 * @param source            the file (for messages and the report)
 * @param text              the file's text (kept in checkpoints: a resume must use the same configuration)
 * @param algorithm         what to train
 * @param seed              the run's seed: initialisation, scenario draws, simulator seeds (all ≥ 1000), exploration, sampling
 * @param scenarios         training scenarios (built-in names or files) with their sampling weights
 * @param variation         how far each episode's scenario is moved from its file
 * @param lambdaRange       the energy weight λ each episode runs with, drawn uniformly (evaluation uses 1)
 * @param episodeTicks      ticks per episode (each episode a fresh machine, knobs at their defaults)
 * @param chunkTicks        ticks per replayed chunk; must divide {@code episodeTicks}
 * @param envSteps          budget: stop after this many environment ticks
 * @param wallMinutes       budget: stop after this much wall-clock time (0: no limit)
 * @param learner           the learner's hyper-parameters
 * @param batchChunks       chunks per update
 * @param replayChunks      replay capacity in chunks
 * @param warmupChunks      chunks in replay before the first update
 * @param episodesPerIteration episodes collected per iteration
 * @param updatesPerIteration  updates per iteration (run while the next episodes are collected)
 * @param standardiseRewards   reward standardisation
 * @param epsilonStart      ε-greedy start (value learners)
 * @param epsilonEnd        ε-greedy floor
 * @param epsilonAnnealSteps environment ticks over which ε falls linearly
 * @param evalEvery         evaluate every this many iterations (0: only at the end)
 * @param evalScenarios     scenarios the greedy policy is evaluated on (as written, not varied)
 * @param evalSeeds         simulator seeds of those evaluations (never used in training: training seeds are ≥ 1000)
 * @param evalSeconds       simulated seconds per evaluation run (0: each scenario's own duration)
 * @param evalBar           also run the baselines on the evaluation seeds and log when the bar is met
 * @param evalBestStatic    best-static is one of the bar's rivals (kept, or searched under the run's reward)
 * @param evalPerRole       {@code evaluation.perRole}: at each evaluation also judge the best weights so far with one role's
 *                          agents taken from the weights just evaluated, role by role, and keep whichever scores best
 *                          ({@link RoleSwaps}); only what is kept changes, never what is learned, so it is not part of the
 *                          {@link #fingerprint}
 * @param checkpointEvery   write a checkpoint every this many iterations (and at the end)
 * @param out               directory for the log, curves, checkpoint, report and models
 * @param exportDir         where the exported ONNX models go ({@code out/models} when not given)
 * @param demonstrations    episodes of a named policy replayed alongside the learner's own ({@link Demonstrations#NONE}: none)
 * @param reward            the reward's weights, in training and in its evaluations (default {@link RewardWeights#DEFAULT},
 *                          the weights {@code evaluate} judges by); recorded in the models' provenance
 * @param collectorThreads  threads stepping an iteration's episodes in lockstep (1: the collector thread alone); only the
 *                          speed depends on it, never what is learned, so it is not part of the {@link #fingerprint}
 * @param batchByAgents     draw each batch's replay chunks among chunks with the same agent counts (no padding to the
 *                          largest machine: faster updates, but batches of one machine size; changes what is learned)
 * @param weightAverage     0: the weights evaluated, kept and exported are the learner's own. τ in (0, 1]: they are an
 *                          exponential moving average of them, {@code avg ← (1 − τ)·avg + τ·w} after every update
 *                          ({@link WeightAverage}); the episodes are still collected with the learner's own
 * @param evalReward        the reward in-training evaluations, the bar and best-static judge by ({@code evaluation.reward};
 *                          the training reward when not given): a run may learn under other weights than it is judged by
 * @param domainEnergyCredit {@code learning.energyCredit: domain}: each frequency-domain agent learns from the shared
 *                          reward with its own domain's energy in place of the package's ({@code −β·λ·E_i} for
 *                          {@code −β·λ·E}, the simulator's exact per-core energy), so the others' levels no longer blur
 *                          what its own costs; the mixer and the other roles keep the shared reward (IQL, AWRQ-Mixer)
 * @param rewardsPerScenario {@code learning.standardiseRewards: perScenario}: each chunk's rewards standardised by the
 *                          statistics of its own training scenario's rewards, not the run's (multi-task scaling, as
 *                          PopArt's per task), so a scenario whose levels differ by little is not drowned in the loss by
 *                          one whose misses cost thirty; within a scenario the greedy policy is unchanged
 * @param lrDecay           the learning rate's linear decay over the run's ticks ({@code optimiser.lrEnd},
 *                          {@code optimiser.lrDecayTicks}; {@link LrDecay#NONE}: the rate as configured throughout)
 */
public record TrainConfig(Path source, String text, Algorithm algorithm, long seed, Map<String, Double> scenarios,
                          Variation variation, double[] lambdaRange, int episodeTicks, int chunkTicks, long envSteps,
                          double wallMinutes, LearnerConfig learner, int batchChunks, int replayChunks, int warmupChunks,
                          int episodesPerIteration, int updatesPerIteration, boolean standardiseRewards, double epsilonStart,
                          double epsilonEnd, long epsilonAnnealSteps, int evalEvery, List<String> evalScenarios,
                          String evalSeeds, double evalSeconds, boolean evalBar, boolean evalBestStatic, boolean evalPerRole, int checkpointEvery, Path out, Path exportDir,
                          Demonstrations demonstrations, RewardWeights reward, int collectorThreads,
                          boolean batchByAgents, double weightAverage, RewardWeights evalReward, boolean domainEnergyCredit,
                          boolean rewardsPerScenario, LrDecay lrDecay) {

    /** Reads and checks a configuration file; relative {@code out} and {@code export} paths are taken from the working directory. */
    public static TrainConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CohortException(file + ": cannot read the training configuration: " + e.getMessage(), e);
        }
        return parse(file, text);
    }

    /** Parses configuration text ({@code file} names it in messages). */
    public static TrainConfig parse(Path file, String text) {
        String origin = file.getFileName().toString();
        ConfigNode n = ConfigNode.parse(origin, text).allow("algorithm", "seed", "scenarios", "variation", "lambda", "episodeTicks",
                "chunkTicks", "budget", "network", "mixer", "awrq", "critic", "optimiser", "learning", "exploration", "evaluation",
                "checkpointEvery", "out", "export", "demonstrations", "reward");
        Algorithm alg;
        try {
            alg = Algorithm.parse(n.text("algorithm"));
        } catch (IllegalArgumentException e) {
            throw n.error("algorithm", e.getMessage());
        }
        Variation variation = VariationConfig.read(n);
        int episodeTicks = n.intValue("episodeTicks", 300, 2, 1_000_000);
        int chunkTicks = n.intValue("chunkTicks", 30, 1, 10_000);
        if (episodeTicks % chunkTicks != 0) {
            throw n.error("chunkTicks", chunkTicks + " does not divide episodeTicks " + episodeTicks);
        }
        ConfigNode budget = n.mapping("budget").allow("envSteps", "wallMinutes");
        ConfigNode net = n.mapping("network").allow("hidden", "recurrent", "levelDegree");
        ConfigNode mix = n.mapping("mixer").allow("embed", "hypernetHidden");
        ConfigNode aw = n.mapping("awrq").allow("heads", "adaptiveWeighting", "vgca", "mixerTrainsAgents");
        ConfigNode critic = n.mapping("critic").allow("hidden", "logitRegulariser", "gumbelTemperature");
        ConfigNode opt = n.mapping("optimiser").allow("lr", "criticLr", "gradClip", "lrEnd", "lrDecayTicks");
        ConfigNode learn = n.mapping("learning").allow("gamma", "nStep", "huber", "batchChunks", "replayChunks", "warmupChunks",
                "episodesPerIteration", "updatesPerIteration", "doubleQ", "targetInterval", "tau", "standardiseRewards",
                "collectorThreads", "batchByAgents", "weightAverage", "valuedApart", "energyCredit", "pairedAdvantage");
        ConfigNode expl = n.mapping("exploration").allow("epsilonStart", "epsilonEnd", "annealSteps");
        ConfigNode eval = n.mapping("evaluation").allow("every", "scenarios", "seeds", "seconds", "bar", "bestStatic", "perRole", "reward");
        ConfigNode demo = n.mapping("demonstrations").allow("policy", "scenarios", "episodes", "share", "margin", "weight",
                "widened");
        LearnerConfig d = LearnerConfig.DEFAULT;
        LearnerConfig lc;
        try {
            lc = new LearnerConfig(learn.number("gamma", d.gamma(), 0.01, 0.9999), learn.intValue("nStep", d.nStep(), 1, 1000),
                    opt.number("lr", d.lr(), 1e-7, 1),
                    opt.number("criticLr", d.criticLr(), 1e-7, 1), opt.number("gradClip", d.gradClip(), 0, 1e6),
                    learn.number("huber", d.huber(), 0, 1e6),
                    net.intValue("hidden", d.hidden(), 1, 4096), net.bool("recurrent", d.recurrent()),
                    learn.bool("doubleQ", d.doubleQ()), learn.intValue("targetInterval", d.targetInterval(), 1, 100_000_000),
                    learn.number("tau", d.tau(), 0, 1), mix.intValue("embed", d.mixerEmbed(), 1, 4096),
                    mix.intValue("hypernetHidden", d.hypernetHidden(), 1, 4096), awrq(aw, d.awrq()),
                    critic.intValue("hidden", d.criticHidden(), 1, 4096), critic.number("logitRegulariser", d.logitRegulariser(), 0, 10),
                    critic.number("gumbelTemperature", d.gumbelTemperature(), 0.01, 100),
                    demo.number("margin", d.demoMargin(), 0, 1e3), demo.number("weight", d.demoWeight(), 0, 1e3),
                    valuedApart(learn), net.intValue("levelDegree", 0, 0, 10), LearningKeys.paired(learn));
        } catch (IllegalArgumentException e) {
            throw new CohortException(origin + ": " + e.getMessage());
        }
        LearningKeys.valueLearnersOnly(lc, alg, net, learn);
        String seeds = eval.value("seeds", "201-202", written -> {
            seedList(written);
            return written;
        });
        if (!n.has("scenarios")) {
            throw n.error("scenarios", "required (scenario names with weights, e.g. {colocation: 1, membw: 1})");
        }
        Demonstrations demonstrations = demonstrations(n, demo, alg);
        ConfigNode rw = n.mapping("reward").allow("alpha", "beta", "gamma", "delta");
        RewardWeights reward = rewardWeights(rw, RewardWeights.DEFAULT);
        RewardWeights evalReward = rewardWeights(eval.mapping("reward").allow("alpha", "beta", "gamma", "delta"), reward);
        LearningKeys.Standardise standardise = LearningKeys.standardise(learn, lc);
        Path out = Path.of(n.text("out", "runs/" + alg.id()));
        Path export = n.has("export") ? Path.of(n.text("export", null)) : out.resolve("models");
        return new TrainConfig(file, text, alg, n.integer("seed", 1, 0, Long.MAX_VALUE / 4), scenarioWeights(n), variation,
                n.range("lambda", new double[]{1, 1}, 0, 100), episodeTicks, chunkTicks,
                budget.integer("envSteps", 1_000_000, 1, Long.MAX_VALUE / 4), budget.number("wallMinutes", 0, 0, 1e6), lc,
                learn.intValue("batchChunks", 32, 1, 100_000), learn.intValue("replayChunks", 4000, 1, 10_000_000),
                learn.intValue("warmupChunks", 64, 1, 10_000_000), learn.intValue("episodesPerIteration", 2, 1, 100_000),
                learn.intValue("updatesPerIteration", 4, 0, 100_000), standardise != LearningKeys.Standardise.OFF,
                expl.number("epsilonStart", 1.0, 0, 1), expl.number("epsilonEnd", 0.05, 0, 1),
                expl.integer("annealSteps", 100_000, 0, Long.MAX_VALUE / 4), eval.intValue("every", 25, 0, 10_000_000),
                evalScenarios(eval), seeds, eval.number("seconds", 0, 0, 1e6),
                eval.bool("bar", true), eval.bool("bestStatic", true), eval.bool("perRole", false), n.intValue("checkpointEvery", 100, 1, 10_000_000), out, export, demonstrations, reward,
                learn.intValue("collectorThreads", 1, 1, 64), learn.bool("batchByAgents", false),
                learn.number("weightAverage", 0, 0, 1), evalReward, LearningKeys.energyCredit(learn, alg, lc), standardise == LearningKeys.Standardise.PER_SCENARIO,
                LearningKeys.lrDecay(opt, lc.lr()));
    }


    /** A {@code reward:} mapping's weights; each weight not written is {@code dw}'s. */
    private static RewardWeights rewardWeights(ConfigNode rw, RewardWeights dw) {
        return new RewardWeights(rw.number("alpha", dw.alpha(), 0, 1e6), rw.number("beta", dw.beta(), 0, 1e6),
                rw.number("gamma", dw.gamma(), 0, 1e6), rw.number("delta", dw.delta(), 0, 1e6));
    }

    /** The same run with another seed (a sweep's). */
    public TrainConfig withSeed(long newSeed) {
        return new TrainConfig(source, text, algorithm, newSeed, scenarios, variation, lambdaRange, episodeTicks, chunkTicks, envSteps,
                wallMinutes, learner, batchChunks, replayChunks, warmupChunks, episodesPerIteration, updatesPerIteration,
                standardiseRewards, epsilonStart, epsilonEnd, epsilonAnnealSteps, evalEvery, evalScenarios, evalSeeds, evalSeconds,
                evalBar, evalBestStatic, evalPerRole, checkpointEvery, out, exportDir, demonstrations, reward, collectorThreads, batchByAgents,
                weightAverage, evalReward, domainEnergyCredit, rewardsPerScenario, lrDecay);
    }

    /** The same run with another budget. */
    public TrainConfig withBudget(long steps, double minutes) {
        return new TrainConfig(source, text, algorithm, seed, scenarios, variation, lambdaRange, episodeTicks, chunkTicks, steps,
                minutes, learner, batchChunks, replayChunks, warmupChunks, episodesPerIteration, updatesPerIteration,
                standardiseRewards, epsilonStart, epsilonEnd, epsilonAnnealSteps, evalEvery, evalScenarios, evalSeeds, evalSeconds,
                evalBar, evalBestStatic, evalPerRole, checkpointEvery, out, exportDir, demonstrations, reward, collectorThreads, batchByAgents,
                weightAverage, evalReward, domainEnergyCredit, rewardsPerScenario, lrDecay);
    }

    /** The same run written elsewhere: {@code out} for the run, {@code export} for the models ({@code out/models} when null). */
    public TrainConfig withOut(Path out, Path export) {
        return new TrainConfig(source, text, algorithm, seed, scenarios, variation, lambdaRange, episodeTicks, chunkTicks, envSteps,
                wallMinutes, learner, batchChunks, replayChunks, warmupChunks, episodesPerIteration, updatesPerIteration,
                standardiseRewards, epsilonStart, epsilonEnd, epsilonAnnealSteps, evalEvery, evalScenarios, evalSeeds, evalSeconds,
                evalBar, evalBestStatic, evalPerRole, checkpointEvery, out, export == null ? out.resolve("models") : export, demonstrations, reward,
                collectorThreads, batchByAgents,
                weightAverage, evalReward, domainEnergyCredit, rewardsPerScenario, lrDecay);
    }

    /**
     * The same run for timing ({@link TrainBench}): written to {@code out}, with {@code collectorThreads} and
     * {@code batchByAgents}, and without
     * in-training evaluations, the bar's baselines or demonstrations (minutes of work that are not the loop's speed).
     */
    public TrainConfig forTiming(Path out, int collectorThreads, boolean batchByAgents) {
        return new TrainConfig(source, text, algorithm, seed, scenarios, variation, lambdaRange, episodeTicks, chunkTicks, envSteps,
                0, learner, batchChunks, replayChunks, warmupChunks, episodesPerIteration, updatesPerIteration,
                standardiseRewards, epsilonStart, epsilonEnd, epsilonAnnealSteps, 0, evalScenarios, evalSeeds, evalSeconds,
                false, false, false, Integer.MAX_VALUE, out, out.resolve("models"), Demonstrations.NONE, reward, collectorThreads, batchByAgents,
                weightAverage, evalReward, domainEnergyCredit, rewardsPerScenario, lrDecay);
    }

    /** Training simulator seeds are at least this; evaluation seeds must be below it. */
    public static final long FIRST_TRAINING_SEED = dev.cohort.harness.SimHarness.FIRST_TRAINING_SEED;

    /** The evaluation seeds: {@code 201-202} or {@code 7,8,9}; all below {@link #FIRST_TRAINING_SEED}. */
    public long[] evalSeedList() {
        try {
            return seedList(evalSeeds);
        } catch (IllegalArgumentException e) {
            throw new CohortException(source.getFileName() + ": evaluation.seeds: " + e.getMessage());
        }
    }

    /** Evaluation seeds as written ({@code 201-202} or {@code 7,8,9}); an IllegalArgumentException says what is wrong. */
    static long[] seedList(String seeds) {
        List<Long> out = new ArrayList<>();
        String outside = "seeds must be 0.." + (FIRST_TRAINING_SEED - 1) + " (training uses " + FIRST_TRAINING_SEED
                + " and above), got '" + seeds + "'";
        try {
            for (String part : seeds.split(",")) {
                String p = part.strip();
                int dash = p.indexOf('-', 1);
                long lo = Long.parseLong((dash > 0 ? p.substring(0, dash) : p).strip());
                long hi = dash > 0 ? Long.parseLong(p.substring(dash + 1).strip()) : lo;
                if (lo < 0 || hi >= FIRST_TRAINING_SEED) {
                    throw new IllegalArgumentException(outside); // before counting: a range may be huge
                }
                for (long x = lo; x <= hi; x++) {
                    out.add(x);
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a range (201-202) or a list (7,8,9), got '" + seeds + "'");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(outside);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Everything that decides what the run computes, budget excluded: a resumed run must match it (the budget
     * may be raised to train on).
     */
    public String fingerprint() {
        return String.join("|", algorithm.id(), Long.toString(seed), scenarios.toString(), variation.toString(),
                java.util.Arrays.toString(lambdaRange), Integer.toString(episodeTicks), Integer.toString(chunkTicks),
                learner.toString().replace(", paired=none]", "]").replace(", levelDegree=0]", "]").replace(", valuedApart=[]]", "]"), Integer.toString(batchChunks), Integer.toString(replayChunks), Integer.toString(warmupChunks),
                Integer.toString(episodesPerIteration), Integer.toString(updatesPerIteration), Boolean.toString(standardiseRewards),
                Double.toString(epsilonStart), Double.toString(epsilonEnd), Long.toString(epsilonAnnealSteps),
                Integer.toString(evalEvery), evalScenarios.toString(), evalSeeds, Double.toString(evalSeconds),
                demonstrations.toString(), reward.toString()) + (batchByAgents ? "|batchByAgents" : "") // older checkpoints still match
                + (weightAverage > 0 ? "|weightAverage " + weightAverage : "")
                + (evalReward.equals(reward) ? "" : "|evalReward " + evalReward)
                + (domainEnergyCredit ? "|energyCredit domain" : "")
                + (rewardsPerScenario ? "|rewards standardised per scenario" : "")
                + (lrDecay.on() ? "|" + lrDecay : "");
    }

    /** {@code learning.valuedApart}: a list of term names, none by default. */
    private static java.util.List<dev.cohort.learn.replay.ValueTerm> valuedApart(ConfigNode learn) {
        java.util.List<dev.cohort.learn.replay.ValueTerm> out = new java.util.ArrayList<>();
        for (String id : learn.strings("valuedApart", java.util.List.of())) {
            try {
                out.add(dev.cohort.learn.replay.ValueTerm.of(id));
            } catch (IllegalArgumentException e) {
                throw learn.error("valuedApart", e.getMessage());
            }
        }
        return out;
    }

    /** ε after {@code steps} environment ticks. */
    public double epsilon(long steps) {
        if (epsilonAnnealSteps <= 0 || steps >= epsilonAnnealSteps) {
            return epsilonEnd;
        }
        return epsilonStart + (epsilonEnd - epsilonStart) * steps / (double) epsilonAnnealSteps;
    }

    /** The {@code awrq} section (read whatever the algorithm, used by AWRQ alone). */
    private static AwrqConfig awrq(ConfigNode aw, AwrqConfig d) {
        return new AwrqConfig(aw.intValue("heads", d.heads(), 1, 256), aw.bool("adaptiveWeighting", d.adaptiveWeighting()),
                aw.bool("vgca", d.vgca()), aw.bool("mixerTrainsAgents", d.mixerTrainsAgents()));
    }

    /** The {@code demonstrations} section: off when absent; a policy, and scenarios among the training ones. */
    private static Demonstrations demonstrations(ConfigNode n, ConfigNode demo, Algorithm alg) {
        if (!n.has("demonstrations")) {
            return Demonstrations.NONE;
        }
        if (alg == Algorithm.MADDPG) {
            throw n.error("demonstrations", "only the value learners (iql, vdn, qmix, awrq) use demonstrations; remove the section "
                    + "for maddpg");
        }
        if (!demo.has("policy")) {
            throw demo.error("policy", "required: the policy that demonstrates, e.g. slo-guard");
        }
        List<String> training = List.copyOf(scenarioWeights(n).keySet());
        List<String> scenarios = demo.strings("scenarios", training);
        for (String sc : scenarios) {
            if (!training.contains(sc)) {
                throw demo.error("scenarios", "'" + sc + "' is not a training scenario (" + String.join(", ", training) + ")");
            }
        }
        return new Demonstrations(demo.text("policy"), scenarios, demo.intValue("episodes", 100, 0, 1_000_000),
                demo.number("share", 0.25, 0, 1), demo.bool("widened", true));
    }

    /** The in-training validation scenarios: nothing held out. */
    private static List<String> evalScenarios(ConfigNode eval) {
        List<String> names = eval.strings("scenarios", List.of("colocation", "membw", "diurnal"));
        TrainingScenarios.checkNames(eval, "scenarios", names, TrainingScenarios.Use.VALIDATION);
        return names;
    }

    /** The training scenarios with their weights: required, nothing held out, and at least one weight positive. */
    private static Map<String, Double> scenarioWeights(ConfigNode n) {
        Map<String, Double> w = n.weights("scenarios");
        if (w.isEmpty()) {
            throw n.error("scenarios", "required (scenario names with weights, e.g. {colocation: 1, membw: 1})");
        }
        TrainingScenarios.checkNames(n, "scenarios", List.copyOf(w.keySet()), TrainingScenarios.Use.TRAINING);
        if (w.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw n.error("scenarios", "at least one weight must be positive");
        }
        return w;
    }
}
