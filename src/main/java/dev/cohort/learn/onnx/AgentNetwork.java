package dev.cohort.learn.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An agent network as plain weight arrays, independent of the engine that trained it: fully connected layers
 * each followed by ReLU, then optionally a GRU cell, then a linear head with one output per action level
 * (or one fraction). The recurrent shape is PyMARL's agent, {@code Linear(obs, 64) → ReLU → GRUCell(64) →
 * Linear(n_actions)}; the feed-forward one is EPyMARL's 64-unit MLP, {@code Linear → ReLU → Linear → ReLU → Linear}.
 *
 * @param encoder layers before the (optional) GRU cell, each followed by ReLU; at least one
 * @param gru     the GRU cell, or {@code null} for a feed-forward network
 * @param head    the output layer (no activation)
 */
public record AgentNetwork(List<DenseLayer> encoder, GruCellWeights gru, DenseLayer head) {
    /** The hidden width of the reference hyper-parameters (PyMARL {@code rnn_hidden_dim}). */
    public static final int DEFAULT_HIDDEN = 64;

    public AgentNetwork {
        encoder = List.copyOf(encoder);
        if (encoder.isEmpty()) {
            throw new IllegalArgumentException("an agent network needs at least one layer before the head");
        }
        for (int i = 1; i < encoder.size(); i++) {
            requireChain(encoder.get(i - 1).outputs(), encoder.get(i).inputs(), "layer " + i);
        }
        int last = encoder.getLast().outputs();
        if (gru != null) {
            requireChain(last, gru.inputs(), "GRU cell");
            last = gru.hidden();
        }
        requireChain(last, head.inputs(), "head");
    }

    /**
     * A freshly initialised network of the reference shape (PyTorch's default initialisation).
     *
     * @param inputs    observation width
     * @param hidden    hidden width (e.g. {@link #DEFAULT_HIDDEN})
     * @param outputs   output width (action levels, or 1 for a fraction)
     * @param recurrent true for Linear → ReLU → GRU cell → Linear, false for the two-layer MLP
     * @param seed      initialisation seed
     */
    public static AgentNetwork initialised(int inputs, int hidden, int outputs, boolean recurrent, long seed) {
        var rng = new SplittableRandom(seed);
        var enc = new ArrayList<DenseLayer>();
        enc.add(DenseLayer.initialised(inputs, hidden, rng));
        if (!recurrent) {
            enc.add(DenseLayer.initialised(hidden, hidden, rng));
        }
        GruCellWeights g = recurrent ? GruCellWeights.initialised(hidden, hidden, rng) : null;
        return new AgentNetwork(enc, g, DenseLayer.initialised(hidden, outputs, rng));
    }

    /** Observation width. */
    public int inputs() {
        return encoder.getFirst().inputs();
    }

    /** Output width. */
    public int outputs() {
        return head.outputs();
    }

    /** True when the network has a GRU cell (and so a hidden state). */
    public boolean recurrent() {
        return gru != null;
    }

    /** Hidden-state width, 0 when feed-forward. */
    public int hiddenSize() {
        return gru == null ? 0 : gru.hidden();
    }

    private static void requireChain(int from, int to, String what) {
        if (from != to) {
            throw new IllegalArgumentException(what + " takes " + to + " inputs but the layer before gives " + from);
        }
    }
}
