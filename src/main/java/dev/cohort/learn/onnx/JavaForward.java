package dev.cohort.learn.onnx;

/**
 * The agent network's forward pass in plain Java, with the formulas PyTorch uses ({@code nn.Linear},
 * {@code nn.ReLU}, {@code nn.GRUCell}; see {@link GruCellWeights}), accumulating in double. The reference every
 * export is checked against. Stateless and thread-safe.
 */
public final class JavaForward implements ReferenceForward {
    private final AgentNetwork net;

    /** A forward pass over {@code net}'s weights (read, never copied: do not change them while in use). */
    public JavaForward(AgentNetwork net) {
        this.net = net;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public Step forward(float[] obs, int agents, float[] stateIn) {
        int in = net.inputs();
        int out = net.outputs();
        int hid = net.hiddenSize();
        float[] values = new float[agents * out];
        float[] state = net.recurrent() ? new float[agents * hid] : null;
        for (int a = 0; a < agents; a++) {
            float[] x = java.util.Arrays.copyOfRange(obs, a * in, (a + 1) * in);
            for (DenseLayer l : net.encoder()) {
                x = relu(dense(l, x));
            }
            if (net.recurrent()) {
                float[] h = java.util.Arrays.copyOfRange(stateIn, a * hid, (a + 1) * hid);
                x = gru(net.gru(), x, h);
                System.arraycopy(x, 0, state, a * hid, hid);
            }
            System.arraycopy(dense(net.head(), x), 0, values, a * out, out);
        }
        return new Step(values, state);
    }

    static float[] dense(DenseLayer l, float[] x) {
        float[] y = new float[l.outputs()];
        for (int o = 0; o < l.outputs(); o++) {
            double s = l.bias()[o];
            for (int i = 0; i < l.inputs(); i++) {
                s += (double) l.weight()[o * l.inputs() + i] * x[i];
            }
            y[o] = (float) s;
        }
        return y;
    }

    static float[] gru(GruCellWeights g, float[] x, float[] h) {
        int hs = g.hidden();
        float[] next = new float[hs];
        for (int j = 0; j < hs; j++) {
            double r = sigmoid(gate(g, x, h, j));
            double z = sigmoid(gate(g, x, h, hs + j));
            double in = affine(g.weightIh(), g.biasIh(), x, 2 * hs + j);
            double hn = affine(g.weightHh(), g.biasHh(), h, 2 * hs + j);
            double n = Math.tanh(in + r * hn);
            next[j] = (float) ((1 - z) * n + z * h[j]);
        }
        return next;
    }

    private static double gate(GruCellWeights g, float[] x, float[] h, int row) {
        return affine(g.weightIh(), g.biasIh(), x, row) + affine(g.weightHh(), g.biasHh(), h, row);
    }

    private static double affine(float[] w, float[] b, float[] v, int row) {
        double s = b[row];
        for (int i = 0; i < v.length; i++) {
            s += (double) w[row * v.length + i] * v[i];
        }
        return s;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static float[] relu(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0f, v[i]);
        }
        return v;
    }
}
