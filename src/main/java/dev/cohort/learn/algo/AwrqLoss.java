package dev.cohort.learn.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.nn.Layers;
import dev.cohort.learn.replay.Batch;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * AWRQ-Mixer's training loss, as MaRCA publishes it (§3.3, its Algorithm 1 and its code, module 1), on cohort's
 * replayed chunks. Per role (one agent network of K heads, as each of MaRCA's agent networks):
 * <ol>
 *   <li><b>VGCA</b> ({@link Vgca}): each agent-step's weight {@code w_{i,t}}, the variance of the agent's values over its
 *       levels (mean 1 over the role's agent-steps in the batch), multiplies its squared TD errors below. MaRCA scales
 *       the reward instead; with the variance read from the agents' own values that feeds back on itself (a larger
 *       weight spreads the values, which raises the weight), so cohort weighs the error and leaves the target alone
 *       ({@code docs/training.md});</li>
 *   <li>each head's own TD loss {@code L_k} against its own n-step double-Q target (Eq. 8), over the role's real
 *       agent-steps;</li>
 *   <li><b>adaptive weighting</b> ({@link HeadWeights}): {@code η_k = L_k / Σ_j L_j}, and the ensemble value
 *       {@code Q_i = Σ_k η_k·Q_i^k} (Eq. 9–10) takes a TD loss {@code L_e} against the η-weighted target network;</li>
 *   <li>the role's agent loss {@code (Σ_k L_k + L_e) / (K + 1)}, as MaRCA's code sums and scales them.</li>
 * </ol>
 * The agents' losses are weighted by the roles' real agent-steps and added to the mixer's: {@link AwrqMixer} mixes the
 * ensemble values of the levels taken into Q_tot, and its TD loss (Eq. 15) is unweighted and uses the target networks
 * at the next step (the agents' η-weighted values at their double-Q levels, which are also the joint action the
 * hypernetwork reads). As published, the agents' values enter the mixer without gradient, so the agents learn from
 * their own TD errors and the mixer from Q_tot's; {@link AwrqConfig#mixerTrainsAgents} lets Q_tot's error reach the
 * agents, as in QMIX.
 *
 * <p>With terms valued apart each group (the rest, each term) runs through this loss on its own heads and rewards,
 * with the same mixer; the levels a head's target bootstraps from are picked by the acted-on values (the rest plus each
 * term's weighted values, head by head), the ensemble's by their plain average, which is what the agents act on, and
 * VGCA reads the acted-on values too, so every group weighs an agent-step alike.
 */
final class AwrqLoss {
    private final LearnerConfig cfg;
    private final AwrqMixer mixer;
    private float[][] lastEta = new float[Role.values().length][];

    AwrqLoss(LearnerConfig cfg, AwrqMixer mixer) {
        this.cfg = cfg;
        this.mixer = mixer;
    }

    AwrqMixer mixer() {
        return mixer;
    }

    /** η of the last update per role (null for a role the batch lacked). */
    float[][] lastEta() {
        return lastEta.clone();
    }

    /**
     * One term's loss (the whole reward's without a split).
     *
     * @param rewards scaled rewards of the term {@code [B, T]}
     * @param main    whether this term's η is the one {@link #lastEta} reports (the rest's, not a term's)
     */
    ValueLearner.Loss loss(Bound on, Bound tg, NDArray state, Batch b, List<RoleValues> roles, float[] rewards, boolean main) {
        NDManager m = state.getManager();
        int t = b.steps;
        float[][] eta = new float[Role.values().length][];
        NDArray agentLoss = null;
        double agentSteps = 0;
        List<AwrqMixer.RoleValues> now = new ArrayList<>();
        List<AwrqMixer.RoleValues> next = new ArrayList<>();
        for (RoleValues rv : roles) {
            int ri = rv.role().ordinal();
            double steps = realAgents(b.mask[ri]) * (double) t;
            Ensemble e = roleLoss(m, b, rv, rewards, (float) steps);
            eta[ri] = e.eta();
            NDArray weighted = e.loss().mul(Layers.constant(state, steps));
            agentLoss = agentLoss == null ? weighted : agentLoss.add(weighted);
            agentSteps += steps;
            NDArray taken = cfg.awrq().mixerTrainsAgents() ? e.taken() : e.taken().stopGradient();
            now.add(new AwrqMixer.RoleValues(rv.role(), taken, rv.obs().get(new NDIndex(":, 0:" + t)), rv.actions(), rv.mask()));
            next.add(new AwrqMixer.RoleValues(rv.role(), e.next(), rv.obs().get(new NDIndex(":, 1:")), e.nextActions(), rv.mask()));
        }
        if (main) {
            lastEta = eta;
        }
        NDArray qtot = mixer.mix(on, state.get(new NDIndex(":, 0:" + t)), now);
        NDArray qtotNext = mixer.mix(tg, state.get(new NDIndex(":, 1:")), next);
        NDArray y = m.create(Returns.nStep(rewards, qtotNext.toFloatArray(), b.size, t, 1, cfg.gamma(), cfg.nStep()),
                new Shape(b.size, t));
        NDArray mixLoss = Layers.tdLoss(qtot.sub(y), cfg.huber()).mean();
        return new ValueLearner.Loss(agentLoss.div(Layers.constant(state, Math.max(agentSteps, 1))).add(mixLoss), qtot.mean());
    }

    /**
     * One role's agent loss.
     *
     * @param loss        {@code (Σ_k L_k + L_e) / (K + 1)}
     * @param eta         the head weights used
     * @param taken       ensemble values of the levels taken {@code [B, T, N]}
     * @param next        target ensemble values at the next step's double-Q levels {@code [B, T, N]}
     * @param nextActions those levels, one-hot {@code [B, T, N, A]}
     */
    private record Ensemble(NDArray loss, float[] eta, NDArray taken, NDArray next, NDArray nextActions) {
    }

    private Ensemble roleLoss(NDManager m, Batch b, RoleValues rv, float[] rewards, float steps) {
        int bs = b.size;
        int t = b.steps;
        int ri = rv.role().ordinal();
        int n = b.agents[ri];
        int a = b.levels[ri];
        int k = (int) rv.heads().getShape().get(3);
        NDArray q = rv.heads();
        NDArray qt = rv.target();
        NDIndex now = new NDIndex(":, 0:" + t);
        NDIndex later = new NDIndex(":, 1:");
        // each real agent-step's weight in the TD losses: VGCA's, or the mask
        NDArray weight = rv.mask().expandDims(1); // [B,1,N]
        if (cfg.awrq().vgca()) {
            float[] values = rv.pickServedTarget().get(now).toFloatArray();
            weight = m.create(Vgca.weights(values, b.mask[ri], bs, t, n, a), new Shape(bs, t, n));
        }
        // each head's own TD loss, L_k: [K]
        NDArray takenK = q.get(now).mul(rv.actions().expandDims(3)).sum(new int[]{4}); // [B,T,N,K]
        NDArray pickK = (cfg.doubleQ() ? rv.pick() : rv.pickTarget()).get(later).stopGradient().argMax(4).oneHot(a);
        NDArray nextK = qt.get(later).mul(pickK).sum(new int[]{4});
        float[] own = b.credit[ri]; // each agent's own reward, where the run credits it
        NDArray yK = m.create(Returns.nStep(rewards, own, k, nextK.toFloatArray(), bs, t, n * k, cfg.gamma(), cfg.nStep()),
                new Shape(bs, t, n, k));
        NDArray lossK = Layers.tdLoss(takenK.sub(yK), cfg.huber()).mul(weight.expandDims(3)).sum(new int[]{0, 1, 2})
                .div(Layers.constant(q, steps));
        // the ensemble value Σ_k η_k·Q^k and its TD loss, L_e
        float[] eta = HeadWeights.eta(lossK.toFloatArray(), cfg.awrq().adaptiveWeighting());
        NDArray w = m.create(eta, new Shape(1, 1, 1, k, 1));
        NDArray qe = q.mul(w).sum(new int[]{3}); // [B,T+1,N,A]
        NDArray qte = qt.mul(w).sum(new int[]{3});
        NDArray taken = qe.get(now).mul(rv.actions()).sum(new int[]{3}); // [B,T,N]
        NDArray pickFrom = !rv.term() ? (cfg.doubleQ() ? qe : qte) : cfg.doubleQ() ? rv.pickServed() : rv.pickServedTarget();
        NDArray pick = pickFrom.get(later).stopGradient().argMax(3).oneHot(a);
        NDArray next = qte.get(later).mul(pick).sum(new int[]{3});
        NDArray y = m.create(Returns.nStep(rewards, own, 1, next.toFloatArray(), bs, t, n, cfg.gamma(), cfg.nStep()),
                new Shape(bs, t, n));
        NDArray lossE = Layers.tdLoss(taken.sub(y), cfg.huber()).mul(weight).sum().div(Layers.constant(q, steps));
        NDArray loss = lossK.sum().add(lossE).div(Layers.constant(q, k + 1));
        return new Ensemble(loss, eta, taken, next, pick);
    }

    private static double realAgents(float[] mask) {
        double s = 0;
        for (float v : mask) {
            s += v;
        }
        return s;
    }
}
