package dev.cohort.learn.nn;

/**
 * An {@link AgentNet}'s forward pass for acting, in plain Java (float, no allocation per call): a batch of a
 * role's agents for one tick, each agent's hidden state carried by the caller. Reads a snapshot of the weights
 * taken at construction, so the learner may keep training. With several value heads (AWRQ) every head is computed
 * and their average served, as MaRCA serves its ensemble; the export averages the heads' weights instead, and
 * {@code ModelExport} checks that the two agree. Not thread-safe (scratch buffers, grown to the largest batch).
 */
public final class AgentForward {
    private final AgentNet net;
    private final float[] w0;
    private final float[] b0;
    private final float[] w1;
    private final float[] b1;
    private final float[] wih;
    private final float[] whh;
    private final float[] bih;
    private final float[] bhh;
    private final float[] wh;
    private final float[] bh;
    private float[] x0;
    private float[] x1;
    private float[] gi;
    private float[] gh;
    private float[] heads;
    private int capacity;

    public AgentForward(AgentNet net, ParamSet ps) {
        this.net = net;
        String p = net.prefix();
        w0 = ps.get(p + ".fc0.weight").clone();
        b0 = ps.get(p + ".fc0.bias").clone();
        if (net.recurrent()) {
            wih = ps.get(p + ".gru.wih").clone();
            whh = ps.get(p + ".gru.whh").clone();
            bih = ps.get(p + ".gru.bih").clone();
            bhh = ps.get(p + ".gru.bhh").clone();
            w1 = null;
            b1 = null;
        } else {
            w1 = ps.get(p + ".fc1.weight").clone();
            b1 = ps.get(p + ".fc1.bias").clone();
            wih = null;
            whh = null;
            bih = null;
            bhh = null;
        }
        wh = ps.get(p + ".head.weight").clone();
        bh = ps.get(p + ".head.bias").clone();
        grow(1);
    }

    public AgentNet net() {
        return net;
    }

    /**
     * One tick for {@code agents} agents, layer by layer over all of them: each weight row is read once for four
     * agents at a time (four independent sums where one would wait on the last addition). Every output is still
     * {@code b[k] + w[k][0]·x[0] + w[k][1]·x[1] + …} summed in that order, so an agent's outputs are the same bits
     * whatever the batch it is in: one agent alone, an episode's agents, or an iteration's episodes together.
     *
     * @param obs    row-major {@code agents × inputs}
     * @param hidden row-major {@code agents × hidden}, read and replaced by the next state (ignored when feed-forward)
     * @param out    row-major {@code agents × outputs}, written
     */
    public void step(float[] obs, int agents, float[] hidden, float[] out) {
        int in = net.inputs();
        int h = net.hidden();
        int o = net.outputs();
        int kh = net.heads();
        grow(agents);
        affine(w0, b0, obs, in, agents, x0, h);
        relu(x0, agents * h);
        float[] feat;
        if (net.recurrent()) {
            affine(wih, bih, x0, h, agents, gi, 3 * h);
            affine(whh, bhh, hidden, h, agents, gh, 3 * h);
            for (int a = 0; a < agents; a++) {
                int g = a * 3 * h;
                for (int j = 0; j < h; j++) {
                    float r = sigmoid(gi[g + j] + gh[g + j]);
                    float z = sigmoid(gi[g + h + j] + gh[g + h + j]);
                    float n = (float) Math.tanh(gi[g + 2 * h + j] + r * gh[g + 2 * h + j]);
                    hidden[a * h + j] = (1 - z) * n + z * hidden[a * h + j]; // reads only its own old value
                }
            }
            feat = hidden;
        } else {
            affine(w1, b1, x0, h, agents, x1, h);
            relu(x1, agents * h);
            feat = x1;
        }
        affine(wh, bh, feat, h, agents, heads, kh * o);
        for (int a = 0; a < agents; a++) {
            int base = a * kh * o;
            for (int k = 0; k < o; k++) {
                float s = 0;
                for (int e = 0; e < kh; e++) {
                    s += heads[base + e * o + k];
                }
                out[a * o + k] = kh == 1 ? s : s / kh;
            }
        }
    }

    /** Scratch rows for {@code agents} agents (grown, never shrunk: no allocation once the largest batch is seen). */
    private void grow(int agents) {
        int h = net.hidden();
        if (agents <= capacity) {
            return;
        }
        capacity = Math.max(agents, 2 * capacity);
        x0 = new float[capacity * h];
        x1 = new float[capacity * h];
        gi = new float[capacity * 3 * h];
        gh = new float[capacity * 3 * h];
        heads = new float[capacity * net.heads() * net.outputs()];
    }

    /** {@code y[a] = w·x[a] + b} for {@code rows} rows of {@code x} ({@code in} wide) into rows of {@code y} ({@code outs} wide). */
    private static void affine(float[] w, float[] b, float[] x, int in, int rows, float[] y, int outs) {
        int a = 0;
        for (; a + 4 <= rows; a += 4) {
            int p0 = a * in;
            int p1 = p0 + in;
            int p2 = p1 + in;
            int p3 = p2 + in;
            int q = a * outs;
            for (int k = 0; k < outs; k++) {
                float s0 = b[k];
                float s1 = s0;
                float s2 = s0;
                float s3 = s0;
                int row = k * in;
                for (int j = 0; j < in; j++) {
                    float wj = w[row + j];
                    s0 += wj * x[p0 + j];
                    s1 += wj * x[p1 + j];
                    s2 += wj * x[p2 + j];
                    s3 += wj * x[p3 + j];
                }
                y[q + k] = s0;
                y[q + outs + k] = s1;
                y[q + 2 * outs + k] = s2;
                y[q + 3 * outs + k] = s3;
            }
        }
        for (; a < rows; a++) {
            int p = a * in;
            int q = a * outs;
            for (int k = 0; k < outs; k++) {
                float s = b[k];
                int row = k * in;
                for (int j = 0; j < in; j++) {
                    s += w[row + j] * x[p + j];
                }
                y[q + k] = s;
            }
        }
    }

    private static void relu(float[] v, int n) {
        for (int i = 0; i < n; i++) {
            if (v[i] < 0) {
                v[i] = 0;
            }
        }
    }

    private static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }
}
