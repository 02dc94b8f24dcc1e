package dev.cohort.learn.train;

import dev.cohort.learn.env.MarlEnv;
import dev.cohort.learn.env.StateEncoder;
import dev.cohort.learn.nn.AgentForward;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The behaviour policy of one episode, recording as it acts: each tick it copies every agent's observation and the
 * global state, runs each role's network (plain Java, a snapshot of the learner's weights) with the agents' hidden
 * states, and picks levels: ε-greedy over Q-values, or for MADDPG a uniform level with probability ε, else a sample from {@code softmax(logits)}. It keeps
 * the hidden state every agent had at the start of each chunk (the stored state replay unrolls from). {@link #act} does
 * all three; lockstep collection calls {@link #record} and {@link #choose} around one forward pass over many episodes'
 * agents, with the same results.
 */
final class ExploringActor implements MarlEnv.Actor {
    private final List<AgentForward> nets;
    private final boolean sample;
    private final double epsilon;
    private final RandomGenerator rng;
    private final int ticks;
    private final int chunk;
    private final int stateSize = StateEncoder.size();
    private final Policy demonstrator;
    final int[] agents = new int[Role.values().length];
    final int[] features = new int[Role.values().length];
    final float[][] obs = new float[Role.values().length][];
    final float[][] hiddenAtChunk = new float[Role.values().length][];
    final int[][] actions = new int[Role.values().length][];
    final float[] state;
    private final float[][] hidden = new float[Role.values().length][];
    private final float[][] out = new float[Role.values().length][];
    private int t;
    private boolean started;
    /** Actions taken and how many of them were not the greedy level. */
    long taken;
    long nonGreedy;

    /**
     * @param nets    per role, the network acting for it
     * @param sample  sample from softmax(outputs) instead of ε-greedy
     * @param ticks   ticks the episode will record
     * @param chunk   ticks per chunk
     */
    ExploringActor(List<AgentForward> nets, boolean sample, double epsilon, RandomGenerator rng, int ticks, int chunk) {
        this(nets, sample, epsilon, rng, ticks, chunk, null);
    }

    /**
     * A recorder whose levels come from {@code demonstrator} (null: from the networks). The networks still run, so the
     * recorded hidden states are the learner's own, as replay needs; a level the demonstrator leaves unchanged is
     * recorded as the knob's present level.
     */
    ExploringActor(List<AgentForward> nets, boolean sample, double epsilon, RandomGenerator rng, int ticks, int chunk,
                   Policy demonstrator) {
        this.demonstrator = demonstrator;
        this.nets = nets;
        this.sample = sample;
        this.epsilon = epsilon;
        this.rng = rng;
        this.ticks = ticks;
        this.chunk = chunk;
        this.state = new float[ticks * stateSize];
    }

    /** Ticks recorded so far. */
    int recorded() {
        return t;
    }

    @Override
    public void act(Observations o, Decision d) {
        record(o);
        for (Role r : Role.values()) {
            int ri = r.ordinal();
            if (agents[ri] > 0) {
                nets.get(ri).step(o.role(r).data(), agents[ri], hidden[ri], out[ri]);
            }
        }
        choose(o, d);
    }

    /**
     * The first part of {@link #act}: checks this tick's agents against the episode's and the networks', and keeps the
     * observations (and, at a chunk's start, the hidden states). Then each role's network runs, here or batched with
     * other episodes' agents ({@link #hidden(int)}, {@link #out(int)}), and {@link #choose} picks the levels.
     */
    void record(Observations o) {
        if (t >= ticks) {
            throw new IllegalStateException("episode recorder full after " + ticks + " ticks");
        }
        for (Role r : Role.values()) {
            int ri = r.ordinal();
            RoleObservations ro = o.role(r);
            int n = ro.agents();
            AgentForward net = nets.get(ri);
            int f = ro.spec().size();
            int h = net.net().recurrent() ? net.net().hidden() : 0;
            int levels = net.net().outputs();
            if (!started) {
                agents[ri] = n;
                features[ri] = f;
                obs[ri] = new float[ticks * n * f];
                actions[ri] = new int[ticks * n];
                hidden[ri] = new float[n * Math.max(1, h)];
                hiddenAtChunk[ri] = new float[(ticks / chunk + 1) * n * h];
                out[ri] = new float[n * levels];
            } else if (agents[ri] != n) {
                throw new IllegalStateException(r.id() + " agents changed from " + agents[ri] + " to " + n + " within an episode");
            }
            if (n == 0) {
                continue;
            }
            if (ro.actions().levels() != levels) {
                throw new IllegalStateException("the host has " + ro.actions().levels() + " " + r.id()
                        + " levels, the network " + levels);
            }
            System.arraycopy(ro.data(), 0, obs[ri], t * n * f, n * f);
            if (h > 0 && t % chunk == 0) {
                System.arraycopy(hidden[ri], 0, hiddenAtChunk[ri], (t / chunk) * n * h, n * h);
            }
        }
        started = true;
    }

    /** Role {@code ri}'s hidden states, {@code agents × hidden}: the forward pass reads and replaces them. */
    float[] hidden(int ri) {
        return hidden[ri];
    }

    /** Role {@code ri}'s network outputs of this tick, {@code agents × levels}: the forward pass writes them. */
    float[] out(int ri) {
        return out[ri];
    }

    /** The last part of {@link #act}: the levels from this tick's outputs (drawing exploration from this episode's stream). */
    void choose(Observations o, Decision d) {
        Decision shown = demonstrator == null ? null : demonstrator.decide(o);
        for (Role r : Role.values()) {
            int ri = r.ordinal();
            int n = agents[ri];
            if (n == 0) {
                continue;
            }
            int levels = nets.get(ri).net().outputs();
            int[] chosen = d.levels(r);
            for (int a = 0; a < n; a++) {
                int level = shown != null ? demonstrated(shown.levels(r)[a], o.role(r).currentLevel(a), levels)
                        : sample ? epsilonSample(out[ri], a * levels, levels) : epsilonGreedy(out[ri], a * levels, levels);
                taken++;
                if (level != argmax(out[ri], a * levels, levels)) {
                    nonGreedy++;
                }
                chosen[a] = level;
                actions[ri][t * n + a] = level;
            }
        }
        StateEncoder.encode(o, state, t * stateSize);
        t++;
    }

    private static int demonstrated(int level, int current, int levels) {
        return level >= 0 && level < levels ? level : current;
    }

    private int epsilonGreedy(float[] v, int off, int n) {
        if (epsilon > 0 && rng.nextDouble() < epsilon) {
            return rng.nextInt(n);
        }
        return argmax(v, off, n);
    }

    /**
     * A uniform level with probability ε, else a sample from the softmax: once an actor's logits saturate its
     * softmax no longer explores, and the critic would then see one action only.
     */
    private int epsilonSample(float[] v, int off, int n) {
        if (epsilon > 0 && rng.nextDouble() < epsilon) {
            return rng.nextInt(n);
        }
        return sampleSoftmax(v, off, n);
    }

    private int sampleSoftmax(float[] v, int off, int n) {
        float max = v[off + argmax(v, off, n)];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(v[off + i] - max);
        }
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < n; i++) {
            u -= Math.exp(v[off + i] - max);
            if (u <= 0) {
                return i;
            }
        }
        return n - 1;
    }

    /** The first index of the largest value (lowest level on ties, as {@code OnnxPolicy} decodes). */
    static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
