package dev.cohort.learn.onnx;

/**
 * The weights of a GRU cell as PyTorch's {@code nn.GRUCell} and DJL's {@code GRU} keep them: gates stacked
 * in the order reset (r), update (z), new (n); {@code weightIh} row-major {@code [3·hidden, inputs]},
 * {@code weightHh} row-major {@code [3·hidden, hidden]}. One step computes
 * <pre>
 * r  = σ(W_ir x + b_ir + W_hr h + b_hr)
 * z  = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 *
 * @param inputs   input width
 * @param hidden   hidden-state width
 * @param weightIh {@code 3·hidden × inputs}
 * @param weightHh {@code 3·hidden × hidden}
 * @param biasIh   {@code 3·hidden}
 * @param biasHh   {@code 3·hidden}
 */
public record GruCellWeights(int inputs, int hidden, float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh) {
    public GruCellWeights {
        if (inputs < 1 || hidden < 1) {
            throw new IllegalArgumentException("GRU sizes must be positive, got " + inputs + "→" + hidden);
        }
        int g = 3 * hidden;
        if (weightIh.length != g * inputs || weightHh.length != g * hidden || biasIh.length != g || biasHh.length != g) {
            throw new IllegalArgumentException("GRU " + inputs + "→" + hidden + " needs weights " + g + "×" + inputs + ", "
                    + g + "×" + hidden + " and biases of " + g);
        }
    }

    /** A cell initialised as PyTorch's {@code nn.GRUCell} does: everything uniform in ±1/√hidden. */
    public static GruCellWeights initialised(int inputs, int hidden, java.util.random.RandomGenerator rng) {
        float bound = (float) (1 / Math.sqrt(hidden));
        int g = 3 * hidden;
        return new GruCellWeights(inputs, hidden, DenseLayer.uniform(rng, g * inputs, bound),
                DenseLayer.uniform(rng, g * hidden, bound), DenseLayer.uniform(rng, g, bound), DenseLayer.uniform(rng, g, bound));
    }
}
