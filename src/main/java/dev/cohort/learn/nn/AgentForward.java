package dev.cohort.learn.nn;

/**
 * An {@link AgentNet}'s forward pass for acting, in plain Java (float, no allocation per call): a batch of a
 * role's agents for one tick, each agent's hidden state carried by the caller. Reads a snapshot of the weights
 * taken at construction, so the learner may keep training. With several value heads (AWRQ) every head is computed
 * and their average served, as MaRCA serves its ensemble; the export averages the heads' weights instead, and
 * {@code ModelExport} checks that the two agree. Not thread-safe (scratch buffers).
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
    private final float[] x0;
    private final float[] x1;
    private final float[] gi;
    private final float[] gh;
    private final float[] heads;

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
        int h = net.hidden();
        x0 = new float[h];
        x1 = new float[h];
        gi = new float[3 * h];
        gh = new float[3 * h];
        heads = new float[net.heads() * net.outputs()];
    }

    public AgentNet net() {
        return net;
    }

    /**
     * One tick for {@code agents} agents.
     *
     * @param obs    row-major {@code agents × inputs}
     * @param hidden row-major {@code agents × hidden}, read and replaced by the next state (ignored when feed-forward)
     * @param out    row-major {@code agents × outputs}, written
     */
    public void step(float[] obs, int agents, float[] hidden, float[] out) {
        int in = net.inputs();
        int h = net.hidden();
        int o = net.outputs();
        for (int a = 0; a < agents; a++) {
            affine(w0, b0, obs, a * in, in, x0, h);
            relu(x0);
            float[] feat;
            if (net.recurrent()) {
                affine(wih, bih, x0, 0, h, gi, 3 * h);
                affine(whh, bhh, hidden, a * h, h, gh, 3 * h);
                for (int j = 0; j < h; j++) {
                    float r = sigmoid(gi[j] + gh[j]);
                    float z = sigmoid(gi[h + j] + gh[h + j]);
                    float n = (float) Math.tanh(gi[2 * h + j] + r * gh[2 * h + j]);
                    x1[j] = (1 - z) * n + z * hidden[a * h + j];
                }
                System.arraycopy(x1, 0, hidden, a * h, h);
                feat = x1;
            } else {
                affine(w1, b1, x0, 0, h, x1, h);
                relu(x1);
                feat = x1;
            }
            int kh = net.heads();
            affine(wh, bh, feat, 0, h, heads, kh * o);
            for (int k = 0; k < o; k++) {
                float s = 0;
                for (int e = 0; e < kh; e++) {
                    s += heads[e * o + k];
                }
                out[a * o + k] = kh == 1 ? s : s / kh;
            }
        }
    }

    private static void affine(float[] w, float[] b, float[] x, int off, int in, float[] y, int outs) {
        for (int k = 0; k < outs; k++) {
            float s = b[k];
            int row = k * in;
            for (int j = 0; j < in; j++) {
                s += w[row + j] * x[off + j];
            }
            y[k] = s;
        }
    }

    private static void relu(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                v[i] = 0;
            }
        }
    }

    private static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }
}
