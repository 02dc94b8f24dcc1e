package dev.cohort.learn.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.nn.Layers;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.policy.Role;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The mixing networks of VDN and QMIX, which turn the agents' Q-values into Q_tot, training-only (never exported).
 * AWRQ's is {@link AwrqMixer}.
 *
 * <p><b>Varying agent counts.</b> A host has 8 or 16 core agents (or 128), one memory agent or none, and zero or
 * more quota agents, and one batch mixes them. QMIX's hypernetwork gives one weight vector per agent slot; here
 * each agent's weights come from a hypernetwork applied to the global state <em>and that agent's own
 * observation</em> (which carries its agent id), one hypernetwork per role, summed over the real agents of a
 * padded batch (padding is masked out). The mixer is defined for any number of agents and stays monotonic.
 *
 * <ul>
 *   <li><b>VDN</b>: {@code Q_tot = Σ_i Q_i} over all real agents.</li>
 *   <li><b>QMIX</b> (Rashid et al.; PyMARL's shapes): {@code h = ELU(Σ_i |W1_r(s, o_i)|·Q_i + b1(s))},
 *       {@code Q_tot = |w2(s)|·h + V(s)}, hypernetworks {@code Linear → ReLU → Linear} (2 layers, 64 wide), embedding 32.
 *       Monotonic ({@code ∂Q_tot/∂Q_i ≥ 0}): every weight on a Q_i is an absolute value, and ELU is increasing.</li>
 * </ul>
 */
final class Mixer {
    private final Algorithm kind;
    private final int[] features;
    private final int stateSize;
    private final LearnerConfig cfg;

    /** One role's agent values for mixing. */
    record RoleQ(Role role, NDArray q, NDArray obs, NDArray mask) {
        // q [B, T, N], obs [B, T, N, F], mask [B, N]
    }

    Mixer(Algorithm kind, int[] features, int stateSize, LearnerConfig cfg) {
        this.kind = kind;
        this.features = features.clone();
        this.stateSize = stateSize;
        this.cfg = cfg;
    }

    void init(ParamSet ps, RandomGenerator rng) {
        if (kind != Algorithm.QMIX) {
            return;
        }
        int c = stateSize;
        int e = cfg.mixerEmbed();
        int hh = cfg.hypernetHidden();
        for (Role r : Role.values()) {
            int in = c + features[r.ordinal()];
            ps.linear("mix.agent." + r.id(), in, hh, rng);
            ps.linear("mix.w1." + r.id(), hh, e, rng);
        }
        ps.linear("mix.b1", c, e, rng);
        ps.linear("mix.w2.l0", c, hh, rng);
        ps.linear("mix.w2.l1", hh, e, rng);
        ps.linear("mix.v.l0", c, e, rng);
        ps.linear("mix.v.l1", e, 1, rng);
    }

    /**
     * Q_tot for steps {@code 0..T−1} ({@code next} false) or {@code 1..T} ({@code next} true) of the chunks.
     *
     * @param stateSeq {@code [B, T+1, S]}
     * @param qs       per present role, values at the same steps
     * @return {@code [B, T]}
     */
    NDArray mix(Bound b, NDArray stateSeq, boolean next, List<RoleQ> qs) {
        if (kind == Algorithm.VDN) {
            NDArray tot = null;
            for (RoleQ rq : qs) {
                NDArray s = rq.q().mul(rq.mask().expandDims(1)).sum(new int[]{2});
                tot = tot == null ? s : tot.add(s);
            }
            return tot;
        }
        long steps = stateSeq.getShape().get(1) - 1;
        NDIndex steps0 = next ? new NDIndex(":, 1:") : new NDIndex(":, 0:" + steps);
        NDArray c = stateSeq.get(steps0); // [B, T, S]
        NDArray hsum = Layers.linear(b, "mix.b1", c);
        for (RoleQ rq : qs) {
            String r = rq.role().id();
            // the hypernetwork's hidden layer on [c_t, o_i] for every agent: [B,T,N,hh]
            NDArray x = Activation.relu(Layers.linearSplit(b, "mix.agent." + r, c.expandDims(2), rq.obs()));
            NDArray w = Layers.linear(b, "mix.w1." + r, x).abs(); // [B,T,N,E]
            NDArray m = rq.mask().expandDims(1); // [B,1,N]
            NDArray qw = rq.q().mul(m);
            hsum = hsum.add(w.mul(qw.expandDims(3)).sum(new int[]{2}));
        }
        NDArray h = Activation.elu(hsum, 1f);
        NDArray w2 = Layers.linear(b, "mix.w2.l1", Layers.linearRelu(b, "mix.w2.l0", c)).abs();
        NDArray v = Layers.linear(b, "mix.v.l1", Layers.linearRelu(b, "mix.v.l0", c)).squeeze(2);
        return h.mul(w2).sum(new int[]{2}).add(v);
    }
}
