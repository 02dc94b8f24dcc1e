package dev.cohort.balance.cost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import dev.cohort.learn.algo.Engines;
import dev.cohort.learn.env.ScenarioSampler;
import dev.cohort.learn.nn.Adam;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.nn.Layers;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains the cost network on samples with DJL's PyTorch engine and Adam ({@code learn.nn}): per batch, every sample's
 * rows go through the network at once; a package's prediction is the sum of its rows' normalised power times their
 * share of its TDP; the loss is the squared relative error of each package's power plus {@code utilWeight} times the
 * squared error of each row's utilisation. The truth is per package (what RAPL measures), so a host's journal trains
 * it as well as the simulator.
 */
public final class CostTrainer {
    private CostTrainer() {
    }

    /**
     * The training samples a configuration asks for: each episode a drawn scenario, a training seed and a rollout policy;
     * {@code stop} is asked before each episode ({@link java.util.concurrent.CancellationException} when true).
     */
    public static List<CostSample> collect(CostConfig cfg, Consumer<String> progress, java.util.function.BooleanSupplier stop) {
        List<Scenario> bases = cfg.scenarios().stream().map(Scenarios::resolve).toList();
        List<CostSample> out = new ArrayList<>();
        var spec = new CostCollector.Spec(cfg.episodeTicks(), cfg.every(), cfg.candidates());
        for (int e = 0; e < cfg.episodes(); e++) {
            stopIfAsked(stop, "collecting episode " + (e + 1));
            var rng = new SplittableRandom(cfg.seed() * 1_000_003L + e);
            Scenario s = ScenarioSampler.sample(bases.get(e % bases.size()), cfg.variation(), rng);
            String policy = cfg.policies().get((e / bases.size() + e) % cfg.policies().size());
            long simSeed = 1000 + 1000 * cfg.seed() + e;
            out.addAll(CostCollector.rollout(s, simSeed, policy, spec, (long) e << 32));
            if (progress != null && (e + 1) % Math.max(1, cfg.episodes() / 10) == 0) {
                progress.accept("collected " + (e + 1) + "/" + cfg.episodes() + " episodes, " + out.size() + " samples");
            }
        }
        return out;
    }

    /** What training did. */
    public record Result(ParamSet params, double lastLoss, double trainMape) {
    }

    /** Throws when {@code stop} says so: a signal asked the command to stop ({@code cli.StopSignals}). */
    static void stopIfAsked(java.util.function.BooleanSupplier stop, String where) {
        if (stop.getAsBoolean()) {
            throw new java.util.concurrent.CancellationException("stopped " + where);
        }
    }

    /**
     * Trains a fresh network on {@code samples}; {@code stop} is asked before each epoch, so a signal stops the run
     * between two calls into libtorch ({@link java.util.concurrent.CancellationException}).
     */
    public static Result train(CostConfig cfg, List<CostSample> samples, Consumer<String> progress,
                               java.util.function.BooleanSupplier stop) {
        CostNet net = cfg.net();
        ParamSet params = net.init(cfg.seed());
        Adam adam = new Adam(params, cfg.lr(), 5);
        Engine engine = Engines.pytorch();
        var rng = new SplittableRandom(cfg.seed() * 17 + 3);
        int[] order = new int[samples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double last = Double.NaN;
        try (NDManager base = engine.newBaseManager()) {
            for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                stopIfAsked(stop, "at epoch " + epoch + "/" + cfg.epochs());
                if (epoch == cfg.epochs() - cfg.fineEpochs() + 1 && cfg.fineEpochs() > 0) {
                    adam = new Adam(params, cfg.lr() / 10, 5); // the last epochs at a tenth of the rate: settle in the minimum
                }
                shuffle(order, rng);
                double sum = 0;
                int batches = 0;
                for (int at = 0; at < order.length; at += cfg.batchSamples()) {
                    List<CostSample> batch = new ArrayList<>();
                    for (int i = at; i < Math.min(order.length, at + cfg.batchSamples()); i++) {
                        batch.add(samples.get(order[i]));
                    }
                    float[][] grads;
                    try (NDManager m = base.newSubManager()) {
                        Bound b = new Bound(m, params, true);
                        Batch bt = Batch.of(batch);
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray loss = loss(net, b, m, bt, cfg);
                            gc.backward(loss);
                            sum += loss.getFloat();
                        }
                        grads = b.gradients(List.of());
                    }
                    adam.step(params, grads);
                    batches++;
                }
                last = sum / Math.max(1, batches);
                if (progress != null && (epoch % Math.max(1, cfg.epochs() / 10) == 0 || epoch == cfg.epochs())) {
                    progress.accept(String.format(java.util.Locale.ROOT, "epoch %d/%d: loss %.5f", epoch, cfg.epochs(), last));
                }
            }
        }
        return new Result(params, last, Double.NaN);
    }

    private static NDArray loss(CostNet net, Bound b, NDManager m, Batch bt, CostConfig cfg) {
        double utilWeight = cfg.utilWeight();
        NDArray x = m.create(bt.rows, new Shape(bt.rowCount, CostFeatures.WIDTH));
        NDArray y = net.forward(b, m, x);
        NDArray assign = m.create(bt.assign, new Shape(bt.packages, bt.rowCount));
        NDArray pred = assign.matMul(y.get(new NDIndex(":, 0:1"))).reshape(bt.packages);
        NDArray truth = m.create(bt.truth);
        NDArray rel = pred.sub(truth).div(truth);
        NDArray loss = cfg.powerLoss() == CostConfig.PowerLoss.ABSOLUTE ? rel.abs().mean() : rel.mul(rel).mean();
        if (utilWeight > 0) {
            NDArray u = y.get(new NDIndex(":, 1")).sub(m.create(bt.util)).mul(m.create(bt.utilMask));
            loss = loss.add(u.mul(u).sum().div(Layers.constant(u, Math.max(1, bt.utilCount))).mul(Layers.constant(u, utilWeight)));
        }
        return loss;
    }

    /** A batch laid out for the engine: rows, the package-assignment matrix (row scale over package TDP), targets. */
    record Batch(float[] rows, int rowCount, float[] assign, int packages, float[] truth, float[] util, float[] utilMask,
                 int utilCount) {
        static Batch of(List<CostSample> batch) {
            int rows = 0;
            int pk = 0;
            for (CostSample s : batch) {
                rows += s.rowCount();
                pk += s.packageWatts().length;
            }
            float[] x = new float[rows * CostFeatures.WIDTH];
            float[] a = new float[pk * rows];
            float[] t = new float[pk];
            float[] u = new float[rows];
            float[] mask = new float[rows];
            int r0 = 0;
            int p0 = 0;
            int uc = 0;
            for (CostSample s : batch) {
                System.arraycopy(s.rows(), 0, x, r0 * CostFeatures.WIDTH, s.rowCount() * CostFeatures.WIDTH);
                for (int r = 0; r < s.rowCount(); r++) {
                    int p = p0 + s.rowPackage()[r];
                    a[p * rows + r0 + r] = (float) (s.rowScale()[r] / s.packageTdp());
                    float v = s.utilNext()[r];
                    if (Float.isFinite(v)) {
                        u[r0 + r] = v;
                        mask[r0 + r] = 1;
                        uc++;
                    }
                }
                for (int p = 0; p < s.packageWatts().length; p++) {
                    t[p0 + p] = (float) Math.max(1e-3, s.packageWatts()[p] / s.packageTdp());
                }
                r0 += s.rowCount();
                p0 += s.packageWatts().length;
            }
            return new Batch(x, rows, a, pk, t, u, mask, uc);
        }
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
