package dev.cohort.learn.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.harness.SimHarness;
import dev.cohort.learn.algo.Engines;
import dev.cohort.learn.algo.Learner;
import dev.cohort.learn.algo.UpdateStats;
import dev.cohort.learn.env.StateEncoder;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.onnx.OnnxExporter;
import dev.cohort.learn.replay.Batch;
import dev.cohort.learn.replay.Chunk;
import dev.cohort.learn.replay.ReplayBuffer;
import dev.cohort.learn.replay.RewardScaler;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One training run, from its configuration to its exported models: set up the learner and the state (fresh, or from
 * the checkpoint), collect demonstrations and measure the baselines when asked, then {@link #step} iteration after
 * iteration until the budget is spent or a stop is requested, checkpointing after the first iteration, every
 * {@code checkpointEvery} iterations and at the end, and finally evaluate and export. Iteration {@code k}: one thread
 * collects {@code episodesPerIteration} episodes with the weights as they were after iteration {@code k − 1} (and
 * first evaluates those weights when an evaluation is due), while the calling thread makes {@code updatesPerIteration}
 * updates on the replay as it was after iteration {@code k − 1}; then the new chunks enter the replay and the new
 * weights go to the actors. The collector steps its episodes in lockstep ({@link Collector#runLockstep}). The schedule does not depend on which thread finishes first, so a run is deterministic for
 * its seed. Not thread-safe: {@link Trainer#run} owns it.
 */
final class TrainingRun {
    private final TrainConfig cfg;
    private final Trainer.Listener listener;
    private final RunDirectory dir;
    private final List<Scenario> bases;
    private final List<Scenario> evalScenarios;
    private final long[] evalSeeds;
    private final int[] features;
    private final int[] levels;
    private final int[] hidden;
    private final SimMachine probe;
    private final Learner learner;
    private final Collector collector;
    private final List<IterationLog> history = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private RunState s;
    private BestWeights best;
    private int demoShare;
    private ParamSet snapshot;
    /** What is evaluated and kept: {@link #snapshot}, or the weight average's copy taken with it. */
    private ParamSet judged;
    private WeightAverage average;
    private long start;
    private double wallBefore;
    /** Episodes one after another ({@link Collector#run}) instead of in lockstep: the same results, for timing the two. */
    private boolean sequential;

    TrainingRun(TrainConfig cfg, Trainer.Listener listener, RunDirectory dir) {
        this.cfg = cfg;
        this.listener = listener;
        this.dir = dir;
        this.bases = TrainingScenarios.training(cfg);
        double[] weights = cfg.scenarios().values().stream().mapToDouble(Double::doubleValue).toArray();
        this.evalScenarios = TrainingScenarios.validation(cfg);
        this.evalSeeds = cfg.evalSeedList();
        this.probe = SimHarness.machine(bases.getFirst(), 1);
        RunShape shape = RunShape.of(cfg, probe);
        this.features = shape.features();
        this.levels = shape.levels();
        this.hidden = shape.hidden();
        this.learner = shape.learner();
        this.collector = new Collector(cfg, bases, weights, learner.agents(), learner.samplesActions());
    }

    /** Fresh state, or the checkpoint's with the log up to it; then demonstrations and baselines if still due. */
    void prepare(boolean resume) {
        try {
            if (resume) {
                listener.message("resuming from " + dir.checkpoint());
                s = RunState.read(dir.checkpoint(), cfg.fingerprint(), learner);
                history.addAll(TrainingLog.read(dir.log(), s.iteration));
            } else {
                s = new RunState();
                s.replay = new ReplayBuffer(cfg.replayChunks());
                s.newScalers(cfg.standardiseRewards(), cfg.rewardsPerScenario());
            }
            TrainingLog.rewrite(dir.log(), history);
        } catch (IOException e) {
            throw new CohortException(dir.dir() + ": cannot prepare the run directory: " + e.getMessage(), e);
        }
        best = new BestWeights(s);
        average = cfg.weightAverage() > 0 ? new WeightAverage(cfg.weightAverage(), s.average) : null;
        if (cfg.demonstrations().on() && s.demos == null) {
            // first: a misnamed demonstrator fails at once
            DemonstrationRun.collect(cfg, s, collector, learner.actorParams().copy(), probe.topology(), listener);
        }
        learner.setTermWeights(s.termWeights(cfg.learner().valuedApart()));
        if (cfg.evalBar() && s.bar == null) {
            listener.message("measuring the baselines on " + String.join(", ", cfg.evalScenarios()) + ", seeds " + cfg.evalSeeds());
            s.bar = Bar.measure(evalScenarios, evalSeeds, cfg.evalSeconds(), cfg.evalReward(), TrainingRivals.of(cfg, listener));
        }
        demoShare = s.demos == null ? 0 : cfg.demonstrations().chunksOf(cfg.batchChunks());
    }

    /** Iterates until the budget is spent or the listener asks to stop; then exports (or, when stopped, only checkpoints). */
    Trainer.Result execute() {
        start = System.nanoTime();
        wallBefore = s.wallSeconds;
        takeSnapshots();
        boolean stopped = iterate(this::budgetSpent, true);
        return stopped ? interrupted() : finish();
    }

    /**
     * Times {@code iterations} iterations ({@link TrainBench}): nothing is evaluated (the benchmark's configuration asks
     * for no evaluation), checkpointed or exported. Returns the log lines of the run so far.
     *
     * @param sequential collect the episodes one after another (the same results as lockstep, for timing the two)
     */
    List<IterationLog> time(int iterations, boolean sequential) {
        this.sequential = sequential;
        start = System.nanoTime();
        wallBefore = s.wallSeconds;
        takeSnapshots();
        long end = s.iteration + iterations;
        iterate(() -> s.iteration >= end, false);
        return List.copyOf(history);
    }

    /**
     * Steps until {@code done} or a stop request, with the collector thread beside this one; with {@code checkpoints},
     * checkpoints after the first iteration, every {@code checkpointEvery} and at the end. True when stopped on request.
     */
    private boolean iterate(java.util.function.BooleanSupplier done, boolean checkpoints) {
        try (ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cohort-collector");
            t.setDaemon(true);
            return t;
        }); BufferedWriter log = Files.newBufferedWriter(dir.log(), StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            boolean stopped = false;
            while (!done.getAsBoolean()) {
                if (listener.stopRequested()) {
                    stopped = true;
                    break;
                }
                step(pool, log);
                if (checkpoints && (s.iteration == 1 || s.iteration % cfg.checkpointEvery() == 0)) {
                    s.write(dir.checkpoint(), cfg.fingerprint(), learner); // early, so an interrupted run is never lost
                }
            }
            if (checkpoints) {
                s.write(dir.checkpoint(), cfg.fingerprint(), learner);
            }
            return stopped;
        } catch (IOException e) {
            throw new CohortException(dir.log() + ": cannot write the training log: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CohortException("training interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CohortException ce) {
                throw ce;
            }
            throw new IllegalStateException("collecting episodes failed: " + e.getCause(), e.getCause());
        }
    }

    private boolean budgetSpent() {
        return s.envSteps >= cfg.envSteps() || (cfg.wallMinutes() > 0 && s.wallSeconds >= cfg.wallMinutes() * 60);
    }

    /** One iteration: collect on the other thread while updating here, then merge, evaluate if due, log. */
    private void step(ExecutorService pool, BufferedWriter log) throws IOException, InterruptedException, ExecutionException {
        long k = s.iteration;
        double eps = cfg.epsilon(s.envSteps);
        boolean evalNow = cfg.evalEvery() > 0 && k > 0 && k % cfg.evalEvery() == 0;
        ParamSet acting = snapshot;
        ParamSet judging = judged;
        long firstEpisode = s.episodes;
        ParamSet bestNow = evalNow && cfg.evalPerRole() ? best.weights() : null; // not replaced until this iteration ends
        long[] bestRolesNow = best.roleEnvSteps();
        Future<Collected> collected = pool.submit(() -> collect(acting, judging, bestNow, firstEpisode, eps, evalNow));
        long t0 = System.nanoTime();
        List<UpdateStats> stats = update();
        double learnSeconds = (System.nanoTime() - t0) / 1e9;
        Collected c = collected.get();
        merge(c);
        learner.setTermWeights(s.termWeights(cfg.learner().valuedApart())); // the statistics just moved
        takeSnapshots();
        s.iteration++;
        s.wallSeconds = wallBefore + (System.nanoTime() - start) / 1e9;
        Boolean bar = null;
        double score = Double.NaN;
        double latestScore = Double.NaN;
        if (c.evaluation() != null) {
            score = Evaluator.score(c.evaluation(), s.bar);
            best.offer(score, k - 1, c.envStepsOfWeights(), judging);
            for (RoleSwaps.Trial t : c.trials()) {
                double ts = Evaluator.score(t.results(), s.bar);
                boolean kept = best.offerRole(ts, t.role(), k - 1, c.envStepsOfWeights(), t.weights(), bestRolesNow);
                listener.message(String.format(java.util.Locale.ROOT, "evaluation after %d ticks: the best weights with these %s"
                        + " agents %.3f%s", c.envStepsOfWeights(), t.role().id(), ts, kept ? " (kept)" : ""));
            }
            if (c.latest() != null) {
                latestScore = Evaluator.score(c.latest(), s.bar);
                listener.message(String.format(java.util.Locale.ROOT, "evaluation after %d ticks: averaged weights %.3f, latest weights %.3f",
                        c.envStepsOfWeights(), score, latestScore));
            }
            if (s.bar != null) {
                bar = s.bar.met(c.evaluation());
                if (bar && s.barEnvSteps < 0) {
                    s.barEnvSteps = c.envStepsOfWeights();
                    s.barWallSeconds = s.wallSeconds;
                    listener.message(String.format(java.util.Locale.ROOT, "bar met on the held-out seeds after %d ticks, %.1f min",
                            s.barEnvSteps, s.wallSeconds / 60));
                }
            }
        }
        IterationLog line = new IterationLog(k, s.envSteps, s.episodes, learner.updates(), s.wallSeconds, c.it().meanReward(),
                c.it().sloShare(), c.it().exploration(), eps, mean(stats, UpdateStats::loss), mean(stats, UpdateStats::actorLoss),
                mean(stats, UpdateStats::qMean), mean(stats, UpdateStats::gradNorm), c.it().ticks() / Math.max(1e-9, c.it().seconds()),
                stats.isEmpty() ? Double.NaN : stats.size() / Math.max(1e-9, learnSeconds),
                c.evaluation() == null ? List.of() : c.evaluation(), score, bar, latestScore);
        history.add(line);
        log.write(json.writeValueAsString(line.toJson()));
        log.newLine();
        log.flush();
        listener.iteration(line);
    }

    /** This iteration's updates: demonstrations alone before the replay is warm (DQfD's pre-training), then a share. */
    private List<UpdateStats> update() {
        List<UpdateStats> stats = new ArrayList<>();
        boolean warm = s.replay.size() >= cfg.warmupChunks();
        if (!warm && demoShare == 0) {
            return stats;
        }
        int fromDemos = warm ? demoShare : cfg.batchChunks();
        learner.scaleLearningRates(cfg.lrDecay().scaleAt(s.envSteps));
        for (int u = 0; u < cfg.updatesPerIteration(); u++) {
            SplittableRandom rng = Collector.episodeRng(cfg.seed() ^ 0x5DEECE66DL, learner.updates());
            List<Chunk> chunks = new ArrayList<>(cfg.batchChunks());
            if (fromDemos < cfg.batchChunks()) {
                chunks.addAll(cfg.batchByAgents() ? s.replay.sampleSameAgents(cfg.batchChunks() - fromDemos, rng)
                        : s.replay.sample(cfg.batchChunks() - fromDemos, rng));
            }
            if (fromDemos > 0) {
                chunks.addAll(s.demos.sample(fromDemos, rng));
            }
            Batch b = new Batch(chunks, features, levels, hidden, StateEncoder.size(), s.scaler, cfg.learner().valuedApart(),
                    s.termScalers, fromDemos, cfg.learner().paired().perRole(), s.pairScaler,
                    cfg.learner().paired().balanced(), s.pairParts(cfg.learner()));
            stats.add(learner.update(b, rng));
            if (average != null) {
                average.update(learner.actorParams());
                s.average = average.state();
            }
        }
        return stats;
    }

    /** The collected episodes into the replay and the counts. */
    private void merge(Collected c) {
        for (Collector.Episode e : c.it().episodes()) {
            for (Chunk ch : e.chunks()) {
                s.replay.add(ch);
                s.observe(ch, cfg.learner().valuedApart());
            }
            s.envSteps += e.ticks();
            s.episodes++;
            for (int r = 0; r < s.rolesSeen.length; r++) {
                s.rolesSeen[r] |= e.agents()[r] > 0;
            }
        }
    }

    /** A stopped run: the checkpoint is written; the report says so, and no models are exported. */
    private Trainer.Result interrupted() {
        String text = String.format(java.util.Locale.ROOT, "# Training interrupted%n%nStopped by request after %d ticks (iteration %d, "
                + "%.1f min). The checkpoint %s holds the run: `cohort train --config %s --resume` continues it. No models were "
                + "exported.%n", s.envSteps, s.iteration, s.wallSeconds / 60, dir.checkpoint(), cfg.source());
        try {
            Files.writeString(dir.report(), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CohortException(dir.report() + ": cannot write the report: " + e.getMessage(), e);
        }
        listener.message("stopped: checkpoint " + dir.checkpoint());
        return new Trainer.Result(cfg.out(), List.of(), dir.log(), null, dir.report(), s.envSteps, learner.updates(), s.wallSeconds,
                learner.actorParams().copy(), true);
    }

    private Trainer.Result finish() {
        double[] rates = IterationLog.busyRates(history, null); // the whole run's, earlier sessions included
        double collectRate = Double.isNaN(rates[0]) ? 0 : rates[0];
        double learnRate = Double.isNaN(rates[1]) ? 0 : rates[1];
        listener.message("evaluating the final weights on " + String.join(", ", cfg.evalScenarios()));
        ParamSet last = average == null ? learner.actorParams().copy() : average.snapshot(learner.actorParams());
        List<Evaluator.ScenarioResult> lastEval = Evaluator.run(evalScenarios, evalSeeds, cfg.evalSeconds(), learner.agents(), last, cfg.evalReward());
        ParamSet chosen = last;
        List<Evaluator.ScenarioResult> chosenEval = lastEval;
        String what = String.format(java.util.Locale.ROOT, "the final %s (%d ticks; evaluation score %.3f)",
                average == null ? "weights" : "averaged weights, τ " + cfg.weightAverage() + ",", s.envSteps,
                Evaluator.score(lastEval, s.bar));
        if (best.beats(Evaluator.score(lastEval, s.bar))) {
            chosen = best.weights();
            chosenEval = Evaluator.run(evalScenarios, evalSeeds, cfg.evalSeconds(), learner.agents(), chosen, cfg.evalReward());
            what = String.format(java.util.Locale.ROOT, "the best evaluated %s (%s, iteration %d; score %.3f, "
                    + "final weights %.3f)", average == null ? "weights" : "averaged weights, τ " + cfg.weightAverage() + ",",
                    best.origin(s.rolesSeen), best.iteration(), best.score(), Evaluator.score(lastEval, s.bar));
        }
        listener.message("exporting " + what + " to " + cfg.exportDir());
        String training = String.format(java.util.Locale.ROOT, "simulator seeds >= %d; %d ticks, %d episodes; exported %s; "
                + "variation %s", TrainConfig.FIRST_TRAINING_SEED, s.envSteps, s.episodes, what, cfg.variation());
        Demonstrations d = cfg.demonstrations();
        if (d.on()) {
            training += String.format(java.util.Locale.ROOT, "; demonstrations: %d episodes of %s on %s, batch share %s, "
                    + "margin %s, weight %s", d.episodes(), d.policy(), String.join(", ", d.scenarios()), d.share(),
                    cfg.learner().demoMargin(), cfg.learner().demoWeight());
        }
        if (!cfg.learner().valuedApart().isEmpty()) {
            double[] w = s.termWeights(cfg.learner().valuedApart());
            StringBuilder acted = new StringBuilder("; terms valued apart, acted on as rest");
            for (int i = 0; i < w.length; i++) {
                acted.append(String.format(java.util.Locale.ROOT, " + %.4g x %s", w[i], cfg.learner().valuedApart().get(i).id()));
            }
            training += acted;
        }
        if (cfg.domainEnergyCredit()) {
            training += "; energy credited by domain (each frequency-domain agent learnt with its own domain's energy)";
        }
        if (cfg.learner().levelDegree() > 0 || cfg.rewardsPerScenario()) {
            training += (cfg.rewardsPerScenario() ? "; rewards standardised per scenario" : "")
                    + (cfg.learner().levelDegree() > 0 ? "; values polynomial in the level, degree " + cfg.learner().levelDegree() : "");
        }
        training += cfg.learner().paired().on() ? "; paired advantages " + cfg.learner().paired() : "";
        List<OnnxExporter.Report> models;
        try (var manager = Engines.manager()) {
            models = ModelExport.write(cfg.exportDir(), cfg, learner, chosen, s.rolesSeen, levels, training,
                    bases.getFirst().tickNanos() / 1_000_000, manager);
        }
        dir.markExport(cfg.exportDir());
        Path curves = dir.curves();
        Path report = dir.report();
        try {
            LearningCurves.write(history, cfg.algorithm().id() + ", training seed " + cfg.seed(), curves);
            Files.writeString(report, TrainReport.markdown(cfg, s, learner.updates(), collectRate, learnRate, chosenEval, what, models,
                    ValueCheck.markdown(cfg, evalScenarios, cfg.evalSeedList()[0])), StandardCharsets.UTF_8);
            RunSummary.of(cfg, s, learner.updates(), chosenEval, what).write(cfg.out()); // last: its presence says the run finished
        } catch (IOException e) {
            throw new CohortException(cfg.out() + ": cannot write the curves or the report: " + e.getMessage(), e);
        }
        return new Trainer.Result(cfg.out(), models, dir.log(), curves, report, s.envSteps, learner.updates(),
                s.wallSeconds, last, false);
    }

    /** What the collector thread did in one iteration: the episodes, and the evaluation of the weights that acted. */
    private record Collected(Collector.Iteration it, List<Evaluator.ScenarioResult> evaluation, List<Evaluator.ScenarioResult> latest,
                             List<RoleSwaps.Trial> trials, long envStepsOfWeights) {
    }

    /** The weights the next episodes act with, and those an evaluation judges (the same without a weight average). */
    private void takeSnapshots() {
        snapshot = learner.actorParams().copy();
        judged = average == null ? snapshot : average.snapshot(snapshot);
    }

    private Collected collect(ParamSet weights, ParamSet judging, ParamSet bestNow, long firstEpisode, double eps, boolean evaluate) {
        java.util.function.Function<ParamSet, List<Evaluator.ScenarioResult>> judge =
                w -> Evaluator.run(evalScenarios, evalSeeds, cfg.evalSeconds(), learner.agents(), w, cfg.evalReward());
        List<Evaluator.ScenarioResult> ev = evaluate ? judge.apply(judging) : null;
        List<RoleSwaps.Trial> trials = bestNow == null ? List.of() : RoleSwaps.run(bestNow, judging, learner.agents(), s.rolesSeen, judge);
        // with a weight average, the latest weights are judged too, so the log shows what averaging changed
        List<Evaluator.ScenarioResult> latest = evaluate && judging != weights ? judge.apply(weights) : null;
        Collector.Iteration it = collector.iteration(firstEpisode, cfg.episodesPerIteration(), weights, Double.isNaN(eps) ? 0 : eps,
                sequential ? 0 : cfg.collectorThreads());
        return new Collected(it, ev, latest, trials, firstEpisode * cfg.episodeTicks());
    }

    private static double mean(List<UpdateStats> stats, java.util.function.ToDoubleFunction<UpdateStats> f) {
        return stats.isEmpty() ? Double.NaN : stats.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
