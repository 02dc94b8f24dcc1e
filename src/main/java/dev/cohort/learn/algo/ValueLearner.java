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
 * when the batch is built. IQL's loss is each agent's own TD error against the shared reward; the others mix
 * first ({@link Mixer}) and take one TD error on Q_tot. Chunks a demonstrator acted in add DQfD's large-margin loss
 * on each agent's Q-values, weighted by {@code demoWeight}: the demonstrated level must lead every other by
 * {@code demoMargin} ({@link dev.cohort.learn.train.Demonstrations}).
 */
public final class ValueLearner implements Learner {
    private final Algorithm kind;
    private final LearnerConfig cfg;
    private final List<AgentNet> nets = new ArrayList<>();
    private final Mixer mixer;
    private final ParamSet params = new ParamSet();
    private final ParamSet target;
    private final Adam adam;
    private final NDManager base;
    private final Engine engine;
    private long updates;

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
        for (Role r : Role.values()) {
            AgentNet n = new AgentNet(r.id(), features[r.ordinal()], cfg.hidden(), levels[r.ordinal()], cfg.recurrent());
            n.init(params, rng);
            nets.add(n);
        }
        this.mixer = new Mixer(kind, features, stateSize, cfg);
        mixer.init(params, rng);
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
                p.add(name, s.shape(name), s.get(name));
            }
        }
        return p;
    }

    /** Every parameter, agents and mixer (live). */
    public ParamSet params() {
        return params;
    }

    @Override
    public boolean samplesActions() {
        return false;
    }

    @Override
    public long updates() {
        return updates;
    }

    // long: one update is one autograd graph (unroll, mix, targets, loss, backward, step) sharing a dozen tensors;
    // split, each part would take and return most of them
    @Override
    public UpdateStats update(Batch b, RandomGenerator rng) {
        double loss;
        double qMean;
        float[][] grads;
        List<String> unused = new ArrayList<>();
        try (NDManager m = base.newSubManager()) {
            Bound on = new Bound(m, params, true);
            Bound tg = new Bound(m, target, false);
            int bs = b.size;
            int t = b.steps;
            NDArray state = m.create(b.state, new Shape(bs, t + 1, b.stateSize));
            try (GradientCollector gc = engine.newGradientCollector()) {
                List<Mixer.RoleQ> now = new ArrayList<>();
                List<Mixer.RoleQ> next = new ArrayList<>();
                boolean demos = b.demoChunks > 0 && cfg.demoWeight() > 0;
                NDArray demoMask = demos ? m.create(b.demo, new Shape(bs, 1, 1)) : null;
                NDArray marginSum = null;
                NDArray marginCount = null;
                for (Role role : Role.values()) {
                    int ri = role.ordinal();
                    int n = b.agents[ri];
                    if (n == 0) {
                        unused.add(role.id() + ".");
                        continue;
                    }
                    AgentNet net = nets.get(ri);
                    int f = b.features[ri];
                    int a = b.levels[ri];
                    NDArray obs = m.create(b.obs[ri], new Shape(bs, t + 1, n, f));
                    NDArray rows = obs.transpose(0, 2, 1, 3).reshape(bs * n, t + 1, f);
                    NDArray h0 = net.recurrent() ? m.create(b.h0[ri], new Shape(bs * n, net.hidden())) : null;
                    NDArray q = net.forward(on, rows, h0).reshape(bs, n, t + 1, a).transpose(0, 2, 1, 3);
                    NDArray qt = net.forward(tg, rows, h0).reshape(bs, n, t + 1, a).transpose(0, 2, 1, 3);
                    NDArray taken = q.get(new NDIndex(":, 0:" + t)).mul(m.create(b.actionsOneHot[ri], new Shape(bs, t, n, a)))
                            .sum(new int[]{3});
                    NDArray pick = (cfg.doubleQ() ? q : qt).get(new NDIndex(":, 1:")).stopGradient().argMax(3).oneHot(a);
                    NDArray nextQ = qt.get(new NDIndex(":, 1:")).mul(pick).sum(new int[]{3});
                    NDArray mask = m.create(b.mask[ri], new Shape(bs, n));
                    if (demos) {
                        // DQfD's J_E: max over levels of (Q + margin where the level is not the demonstrated one) − Q(demonstrated)
                        NDArray oneHot = m.create(b.actionsOneHot[ri], new Shape(bs, t, n, a));
                        NDArray over = q.get(new NDIndex(":, 0:" + t)).add(oneHot.mul(-(float) cfg.demoMargin()).add((float) cfg.demoMargin()))
                                .max(new int[]{3}).sub(taken);
                        NDArray weight = mask.expandDims(1).mul(demoMask);
                        NDArray sum = over.mul(weight).sum();
                        NDArray count = weight.sum().mul((float) t);
                        marginSum = marginSum == null ? sum : marginSum.add(sum);
                        marginCount = marginCount == null ? count : marginCount.add(count);
                    }
                    now.add(new Mixer.RoleQ(role, taken, obs.get(new NDIndex(":, 0:" + t)), mask));
                    next.add(new Mixer.RoleQ(role, nextQ, obs.get(new NDIndex(":, 1:")), mask));
                }
                NDArray lossArr;
                NDArray qArr;
                if (kind == Algorithm.IQL) {
                    NDArray sq = null;
                    NDArray qs = null;
                    NDArray count = null;
                    for (int i = 0; i < now.size(); i++) {
                        NDArray mask = now.get(i).mask().expandDims(1); // [B,1,N]
                        int n = (int) now.get(i).q().getShape().get(2);
                        NDArray y = m.create(Returns.nStep(b.rewards, next.get(i).q().toFloatArray(), bs, t, n, cfg.gamma(),
                                cfg.nStep()), new Shape(bs, t, n));
                        NDArray td = now.get(i).q().sub(y).mul(mask);
                        NDArray s = Layers.tdLoss(td, cfg.huber()).sum();
                        NDArray qsum = now.get(i).q().mul(mask).sum();
                        NDArray c = mask.sum().mul((float) t);
                        sq = sq == null ? s : sq.add(s);
                        qs = qs == null ? qsum : qs.add(qsum);
                        count = count == null ? c : count.add(c);
                    }
                    lossArr = sq.div(count);
                    qArr = qs.div(count);
                } else {
                    NDArray qtot = mixer.mix(on, state, false, now);
                    NDArray qtotNext = mixer.mix(tg, state, true, next);
                    NDArray y = m.create(Returns.nStep(b.rewards, qtotNext.toFloatArray(), bs, t, 1, cfg.gamma(), cfg.nStep()),
                            new Shape(bs, t));
                    NDArray td = qtot.sub(y);
                    lossArr = Layers.tdLoss(td, cfg.huber()).mean();
                    qArr = qtot.mean();
                }
                if (marginSum != null) {
                    lossArr = lossArr.add(marginSum.div(marginCount.maximum(1f)).mul((float) cfg.demoWeight()));
                }
                gc.backward(lossArr);
                loss = lossArr.getFloat();
                qMean = qArr.getFloat();
            }
            grads = on.gradients(unused);
        }
        double norm = adam.step(params, grads);
        updates++;
        if (cfg.tau() > 0) {
            target.softUpdate(params, cfg.tau());
        } else if (updates % cfg.targetInterval() == 0) {
            target.copyFrom(params);
        }
        return new UpdateStats(loss, qMean, norm, Double.NaN);
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
