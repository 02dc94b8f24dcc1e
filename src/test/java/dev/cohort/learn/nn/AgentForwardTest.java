package dev.cohort.learn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The acting forward pass gives an agent the same bits whatever the batch it runs in, and the same bits as the
 * one-agent-at-a-time pass it replaced (written out below as the reference): lockstep collection and the learner's
 * replayed actors depend on it.
 */
class AgentForwardTest {
    @Test
    void batchedOutputsAreTheOneAgentAtATimeOnesBitForBit() {
        SplittableRandom rng = new SplittableRandom(5);
        for (boolean recurrent : new boolean[]{true, false}) {
            for (int heads : new int[]{1, 3}) {
                AgentNet net = new AgentNet("core", 7, 6, 5, recurrent, heads);
                ParamSet ps = new ParamSet();
                net.init(ps, rng);
                AgentForward batched = new AgentForward(net, ps);
                for (int agents : new int[]{1, 3, 4, 9, 17}) {
                    float[] obs = random(rng, agents * 7 + 3); // longer than needed, as the controller's arrays are
                    float[] hidden = random(rng, agents * 6);
                    float[] want = new float[agents * 5];
                    float[] wantHidden = hidden.clone();
                    for (int a = 0; a < agents; a++) {
                        reference(net, ps, obs, a, wantHidden, want);
                    }
                    for (int tick = 0; tick < 3; tick++) { // the scratch rows carry nothing from tick to tick
                        float[] got = new float[agents * 5];
                        float[] gotHidden = hidden.clone();
                        batched.step(obs, agents, gotHidden, got);
                        String what = (recurrent ? "recurrent" : "feed-forward") + ", " + heads + " heads, " + agents + " agents";
                        assertArrayEquals(want, got, what);
                        if (recurrent) {
                            assertArrayEquals(wantHidden, gotHidden, what + ": the next hidden states");
                        }
                    }
                }
            }
        }
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-2, 2);
        }
        return v;
    }

    /** The pass as it was: agent {@code a} alone, dense layer by dense layer. */
    private static void reference(AgentNet net, ParamSet ps, float[] obs, int a, float[] hidden, float[] out) {
        String p = net.prefix();
        int in = net.inputs();
        int h = net.hidden();
        int o = net.outputs();
        float[] x0 = relu(dense(ps.get(p + ".fc0.weight"), ps.get(p + ".fc0.bias"), Arrays.copyOfRange(obs, a * in, a * in + in)));
        float[] feat;
        if (net.recurrent()) {
            float[] old = Arrays.copyOfRange(hidden, a * h, a * h + h);
            float[] gi = dense(ps.get(p + ".gru.wih"), ps.get(p + ".gru.bih"), x0);
            float[] gh = dense(ps.get(p + ".gru.whh"), ps.get(p + ".gru.bhh"), old);
            feat = new float[h];
            for (int j = 0; j < h; j++) {
                float r = (float) (1 / (1 + Math.exp(-(gi[j] + gh[j]))));
                float z = (float) (1 / (1 + Math.exp(-(gi[h + j] + gh[h + j]))));
                float n = (float) Math.tanh(gi[2 * h + j] + r * gh[2 * h + j]);
                feat[j] = (1 - z) * n + z * old[j];
            }
            System.arraycopy(feat, 0, hidden, a * h, h);
        } else {
            feat = relu(dense(ps.get(p + ".fc1.weight"), ps.get(p + ".fc1.bias"), x0));
        }
        float[] heads = dense(ps.get(p + ".head.weight"), ps.get(p + ".head.bias"), feat);
        int kh = net.heads();
        for (int k = 0; k < o; k++) {
            float s = 0;
            for (int e = 0; e < kh; e++) {
                s += heads[e * o + k];
            }
            out[a * o + k] = kh == 1 ? s : s / kh;
        }
    }

    private static float[] dense(float[] w, float[] b, float[] x) {
        float[] y = new float[b.length];
        for (int k = 0; k < b.length; k++) {
            float s = b[k];
            for (int j = 0; j < x.length; j++) {
                s += w[k * x.length + j] * x[j];
            }
            y[k] = s;
        }
        return y;
    }

    private static float[] relu(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                v[i] = 0;
            }
        }
        return v;
    }
}
