package dev.cohort.learn.replay;

import java.util.List;

/**
 * Chunks stacked for one update, each role padded to the largest agent count in the batch with a mask (so
 * scenarios with 8 and 16 core agents, or with and without memory and quota agents, share a batch). Row-major
 * float arrays, ready to become engine tensors. Roles are in {@link dev.cohort.policy.Role} order; a role no
 * chunk has gets {@code agents[r] == 0}.
 */
public final class Batch {
    /** Chunks. */
    public final int size;
    /** Steps per chunk. */
    public final int steps;
    /** Padded agent count per role. */
    public final int[] agents;
    /** Observation width per role. */
    public final int[] features;
    /** Action levels per role. */
    public final int[] levels;
    /** Hidden-state width per role (0 for feed-forward actors). */
    public final int[] hidden;
    /** Per role {@code [size, steps + 1, agents, features]}. */
    public final float[][] obs;
    /** Per role {@code [size, agents]}: 1 for a real agent, 0 for padding. */
    public final float[][] mask;
    /** Per role {@code [size, agents, hidden]}. */
    public final float[][] h0;
    /** Per role {@code [size, steps, agents, levels]}: one-hot chosen levels (zeros for padding). */
    public final float[][] actionsOneHot;
    /**
     * {@code [size, steps]}, scaled by the {@link RewardScaler}: the whole reward, or, when terms are valued apart,
     * the reward without them.
     */
    public final float[] rewards;
    /** The terms valued apart, in {@link ValueTerm} order (empty when none are). */
    public final java.util.List<ValueTerm> apart;
    /** Per term valued apart, {@code [size, steps]}: its part of each reward, scaled by its own scaler. */
    public final float[][] termRewards;
    /**
     * Per role, null when no chunk credits its agents, else {@code [size, steps, agents]}: what each agent's own reward
     * adds to the shared one ({@link Chunk#credit}), scaled by the reward's scale (0 for padding and uncredited chunks).
     */
    public final float[][] credit;
    /** {@code [size, steps + 1, stateSize]}. */
    public final float[] state;
    /** Width of the global state. */
    public final int stateSize;
    /** {@code [size]}: 1 for a chunk a demonstrator acted in, else 0. */
    public final float[] demo;
    /** How many chunks are demonstrations (the last ones). */
    public final int demoChunks;
    /**
     * Per role, null when no chunk has a paired advantage of its agents ({@link Chunk#pairs}), else
     * {@code [size, steps, agents, levels]}: +1 at the level tried in the branch and −1 at the level taken, where an
     * agent-step was branched, else 0.
     */
    public final float[][] pairSigns;
    /**
     * Per role, null as {@link #pairSigns}, else {@code [size, steps, agents]}: the paired difference in reward, scaled by
     * the chunk's reward scale (the units of the values acted on) or its scenario's or episode's size of a pair
     * ({@link PairScale}), where branched, else 0.
     */
    public final float[][] pairGaps;
    /**
     * Per role, null as {@link #pairSigns}, else {@code [size, steps, agents]}: each branched agent-step's weight in the
     * paired loss (1, or its scenario's balance), 0 elsewhere.
     */
    public final float[][] pairMask;
    /**
     * With energy valued apart and pairs alone ({@link PairParts}), per role, null as {@link #pairSigns}: each pair's
     * energy part, in the units of the energy term's scaled rewards (its group of heads' units), and its weight; then
     * {@link #pairGaps} and {@link #pairMask} hold the rest, in the rest's units. Null arrays otherwise.
     */
    public final float[][] energyGaps;
    public final float[][] energyMask;
    /** Branched agent-steps in the batch. */
    public final int pairCount;

    /**
     * How the parts of each pair are sized when energy is valued apart and pairs fitted alone: each part's gap is put in
     * its group of heads' units (its rewards' scale), so the served values, the rest's plus the energy's weighed by
     * {@code termWeights}, add up in one unit, and each pair's squared error is weighed by (that unit / the part's size
     * in the pair's state)², which is dividing the part by its state's size as {@link PairScale} does for a whole pair.
     * A state's size is never taken under a twentieth of the run's for that part: a state whose rests are all zero would
     * otherwise ask for exact zeros at an unbounded weight.
     *
     * @param rest   the sizes of the pairs' rests
     * @param energy the sizes of their energy parts
     */
    public record PairParts(PairScaler rest, PairScaler energy) {
        /** The floor on a state's size, as a share of the run's. */
        static final double FLOOR = 0.05;
    }

    /**
     * Stacks {@code chunks}.
     *
     * @param features observation width per role
     * @param levels   action levels per role
     * @param hidden   actors' hidden width per role (0 when feed-forward)
     */
    public Batch(List<Chunk> chunks, int[] features, int[] levels, int[] hidden, int stateSize, RewardScaler scaler) {
        this(chunks, features, levels, hidden, stateSize, scaler, 0);
    }

    /**
     * Stacks {@code chunks}, of which the last {@code demoChunks} are demonstrations.
     *
     * @param features observation width per role
     * @param levels   action levels per role
     * @param hidden   actors' hidden width per role (0 when feed-forward)
     */
    public Batch(List<Chunk> chunks, int[] features, int[] levels, int[] hidden, int stateSize, RewardScaler scaler, int demoChunks) {
        this(chunks, features, levels, hidden, stateSize, scaler, List.of(), new RewardScaler[0], demoChunks);
    }

    /**
     * Stacks {@code chunks}, of which the last {@code demoChunks} are demonstrations, with the terms {@code apart}
     * valued apart: {@code scaler} scales each reward without them and {@code termScalers} (one per {@link ValueTerm},
     * in its order) each term.
     */
    public Batch(List<Chunk> chunks, int[] features, int[] levels, int[] hidden, int stateSize, RewardScaler scaler,
                 List<ValueTerm> apart, RewardScaler[] termScalers, int demoChunks) {
        this(chunks, features, levels, hidden, stateSize, scaler, apart, termScalers, demoChunks, PairScale.REWARD,
                null);
    }

    /**
     * The same, with each chunk's paired differences divided by the reward's scale, as its rewards, or (with
     * {@code pairScaler}'s statistics) by its scenario's or its episode's size of a pair.
     */
    public Batch(List<Chunk> chunks, int[] features, int[] levels, int[] hidden, int stateSize, RewardScaler scaler,
                 List<ValueTerm> apart, RewardScaler[] termScalers, int demoChunks, PairScale pairScale,
                 PairScaler pairScaler) {
        this(chunks, features, levels, hidden, stateSize, scaler, apart, termScalers, demoChunks,
                java.util.Collections.nCopies(features.length, pairScale).toArray(PairScale[]::new), pairScaler);
    }

    /** The same, with each role's pairs divided as {@code pairScales} (one per role, in the roles' order) says. */
    public Batch(List<Chunk> chunks, int[] features, int[] levels, int[] hidden, int stateSize, RewardScaler scaler,
                 List<ValueTerm> apart, RewardScaler[] termScalers, int demoChunks, PairScale[] pairScales,
                 PairScaler pairScaler) {
        this(chunks, features, levels, hidden, stateSize, scaler, apart, termScalers, demoChunks, pairScales, pairScaler,
                false);
    }

    /**
     * The same; {@code balanced}: each pair weighs {@link PairScaler#balanceWeight} of its scenario in the paired loss
     * ({@link #pairMask}), so every training scenario counts alike.
     */
    public Batch(List<Chunk> chunks, int[] features, int[] levels, int[] hidden, int stateSize, RewardScaler scaler,
                 List<ValueTerm> apart, RewardScaler[] termScalers, int demoChunks, PairScale[] pairScales,
                 PairScaler pairScaler, boolean balanced) {
        this(chunks, features, levels, hidden, stateSize, scaler, apart, termScalers, demoChunks, pairScales, pairScaler,
                balanced, null);
    }

    /** The same; {@code parts} non-null: each pair's energy part and rest apart ({@link #energyGaps}). */
    public Batch(List<Chunk> chunks, int[] features, int[] levels, int[] hidden, int stateSize, RewardScaler scaler,
                 List<ValueTerm> apart, RewardScaler[] termScalers, int demoChunks, PairScale[] pairScales,
                 PairScaler pairScaler, boolean balanced, PairParts parts) {
        if (demoChunks < 0 || demoChunks > chunks.size()) {
            throw new IllegalArgumentException(demoChunks + " demonstration chunks in a batch of " + chunks.size());
        }
        this.size = chunks.size();
        this.demoChunks = demoChunks;
        demo = new float[size];
        java.util.Arrays.fill(demo, size - demoChunks, size, 1f);
        this.steps = chunks.getFirst().steps();
        int roles = features.length;
        this.features = features.clone();
        this.levels = levels.clone();
        this.hidden = hidden.clone();
        this.stateSize = stateSize;
        agents = new int[roles];
        for (Chunk c : chunks) {
            if (c.steps() != steps) {
                throw new IllegalArgumentException("chunks of " + c.steps() + " and " + steps + " steps in one batch");
            }
            for (int r = 0; r < roles; r++) {
                agents[r] = Math.max(agents[r], c.agents()[r]);
            }
        }
        obs = new float[roles][];
        mask = new float[roles][];
        h0 = new float[roles][];
        actionsOneHot = new float[roles][];
        for (int r = 0; r < roles; r++) {
            stack(chunks, r);
        }
        credit = credit(chunks, scaler);
        pairSigns = new float[roles][];
        pairGaps = new float[roles][];
        pairMask = new float[roles][];
        energyGaps = parts == null ? null : new float[roles][];
        energyMask = parts == null ? null : new float[roles][];
        double energyUnit = termScalers.length == 0 ? 1 : termScalers[ValueTerm.ENERGY.ordinal()].unit();
        pairCount = pairs(chunks, scaler, pairScales, pairScaler, balanced, parts, energyUnit);
        rewards = new float[size * steps];
        this.apart = List.copyOf(apart);
        termRewards = new float[apart.size()][size * steps];
        state = new float[size * (steps + 1) * stateSize];
        for (int b = 0; b < size; b++) {
            Chunk c = chunks.get(b);
            float[] rest = c.rest(apart);
            for (int t = 0; t < steps; t++) {
                rewards[b * steps + t] = scaler.scale(c.scenario(), rest[t]); // the run's statistics unless per scenario
                for (int i = 0; i < apart.size(); i++) {
                    ValueTerm term = apart.get(i);
                    termRewards[i][b * steps + t] = termScalers[term.ordinal()].scale(c.term(term)[t]);
                }
            }
            System.arraycopy(c.state(), 0, state, b * (steps + 1) * stateSize, (steps + 1) * stateSize);
        }
    }

    /** Copies role {@code r}'s observations, masks, first hidden states and one-hot actions of {@code chunks}. */
    private void stack(List<Chunk> chunks, int r) {
        int n = agents[r];
        int f = features[r];
        int h = hidden[r];
        int l = levels[r];
        obs[r] = new float[size * (steps + 1) * n * f];
        mask[r] = new float[size * n];
        h0[r] = new float[size * n * h];
        actionsOneHot[r] = new float[size * steps * n * l];
        for (int b = 0; b < size; b++) {
            Chunk c = chunks.get(b);
            int cn = c.agents()[r];
            for (int t = 0; t <= steps; t++) {
                System.arraycopy(c.obs()[r], t * cn * f, obs[r], ((b * (steps + 1) + t) * n) * f, cn * f);
            }
            for (int a = 0; a < cn; a++) {
                mask[r][b * n + a] = 1;
            }
            if (h > 0) {
                System.arraycopy(c.hidden()[r], 0, h0[r], b * n * h, cn * h);
            }
            for (int t = 0; t < steps; t++) {
                for (int a = 0; a < cn; a++) {
                    int level = c.actions()[r][t * cn + a];
                    actionsOneHot[r][((b * steps + t) * n + a) * l + level] = 1;
                }
            }
        }
    }

    /** What the pair of agent-step {@code i} of role {@code r} of chunk {@code c} is divided by. */
    private static double pairUnit(PairScale scale, Chunk c, int r, int i, RewardScaler scaler, PairScaler pairScaler) {
        return switch (scale) {
            case REWARD -> scaler.unit(c.scenario());
            case SCENARIO -> pairScaler.unit(c.scenario());
            case EPISODE -> pairScaler.episodeUnit(c.pairs().episode());
            case STATE -> pairScaler.unit(c.scenario(), r, PairScaler.slackBucket(c, r, i));
            case BAND -> pairScaler.bandUnit(c.scenario(), r, PairScaler.slackBucket(c, r, i), PairScaler.loadBand(c, r, i));
            case STEP -> pairScaler.stepUnit(c.scenario(), r, PairScaler.slackBucket(c, r, i), PairScaler.stepBand(c, r, i));
        };
    }

    /**
     * What part {@code part} of the pair of agent-step {@code i} of role {@code r} of chunk {@code c} is divided by
     * ({@link PairParts}): its state's size of that part, never under {@link PairParts#FLOOR} of the run's; the group's
     * own unit {@code groupUnit} with {@code scale: reward}.
     */
    private static double partUnit(PairScale scale, Chunk c, int r, int i, double groupUnit, PairScaler sizes) {
        double floor = PairParts.FLOOR * sizes.runUnit();
        return switch (scale) {
            case REWARD -> groupUnit;
            case SCENARIO -> Math.max(floor, sizes.unit(c.scenario()));
            case EPISODE -> throw new IllegalArgumentException("pairs scaled per episode cannot be split into parts");
            case STATE -> Math.max(floor, sizes.unit(c.scenario(), r, PairScaler.slackBucket(c, r, i)));
            case BAND -> Math.max(floor, sizes.bandUnit(c.scenario(), r, PairScaler.slackBucket(c, r, i),
                    PairScaler.loadBand(c, r, i)));
            case STEP -> Math.max(floor, sizes.stepUnit(c.scenario(), r, PairScaler.slackBucket(c, r, i),
                    PairScaler.stepBand(c, r, i)));
        };
    }

    /** Fills the paired arrays of every role a chunk has pairs of; returns how many agent-steps were branched. */
    private int pairs(List<Chunk> chunks, RewardScaler scaler, PairScale[] pairScales, PairScaler pairScaler,
                      boolean balanced, PairParts parts, double energyUnit) {
        int count = 0;
        for (int r = 0; r < agents.length; r++) {
            int n = agents[r];
            int l = levels[r];
            for (int b = 0; b < size; b++) {
                Chunk c = chunks.get(b);
                int[] tried = c.pairs().tried()[r];
                if (tried.length == 0) {
                    continue;
                }
                if (pairSigns[r] == null) {
                    pairSigns[r] = new float[size * steps * n * l];
                    pairGaps[r] = new float[size * steps * n];
                    pairMask[r] = new float[size * steps * n];
                    if (parts != null) {
                        energyGaps[r] = new float[size * steps * n];
                        energyMask[r] = new float[size * steps * n];
                    }
                }
                int cn = c.agents()[r];
                for (int t = 0; t < steps; t++) {
                    for (int a = 0; a < cn; a++) {
                        int level = tried[t * cn + a];
                        int taken = c.actions()[r][t * cn + a];
                        if (level < 0 || level == taken) {
                            continue;
                        }
                        int row = (b * steps + t) * n + a;
                        pairSigns[r][row * l + level] = 1;
                        pairSigns[r][row * l + taken] = -1;
                        float weight = balanced ? (float) pairScaler.balanceWeight(c.scenario()) : 1;
                        int i = t * cn + a;
                        if (parts == null) {
                            pairGaps[r][row] = c.pairs().gap()[r][i] / (float) pairUnit(pairScales[r], c, r, i, scaler, pairScaler);
                            pairMask[r][row] = weight;
                        } else {
                            double restUnit = scaler.unit(c.scenario());
                            double restSize = partUnit(pairScales[r], c, r, i, restUnit, parts.rest());
                            pairGaps[r][row] = (float) (c.pairs().rest(r, i) / restUnit);
                            pairMask[r][row] = (float) (weight * Math.pow(restUnit / restSize, 2));
                            double energySize = partUnit(pairScales[r], c, r, i, energyUnit, parts.energy());
                            energyGaps[r][row] = (float) (c.pairs().energy(r, i) / energyUnit);
                            energyMask[r][row] = (float) (weight * Math.pow(energyUnit / energySize, 2));
                        }
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private float[][] credit(List<Chunk> chunks, RewardScaler scaler) {
        float[][] out = new float[agents.length][];
        for (int r = 0; r < agents.length; r++) {
            int n = agents[r];
            for (int b = 0; b < size; b++) {
                Chunk c = chunks.get(b);
                float[] own = c.credit()[r];
                if (own.length == 0) {
                    continue;
                }
                if (out[r] == null) {
                    out[r] = new float[size * steps * n];
                }
                int cn = c.agents()[r];
                float unit = (float) scaler.unit(c.scenario()); // the chunk's own scenario's, as its rewards
                for (int t = 0; t < steps; t++) {
                    for (int a = 0; a < cn; a++) {
                        out[r][(b * steps + t) * n + a] = own[t * cn + a] / unit;
                    }
                }
            }
        }
        return out;
    }
}
