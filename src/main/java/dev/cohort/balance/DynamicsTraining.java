package dev.cohort.balance;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.cohort.control.ControllerConfig;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.learn.algo.Engines;
import dev.cohort.learn.env.ScenarioSampler;
import dev.cohort.learn.nn.Adam;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.train.ModelExport;
import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import dev.cohort.policy.Policy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trains the balancer's dynamics model: rollouts of a λ-following policy on the simulated machine in which λ moves at
 * random each window (log-uniform jumps and steps in ln λ over [0.5, λ_max], so the model sees how power answers λ), an MLP fitted to
 * the window-to-window changes in DJL's PyTorch engine, an ONNX export checked against the plain-Java forward pass,
 * and the forecast error over the MPC's horizon beside persistence on seeds (and scenarios) training never saw.
 */
public final class DynamicsTraining {
    private final DynamicsConfig cfg;
    private final BudgetLoop.Pricing pricing;
    private final Consumer<String> log;
    private final java.util.function.BooleanSupplier stop;

    /**
     * @param pricing the cost model that prices the policy's levels (its dynamics path is not used)
     * @param log     progress lines
     */
    public DynamicsTraining(DynamicsConfig cfg, BudgetLoop.Pricing pricing, Consumer<String> log) {
        this(cfg, pricing, log, () -> false);
    }

    /**
     * The same; {@code stop} is asked before each rollout and each epoch: when it says stop, {@link #run} throws
     * {@link java.util.concurrent.CancellationException} between two calls into libtorch, having written nothing.
     */
    public DynamicsTraining(DynamicsConfig cfg, BudgetLoop.Pricing pricing, Consumer<String> log,
                            java.util.function.BooleanSupplier stop) {
        this.cfg = cfg;
        this.pricing = pricing;
        this.log = log;
        this.stop = stop;
    }

    private void stopIfAsked(String where) {
        if (stop.getAsBoolean()) {
            throw new java.util.concurrent.CancellationException("stopped " + where);
        }
    }

    /** One rollout: its windows in order, each with the λ it ran at, and the TDP its powers are shares of. */
    public record Rollout(String scenario, long seed, double tdpWatts, List<WindowState> windows) {
    }

    /** The result: where the model went and its forecast error beside persistence. */
    public record Result(Path file, int trainWindows, ForecastError error, double finalLoss) {
    }

    /** Collects, trains, exports to {@code out/dynamics.onnx} and evaluates. */
    public Result run(Path out) {
        long t0 = System.nanoTime();
        List<Rollout> all = collect(cfg.scenarios(), cfg.firstSeed(), cfg.seeds(), 1);
        long firstValidation = cfg.firstSeed() + cfg.seeds() - cfg.validationSeeds();
        List<Rollout> train = all.stream().filter(r -> r.seed() < firstValidation).toList();
        List<Rollout> validation = all.stream().filter(r -> r.seed() >= firstValidation).toList();
        int rows = train.stream().mapToInt(r -> Math.max(0, r.windows().size() - 2)).sum();
        log.accept(String.format(java.util.Locale.ROOT, "collected %d rollouts (%d to fit, %d to pick the epoch), %d"
                + " training windows in %.0f s", all.size(), train.size(), validation.size(), rows, (System.nanoTime() - t0) / 1e9));
        DynamicsNet net = DynamicsNet.create(cfg.hidden(), cfg.layers(), new java.util.Random(7));
        var best = new Checkpoint(net, validation, out.resolve(DynamicsModel.FILE + ".checkpoint"));
        double loss;
        try {
            loss = cfg.rolledSteps() > 1
                    ? new RolledFit(cfg, log).fit(net, RolledFit.data(train, cfg.rolledSteps(), cfg.lambdaMax()),
                            () -> stopIfAsked("before an epoch"), best::consider)
                    : fit(net, train, best);
        } catch (java.util.concurrent.CancellationException e) {
            best.removeFile();
            throw e;
        }
        best.restore();
        List<Rollout> test = collect(cfg.evalScenarios(), cfg.evalFirstSeed(), cfg.evalSeeds(), 2);
        Path file = out.resolve(DynamicsModel.FILE);
        export(net, file, null);
        ForecastError err;
        try (DynamicsModel m = DynamicsModel.open(file)) {
            err = ForecastError.of(m, test, cfg.horizon());
        }
        export(net, file, err);
        return new Result(file, rows, err, loss);
    }

    /** Rollouts of every scenario and seed, {@code cfg.threads()} at a time. */
    public List<Rollout> collect(List<String> scenarios, long firstSeed, int seeds, long lambdaStream) {
        ExecutorService pool = Executors.newFixedThreadPool(cfg.threads());
        try {
            List<Future<Rollout>> jobs = new ArrayList<>();
            for (String name : scenarios) {
                Scenario sc = Scenarios.resolve(name);
                for (int s = 0; s < seeds; s++) {
                    long seed = firstSeed + s;
                    // training rollouts (stream 1) are drawn around the file; the evaluation runs it as written
                    Scenario drawn = lambdaStream != 1 ? sc
                            : ScenarioSampler.sample(sc, cfg.variation(), new SplittableRandom(seed * 1_000_003L + jobs.size()));
                    jobs.add(pool.submit(() -> {
                        stopIfAsked("before the rollout of " + name + ", seed " + seed);
                        return rollout(drawn, seed, lambdaStream);
                    }));
                }
            }
            List<Rollout> out = new ArrayList<>();
            for (Future<Rollout> f : jobs) {
                out.add(f.get());
            }
            return out;
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new CohortException(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CohortException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One rollout of the priced policy with λ moved at random once a window. */
    Rollout rollout(Scenario sc, long seed, long lambdaStream) {
        long tick = sc.tickNanos();
        long windowNanos = cfg.windowMillis() * 1_000_000L;
        if (windowNanos % tick != 0) {
            throw new CohortException(sc.name() + ": the window (" + cfg.windowMillis() + " ms) is not a whole number of ticks");
        }
        int ticksPerWindow = (int) (windowNanos / tick);
        long windows = cfg.runSeconds() * 1000 / cfg.windowMillis();
        var rng = new SplittableRandom(seed * 31 + lambdaStream);
        var machine = SimHarness.machine(sc, seed);
        Policy policy = PricedPolicies.open(cfg.policy(), machine, ControllerConfig.DEFAULT, pricing,
                cfg.lambdaMax());
        try (SimHarness h = SimHarness.openOwning(sc, seed, policy, SimHarness.Options.evaluation())) {
            double lambda = ControllerConfig.DEFAULT.lambda();
            h.controller().setLambda(lambda);
            var acc = new WindowState.Accumulator();
            List<WindowState> out = new ArrayList<>();
            for (long w = 0; w < windows; w++) {
                for (int i = 0; i < ticksPerWindow; i++) {
                    TickRecord r = h.step();
                    acc.add(r, lambda);
                }
                out.add(acc.drain());
                lambda = nextLambda(lambda, rng);
                h.controller().setLambda(lambda);
            }
            return new Rollout(sc.name(), seed, h.machine().peakPackageWatts(), out);
        }
    }

    /**
     * The next window's λ: a jump (log-uniform over [0.5, λ_max], so each decade of λ is covered alike) or a step of
     * {@code stepSd} in ln λ.
     */
    private double nextLambda(double lambda, SplittableRandom rng) {
        double lo = Math.log(0.5);
        double hi = Math.log(Math.max(cfg.lambdaMax(), 0.5));
        double next = rng.nextDouble() < cfg.jumpChance() ? Math.exp(lo + (hi - lo) * rng.nextDouble())
                : Math.max(lambda, 0.5) * Math.exp(cfg.stepSd() * rng.nextGaussian());
        return Math.clamp(next, 0, cfg.lambdaMax());
    }

    /** Input and target rows of the rollouts: every window with one before and one after it. */
    static float[][] rows(List<Rollout> rollouts, double lambdaScale) {
        int n = rollouts.stream().mapToInt(r -> Math.max(0, r.windows().size() - 2)).sum();
        float[] x = new float[n * DynamicsFeatures.IN];
        float[] y = new float[n * DynamicsFeatures.OUT];
        int k = 0;
        for (Rollout r : rollouts) {
            List<WindowState> w = r.windows();
            for (int t = 1; t + 1 < w.size(); t++) {
                DynamicsFeatures.encode(w.get(t - 1), w.get(t), w.get(t + 1).lambda(), lambdaScale, x, k * DynamicsFeatures.IN);
                y[k * DynamicsFeatures.OUT] = (float) (w.get(t + 1).powerShare() - w.get(t).powerShare());
                y[k * DynamicsFeatures.OUT + 1] = (float) (w.get(t + 1).latencyPenalty() - w.get(t).latencyPenalty());
                y[k * DynamicsFeatures.OUT + 2] = (float) (w.get(t + 1).progress() - w.get(t).progress());
                k++;
            }
        }
        return new float[][] {x, y};
    }

    /**
     * The network's best state so far by its forecast over the horizon on the validation rollouts: what the MPC uses,
     * where the one-step loss the fit minimises keeps falling while the rolled forecast worsens past a few windows.
     */
    final class Checkpoint {
        private final DynamicsNet net;
        private final List<Rollout> validation;
        private final Path file;
        private dev.cohort.learn.nn.ParamSet best;
        private double bestWatts = Double.POSITIVE_INFINITY;
        private int bestEpoch;

        Checkpoint(DynamicsNet net, List<Rollout> validation, Path file) {
            this.net = net;
            this.validation = validation;
            this.file = file;
        }

        /** After {@code epoch} (from 1): scores the network now and keeps it when it is the best. */
        void consider(int epoch) {
            if (validation.isEmpty()) {
                return;
            }
            export(net, file, null);
            double watts;
            try (DynamicsModel m = DynamicsModel.open(file)) {
                watts = ForecastError.of(m, validation, cfg.horizon()).modelMean();
            }
            if (watts < bestWatts) {
                bestWatts = watts;
                bestEpoch = epoch;
                best = net.params().copy();
            }
            log.accept(String.format(java.util.Locale.ROOT, "epoch %d: validation MAE over %d windows %.2f W (best %.2f W,"
                    + " epoch %d)", epoch, cfg.horizon(), watts, bestWatts, bestEpoch));
        }

        /** Puts the best state back (none kept: the last epoch's stays). */
        void restore() {
            if (best != null) {
                net.params().copyFrom(best);
                log.accept("kept epoch " + bestEpoch + " (validation MAE " + String.format(java.util.Locale.ROOT, "%.2f",
                        bestWatts) + " W)");
            }
            removeFile();
        }

        /** Removes the file the scoring exports to. */
        void removeFile() {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException e) {
                log.accept("could not remove " + file + ": " + e.getMessage());
            }
        }
    }

    /**
     * Fits the network to the rollouts' window-to-window changes, showing {@code checkpoint} the network every twentieth
     * of the epochs; returns the last epoch's mean loss.
     */
    double fit(DynamicsNet net, List<Rollout> rollouts, Checkpoint checkpoint) {
        float[][] xy = rows(rollouts, cfg.lambdaMax());
        float[] x = xy[0];
        float[] y = xy[1];
        int n = y.length / DynamicsFeatures.OUT;
        if (n < cfg.batch()) {
            throw new CohortException("only " + n + " training windows, fewer than one batch of " + cfg.batch()
                    + " (more seeds or longer rollouts in " + cfg.source() + ")");
        }
        // each output's loss in units of its own spread, so power's small changes are not drowned by the others
        float[] weight = new float[DynamicsFeatures.OUT];
        for (int o = 0; o < DynamicsFeatures.OUT; o++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += (double) y[i * DynamicsFeatures.OUT + o] * y[i * DynamicsFeatures.OUT + o];
            }
            weight[o] = (float) (1 / Math.max(s / n, 1e-6));
        }
        weight[0] *= 4; // power is what the balancer steers by
        Engine engine = Engines.pytorch();
        Adam adam = new Adam(net.params(), cfg.lr(), 1);
        var rng = new java.util.Random(11);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        double epochLoss = Double.NaN;
        float[] xb = new float[cfg.batch() * DynamicsFeatures.IN];
        float[] yb = new float[cfg.batch() * DynamicsFeatures.OUT];
        try (NDManager root = Engines.manager()) {
            for (int e = 0; e < cfg.epochs(); e++) {
                stopIfAsked("at epoch " + (e + 1) + "/" + cfg.epochs());
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                }
                double sum = 0;
                int batches = 0;
                for (int start = 0; start + cfg.batch() <= n; start += cfg.batch()) {
                    for (int b = 0; b < cfg.batch(); b++) {
                        System.arraycopy(x, idx[start + b] * DynamicsFeatures.IN, xb, b * DynamicsFeatures.IN, DynamicsFeatures.IN);
                        System.arraycopy(y, idx[start + b] * DynamicsFeatures.OUT, yb, b * DynamicsFeatures.OUT, DynamicsFeatures.OUT);
                    }
                    float[][] grads;
                    try (NDManager m = root.newSubManager()) {
                        Bound bound = new Bound(m, net.params(), true);
                        NDArray xs = m.create(xb, new Shape(cfg.batch(), DynamicsFeatures.IN));
                        NDArray ys = m.create(yb, new Shape(cfg.batch(), DynamicsFeatures.OUT));
                        NDArray ws = m.create(weight, new Shape(1, DynamicsFeatures.OUT));
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray err = net.forward(bound, xs).sub(ys);
                            NDArray loss = (cfg.absoluteLoss() ? err.abs().mul(ws.sqrt()) : err.square().mul(ws)).mean();
                            gc.backward(loss);
                            sum += loss.getFloat();
                        }
                        grads = bound.gradients(List.of());
                    }
                    adam.step(net.params(), grads);
                    batches++;
                }
                epochLoss = sum / Math.max(1, batches);
                if ((e + 1) % Math.max(1, cfg.epochs() / 10) == 0) {
                    log.accept(String.format(java.util.Locale.ROOT, "epoch %d/%d: loss %.4f", e + 1, cfg.epochs(), epochLoss));
                }
                if ((e + 1) % Math.max(1, cfg.epochs() / 20) == 0) {
                    checkpoint.consider(e + 1);
                }
            }
        }
        return epochLoss;
    }

    /** Writes the ONNX file atomically, after checking ONNX Runtime against the plain-Java forward pass. */
    void export(DynamicsNet net, Path file, ForecastError err) {
        var prov = new LinkedHashMap<String, String>();
        prov.put(DynamicsMetadata.POLICY, cfg.policy() + " priced by " + pricing.costModel() + " (κ " + pricing.priceScale() + ")");
        prov.put(DynamicsMetadata.SCENARIOS, String.join(",", cfg.scenarios()));
        prov.put(DynamicsMetadata.SEEDS, cfg.firstSeed() + "-" + (cfg.firstSeed() + cfg.seeds() - 1));
        prov.put(DynamicsMetadata.COMMIT, ModelExport.commit());
        prov.put(DynamicsMetadata.TRAINED_AT, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        if (err != null) {
            prov.put(DynamicsMetadata.FORECAST, err.summary());
        }
        write(net, file, DynamicsMetadata.of(cfg.windowMillis(), cfg.lambdaMax(), pricing.priceScale(), prov));
    }

    /**
     * Writes {@code net} with metadata {@code md} to {@code file} atomically, after checking that ONNX Runtime gives the
     * plain-Java forward pass on rows spread over the inputs' ranges.
     *
     * @throws CohortException when it cannot be written or ONNX Runtime disagrees
     */
    public static void write(DynamicsNet net, Path file, Map<String, String> md) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream os = Files.newOutputStream(tmp)) {
                net.graph(md, ModelExport.version()).writeTo(os);
            }
            int n = 64;
            var rng = new SplittableRandom(5);
            float[] x = new float[n * DynamicsFeatures.IN];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rng.nextDouble() * 4 - 1);
            }
            float[] want = net.forwardJava(x, n);
            try (DynamicsModel m = DynamicsModel.open(tmp)) {
                float[] got = m.run(x, n);
                for (int i = 0; i < want.length; i++) {
                    if (Math.abs(got[i] - want[i]) > 1e-4 * (1 + Math.abs(want[i]))) {
                        throw new CohortException(file + ": ONNX Runtime gives " + got[i] + " where the network gives "
                                + want[i] + " (row " + i / DynamicsFeatures.OUT + ")");
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CohortException(file + ": cannot write the dynamics model: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the move already happened, or the tmp file was never written
            }
        }
    }
}
