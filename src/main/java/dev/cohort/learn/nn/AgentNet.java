package dev.cohort.learn.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.cohort.learn.onnx.AgentNetwork;
import dev.cohort.learn.onnx.DenseLayer;
import dev.cohort.learn.onnx.GruCellWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The shape of one role's agent network, shared by every agent of the role: PyMARL's recurrent agent
 * {@code Linear(obs, h) → ReLU → GRUCell(h) → Linear(levels)}, or EPyMARL's feed-forward one
 * {@code Linear → ReLU → Linear → ReLU → Linear}. Parameters live in a {@link ParamSet} under a prefix
 * (the role's id); this class initialises them, runs them in the engine over sequences, and turns them into the
 * exporter's {@link AgentNetwork}.
 *
 * <p>With {@code heads} K above 1 (AWRQ's ensemble, MaRCA Eq. 9) the head is one {@code Linear(h, K·levels)}: head k's
 * value of level a is output {@code k·levels + a}. Training reads every head ({@link #forwardHeads}); acting and the
 * export use their average, as MaRCA serves (its Algorithm 2). Averaging K affine maps of the same features is one
 * affine map with the averaged weights, so the exported file keeps the one-head contract ({@link #toExport}).
 *
 * @param prefix    parameter name prefix, e.g. {@code core}
 * @param inputs    observation width
 * @param hidden    hidden width
 * @param outputs   one value per action level (what the network serves)
 * @param recurrent GRU cell (true) or a second dense layer (false)
 * @param heads     value heads on the shared trunk (1 but for AWRQ)
 */
public record AgentNet(String prefix, int inputs, int hidden, int outputs, boolean recurrent, int heads) {

    public AgentNet {
        if (heads < 1) {
            throw new IllegalArgumentException(prefix + ": an agent network needs at least one head, got " + heads);
        }
    }

    /** A one-head network. */
    public AgentNet(String prefix, int inputs, int hidden, int outputs, boolean recurrent) {
        this(prefix, inputs, hidden, outputs, recurrent, 1);
    }

    /** Adds freshly initialised parameters to {@code ps}. */
    public void init(ParamSet ps, RandomGenerator rng) {
        ps.linear(prefix + ".fc0", inputs, hidden, rng);
        if (recurrent) {
            ps.gru(prefix + ".gru", hidden, hidden, rng);
        } else {
            ps.linear(prefix + ".fc1", hidden, hidden, rng);
        }
        ps.linear(prefix + ".head", hidden, heads * outputs, rng);
    }

    /**
     * Runs every row's sequence: the served values (the heads' average).
     *
     * @param obs {@code [rows, steps, inputs]}
     * @param h0  {@code [rows, hidden]} state before the first step (ignored when feed-forward)
     * @return {@code [rows, steps, outputs]}
     */
    public NDArray forward(Bound b, NDArray obs, NDArray h0) {
        NDArray all = Layers.linear(b, prefix + ".head", trunk(b, obs, h0));
        return heads == 1 ? all : split(all).mean(new int[]{2});
    }

    /**
     * Runs every row's sequence: every head's values.
     *
     * @return {@code [rows, steps, heads, outputs]}
     */
    public NDArray forwardHeads(Bound b, NDArray obs, NDArray h0) {
        return split(Layers.linear(b, prefix + ".head", trunk(b, obs, h0)));
    }

    private NDArray trunk(Bound b, NDArray obs, NDArray h0) {
        NDArray x = Layers.linearRelu(b, prefix + ".fc0", obs);
        return recurrent ? Layers.gru(b, prefix + ".gru", x, h0) : Layers.linearRelu(b, prefix + ".fc1", x);
    }

    private NDArray split(NDArray all) {
        Shape s = all.getShape();
        return all.reshape(s.get(0), s.get(1), heads, outputs);
    }

    /** The exporter's view of the same weights (copies): the heads averaged into one. */
    public AgentNetwork toExport(ParamSet ps) {
        List<DenseLayer> enc = new ArrayList<>();
        enc.add(dense(ps, prefix + ".fc0"));
        GruCellWeights g = null;
        if (recurrent) {
            g = new GruCellWeights(hidden, hidden, ps.get(prefix + ".gru.wih").clone(), ps.get(prefix + ".gru.whh").clone(),
                    ps.get(prefix + ".gru.bih").clone(), ps.get(prefix + ".gru.bhh").clone());
        } else {
            enc.add(dense(ps, prefix + ".fc1"));
        }
        return new AgentNetwork(enc, g, averagedHead(ps));
    }

    /** {@code (1/K)·Σ_k W_k} and {@code (1/K)·Σ_k b_k}, accumulated in double. */
    private DenseLayer averagedHead(ParamSet ps) {
        float[] w = ps.get(prefix + ".head.weight");
        float[] bias = ps.get(prefix + ".head.bias");
        float[] wAvg = new float[outputs * hidden];
        float[] bAvg = new float[outputs];
        for (int a = 0; a < outputs; a++) {
            double bs = 0;
            for (int k = 0; k < heads; k++) {
                bs += bias[k * outputs + a];
            }
            bAvg[a] = (float) (bs / heads);
            for (int j = 0; j < hidden; j++) {
                double s = 0;
                for (int k = 0; k < heads; k++) {
                    s += w[(k * outputs + a) * hidden + j];
                }
                wAvg[a * hidden + j] = (float) (s / heads);
            }
        }
        return new DenseLayer(hidden, outputs, wAvg, bAvg);
    }

    private static DenseLayer dense(ParamSet ps, String name) {
        int[] s = ps.shape(name + ".weight");
        return new DenseLayer(s[1], s[0], ps.get(name + ".weight").clone(), ps.get(name + ".bias").clone());
    }
}
