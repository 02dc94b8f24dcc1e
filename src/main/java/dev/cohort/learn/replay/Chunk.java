package dev.cohort.learn.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A stretch of {@code steps} consecutive ticks of one episode, the unit of replay (a pseudo-episode of a
 * continuing task: it ends by truncation, so learners bootstrap from the state after its last step). Per role
 * (in {@link dev.cohort.policy.Role} order): the observations of {@code steps + 1} ticks (the last one only for
 * bootstrapping), the actors' hidden state before the first tick (R2D2's stored state), and the level each agent
 * chose; and per step the shared reward that followed the step's actions and the global state. Immutable once
 * built.
 *
 * @param steps    ticks with an action and a reward
 * @param agents   agents per role
 * @param obs      per role, {@code (steps + 1) × agents × features}
 * @param hidden   per role, {@code agents × hiddenSize} (empty when the actors are feed-forward)
 * @param actions  per role, {@code steps × agents}
 * @param rewards  {@code steps} raw rewards: {@code rewards[t]} is the reward of the tick after the actions of tick {@code t}
 * @param terms    per {@link ValueTerm} (in its order), {@code steps} values: that term's part of each of those rewards
 *                 ({@code −β·λ·E}, {@code δ·P}), for learners that value terms apart
 * @param state    {@code (steps + 1) × stateSize}
 * @param scenario index of the training scenario it came from
 * @param credit   per role, empty, or {@code steps × agents}: what each agent's own reward adds to the shared one
 *                 (frequency-domain agents credited with their own domain's energy: {@code β·λ·(E − E_i)}); empty
 *                 when every agent learns from the shared reward
 * @param pairs    the paired advantages measured in it ({@link Pairs#none} without branching)
 * @param draw     how its episode's scenario was drawn from its file ({@link dev.cohort.learn.env.EpisodeDraw#code}), or
 *                 {@link dev.cohort.learn.env.EpisodeDraw#UNKNOWN}
 */
public record Chunk(int steps, int[] agents, float[][] obs, float[][] hidden, int[][] actions, float[] rewards,
                   float[][] terms, float[] state, int scenario, float[][] credit, Pairs pairs, int draw) {

    public Chunk {
        if (pairs.tried().length != agents.length) {
            throw new IllegalArgumentException("a chunk of " + agents.length + " roles with pairs for " + pairs.tried().length);
        }
        for (int r = 0; r < agents.length; r++) {
            if (pairs.tried()[r].length != 0 && pairs.tried()[r].length != steps * agents[r]) {
                throw new IllegalArgumentException("a chunk of " + steps + " steps and " + agents[r] + " agents with "
                        + pairs.tried()[r].length + " paired agent-steps");
            }
        }
        if (credit.length != agents.length) {
            throw new IllegalArgumentException("a chunk of " + agents.length + " roles with credit for " + credit.length);
        }
        for (int r = 0; r < agents.length; r++) {
            if (credit[r].length != 0 && credit[r].length != steps * agents[r]) {
                throw new IllegalArgumentException("a chunk of " + steps + " steps and " + agents[r] + " agents with "
                        + credit[r].length + " credits");
            }
        }
        if (rewards.length != steps || terms.length != ValueTerm.values().length) {
            throw new IllegalArgumentException("a chunk of " + steps + " steps with " + rewards.length + " rewards and "
                    + terms.length + " terms");
        }
        for (float[] t : terms) {
            if (t.length != steps) {
                throw new IllegalArgumentException("a chunk of " + steps + " steps with a term of " + t.length);
            }
        }
    }

    /** A chunk whose episode's draw is not known. */
    public Chunk(int steps, int[] agents, float[][] obs, float[][] hidden, int[][] actions, float[] rewards,
                 float[][] terms, float[] state, int scenario, float[][] credit, Pairs pairs) {
        this(steps, agents, obs, hidden, actions, rewards, terms, state, scenario, credit, pairs, 0);
    }

    /** A chunk with no paired advantages. */
    public Chunk(int steps, int[] agents, float[][] obs, float[][] hidden, int[][] actions, float[] rewards,
                 float[][] terms, float[] state, int scenario, float[][] credit) {
        this(steps, agents, obs, hidden, actions, rewards, terms, state, scenario, credit, Pairs.none(agents.length));
    }

    /** A chunk whose agents all learn from the shared reward. */
    public Chunk(int steps, int[] agents, float[][] obs, float[][] hidden, int[][] actions, float[] rewards,
                 float[][] terms, float[] state, int scenario) {
        this(steps, agents, obs, hidden, actions, rewards, terms, state, scenario, noCredit(agents.length));
    }

    /** A chunk whose rewards keep no terms (tests, and chunks from checkpoints before terms were kept): all 0. */
    public Chunk(int steps, int[] agents, float[][] obs, float[][] hidden, int[][] actions, float[] rewards, float[] state,
                 int scenario) {
        this(steps, agents, obs, hidden, actions, rewards, new float[ValueTerm.values().length][rewards.length], state, scenario);
    }

    /** Per role, no credit. */
    public static float[][] noCredit(int roles) {
        float[][] none = new float[roles][];
        java.util.Arrays.fill(none, new float[0]);
        return none;
    }

    /** Each step's part of the reward from {@code term}. */
    public float[] term(ValueTerm term) {
        return terms[term.ordinal()];
    }

    /** Each step's reward without the terms {@code apart}: {@code rewards[t] − Σ term[t]}. */
    public float[] rest(java.util.List<ValueTerm> apart) {
        float[] v = rewards.clone();
        for (ValueTerm term : apart) {
            float[] p = term(term);
            for (int t = 0; t < steps; t++) {
                v[t] -= p[t];
            }
        }
        return v;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(steps);
        out.writeInt(scenario);
        out.writeInt(agents.length);
        for (int r = 0; r < agents.length; r++) {
            out.writeInt(agents[r]);
            writeFloats(out, obs[r]);
            writeFloats(out, hidden[r]);
            out.writeInt(actions[r].length);
            for (int a : actions[r]) {
                out.writeByte(a);
            }
        }
        writeFloats(out, rewards);
        for (float[] t : terms) {
            writeFloats(out, t);
        }
        writeFloats(out, state);
        for (float[] c : credit) {
            writeFloats(out, c);
        }
        for (int r = 0; r < agents.length; r++) {
            out.writeInt(pairs.tried()[r].length);
            for (int level : pairs.tried()[r]) {
                out.writeByte(level);
            }
            writeFloats(out, pairs.gap()[r]);
            writeFloats(out, pairs.energy()[r]);
        }
        out.writeFloat(pairs.episode());
        out.writeByte(draw);
    }

    /**
     * Reads a chunk {@link #write} wrote; {@code withTerms} false for one written before terms were kept, {@code withCredit}
     * false for one written before credit was, {@code withPairs} false for one written before paired advantages were,
     * {@code withPairEnergy} false for one written before their energy parts were, {@code withDraw} false for one written
     * before its episode's draw was.
     */
    static Chunk read(DataInputStream in, boolean withTerms, boolean withCredit, boolean withPairs, boolean withPairEnergy,
                      boolean withDraw) throws IOException {
        int steps = in.readInt();
        int scenario = in.readInt();
        int roles = in.readInt();
        int[] agents = new int[roles];
        float[][] obs = new float[roles][];
        float[][] hidden = new float[roles][];
        int[][] actions = new int[roles][];
        for (int r = 0; r < roles; r++) {
            agents[r] = in.readInt();
            obs[r] = readFloats(in);
            hidden[r] = readFloats(in);
            actions[r] = new int[in.readInt()];
            for (int i = 0; i < actions[r].length; i++) {
                actions[r][i] = in.readByte();
            }
        }
        float[] rewards = readFloats(in);
        float[][] terms = new float[ValueTerm.values().length][];
        for (int i = 0; i < terms.length; i++) {
            terms[i] = withTerms ? readFloats(in) : new float[rewards.length];
        }
        float[] state = readFloats(in);
        float[][] credit = noCredit(roles);
        for (int r = 0; withCredit && r < roles; r++) {
            credit[r] = readFloats(in);
        }
        Pairs pairs = Pairs.none(roles);
        for (int r = 0; withPairs && r < roles; r++) {
            pairs.tried()[r] = new int[in.readInt()];
            for (int i = 0; i < pairs.tried()[r].length; i++) {
                pairs.tried()[r][i] = in.readByte();
            }
            pairs.gap()[r] = readFloats(in);
            pairs.energy()[r] = withPairEnergy ? readFloats(in) : new float[0];
        }
        pairs = withPairs ? new Pairs(pairs.tried(), pairs.gap(), pairs.energy(), in.readFloat()) : pairs;
        int draw = withDraw ? in.readUnsignedByte() : 0;
        return new Chunk(steps, agents, obs, hidden, actions, rewards, terms, state, scenario, credit, pairs, draw);
    }

    static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        byte[] b = new byte[v.length * 4];
        java.nio.ByteBuffer.wrap(b).asFloatBuffer().put(v);
        out.write(b);
    }

    static float[] readFloats(DataInputStream in) throws IOException {
        int n = in.readInt();
        byte[] b = new byte[n * 4];
        in.readFully(b);
        float[] v = new float[n];
        java.nio.ByteBuffer.wrap(b).asFloatBuffer().get(v);
        return v;
    }
}
