package dev.cohort.learn.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.nn.Layers;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.policy.Role;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The mixing networks that turn the agents' Q-values into Q_tot, training-only (never exported).
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
 *       {@code Q_tot = |w2(s)|·h + V(s)}, hypernetworks {@code Linear → ReLU → Linear} (2 layers, 64 wide), embedding 32.</li>
 *   <li><b>AWRQ</b> (adaptive-weighting recurrent Q-mixer; <em>our interpretation</em> of MaRCA's AWRQ-Mixer,
 *       whose equations are not public): a GRU encodes the history of global states, {@code g_t = GRU(s_t, g_{t−1})};
 *       every hypernetwork takes {@code c_t = [s_t, g_t]} instead of {@code s_t}; and each agent's weight vector is
 *       scaled by an adaptive, state-conditioned attention weight, a softmax over the agents of its role,
 *       {@code α_i = softmax_i(u_r(c_t, o_i))} (u_r shares W1_r's hidden layer and has its own output):
 *       {@code h = ELU(Σ_r Σ_{i∈r} α_i·|W1_r(c_t, o_i)|·Q_i + b1(c_t))},
 *       {@code Q_tot = |w2(c_t)|·h + V(c_t)}. Because the α of a role sum to 1, a role's contribution does not grow
 *       with its agent count. The GRU starts from zeros at the start of each replayed chunk.</li>
 * </ul>
 * QMIX and AWRQ are monotonic ({@code ∂Q_tot/∂Q_i ≥ 0}): every weight on a Q_i is an absolute value times a
 * non-negative attention weight, and ELU is increasing.
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

    /** Width of what the hypernetworks condition on. */
    private int condition() {
        return kind == Algorithm.AWRQ ? stateSize + cfg.mixerGruHidden() : stateSize;
    }

    void init(ParamSet ps, RandomGenerator rng) {
        if (kind == Algorithm.VDN || kind == Algorithm.IQL) {
            return;
        }
        int c = condition();
        int e = cfg.mixerEmbed();
        int hh = cfg.hypernetHidden();
        if (kind == Algorithm.AWRQ) {
            ps.gru("mix.enc", stateSize, cfg.mixerGruHidden(), rng);
        }
        for (Role r : Role.values()) {
            int in = c + features[r.ordinal()];
            ps.linear("mix.agent." + r.id(), in, hh, rng);
            ps.linear("mix.w1." + r.id(), hh, e, rng);
            if (kind == Algorithm.AWRQ) {
                ps.linear("mix.score." + r.id(), hh, 1, rng);
            }
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
        long bsz = stateSeq.getShape().get(0);
        long steps = stateSeq.getShape().get(1) - 1;
        NDArray cond = stateSeq;
        if (kind == Algorithm.AWRQ) {
            NDArray g0 = stateSeq.getManager().zeros(new Shape(bsz, cfg.mixerGruHidden()));
            NDArray g = Layers.gru(b, "mix.enc", stateSeq, g0);
            cond = NDArrays.concat(new NDList(stateSeq, g), 2);
        }
        NDIndex steps0 = next ? new NDIndex(":, 1:") : new NDIndex(":, 0:" + steps);
        NDArray c = cond.get(steps0); // [B, T, C]
        NDArray hsum = Layers.linear(b, "mix.b1", c);
        for (RoleQ rq : qs) {
            String r = rq.role().id();
            // the hypernetwork's hidden layer on [c_t, o_i] for every agent: [B,T,N,hh]
            NDArray x = Activation.relu(Layers.linearSplit(b, "mix.agent." + r, c.expandDims(2), rq.obs()));
            NDArray w = Layers.linear(b, "mix.w1." + r, x).abs(); // [B,T,N,E]
            NDArray m = rq.mask().expandDims(1); // [B,1,N]
            NDArray qw = rq.q().mul(m);
            if (kind == Algorithm.AWRQ) {
                NDArray score = Layers.linear(b, "mix.score." + r, x).squeeze(3); // [B,T,N]
                NDArray alpha = score.add(m.sub(1f).mul(1e9f)).softmax(2);
                qw = qw.mul(alpha);
            }
            hsum = hsum.add(w.mul(qw.expandDims(3)).sum(new int[]{2}));
        }
        NDArray h = Activation.elu(hsum, 1f);
        NDArray w2 = Layers.linear(b, "mix.w2.l1", Layers.linearRelu(b, "mix.w2.l0", c)).abs();
        NDArray v = Layers.linear(b, "mix.v.l1", Layers.linearRelu(b, "mix.v.l0", c)).squeeze(2);
        return h.mul(w2).sum(new int[]{2}).add(v);
    }
}
