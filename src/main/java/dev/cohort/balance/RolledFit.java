package dev.cohort.balance;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.cohort.learn.algo.Engines;
import dev.cohort.learn.nn.Adam;
import dev.cohort.learn.nn.Bound;
import dev.cohort.platform.CohortException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Fits the dynamics network through its own rolled forecast: from each window, the network is applied {@code steps}
 * times (one: a one-step fit to the window-to-window changes), each step fed the previous step's forecast (clamped as {@link DynamicsFeatures#next} clamps it) and the λ the
 * rollout then ran at, and the loss is the error of every step against what the machine drew. The MPC rolls the model
 * this way; a network fitted one step at a time never saw its own errors as inputs, and its forecast drifted past a
 * few windows (docs/balance.md, "Dynamics model").
 */
final class RolledFit {
    private static final int STATE = 6; // power share, its change, latency penalty, progress, stall, λ (encoded)

    private final DynamicsConfig cfg;
    private final Consumer<String> log;

    RolledFit(DynamicsConfig cfg, Consumer<String> log) {
        this.cfg = cfg;
        this.log = log;
    }

    /** Starting states, the λ inputs of each step, and each step's truth (power share, latency penalty, progress). */
    record Data(int n, int steps, float[] start, float[] lambdas, float[] truth) {
    }

    /** Every window with one before it and {@code steps} after it. */
    static Data data(List<DynamicsTraining.Rollout> rollouts, int steps, double lambdaScale) {
        int n = rollouts.stream().mapToInt(r -> Math.max(0, r.windows().size() - 1 - steps)).sum();
        float[] start = new float[n * STATE];
        float[] lambdas = new float[n * steps];
        float[] truth = new float[n * steps * DynamicsFeatures.OUT];
        float[] row = new float[DynamicsFeatures.IN];
        int k = 0;
        for (DynamicsTraining.Rollout r : rollouts) {
            List<WindowState> w = r.windows();
            for (int t = 1; t + steps < w.size(); t++) {
                DynamicsFeatures.encode(w.get(t - 1), w.get(t), 0, lambdaScale, row, 0);
                System.arraycopy(row, 0, start, k * STATE, STATE);
                for (int h = 0; h < steps; h++) {
                    WindowState next = w.get(t + 1 + h);
                    lambdas[k * steps + h] = DynamicsFeatures.lambdaInput(next.lambda(), lambdaScale);
                    int o = (k * steps + h) * DynamicsFeatures.OUT;
                    truth[o] = (float) next.powerShare();
                    truth[o + 1] = (float) next.latencyPenalty();
                    truth[o + 2] = (float) next.progress();
                }
                k++;
            }
        }
        return new Data(n, steps, start, lambdas, truth);
    }

    /**
     * Fits {@code net} to {@code d}; {@code beforeEpoch} (given the epoch, from 1) may throw to stop; {@code checkpoint}
     * is shown the network every twentieth of the epochs. Returns the last epoch's mean loss.
     */
    double fit(DynamicsNet net, Data d, IntConsumer beforeEpoch, IntConsumer checkpoint) {
        int batch = cfg.batch();
        if (d.n() < batch) {
            throw new CohortException("only " + d.n() + " training windows with " + d.steps() + " after them, fewer than one"
                    + " batch of " + batch + " (more seeds or longer rollouts in " + cfg.source() + ")");
        }
        float[] weight = weights(d);
        Engine engine = Engines.pytorch();
        Adam adam = new Adam(net.params(), cfg.lr(), 1);
        var rng = new java.util.Random(11);
        int[] idx = java.util.stream.IntStream.range(0, d.n()).toArray();
        int k = d.steps();
        int out = DynamicsFeatures.OUT;
        float[] sb = new float[batch * STATE];
        float[] lb = new float[batch * k];
        float[] tb = new float[batch * k * out];
        double epochLoss = Double.NaN;
        try (NDManager root = Engines.manager()) {
            for (int e = 0; e < cfg.epochs(); e++) {
                beforeEpoch.accept(e + 1);
                shuffle(idx, rng);
                double sum = 0;
                int batches = 0;
                for (int first = 0; first + batch <= d.n(); first += batch) {
                    for (int b = 0; b < batch; b++) {
                        int i = idx[first + b];
                        System.arraycopy(d.start(), i * STATE, sb, b * STATE, STATE);
                        System.arraycopy(d.lambdas(), i * k, lb, b * k, k);
                        System.arraycopy(d.truth(), i * k * out, tb, b * k * out, k * out);
                    }
                    float[][] grads;
                    try (NDManager m = root.newSubManager()) {
                        Bound bound = new Bound(m, net.params(), true);
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray loss = rolledLoss(net, bound, m.create(sb, new Shape(batch, STATE)),
                                    m.create(lb, new Shape(batch, k)), m.create(tb, new Shape(batch, k, out)),
                                    m.create(weight, new Shape(1, out)), cfg.absoluteLoss());
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
                    log.accept(String.format(java.util.Locale.ROOT, "epoch %d/%d: loss %.4f (over %d windows)", e + 1,
                            cfg.epochs(), epochLoss, k));
                }
                if ((e + 1) % Math.max(1, cfg.epochs() / 20) == 0) {
                    checkpoint.accept(e + 1);
                }
            }
        }
        return epochLoss;
    }

    /**
     * The mean over the steps of each output's squared error, weighed as {@link #weights} says; {@code absolute}: its
     * absolute error, weighed by the square roots of those weights.
     */
    private static NDArray rolledLoss(DynamicsNet net, Bound bound, NDArray start, NDArray lambdas, NDArray truth,
                                      NDArray weight, boolean absolute) {
        NDArray power = start.get(":, 0:1");
        NDArray change = start.get(":, 1:2");
        NDArray latency = start.get(":, 2:3");
        NDArray progress = start.get(":, 3:4");
        NDArray stall = start.get(":, 4:5");
        NDArray lambda = start.get(":, 5:6");
        int k = (int) lambdas.getShape().get(1);
        NDArray loss = null;
        for (int h = 0; h < k; h++) {
            NDArray next = lambdas.get(":, " + h + ":" + (h + 1));
            NDArray y = net.forward(bound, NDArrays.concat(new NDList(power, change, latency, progress, stall, lambda, next), 1));
            NDArray p = power.add(y.get(":, 0:1")).clip(0, 1); // the clamps of DynamicsFeatures.next
            latency = latency.add(y.get(":, 1:2")).clip(0, 3);
            progress = progress.add(y.get(":, 2:3")).clip(0, 1);
            change = p.sub(power);
            power = p;
            lambda = next;
            NDArray err = NDArrays.concat(new NDList(power, latency, progress), 1).sub(truth.get(":, " + h + ", :"))
;
            // absolute: the error the forecast is judged by (MAE), and bursts pull it less than a square does
            err = (absolute ? err.abs().mul(weight.sqrt()) : err.square().mul(weight)).mean();
            loss = loss == null ? err : loss.add(err);
        }
        return loss.div(k);
    }

    /**
     * Each output's loss in units of its own spread over the horizon (so power's small changes are not drowned by the
     * others), power weighed four times: it is what the balancer steers by.
     */
    private static float[] weights(Data d) {
        int out = DynamicsFeatures.OUT;
        double[] s = new double[out];
        int k = d.steps();
        for (int i = 0; i < d.n(); i++) {
            float[] now = {d.start()[i * STATE], d.start()[i * STATE + 2], d.start()[i * STATE + 3]};
            for (int o = 0; o < out; o++) {
                double diff = d.truth()[(i * k + k - 1) * out + o] - now[o];
                s[o] += diff * diff;
            }
        }
        float[] w = new float[out];
        for (int o = 0; o < out; o++) {
            w[o] = (float) (1 / Math.max(s[o] / d.n(), 1e-6));
        }
        w[0] *= 4;
        return w;
    }

    private static void shuffle(int[] idx, java.util.Random rng) {
        for (int i = idx.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
    }
}
