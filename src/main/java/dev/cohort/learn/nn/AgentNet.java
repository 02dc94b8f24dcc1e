package dev.cohort.learn.nn;

import ai.djl.ndarray.NDArray;
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
 * @param prefix    parameter name prefix, e.g. {@code core}
 * @param inputs    observation width
 * @param hidden    hidden width
 * @param outputs   one value per action level
 * @param recurrent GRU cell (true) or a second dense layer (false)
 */
public record AgentNet(String prefix, int inputs, int hidden, int outputs, boolean recurrent) {

    /** Adds freshly initialised parameters to {@code ps}. */
    public void init(ParamSet ps, RandomGenerator rng) {
        ps.linear(prefix + ".fc0", inputs, hidden, rng);
        if (recurrent) {
            ps.gru(prefix + ".gru", hidden, hidden, rng);
        } else {
            ps.linear(prefix + ".fc1", hidden, hidden, rng);
        }
        ps.linear(prefix + ".head", hidden, outputs, rng);
    }

    /**
     * Runs every row's sequence.
     *
     * @param obs {@code [rows, steps, inputs]}
     * @param h0  {@code [rows, hidden]} state before the first step (ignored when feed-forward)
     * @return {@code [rows, steps, outputs]}
     */
    public NDArray forward(Bound b, NDArray obs, NDArray h0) {
        NDArray x = Layers.linearRelu(b, prefix + ".fc0", obs);
        x = recurrent ? Layers.gru(b, prefix + ".gru", x, h0) : Layers.linearRelu(b, prefix + ".fc1", x);
        return Layers.linear(b, prefix + ".head", x);
    }

    /** The exporter's view of the same weights (copies). */
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
        return new AgentNetwork(enc, g, dense(ps, prefix + ".head"));
    }

    private static DenseLayer dense(ParamSet ps, String name) {
        int[] s = ps.shape(name + ".weight");
        return new DenseLayer(s[1], s[0], ps.get(name + ".weight").clone(), ps.get(name + ".bias").clone());
    }
}
