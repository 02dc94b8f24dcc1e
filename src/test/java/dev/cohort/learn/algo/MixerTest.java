package dev.cohort.learn.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.cohort.learn.env.StateEncoder;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The mixers: VDN is the sum, QMIX and AWRQ ({@link AwrqMixer}, softplus weights from a hypernetwork of the state, the
 * agents' observations and the joint action) are monotonic in every agent's Q, and padding changes nothing.
 */
@Tag("pytorch")
class MixerTest {
    private static final int B = 3;
    private static final int T = 4;
    private static final int S = StateEncoder.size();
    private static final int[] F = {ObservationSpec.CORE.size(), ObservationSpec.MEMORY.size(), ObservationSpec.QUOTA.size()};
    private static final int[] L = {11, 10, 10};

    @BeforeAll
    static void engine() {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
    }

    /** Q values, observations and masks of the three roles; {@code agents} real agents per role, padded to {@code padTo}. */
    private record Inputs(float[][] q, float[][] obs, float[][] actions, float[][] mask, float[] state, int[] n) {
        static Inputs random(long seed, int[] agents, int[] padTo) {
            var rng = new SplittableRandom(seed);
            float[][] q = new float[3][];
            float[][] obs = new float[3][];
            float[][] actions = new float[3][];
            float[][] mask = new float[3][];
            for (int r = 0; r < 3; r++) {
                int n = padTo[r];
                q[r] = new float[B * T * n];
                obs[r] = new float[B * (T + 1) * n * F[r]];
                actions[r] = new float[B * T * n * L[r]];
                mask[r] = new float[B * n];
                for (int b = 0; b < B; b++) {
                    for (int a = 0; a < agents[r]; a++) {
                        mask[r][b * n + a] = 1;
                        for (int t = 0; t < T; t++) {
                            q[r][(b * T + t) * n + a] = (float) rng.nextDouble(-3, 3);
                            actions[r][((b * T + t) * n + a) * L[r] + rng.nextInt(L[r])] = 1;
                        }
                        for (int t = 0; t <= T; t++) {
                            for (int f = 0; f < F[r]; f++) {
                                obs[r][((b * (T + 1) + t) * n + a) * F[r] + f] = (float) rng.nextDouble(-1, 1);
                            }
                        }
                    }
                }
            }
            float[] state = new float[B * (T + 1) * S];
            for (int i = 0; i < state.length; i++) {
                state[i] = (float) rng.nextDouble(-1, 1);
            }
            return new Inputs(q, obs, actions, mask, state, padTo.clone());
        }
    }

    private static ParamSet params(Algorithm kind, long seed) {
        ParamSet ps = new ParamSet();
        if (kind == Algorithm.AWRQ) {
            new AwrqMixer(F, L, S, LearnerConfig.DEFAULT).init(ps, new SplittableRandom(seed));
        } else {
            new Mixer(kind, F, S, LearnerConfig.DEFAULT).init(ps, new SplittableRandom(seed));
        }
        return ps;
    }

    /** Q_tot and, when {@code grads}, dQ_tot/dQ_i of every (padded) agent summed over chunks and steps. */
    private static float[][] mix(Algorithm kind, ParamSet ps, Inputs in, List<float[]> gradsOut) {
        try (NDManager m = Engines.manager()) {
            Bound b = new Bound(m, ps, false);
            List<Mixer.RoleQ> qs = new ArrayList<>();
            List<AwrqMixer.RoleValues> aw = new ArrayList<>();
            List<NDArray> qArrays = new ArrayList<>();
            for (Role r : Role.values()) {
                int ri = r.ordinal();
                int n = in.n()[ri];
                NDArray q = m.create(in.q()[ri], new Shape(B, T, n));
                q.setRequiresGradient(true);
                qArrays.add(q);
                NDArray obs = m.create(in.obs()[ri], new Shape(B, T + 1, n, F[ri])).get(":, 0:" + T);
                NDArray mask = m.create(in.mask()[ri], new Shape(B, n));
                qs.add(new Mixer.RoleQ(r, q, obs, mask));
                aw.add(new AwrqMixer.RoleValues(r, q, obs, m.create(in.actions()[ri], new Shape(B, T, n, L[ri])), mask));
            }
            NDArray state = m.create(in.state(), new Shape(B, T + 1, S));
            float[] tot;
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                NDArray qtot = kind == Algorithm.AWRQ
                        ? new AwrqMixer(F, L, S, LearnerConfig.DEFAULT).mix(b, state.get(":, 0:" + T), aw)
                        : new Mixer(kind, F, S, LearnerConfig.DEFAULT).mix(b, state, false, qs);
                gc.backward(qtot.sum());
                tot = qtot.toFloatArray();
            }
            for (NDArray q : qArrays) {
                gradsOut.add(q.getGradient().toFloatArray());
            }
            return new float[][]{tot};
        }
    }

    @Test
    void vdnIsTheSumOfTheRealAgentsQ() {
        Inputs in = Inputs.random(1, new int[]{5, 1, 2}, new int[]{8, 1, 3});
        float[] tot = mix(Algorithm.VDN, params(Algorithm.VDN, 1), in, new ArrayList<>())[0];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                double sum = 0;
                for (int r = 0; r < 3; r++) {
                    int n = in.n()[r];
                    for (int a = 0; a < n; a++) {
                        sum += in.mask()[r][b * n + a] * in.q()[r][(b * T + t) * n + a];
                    }
                }
                assertEquals(sum, tot[b * T + t], 1e-4);
            }
        }
    }

    @Test
    void qmixAndAwrqAreMonotonicInEveryAgentsQ() {
        for (Algorithm kind : List.of(Algorithm.QMIX, Algorithm.AWRQ)) {
            for (long seed = 1; seed <= 4; seed++) {
                Inputs in = Inputs.random(seed, new int[]{6, 1, 2}, new int[]{8, 1, 2});
                List<float[]> grads = new ArrayList<>();
                mix(kind, params(kind, seed), in, grads);
                int positive = 0;
                for (int r = 0; r < 3; r++) {
                    int n = in.n()[r];
                    for (int i = 0; i < grads.get(r).length; i++) {
                        int b = i / (T * n);
                        int a = i % n;
                        float g = grads.get(r)[i];
                        boolean real = in.mask()[r][b * n + a] > 0;
                        assertTrue(g >= 0, kind + " seed " + seed + ": dQtot/dQ < 0 for role " + r + " value " + i + ": " + g);
                        if (!real) {
                            assertEquals(0f, g, kind + ": a padded agent has no influence");
                        }
                        positive += g > 0 ? 1 : 0;
                    }
                }
                assertTrue(positive > 0, kind + " seed " + seed + ": some agent's Q moves Q_tot");
            }
        }
    }

    /** As MaRCA's code does, AWRQ's hypernetwork reads the joint action: another level for one agent gives another Q_tot. */
    @Test
    void awrqReadsTheJointAction() {
        ParamSet ps = params(Algorithm.AWRQ, 5);
        Inputs in = Inputs.random(6, new int[]{3, 1, 1}, new int[]{3, 1, 1});
        float[] before = mix(Algorithm.AWRQ, ps, in, new ArrayList<>())[0];
        float[] core = in.actions()[0];
        int first = 0;
        while (core[first] == 0) {
            first++;
        }
        core[first] = 0;
        core[(first + 1) % L[0]] = 1; // agent 0 of chunk 0 at step 0 takes the next level
        float[] after = mix(Algorithm.AWRQ, ps, in, new ArrayList<>())[0];
        assertTrue(Math.abs(after[0] - before[0]) > 1e-6, before[0] + " vs " + after[0]);
    }

    @Test
    void paddingChangesNothing() {
        for (Algorithm kind : List.of(Algorithm.VDN, Algorithm.QMIX, Algorithm.AWRQ)) {
            ParamSet ps = params(kind, 9);
            Inputs tight = Inputs.random(3, new int[]{4, 1, 1}, new int[]{4, 1, 1});
            Inputs padded = pad(tight, new int[]{16, 2, 3});
            float[] a = mix(kind, ps, tight, new ArrayList<>())[0];
            float[] b = mix(kind, ps, padded, new ArrayList<>())[0];
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-4, kind + " value " + i);
            }
        }
    }

    private static Inputs pad(Inputs in, int[] to) {
        float[][] q = new float[3][];
        float[][] obs = new float[3][];
        float[][] actions = new float[3][];
        float[][] mask = new float[3][];
        for (int r = 0; r < 3; r++) {
            int n = in.n()[r];
            int m = to[r];
            q[r] = new float[B * T * m];
            obs[r] = new float[B * (T + 1) * m * F[r]];
            actions[r] = new float[B * T * m * L[r]];
            mask[r] = new float[B * m];
            for (int b = 0; b < B; b++) {
                for (int a = 0; a < n; a++) {
                    mask[r][b * m + a] = in.mask()[r][b * n + a];
                    for (int t = 0; t < T; t++) {
                        q[r][(b * T + t) * m + a] = in.q()[r][(b * T + t) * n + a];
                        System.arraycopy(in.actions()[r], ((b * T + t) * n + a) * L[r], actions[r], ((b * T + t) * m + a) * L[r], L[r]);
                    }
                    for (int t = 0; t <= T; t++) {
                        System.arraycopy(in.obs()[r], ((b * (T + 1) + t) * n + a) * F[r], obs[r], ((b * (T + 1) + t) * m + a) * F[r], F[r]);
                    }
                }
                // padded slots get garbage that the mask must hide
                for (int a = n; a < m; a++) {
                    for (int t = 0; t < T; t++) {
                        q[r][(b * T + t) * m + a] = 99f;
                        actions[r][((b * T + t) * m + a) * L[r]] = 1;
                    }
                }
            }
        }
        return new Inputs(q, obs, actions, mask, in.state(), to.clone());
    }
}
