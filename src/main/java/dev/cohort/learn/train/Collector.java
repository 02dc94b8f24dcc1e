package dev.cohort.learn.train;

import dev.cohort.control.GovernorConfig;
import dev.cohort.control.TickRecord;
import dev.cohort.learn.env.EpisodeDraw;
import dev.cohort.learn.env.MarlEnv;
import dev.cohort.learn.env.ScenarioSampler;
import dev.cohort.learn.env.StateEncoder;
import dev.cohort.learn.env.Variation;
import dev.cohort.learn.nn.AgentForward;
import dev.cohort.learn.nn.AgentNet;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.replay.Chunk;
import dev.cohort.learn.replay.Pairs;
import dev.cohort.learn.replay.ValueTerm;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Runs training episodes and cuts them into replay chunks. Episode {@code j} of a run is fully determined by the
 * run's seed and {@code j}: which scenario (by weight), how it is varied, the simulator seed (≥ 1000, so never an
 * evaluation seed), λ and the exploration draws. Each episode is a fresh machine stepped through the daemon's
 * control tick ({@link MarlEnv}) for {@code episodeTicks + 1} ticks: the extra tick supplies the reward of the last
 * action and the observation to bootstrap from. {@link #run} runs one episode; {@link #runLockstep} an iteration's
 * episodes together, with the same results. Not thread-safe: one thread collects (lockstep collection hands its
 * environments to helper threads of its own within a call).
 */
final class Collector {
    private final TrainConfig cfg;
    private final List<Scenario> bases;
    private final double[] cumulative;
    private final List<AgentNet> nets;
    private final boolean sample;
    private final MarlEnv env;
    private final List<MarlEnv> envs = new ArrayList<>();

    /** What one episode gave. */
    record Episode(int scenario, List<Chunk> chunks, int ticks, double meanReward, double energyJoules, double sloTickShare,
                   int[] agents, long actions, long nonGreedy, Scenario variant, long simSeed, double lambda) {
    }

    Collector(TrainConfig cfg, List<Scenario> bases, double[] weights, List<AgentNet> nets, boolean sample) {
        this.cfg = cfg;
        this.bases = bases;
        this.nets = nets;
        this.sample = sample;
        this.env = new MarlEnv(GovernorConfig.EVALUATION, cfg.reward());
        cumulative = new double[weights.length];
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative[i] = s += weights[i];
        }
        for (int i = 0; i < weights.length; i++) {
            cumulative[i] /= s;
        }
    }

    /** The random stream of episode {@code j}. */
    static SplittableRandom episodeRng(long seed, long j) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + j * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL);
    }

    /** Runs episode {@code j} with the given actor weights and exploration. */
    Episode run(long j, ParamSet actorWeights, double epsilon) {
        SplittableRandom rng = episodeRng(cfg.seed(), j);
        return episode(rng, scenarioOf(rng), cfg.variation(), actorWeights, epsilon, null, env);
    }

    /**
     * Runs demonstration episodes {@code 0 .. count − 1} on {@code threads} threads, each with its own environment and
     * demonstrator ({@code make}), and returns them in order. Episode {@code j} acts on a scenario drawn uniformly from
     * {@code scenarios} (indices into the training scenarios), varied like any training episode (only by the
     * variation's spreads unless the demonstrations are widened), from its own random stream; the learner's networks
     * (weights {@code actorWeights}) run alongside for their hidden states. Which thread runs an episode changes nothing
     * in it: each starts from a reset (or, for the oracle, fresh) demonstrator. With several demonstrators each plays
     * the episode (the same variant, seed and random streams) and the one with the highest mean reward is kept.
     * {@code progress} hears how many episodes are done after each (from any collecting thread).
     */
    List<Episode> demonstrate(int count, ParamSet actorWeights, Supplier<List<Demonstrator>> make,
                              int[] scenarios, int threads, IntConsumer progress) {
        AtomicInteger finished = new AtomicInteger();
        int n = Math.max(1, Math.min(threads, count));
        Episode[] out = new Episode[count];
        AtomicInteger next = new AtomicInteger();
        List<MarlEnv> on = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            on.add(lockstepEnv(i));
        }
        try (var pool = Executors.newFixedThreadPool(n)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                MarlEnv env = on.get(i);
                done.add(pool.submit(() -> {
                    List<Demonstrator> ds = make.get();
                    try {
                        for (int j = next.getAndIncrement(); j < count; j = next.getAndIncrement()) {
                            for (Demonstrator d : ds) {
                                Episode e = demonstration(j, actorWeights, d, scenarios, env);
                                if (out[j] == null || e.meanReward() > out[j].meanReward()) {
                                    out[j] = e;
                                }
                            }
                            progress.accept(finished.incrementAndGet());
                        }
                    } catch (RuntimeException e) {
                        next.set(count); // the other threads stop after their episode under way
                        throw e;
                    } finally {
                        ds.forEach(Demonstrator::close);
                    }
                }));
            }
            for (var f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while collecting demonstrations", e);
        }
        return List.of(out);
    }

    private Episode demonstration(long j, ParamSet actorWeights, Demonstrator demonstrator, int[] scenarios, MarlEnv on) {
        SplittableRandom rng = episodeRng(cfg.seed() ^ DEMONSTRATION_STREAM, j);
        int sc = scenarios[rng.nextInt(scenarios.length)];
        Variation v = cfg.demonstrations().widened() ? cfg.variation() : cfg.variation().spreadsOnly();
        return episode(rng, sc, v, actorWeights, 0, demonstrator, on);
    }

    /** Salt of the demonstrations' random streams, apart from the training episodes'. */
    private static final long DEMONSTRATION_STREAM = 0x6A09E667F3BCC909L;

    private Episode episode(SplittableRandom rng, int sc, Variation variation, ParamSet actorWeights, double epsilon,
                            Demonstrator demonstrator, MarlEnv on) {
        Running e = start(rng, sc, variation, forwards(actorWeights), epsilon, demonstrator, on);
        try {
            for (int t = 0; t < e.ticks; t++) {
                if (e.pairs == null) {
                    e.stepped(t, on.step(e.actor));
                    continue;
                }
                Observations o = on.begin(); // as step does, with the branches between the choice and the tick's end
                Decision d = Decision.noChange(o);
                e.actor.act(o, d);
                e.branch(t, o, d);
                e.stepped(t, on.finish(d));
            }
        } finally {
            if (demonstrator != null) {
                demonstrator.episodeEnded();
            }
        }
        return e.end();
    }

    /** Each role's acting network with {@code weights}. */
    private List<AgentForward> forwards(ParamSet weights) {
        List<AgentForward> forwards = new ArrayList<>();
        for (AgentNet n : nets) {
            forwards.add(new AgentForward(n, weights));
        }
        return forwards;
    }

    /** The scenario episode {@code j}'s stream draws first, by weight. */
    int scenarioOf(SplittableRandom rng) {
        double u = rng.nextDouble();
        int sc = 0;
        while (sc < cumulative.length - 1 && u >= cumulative[sc]) {
            sc++;
        }
        return sc;
    }

    /**
     * Draws the episode's variant, simulator seed and λ from {@code rng} (in this order: the stream is the episode's
     * identity), resets {@code on} to it and returns the episode under way.
     */
    private Running start(SplittableRandom rng, int sc, Variation variation, List<AgentForward> forwards, double epsilon,
                          Demonstrator demonstrator, MarlEnv on) {
        Scenario variant = ScenarioSampler.sample(bases.get(sc), variation, rng.split());
        long simSeed = TrainConfig.FIRST_TRAINING_SEED + (rng.nextLong() & 0xFFFF_FFFF_FFFFL);
        double lambda = cfg.lambdaRange()[0] == cfg.lambdaRange()[1] ? cfg.lambdaRange()[0]
                : rng.nextDouble(cfg.lambdaRange()[0], cfg.lambdaRange()[1]);
        int ticks = cfg.episodeTicks() + 1;
        on.reset(variant, simSeed, lambda); // draws nothing: the actor's stream below is the same as before
        ExploringActor actor = new ExploringActor(forwards, sample, epsilon, rng.split(), ticks, cfg.chunkTicks(),
                demonstrator == null ? null : demonstrator.open(on));
        PairedBranches pairs = cfg.learner().paired().on() && demonstrator == null // its own stream, after every other draw
                ? new PairedBranches(cfg.learner().paired(), cfg.learner().gamma(), rng.split(), cfg.episodeTicks(),
                        cfg.reward().beta() * lambda) : null;
        return new Running(sc, variant, simSeed, lambda, actor, ticks, on, pairs);
    }

    /** An episode under way: its environment, its recorder and what its ticks earned so far. */
    final class Running {
        final int sc;
        final Scenario variant;
        final long simSeed;
        final double lambda;
        final ExploringActor actor;
        final int ticks;
        final MarlEnv env;
        /** The episode's paired advantages (null: not branched). */
        final PairedBranches pairs;
        final float[] rewards = new float[cfg.episodeTicks()];
        final float[][] terms = new float[ValueTerm.values().length][cfg.episodeTicks()];
        /** With domain credit: per tick, each frequency-domain agent's {@code β·λ·(E − E_i)}; else null. */
        float[] credit;
        double[] coreJoules;
        double energy;
        int over;

        Running(int sc, Scenario variant, long simSeed, double lambda, ExploringActor actor, int ticks, MarlEnv env,
                PairedBranches pairs) {
            this.pairs = pairs;
            this.sc = sc;
            this.variant = variant;
            this.simSeed = simSeed;
            this.lambda = lambda;
            this.actor = actor;
            this.ticks = ticks;
            this.env = env;
        }

        /** Between tick {@code t}'s choice {@code d} and its end: branches it if it is a tick to branch. */
        void branch(int t, Observations o, Decision d) {
            if (pairs != null) {
                pairs.at(t, env, o, d);
            }
        }

        /** Tick {@code t}'s record: tick 0 only acts; tick {@code t > 0} earns the reward of tick {@code t − 1}'s actions. */
        void stepped(int t, TickRecord rec) {
            if (rec.fallback()) {
                throw new IllegalStateException("the learner's policy failed in tick " + rec.tick() + ": " + rec.notes());
            }
            if (t > 0) {
                rewards[t - 1] = (float) rec.reward().reward(); // the consequence of tick t−1's actions
                terms[ValueTerm.ENERGY.ordinal()][t - 1] = (float) (-cfg.reward().beta() * lambda * rec.reward().energy());
                terms[ValueTerm.PROGRESS.ordinal()][t - 1] = (float) (cfg.reward().delta() * rec.reward().progress());
                energy += Double.isNaN(rec.packageWatts()) ? 0 : rec.packageWatts() * rec.seconds();
                over += rec.sloViolated() ? 1 : 0;
            }
            if (cfg.domainEnergyCredit()) {
                credit(t, rec);
            }
        }

        /** Each frequency-domain agent's own energy over the interval {@code rec}'s reward covers, in place of the package's. */
        private void credit(int t, TickRecord rec) {
            double[] now = env.coreDomainJoules();
            if (t > 0) {
                int n = now.length;
                if (credit == null) {
                    credit = new float[cfg.episodeTicks() * n];
                }
                double perShare = env.machine().peakPackageWatts() * rec.seconds(); // the reward's TDP × tick
                double price = cfg.reward().beta() * lambda;
                for (int i = 0; i < n; i++) {
                    double own = (now[i] - coreJoules[i]) / perShare;
                    credit[(t - 1) * n + i] = (float) (price * (rec.reward().energy() - own));
                }
            }
            coreJoules = now;
        }

        /** The finished episode, cut into chunks. */
        Episode end() {
            List<Chunk> chunks = cut(actor, rewards, terms, credit, sc, pairs, EpisodeDraw.of(bases.get(sc), variant).code());
            double mean = 0;
            for (float r : rewards) {
                mean += r;
            }
            return new Episode(sc, chunks, cfg.episodeTicks(), mean / rewards.length, energy, (double) over / rewards.length,
                    actor.agents.clone(), actor.taken, actor.nonGreedy, variant, simSeed, lambda);
        }
    }

    /**
     * What an iteration's episodes gave.
     *
     * @param seconds     wall-clock time collecting them
     * @param meanReward  reward per tick over all of them
     * @param sloShare    share of their ticks over the SLO
     * @param exploration share of their actions that were not the greedy level
     */
    record Iteration(List<Episode> episodes, long ticks, double seconds, double meanReward, double sloShare, double exploration) {
    }

    /**
     * Episodes {@code first .. first + count − 1}: in lockstep on {@code threads} threads, or (threads 0) one after
     * another, with the same results.
     */
    Iteration iteration(long first, int count, ParamSet actorWeights, double epsilon, int threads) {
        long t0 = System.nanoTime();
        List<Episode> episodes = new ArrayList<>();
        if (threads == 0) {
            for (int i = 0; i < count; i++) {
                episodes.add(run(first + i, actorWeights, epsilon));
            }
        } else {
            episodes = runLockstep(first, count, actorWeights, epsilon, threads);
        }
        long ticks = 0;
        double reward = 0;
        double slo = 0;
        long acts = 0;
        long explored = 0;
        for (Episode e : episodes) {
            ticks += e.ticks();
            reward += e.meanReward() * e.ticks();
            slo += e.sloTickShare() * e.ticks();
            acts += e.actions();
            explored += e.nonGreedy();
        }
        return new Iteration(episodes, ticks, (System.nanoTime() - t0) / 1e9, reward / ticks, slo / ticks,
                acts == 0 ? 0 : (double) explored / acts);
    }

    /** Environments for lockstep collection, one per episode of an iteration, kept from iteration to iteration. */
    MarlEnv lockstepEnv(int i) {
        while (envs.size() <= i) {
            envs.add(new MarlEnv(GovernorConfig.EVALUATION, cfg.reward()));
        }
        return envs.get(i);
    }

    /**
     * Episodes {@code first .. first + count − 1} in lockstep ({@link Lockstep}): the same episodes, bit for bit, as
     * {@link #run} one after another, with one forward pass per role per tick over all their agents, and their
     * environments stepped on {@code threads} threads.
     */
    List<Episode> runLockstep(long first, int count, ParamSet actorWeights, double epsilon, int threads) {
        List<AgentForward> forwards = forwards(actorWeights);
        List<Running> running = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SplittableRandom rng = episodeRng(cfg.seed(), first + i);
            int sc = scenarioOf(rng);
            running.add(start(rng, sc, cfg.variation(), forwards, epsilon, null, lockstepEnv(i)));
        }
        new Lockstep(running, forwards, threads).run();
        List<Episode> out = new ArrayList<>(count);
        for (Running e : running) {
            out.add(e.end());
        }
        return out;
    }

    private List<Chunk> cut(ExploringActor a, float[] rewards, float[][] terms, float[] credit, int sc, PairedBranches pairs, int draw) {
        int len = cfg.chunkTicks();
        int roles = Role.values().length;
        int s = StateEncoder.size();
        List<Chunk> out = new ArrayList<>();
        for (int c = 0; c < cfg.episodeTicks() / len; c++) {
            int t0 = c * len;
            float[][] obs = new float[roles][];
            float[][] hid = new float[roles][];
            int[][] act = new int[roles][];
            for (int r = 0; r < roles; r++) {
                int n = a.agents[r];
                int f = a.features[r];
                obs[r] = java.util.Arrays.copyOfRange(a.obs[r], t0 * n * f, (t0 + len + 1) * n * f);
                int h = nets.get(r).recurrent() ? nets.get(r).hidden() : 0;
                hid[r] = java.util.Arrays.copyOfRange(a.hiddenAtChunk[r], c * n * h, (c + 1) * n * h);
                act[r] = java.util.Arrays.copyOfRange(a.actions[r], t0 * n, (t0 + len) * n);
            }
            float[][] own = Chunk.noCredit(roles);
            if (credit != null) {
                int n = a.agents[Role.CORE.ordinal()];
                own[Role.CORE.ordinal()] = java.util.Arrays.copyOfRange(credit, t0 * n, (t0 + len) * n);
            }
            out.add(new Chunk(len, a.agents.clone(), obs, hid, act, java.util.Arrays.copyOfRange(rewards, t0, t0 + len),
                    termsOf(terms, t0, len), java.util.Arrays.copyOfRange(a.state, t0 * s, (t0 + len + 1) * s), sc, own,
                    pairs == null ? Pairs.none(roles) : pairs.of(t0, len), draw));
        }
        return out;
    }

    private static float[][] termsOf(float[][] terms, int t0, int len) {
        float[][] out = new float[terms.length][];
        for (int i = 0; i < terms.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(terms[i], t0, t0 + len);
        }
        return out;
    }
}
