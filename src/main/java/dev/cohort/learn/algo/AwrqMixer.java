package dev.cohort.learn.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.nn.Layers;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.policy.Role;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * AWRQ-Mixer's mixing network, as MaRCA publishes it (§3.3.2, Eqs. 11–15, its Algorithm 1 line 16 and its code): a
 * hypernetwork of the global state and the joint action gives {@code W1, b1, W2, b2}, softplus keeps the weights
 * positive, and {@code Q_tot = ReLU([Q_1..Q_n]·W1 + b1)·W2 + b2}. Training-only, never exported.
 *
 * <p>MaRCA mixes a fixed set of agents; cohort's batches mix hosts with 8 or 16 core agents, with or without memory and
 * quota agents, padded and masked. So, as cohort's QMIX does, the row of {@code W1} that multiplies agent i's Q comes
 * from a per-role hypernetwork applied to the condition and <em>that agent's own</em> observation and one-hot level:
 * {@code W1_i = softplus(w1_r(ReLU(u_r([c_t, o_i, a_i]))))}, summed over the real agents; the rest reads the condition
 * only through one shared hidden layer as in MaRCA's code: {@code g = ReLU(Linear(c_t))}, {@code b1 = Linear(g)},
 * {@code W2 = softplus(Linear(g))}, {@code b2 = Linear(g)}. The condition is {@code c_t = [s_t, ā_t]}: the global
 * state and, for the joint action at any agent count, each role's mean one-hot level over its real agents (zeros for
 * an absent role). Monotonic: every weight on a Q_i is a softplus, ReLU is non-decreasing, so {@code ∂Q_tot/∂Q_i ≥ 0}.
 */
final class AwrqMixer {
    private final int[] features;
    private final int[] levels;
    private final int stateSize;
    private final int embed;
    private final int hidden;

    /** One role's inputs: Q-values of the levels taken {@code [B, T, N]}, observations {@code [B, T, N, F]}, one-hot levels {@code [B, T, N, A]}, mask {@code [B, N]}. */
    record RoleValues(Role role, NDArray q, NDArray obs, NDArray actions, NDArray mask) {
    }

    AwrqMixer(int[] features, int[] levels, int stateSize, LearnerConfig cfg) {
        this.features = features.clone();
        this.levels = levels.clone();
        this.stateSize = stateSize;
        this.embed = cfg.mixerEmbed();
        this.hidden = cfg.hypernetHidden();
    }

    /** Width of the condition {@code [s_t, ā_t]}. */
    private int condition() {
        int c = stateSize;
        for (int l : levels) {
            c += l;
        }
        return c;
    }

    void init(ParamSet ps, RandomGenerator rng) {
        int c = condition();
        for (Role r : Role.values()) {
            ps.linear("mix.agent." + r.id(), c + features[r.ordinal()] + levels[r.ordinal()], hidden, rng);
            ps.linear("mix.w1." + r.id(), hidden, embed, rng);
        }
        ps.linear("mix.hyper", c, hidden, rng);
        ps.linear("mix.b1", hidden, embed, rng);
        ps.linear("mix.w2", hidden, embed, rng);
        ps.linear("mix.b2", hidden, 1, rng);
    }

    /**
     * Q_tot of each step.
     *
     * @param state {@code [B, T, S]}, the global state at the same steps as the values
     * @param qs    the roles present in the batch
     * @return {@code [B, T]}
     */
    NDArray mix(Bound b, NDArray state, List<RoleValues> qs) {
        NDArray c = NDArrays.concat(new NDList(state, jointAction(state, qs)), 2); // [B, T, C]
        NDArray g = Layers.linearRelu(b, "mix.hyper", c); // [B, T, H]
        NDArray pre = Layers.linear(b, "mix.b1", g); // [B, T, E]
        for (RoleValues rv : qs) {
            String r = rv.role().id();
            NDArray own = NDArrays.concat(new NDList(rv.obs(), rv.actions()), 3); // [B, T, N, F + A]
            NDArray u = Activation.relu(Layers.linearSplit(b, "mix.agent." + r, c.expandDims(2), own)); // [B, T, N, H]
            NDArray w1 = Layers.softplus(Layers.linear(b, "mix.w1." + r, u)); // [B, T, N, E]
            NDArray q = rv.q().mul(rv.mask().expandDims(1)); // padding contributes nothing
            pre = pre.add(w1.mul(q.expandDims(3)).sum(new int[]{2}));
        }
        NDArray w2 = Layers.softplus(Layers.linear(b, "mix.w2", g)); // [B, T, E]
        NDArray b2 = Layers.linear(b, "mix.b2", g).squeeze(2); // [B, T]
        return Activation.relu(pre).mul(w2).sum(new int[]{2}).add(b2);
    }

    /** Each role's mean one-hot level over its real agents, in {@link Role} order: {@code [B, T, ΣA]}. */
    private NDArray jointAction(NDArray state, List<RoleValues> qs) {
        long batch = state.getShape().get(0);
        long steps = state.getShape().get(1);
        NDList parts = new NDList();
        for (Role r : Role.values()) {
            RoleValues rv = qs.stream().filter(x -> x.role() == r).findFirst().orElse(null);
            if (rv == null) {
                parts.add(state.getManager().zeros(new Shape(batch, steps, levels[r.ordinal()])));
                continue;
            }
            NDArray m = rv.mask().expandDims(1).expandDims(3); // [B, 1, N, 1]
            NDArray count = rv.mask().sum(new int[]{1}).maximum(1f).reshape(batch, 1, 1);
            parts.add(rv.actions().mul(m).sum(new int[]{2}).div(count));
        }
        return NDArrays.concat(parts, 2);
    }
}
