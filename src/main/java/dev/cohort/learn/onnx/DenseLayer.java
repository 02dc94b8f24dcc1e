package dev.cohort.learn.onnx;

/**
 * The weights of one fully connected layer, {@code y = x·Wᵀ + b}, laid out as PyTorch's and DJL's {@code Linear}
 * keep them: {@code weight} is row-major {@code [outputs, inputs]}.
 *
 * @param inputs  input width
 * @param outputs output width
 * @param weight  {@code outputs × inputs}, row-major
 * @param bias    {@code outputs}
 */
public record DenseLayer(int inputs, int outputs, float[] weight, float[] bias) {
    public DenseLayer {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("layer sizes must be positive, got " + inputs + "→" + outputs);
        }
        if (weight.length != inputs * outputs || bias.length != outputs) {
            throw new IllegalArgumentException("layer " + inputs + "→" + outputs + " needs " + inputs * outputs
                    + " weights and " + outputs + " biases, got " + weight.length + " and " + bias.length);
        }
    }

    /**
     * A layer initialised as PyTorch's {@code nn.Linear} does: weights and biases uniform in ±1/√inputs.
     *
     * @param rng source of randomness (seeded by the caller)
     */
    public static DenseLayer initialised(int inputs, int outputs, java.util.random.RandomGenerator rng) {
        float bound = (float) (1 / Math.sqrt(inputs));
        return new DenseLayer(inputs, outputs, uniform(rng, inputs * outputs, bound), uniform(rng, outputs, bound));
    }

    static float[] uniform(java.util.random.RandomGenerator rng, int n, float bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-bound, bound);
        }
        return v;
    }
}
