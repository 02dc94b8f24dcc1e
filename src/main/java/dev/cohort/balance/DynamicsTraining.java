package dev.cohort.balance;

import dev.cohort.control.ControllerConfig;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.learn.env.ScenarioSampler;
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
 * the window-to-window changes through its own rolled forecast ({@link RolledFit}) in DJL's PyTorch engine, an ONNX
 * export checked against the plain-Java forward pass,
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
            loss = new RolledFit(cfg, log).fit(net, RolledFit.data(train, cfg.rolledSteps(), cfg.lambdaMax()),
                    e -> stopIfAsked("at epoch " + e + "/" + cfg.epochs()), best::consider);
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

    /**
     * The network's best state so far by its forecast over the horizon on the validation rollouts: what the MPC uses,
     * where the loss the fit minimises keeps falling while the forecast on seeds it never fitted worsens.
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
