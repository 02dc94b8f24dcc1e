package dev.cohort.learn.algo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
 * MADDPG (Lowe et al.) for discrete levels, as EPyMARL adapts it: one actor per role (shared by the role's agents,
 * recurrent or feed-forward, giving logits over the levels) and one centralised critic per role,
 * {@code Q_r(s, o_i, a_i, ā)}, where {@code ā} is, for each role, the mean one-hot level over its agents: a
 * summary of everyone's actions of fixed width whatever the agent counts. Critic: n-step TD ({@link Returns})
 * bootstrapping from {@code Q'_r(s', o'_i, a'_i, ā')} with the target actors' greedy levels. Actors: the straight-through
 * Gumbel-softmax (hard one-hot forward, soft gradient, temperature τ) of their logits into the critic, with the
 * gradient flowing through the pooled joint action {@code ā} too (all agents' current actions, as in FACMAC's
 * centralised policy gradient), loss {@code −Q + c·mean(logits²)}. Soft target updates, Adam, clipped gradients.
 * Acting samples from {@code softmax(logits)}; the exported model is the actor, decoded by argmax.
 */
public final class Maddpg implements Learner {
    private final LearnerConfig cfg;
    private final List<AgentNet> nets = new ArrayList<>();
    private final ParamSet actors = new ParamSet();
    private final ParamSet critics = new ParamSet();
    private final ParamSet actorsTarget;
    private final ParamSet criticsTarget;
    private final Adam actorAdam;
    private final Adam criticAdam;
    private final int[] levels;
    private final int actionsWidth;
    private final Engine engine;
    private final NDManager base;
    private long updates;

    public Maddpg(LearnerConfig cfg, int[] features, int[] levels, int stateSize, long seed) {
        this.cfg = cfg;
        this.levels = levels.clone();
        RandomGenerator rng = new SplittableRandom(seed);
        int sum = 0;
        for (int l : levels) {
            sum += l;
        }
        this.actionsWidth = sum;
        for (Role r : Role.values()) {
            AgentNet n = new AgentNet(r.id(), features[r.ordinal()], cfg.hidden(), levels[r.ordinal()], cfg.recurrent());
            n.init(actors, rng);
            nets.add(n);
        }
        for (Role r : Role.values()) {
            int in = stateSize + features[r.ordinal()] + levels[r.ordinal()] + actionsWidth;
            critics.linear("critic." + r.id() + ".l0", in, cfg.criticHidden(), rng);
            critics.linear("critic." + r.id() + ".l1", cfg.criticHidden(), cfg.criticHidden(), rng);
            critics.linear("critic." + r.id() + ".l2", cfg.criticHidden(), 1, rng);
        }
        actorsTarget = actors.copy();
        criticsTarget = critics.copy();
        actorAdam = new Adam(actors, cfg.lr(), cfg.gradClip());
        criticAdam = new Adam(critics, cfg.criticLr(), cfg.gradClip());
        engine = Engines.pytorch();
        base = engine.newBaseManager();
    }

    @Override
    public Algorithm algorithm() {
        return Algorithm.MADDPG;
    }

    @Override
    public List<AgentNet> agents() {
        return List.copyOf(nets);
    }

    @Override
    public ParamSet actorParams() {
        return actors;
    }

    /** The critics' parameters (live). */
    public ParamSet criticParams() {
        return critics;
    }

    @Override
    public boolean samplesActions() {
        return true;
    }

    @Override
    public void scaleLearningRates(double scale) {
        actorAdam.scaleLearningRate(scale);
        criticAdam.scaleLearningRate(scale);
    }

    @Override
    public long updates() {
        return updates;
    }

    /** One role's tensors for an update. */
    private record RoleData(Role role, int n, NDArray obs, NDArray rows, NDArray h0, NDArray mask, NDArray taken) {
    }

    // long: one update is the critic's and then the actors' autograd graph over the same tensors (as in ValueLearner)
    @Override
    public UpdateStats update(Batch b, RandomGenerator rng) {
        int bs = b.size;
        int t = b.steps;
        double criticLoss;
        double actorLoss;
        double qMean;
        double norm;
        List<String> unused = new ArrayList<>();
        try (NDManager m = base.newSubManager()) {
            NDArray state = m.create(b.state, new Shape(bs, t + 1, b.stateSize));
            NDArray sNow = state.get(new NDIndex(":, 0:" + t));
            NDArray sNext = state.get(new NDIndex(":, 1:"));
            List<RoleData> roles = new ArrayList<>();
            for (Role role : Role.values()) {
                int ri = role.ordinal();
                int n = b.agents[ri];
                if (n == 0) {
                    unused.add(role.id() + ".");
                    unused.add("critic." + role.id() + ".");
                    continue;
                }
                int f = b.features[ri];
                NDArray obs = m.create(b.obs[ri], new Shape(bs, t + 1, n, f));
                NDArray rows = obs.transpose(0, 2, 1, 3).reshape(bs * n, t + 1, f);
                AgentNet net = nets.get(ri);
                NDArray h0 = net.recurrent() ? m.create(b.h0[ri], new Shape(bs * n, net.hidden())) : null;
                roles.add(new RoleData(role, n, obs, rows, h0, m.create(b.mask[ri], new Shape(bs, n)),
                        m.create(b.actionsOneHot[ri], new Shape(bs, t, n, levels[ri]))));
            }
            // target actions at t+1 (greedy levels of the target actors) and the critic's target
            Bound at = new Bound(m, actorsTarget, false);
            Bound ct = new Bound(m, criticsTarget, false);
            List<NDArray> nextActions = new ArrayList<>();
            for (RoleData d : roles) {
                NDArray logits = logits(at, d, bs, t).get(new NDIndex(":, 1:"));
                nextActions.add(logits.argMax(3).oneHot(levels[d.role().ordinal()]));
            }
            NDArray pooledNext = pooled(roles, nextActions, m, bs, t);
            List<NDArray> targets = new ArrayList<>();
            for (int i = 0; i < roles.size(); i++) {
                RoleData d = roles.get(i);
                NDArray qn = critic(ct, d, sNext, d.obs().get(new NDIndex(":, 1:")), nextActions.get(i), pooledNext);
                targets.add(m.create(Returns.nStep(b.rewards, qn.toFloatArray(), bs, t, d.n(), cfg.gamma(), cfg.nStep()),
                        new Shape(bs, t, d.n())));
            }
            // critic update
            Bound co = new Bound(m, critics, true);
            NDArray pooledTaken = pooled(roles, roles.stream().map(RoleData::taken).toList(), m, bs, t);
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray sq = null;
                NDArray qs = null;
                NDArray count = null;
                for (int i = 0; i < roles.size(); i++) {
                    RoleData d = roles.get(i);
                    NDArray q = critic(co, d, sNow, d.obs().get(new NDIndex(":, 0:" + t)), d.taken(), pooledTaken);
                    NDArray mask = d.mask().expandDims(1);
                    NDArray td = q.sub(targets.get(i).stopGradient()).mul(mask);
                    sq = add(sq, Layers.tdLoss(td, cfg.huber()).sum());
                    qs = add(qs, q.mul(mask).sum());
                    count = add(count, mask.sum().mul((float) t));
                }
                NDArray loss = sq.div(count);
                gc.backward(loss);
                criticLoss = loss.getFloat();
                qMean = qs.div(count).getFloat();
            }
            norm = criticAdam.step(critics, co.gradients(unused));
            // actor update against the updated critics
            Bound ao = new Bound(m, actors, true);
            Bound cNow = new Bound(m, critics, false);
            try (GradientCollector gc = engine.newGradientCollector()) {
                List<NDArray> acts = new ArrayList<>();
                List<NDArray> logitsNow = new ArrayList<>();
                for (RoleData d : roles) {
                    int l = levels[d.role().ordinal()];
                    NDArray lg = logits(ao, d, bs, t).get(new NDIndex(":, 0:" + t)); // [B,T,N,L]
                    float[] gumbel = new float[bs * t * d.n() * l];
                    for (int i = 0; i < gumbel.length; i++) {
                        double u = Math.max(1e-10, rng.nextDouble());
                        gumbel[i] = (float) -Math.log(-Math.log(u));
                    }
                    NDArray soft = lg.add(m.create(gumbel, lg.getShape())).div(Layers.constant(lg, cfg.gumbelTemperature())).softmax(3);
                    NDArray hard = soft.argMax(3).oneHot(l);
                    acts.add(hard.sub(soft).stopGradient().add(soft)); // straight-through
                    logitsNow.add(lg);
                }
                // The pooled joint action is NOT detached (FACMAC's centralised policy gradient, not EPyMARL's MADDPG):
                // every agent of a role shares one actor, so with ā detached each agent learns "lowering my level is
                // harmless while the others hold theirs", all lower together and the service breaks its SLO.
                NDArray pooledNow = pooled(roles, acts, m, bs, t);
                NDArray qsum = null;
                NDArray count = null;
                NDArray reg = null;
                for (int i = 0; i < roles.size(); i++) {
                    RoleData d = roles.get(i);
                    NDArray q = critic(cNow, d, sNow, d.obs().get(new NDIndex(":, 0:" + t)), acts.get(i), pooledNow);
                    NDArray mask = d.mask().expandDims(1);
                    qsum = add(qsum, q.mul(mask).sum());
                    count = add(count, mask.sum().mul((float) t));
                    NDArray lg = logitsNow.get(i);
                    reg = add(reg, lg.mul(lg).mul(mask.expandDims(3)).sum().div(mask.sum().mul((float) (t * levels[d.role().ordinal()]))));
                }
                NDArray loss = qsum.div(count).neg().add(reg.mul(Layers.constant(reg, cfg.logitRegulariser() / roles.size())));
                gc.backward(loss);
                actorLoss = loss.getFloat();
            }
            actorAdam.step(actors, ao.gradients(unused));
        }
        updates++;
        double tau = cfg.tau() > 0 ? cfg.tau() : 0.01;
        actorsTarget.softUpdate(actors, tau);
        criticsTarget.softUpdate(critics, tau);
        return new UpdateStats(criticLoss, qMean, norm, actorLoss);
    }

    private NDArray logits(Bound b, RoleData d, int bs, int t) {
        AgentNet net = nets.get(d.role().ordinal());
        return net.forward(b, d.rows(), d.h0()).reshape(bs, d.n(), t + 1, levels[d.role().ordinal()]).transpose(0, 2, 1, 3);
    }

    /** Per role, the mean one-hot level over its real agents, concatenated over all roles: {@code [B, T, ΣL]}. */
    private NDArray pooled(List<RoleData> roles, List<NDArray> actions, NDManager m, int bs, int t) {
        NDList parts = new NDList();
        int k = 0;
        for (Role role : Role.values()) {
            int l = levels[role.ordinal()];
            if (k < roles.size() && roles.get(k).role() == role) {
                RoleData d = roles.get(k);
                NDArray mask = d.mask().expandDims(1).expandDims(3); // [B,1,N,1]
                NDArray count = d.mask().sum(new int[]{1}).maximum(1f).expandDims(1).expandDims(2); // [B,1,1]
                parts.add(actions.get(k).mul(mask).sum(new int[]{2}).div(count));
                k++;
            } else {
                parts.add(m.zeros(new Shape(bs, t, l)));
            }
        }
        return NDArrays.concat(parts, 2);
    }

    /** {@code Q_r(s, o_i, a_i, ā)} for every agent: {@code [B, T, N]}. */
    private NDArray critic(Bound b, RoleData d, NDArray s, NDArray obs, NDArray act, NDArray pooled) {
        String p = "critic." + d.role().id();
        NDArray shared = NDArrays.concat(new NDList(s, pooled), 2).expandDims(2); // [B,T,1,S+ΣL]
        NDArray own = NDArrays.concat(new NDList(obs, act), 3); // [B,T,N,F+L]
        NDArray x = ai.djl.nn.Activation.relu(Layers.linearSplit(b, p + ".l0", shared, own));
        x = Layers.linearRelu(b, p + ".l1", x);
        return Layers.linear(b, p + ".l2", x).squeeze(3);
    }

    private static NDArray add(NDArray acc, NDArray x) {
        return acc == null ? x : acc.add(x);
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        out.writeLong(updates);
        actors.write(out);
        critics.write(out);
        actorsTarget.write(out);
        criticsTarget.write(out);
        actorAdam.write(out);
        criticAdam.write(out);
    }

    @Override
    public void read(DataInputStream in) throws IOException {
        updates = in.readLong();
        actors.copyFrom(ParamSet.read(in));
        critics.copyFrom(ParamSet.read(in));
        actorsTarget.copyFrom(ParamSet.read(in));
        criticsTarget.copyFrom(ParamSet.read(in));
        actorAdam.read(in);
        criticAdam.read(in);
    }
}
