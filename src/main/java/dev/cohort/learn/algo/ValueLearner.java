package dev.cohort.learn.algo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.cohort.learn.nn.Adam;
import dev.cohort.learn.nn.AgentNet;
import dev.cohort.learn.nn.Bound;
import dev.cohort.learn.nn.Layers;
import dev.cohort.learn.nn.LevelBasis;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.replay.Batch;
import dev.cohort.policy.Role;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The value-based learners, IQL, VDN, QMIX and AWRQ: one shared recurrent (or feed-forward) Q-network per role,
 * unrolled over replayed chunks from the actors' stored hidden state; n-step TD targets ({@link Returns}) with double-Q
 * (the online network picks the next level, the target network values it); a target network refreshed by hard
 * copy every {@code targetInterval} updates or softly; Adam with a clipped gradient norm; rewards standardised
 * when the batch is built. IQL's loss is each agent's own TD error against the shared reward; VDN and QMIX mix
 * first ({@link Mixer}) and take one TD error on Q_tot; AWRQ's agents have K value heads and learn as MaRCA's
 * AWRQ-Mixer does ({@link AwrqLoss}). Chunks a demonstrator acted in add DQfD's large-margin loss
 * on each agent's Q-values, weighted by {@code demoWeight}: the demonstrated level must lead every other by
 * {@code demoMargin} ({@link dev.cohort.learn.train.Demonstrations}). Chunks with paired advantages add
 * {@link PairedLoss}, weighted by {@code paired.weight}.
 *
 * <p>With terms valued apart ({@link LearnerConfig#valuedApart}, e.g. energy and progress) each agent network has K
 * heads per group: the first K value the reward without those terms, the next K the first term, and so on, each
 * learnt on its own standardised reward ({@link dev.cohort.learn.replay.Batch#termRewards}) with its own TD targets
 * through the same loss (and mixer). The policy acts on {@code Q_rest + Σ_i w_i·Q_i}, {@code w_i} the ratio of term
 * i's scale to the rest's ({@link #setTermWeights}), which is the whole reward's value up to a constant; that sum also
 * picks the levels every group bootstraps from, so all value the same greedy policy. Heads are affine in the same
 * features, so the sum is one head again: the agents this learner exposes, the weights it hands out and the exported
 * files keep the one-group shape.
 */
public final class ValueLearner implements Learner {
    private final Algorithm kind;
    private final LearnerConfig cfg;
    private final List<AgentNet> nets = new ArrayList<>();
    /** The networks trained: {@link #nets} with K heads per group when terms are valued apart. */
    private final List<AgentNet> trained = new ArrayList<>();
    /** Head groups: the rest, then one per term valued apart. */
    private final int groups;
    private double[] termWeights;
    private final Mixer mixer;
    private final AwrqLoss awrq;
    private final ParamSet params = new ParamSet();
    private final ParamSet target;
    private final Adam adam;
    private final NDManager base;
    private final Engine engine;
    private long updates;
    /** Per role id, the polynomial the heads' values are kept to ({@link LearnerConfig#levelDegree}); empty when 0. */
    private final java.util.Map<String, LevelBasis> bases = new java.util.LinkedHashMap<>();

    /** A loss to minimise and the mean Q it reports. */
    record Loss(NDArray loss, NDArray q) {
    }

    /**
     * @param features  observation width per role
     * @param levels    action levels per role
     * @param stateSize global state width
     * @param seed      initialisation seed
     */
    public ValueLearner(Algorithm kind, LearnerConfig cfg, int[] features, int[] levels, int stateSize, long seed) {
        if (!kind.valueBased()) {
            throw new IllegalArgumentException(kind + " is not value-based");
        }
        this.kind = kind;
        this.cfg = cfg;
        RandomGenerator rng = new SplittableRandom(seed);
        int heads = kind == Algorithm.AWRQ ? cfg.awrq().heads() : 1;
        this.groups = 1 + cfg.valuedApart().size();
        this.termWeights = java.util.stream.DoubleStream.generate(() -> 1).limit(groups - 1).toArray();
        for (Role r : Role.values()) {
            AgentNet n = new AgentNet(r.id(), features[r.ordinal()], cfg.hidden(), levels[r.ordinal()], cfg.recurrent(), heads);
            AgentNet t = groups > 1 ? new AgentNet(r.id(), n.inputs(), n.hidden(), n.outputs(), n.recurrent(), groups * heads) : n;
            t.init(params, rng);
            nets.add(n);
            trained.add(t);
        }
        this.mixer = new Mixer(kind, features, stateSize, cfg);
        mixer.init(params, rng);
        this.awrq = kind == Algorithm.AWRQ ? new AwrqLoss(cfg, new AwrqMixer(features, levels, stateSize, cfg)) : null;
        java.util.Optional.ofNullable(awrq).ifPresent(a -> a.mixer().init(params, rng));
        for (Role r : cfg.levelDegree() > 0 ? Role.values() : new Role[0]) {
            LevelBasis basis = new LevelBasis(levels[r.ordinal()], cfg.levelDegree());
            if (basis.restricts()) {
                bases.put(r.id(), basis);
            }
        }
        projectHeads();
        this.target = params.copy();
        this.adam = new Adam(params, cfg.lr(), cfg.gradClip());
        this.engine = Engines.pytorch();
        this.base = engine.newBaseManager();
    }

    @Override
    public Algorithm algorithm() {
        return kind;
    }

    @Override
    public List<AgentNet> agents() {
        return List.copyOf(nets);
    }

    @Override
    public ParamSet actorParams() {
        ParamSet p = new ParamSet();
        for (AgentNet n : nets) {
            ParamSet s = params.subset(n.prefix() + ".");
            for (String name : s.names()) {
                boolean head = name.equals(n.prefix() + ".head.weight") || name.equals(n.prefix() + ".head.bias");
                if (groups > 1 && head) {
                    int[] shape = s.shape(name).clone();
                    shape[0] /= groups;
                    p.add(name, shape, actedOn(s.get(name)));
                } else {
                    p.add(name, s.shape(name), s.get(name));
                }
            }
        }
        return p;
    }

    /** A grouped head's weights or biases (the rest's rows, then each term's) as the one head acted on: rest + Σ w·term. */
    private float[] actedOn(float[] all) {
        int part = all.length / groups;
        float[] out = new float[part];
        for (int i = 0; i < part; i++) {
            double v = all[i];
            for (int g = 1; g < groups; g++) {
                v += termWeights[g - 1] * all[g * part + i];
            }
            out[i] = (float) v;
        }
        return out;
    }

    @Override
    public void setTermWeights(double[] weights) {
        if (weights.length != groups - 1) {
            throw new IllegalArgumentException(weights.length + " term weights for " + (groups - 1) + " terms valued apart");
        }
        for (double w : weights) {
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("a term weight must be positive and finite, got " + w);
            }
        }
        termWeights = weights.clone();
    }

    /** Every parameter, agents and mixer (live). */
    public ParamSet params() {
        return params;
    }

    /** AWRQ's head weights η of the last update, per role ({@code null} for a role the batch lacked); null for the others. */
    float[][] lastHeadWeights() {
        return awrq == null ? null : awrq.lastEta();
    }

    @Override
    public boolean samplesActions() {
        return false;
    }

    @Override
    public void scaleLearningRates(double scale) {
        adam.scaleLearningRate(scale);
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public UpdateStats update(Batch b, RandomGenerator rng) {
        double loss;
        double qMean;
        float[][] grads;
        List<String> unused = new ArrayList<>();
        try (NDManager m = base.newSubManager()) {
            Bound on = new Bound(m, params, true);
            Bound tg = new Bound(m, target, false);
            NDArray state = m.create(b.state, new Shape(b.size, b.steps + 1, b.stateSize));
            try (GradientCollector gc = engine.newGradientCollector()) {
                java.util.Map<Role, NDArray> acted = new java.util.EnumMap<>(Role.class);
                List<List<RoleValues>> terms = unroll(m, on, tg, b, unused, acted);
                List<RoleValues> roles = terms.getFirst();
                Loss l = termLoss(m, on, tg, state, b, roles, b.rewards, true);
                for (int g = 1; g < groups; g++) {
                    Loss e = termLoss(m, on, tg, state, b, terms.get(g), b.termRewards[g - 1], false);
                    l = new Loss(l.loss().add(e.loss()), l.q().add(e.q().mul((float) termWeights[g - 1])));
                }
                NDArray lossArr = l.loss();
                if (b.demoChunks > 0 && cfg.demoWeight() > 0) {
                    lossArr = lossArr.add(marginLoss(m, b, roles).mul(Layers.constant(lossArr, cfg.demoWeight())));
                }
                NDArray paired = cfg.paired().weight() > 0 ? PairedLoss.of(m, b, roles, acted, groups) : null;
                if (paired != null) {
                    lossArr = lossArr.add(paired.mul(Layers.constant(lossArr, cfg.paired().weight())));
                }
                gc.backward(lossArr);
                loss = lossArr.getFloat();
                qMean = l.q().getFloat();
            }
            grads = on.gradients(unused);
        }
        double norm = adam.step(params, grads);
        projectHeads();
        updates++;
        if (cfg.tau() > 0) {
            target.softUpdate(params, cfg.tau());
        } else if (updates % cfg.targetInterval() == 0) {
            target.copyFrom(params);
        }
        return new UpdateStats(loss, qMean, norm, Double.NaN);
    }

    /** Keeps every restricted role's heads polynomial in the level (a no-op without {@code levelDegree}). */
    private void projectHeads() {
        bases.forEach((prefix, basis) -> basis.projectHead(params, prefix));
    }

    /** One term's loss (the whole reward's without a split) by the algorithm's rule. */
    private Loss termLoss(NDManager m, Bound on, Bound tg, NDArray state, Batch b, List<RoleValues> roles, float[] rewards,
                          boolean main) {
        if (rewards == null) {
            throw new IllegalArgumentException("terms are valued apart but the batch has none of their rewards");
        }
        return switch (kind) {
            case IQL -> iqlLoss(m, b, roles, rewards);
            case AWRQ -> awrq.loss(on, tg, state, b, roles, rewards, main);
            default -> mixedLoss(m, on, tg, state, b, roles, rewards);
        };
    }

    /**
     * Every present role's networks unrolled over the chunks: the whole reward's values, or with terms valued apart
     * the rest's and then each term's. Absent roles' parameter prefixes go to {@code unused}. With pairs alone each role's
     * online values, with their whole gradient, go to {@code acted} for the paired loss.
     */
    private List<List<RoleValues>> unroll(NDManager m, Bound on, Bound tg, Batch b, List<String> unused,
                                          java.util.Map<Role, NDArray> acted) {
        int bs = b.size;
        int t = b.steps;
        List<List<RoleValues>> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            out.add(new ArrayList<>());
        }
        for (Role role : Role.values()) {
            int ri = role.ordinal();
            int n = b.agents[ri];
            if (n == 0) {
                unused.add(role.id() + ".");
                continue;
            }
            AgentNet net = trained.get(ri);
            int f = b.features[ri];
            int a = b.levels[ri];
            int k = net.heads();
            NDArray obs = m.create(b.obs[ri], new Shape(bs, t + 1, n, f));
            NDArray rows = obs.transpose(0, 2, 1, 3).reshape(bs * n, t + 1, f);
            NDArray h0 = net.recurrent() ? m.create(b.h0[ri], new Shape(bs * n, net.hidden())) : null;
            NDArray q = net.forwardHeads(on, rows, h0).reshape(bs, n, t + 1, k, a).transpose(0, 2, 1, 3, 4);
            q = cfg.paired().alone() && cfg.paired().pairs(role) ? PairedLoss.meanOnly(role, q, acted) : q;
            NDArray qt = net.forwardHeads(tg, rows, h0).reshape(bs, n, t + 1, k, a).transpose(0, 2, 1, 3, 4);
            NDArray actions = m.create(b.actionsOneHot[ri], new Shape(bs, t, n, a));
            NDArray mask = m.create(b.mask[ri], new Shape(bs, n));
            if (groups == 1) {
                out.getFirst().add(new RoleValues(role, q, qt, obs, actions, mask));
                continue;
            }
            int per = k / groups;
            NDArray[] qg = new NDArray[groups];
            NDArray[] qtg = new NDArray[groups];
            NDArray pick = null;
            NDArray pickTarget = null;
            for (int g = 0; g < groups; g++) {
                NDIndex heads = new NDIndex(":, :, :, " + g * per + ":" + (g + 1) * per);
                qg[g] = q.get(heads);
                qtg[g] = qt.get(heads);
                float w = g == 0 ? 1f : (float) termWeights[g - 1];
                pick = pick == null ? qg[g] : pick.add(qg[g].mul(w));
                pickTarget = pickTarget == null ? qtg[g] : pickTarget.add(qtg[g].mul(w));
            }
            for (int g = 0; g < groups; g++) {
                out.get(g).add(new RoleValues(role, qg[g], qtg[g], pick, pickTarget, obs, actions, mask));
            }
        }
        return out;
    }

    /**
     * Per role, the served values of the levels taken {@code [B, T, N]} and the double-Q bootstrap values {@code [B, T, N]}
     * at the levels the acted-on values pick.
     */
    private NDArray[] takenAndNext(RoleValues rv, int steps) {
        NDArray q = rv.served();
        NDArray qt = rv.servedTarget();
        int a = (int) q.getShape().get(3);
        NDArray taken = q.get(new NDIndex(":, 0:" + steps)).mul(rv.actions()).sum(new int[]{3});
        NDArray pick = (cfg.doubleQ() ? rv.pickServed() : rv.pickServedTarget()).get(new NDIndex(":, 1:")).stopGradient()
                .argMax(3).oneHot(a);
        NDArray next = qt.get(new NDIndex(":, 1:")).mul(pick).sum(new int[]{3});
        return new NDArray[]{taken, next};
    }

    /** IQL: each real agent's own TD error against the shared reward (and its own credit, where the run credits it). */
    private Loss iqlLoss(NDManager m, Batch b, List<RoleValues> roles, float[] rewards) {
        NDArray sq = null;
        NDArray qs = null;
        NDArray count = null;
        for (RoleValues rv : roles) {
            NDArray[] tn = takenAndNext(rv, b.steps);
            NDArray mask = rv.mask().expandDims(1); // [B,1,N]
            int n = (int) rv.mask().getShape().get(1);
            float[] own = b.credit[rv.role().ordinal()];
            NDArray y = m.create(Returns.nStep(rewards, own, 1, tn[1].toFloatArray(), b.size, b.steps, n, cfg.gamma(),
                    cfg.nStep()), new Shape(b.size, b.steps, n));
            NDArray td = tn[0].sub(y).mul(mask);
            NDArray s = Layers.tdLoss(td, cfg.huber()).sum();
            NDArray qsum = tn[0].mul(mask).sum();
            NDArray c = mask.sum().mul((float) b.steps);
            sq = sq == null ? s : sq.add(s);
            qs = qs == null ? qsum : qs.add(qsum);
            count = count == null ? c : count.add(c);
        }
        return new Loss(sq.div(count), qs.div(count));
    }

    /** VDN and QMIX: one TD error on Q_tot. */
    private Loss mixedLoss(NDManager m, Bound on, Bound tg, NDArray state, Batch b, List<RoleValues> roles, float[] rewards) {
        List<Mixer.RoleQ> now = new ArrayList<>();
        List<Mixer.RoleQ> next = new ArrayList<>();
        for (RoleValues rv : roles) {
            NDArray[] tn = takenAndNext(rv, b.steps);
            now.add(new Mixer.RoleQ(rv.role(), tn[0], rv.obs().get(new NDIndex(":, 0:" + b.steps)), rv.mask()));
            next.add(new Mixer.RoleQ(rv.role(), tn[1], rv.obs().get(new NDIndex(":, 1:")), rv.mask()));
        }
        NDArray qtot = mixer.mix(on, state, false, now);
        NDArray qtotNext = mixer.mix(tg, state, true, next);
        NDArray y = m.create(Returns.nStep(rewards, qtotNext.toFloatArray(), b.size, b.steps, 1, cfg.gamma(), cfg.nStep()),
                new Shape(b.size, b.steps));
        return new Loss(Layers.tdLoss(qtot.sub(y), cfg.huber()).mean(), qtot.mean());
    }

    /**
     * DQfD's J_E on the demonstration chunks, on the values each agent acts on: the mean over demonstrated agent-steps of
     * {@code max_a[Q(a) + margin·1(a ≠ shown)] − Q(shown)}.
     */
    private NDArray marginLoss(NDManager m, Batch b, List<RoleValues> roles) {
        NDArray demoMask = m.create(b.demo, new Shape(b.size, 1, 1));
        float margin = (float) cfg.demoMargin();
        NDArray sum = null;
        NDArray count = null;
        for (RoleValues rv : roles) {
            NDArray q = rv.pickServed().get(new NDIndex(":, 0:" + b.steps));
            NDArray taken = q.mul(rv.actions()).sum(new int[]{3});
            NDArray over = q.add(rv.actions().mul(-margin).add(margin)).max(new int[]{3}).sub(taken);
            NDArray weight = rv.mask().expandDims(1).mul(demoMask);
            NDArray s = over.mul(weight).sum();
            NDArray c = weight.sum().mul((float) b.steps);
            sum = sum == null ? s : sum.add(s);
            count = count == null ? c : count.add(c);
        }
        return sum.div(count.maximum(1f));
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        out.writeLong(updates);
        params.write(out);
        target.write(out);
        adam.write(out);
    }

    @Override
    public void read(DataInputStream in) throws IOException {
        updates = in.readLong();
        params.copyFrom(ParamSet.read(in));
        target.copyFrom(ParamSet.read(in));
        adam.read(in);
    }
}
