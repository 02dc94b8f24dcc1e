package dev.cohort.learn.train;

import dev.cohort.learn.algo.Learner;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.learn.replay.ReplayBuffer;
import dev.cohort.learn.replay.RewardScaler;
import dev.cohort.learn.replay.ValueTerm;
import dev.cohort.platform.CohortException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run carries from one iteration to the next, and its checkpoint file: counters, which
 * roles were seen, the learner (weights, targets, optimiser moments), the replay buffer and the demonstrations, the reward statistics,
 * the best evaluated weights and the bar's baselines. Written at an iteration boundary, where nothing else is in
 * flight (every random stream is derived from the seed and a counter), so a resumed run continues exactly as an
 * uninterrupted one would.
 */
final class RunState {
    private static final String MAGIC = "cohort-train-checkpoint";
    /**
     * 8: the rewards' per-scenario statistics (empty before); 9: the chunks' paired advantages and their scales (none
     * before); 10: the pairs' per-state scales (none before); 11: their per-band scales (none before); 12: each pair's
     * energy part, and the sizes of the energy parts and of the rests (none before); 13: the pairs' per-step scales
     * (none before); 14: each chunk's episode draw (unknown before).
     */
    private static final int VERSION = 15;
    /** Checkpoints from before the weight average; read without one. */
    private static final int FIRST_VERSION = 4;
    long iteration;
    long envSteps;
    long episodes;
    double wallSeconds;
    final boolean[] rolesSeen = new boolean[dev.cohort.policy.Role.values().length];
    ReplayBuffer replay;
    /** The demonstration chunks (null without demonstrations): kept for the whole run. */
    ReplayBuffer demos;
    /** The demonstrations' mean reward and share of ticks over the SLO, for the report. */
    double demoReward = Double.NaN;
    double demoSloShare = Double.NaN;
    RewardScaler scaler;
    /** Statistics of each {@link ValueTerm}'s part of the rewards, for learners that value terms apart (format 6). */
    RewardScaler[] termScalers;
    /** The paired differences' size per scenario (format 9; used with {@code pairedAdvantage.scale: perScenario}). */
    dev.cohort.learn.replay.PairScaler pairScaler = new dev.cohort.learn.replay.PairScaler();
    /** The sizes of the pairs' energy parts and of their rests (format 12; used when energy is valued apart). */
    dev.cohort.learn.replay.PairScaler energyPairScaler = new dev.cohort.learn.replay.PairScaler();
    dev.cohort.learn.replay.PairScaler restPairScaler = new dev.cohort.learn.replay.PairScaler();
    double bestScore = Double.NEGATIVE_INFINITY;
    long bestIteration = -1;
    long bestEnvSteps = -1;
    ParamSet best;
    /**
     * Per role, the ticks the best weights' agents of that role had seen (format 15): all {@link #bestEnvSteps} unless
     * {@code evaluation.perRole} kept a team of roles taken at different evaluations.
     */
    long[] bestRoleEnvSteps = unsetPerRole();
    /** The moving average of the agents' weights ({@link WeightAverage}; null when off or before the first update). */
    ParamSet average;
    long barEnvSteps = -1;
    double barWallSeconds = Double.NaN;
    Bar bar;

    private static long[] unsetPerRole() {
        long[] a = new long[dev.cohort.policy.Role.values().length];
        java.util.Arrays.fill(a, -1);
        return a;
    }

    /** Fresh statistics, one for the rewards (or their rest) and one per term. */
    void newScalers(boolean standardise, boolean perScenario) {
        scaler = new RewardScaler(standardise);
        if (perScenario) {
            scaler.perScenario();
        }
        termScalers = new RewardScaler[ValueTerm.values().length];
        for (int i = 0; i < termScalers.length; i++) {
            termScalers[i] = new RewardScaler(standardise);
        }
    }

    /** A collected chunk's rewards into the statistics: the rewards without the terms {@code apart}, and each term. */
    void observe(dev.cohort.learn.replay.Chunk ch, List<ValueTerm> apart) {
        scaler.observe(ch.scenario(), ch.rest(apart));
        pairScaler.observe(ch);
        energyPairScaler.observe(ch, dev.cohort.learn.replay.Pairs.Part.ENERGY);
        restPairScaler.observe(ch, dev.cohort.learn.replay.Pairs.Part.REST);
        for (ValueTerm t : ValueTerm.values()) {
            termScalers[t.ordinal()].observe(ch.term(t));
        }
    }

    /** The sizes a batch splits each pair by ({@link dev.cohort.learn.replay.Batch.PairParts}), or null when it does not. */
    dev.cohort.learn.replay.Batch.PairParts pairParts(dev.cohort.learn.algo.LearnerConfig lc) {
        return lc.pairsInParts() ? new dev.cohort.learn.replay.Batch.PairParts(restPairScaler, energyPairScaler) : null;
    }

    /** Per term of {@code apart}: what one unit of a value learnt on its scaled rewards is worth in the rest's units. */
    double[] termWeights(List<ValueTerm> apart) {
        double[] w = new double[apart.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = termScalers[apart.get(i).ordinal()].unit() / scaler.unit();
        }
        return w;
    }

    void write(Path file, String fingerprint, Learner learner) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
                out.writeUTF(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(fingerprint);
                out.writeLong(iteration);
                out.writeLong(envSteps);
                out.writeLong(episodes);
                out.writeDouble(wallSeconds);
                for (boolean b : rolesSeen) {
                    out.writeBoolean(b);
                }
                learner.write(out);
                replay.write(out);
                out.writeBoolean(demos != null);
                if (demos != null) {
                    demos.write(out);
                    out.writeDouble(demoReward);
                    out.writeDouble(demoSloShare);
                }
                scaler.write(out);
                for (RewardScaler t : termScalers) {
                    t.write(out);
                }
                scaler.writeScenarios(out);
                pairScaler.write(out);
                energyPairScaler.write(out);
                restPairScaler.write(out);
                out.writeDouble(bestScore);
                out.writeLong(bestIteration);
                out.writeLong(bestEnvSteps);
                out.writeBoolean(best != null);
                if (best != null) {
                    best.write(out);
                }
                out.writeLong(barEnvSteps);
                out.writeDouble(barWallSeconds);
                out.writeBoolean(bar != null);
                if (bar != null) {
                    writeBar(out, bar);
                }
                out.writeBoolean(average != null);
                if (average != null) {
                    average.write(out);
                }
                for (long t : bestRoleEnvSteps) {
                    out.writeLong(t);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CohortException(file + ": cannot write the checkpoint: " + e.getMessage(), e);
        }
    }

    /** Reads a checkpoint into a fresh state and {@code learner}; refuses one written for another configuration. */
    static RunState read(Path file, String fingerprint, Learner learner) {
        if (!Files.isRegularFile(file)) {
            throw new CohortException(file + ": no checkpoint to resume from (train without --resume first)");
        }
        RunState s = new RunState();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            int version = MAGIC.equals(in.readUTF()) ? in.readInt() : -1;
            if (version < FIRST_VERSION || version > VERSION) {
                throw new CohortException(file + ": not a checkpoint of this cohort version");
            }
            String fp = in.readUTF();
            if (!fp.equals(fingerprint)) {
                throw new CohortException(file + ": the checkpoint was written for another configuration (only budget.* may "
                        + "change on --resume); checkpoint: " + fp + "; now: " + fingerprint);
            }
            s.iteration = in.readLong();
            s.envSteps = in.readLong();
            s.episodes = in.readLong();
            s.wallSeconds = in.readDouble();
            for (int i = 0; i < s.rolesSeen.length; i++) {
                s.rolesSeen[i] = in.readBoolean();
            }
            try {
                learner.read(in);
            } catch (IllegalArgumentException e) { // another build's observation features or network sizes
                throw new CohortException(file + ": the checkpoint's networks do not fit this build's (" + e.getMessage()
                        + "): it was written by a build with other observation features; train the run again with this build");
            }
            boolean terms = version >= 6;
            boolean credit = version >= 7;
            boolean pairs = version >= 9;
            boolean pairEnergy = version >= 12;
            boolean draws = version >= 14;
            s.replay = ReplayBuffer.read(in, terms, credit, pairs, pairEnergy, draws);
            if (in.readBoolean()) {
                s.demos = ReplayBuffer.read(in, terms, credit, pairs, pairEnergy, draws);
                s.demoReward = in.readDouble();
                s.demoSloShare = in.readDouble();
            }
            s.scaler = RewardScaler.readFrom(in);
            s.termScalers = new RewardScaler[ValueTerm.values().length];
            for (int i = 0; i < s.termScalers.length; i++) {
                s.termScalers[i] = terms ? RewardScaler.readFrom(in) : new RewardScaler(s.scaler.on());
            }
            if (version >= 8) {
                s.scaler.readScenarios(in);
            }
            if (pairs) {
                s.pairScaler = dev.cohort.learn.replay.PairScaler.readFrom(in, version >= 10, version >= 11, version >= 13);
            }
            if (pairEnergy) {
                s.energyPairScaler = dev.cohort.learn.replay.PairScaler.readFrom(in, true, true, version >= 13);
                s.restPairScaler = dev.cohort.learn.replay.PairScaler.readFrom(in, true, true, version >= 13);
            }
            s.bestScore = in.readDouble();
            s.bestIteration = in.readLong();
            s.bestEnvSteps = in.readLong();
            if (in.readBoolean()) {
                s.best = ParamSet.read(in);
            }
            s.barEnvSteps = in.readLong();
            s.barWallSeconds = in.readDouble();
            if (in.readBoolean()) {
                s.bar = readBar(in);
            }
            if (version >= 5 && in.readBoolean()) {
                s.average = ParamSet.read(in);
            }
            for (int r = 0; r < s.bestRoleEnvSteps.length; r++) {
                s.bestRoleEnvSteps[r] = version >= 15 ? in.readLong() : s.bestEnvSteps;
            }
        } catch (IOException e) {
            throw new CohortException(file + ": cannot read the checkpoint: " + e.getMessage(), e);
        }
        return s;
    }

    private static void writeBar(DataOutputStream out, Bar bar) throws IOException {
        out.writeInt(bar.scenarios().size());
        for (var e : bar.scenarios().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeBoolean(e.getValue().loadVaries());
            out.writeInt(e.getValue().rivals().size());
            for (Bar.Rival r : e.getValue().rivals()) {
                out.writeUTF(r.name());
                out.writeInt(r.runs().size());
                for (Evaluator.RunFigures f : r.runs()) {
                    out.writeDouble(f.meanReward());
                    out.writeDouble(f.energyJoules());
                    out.writeDouble(f.sloTickShare());
                    out.writeDouble(f.beWorkShare());
                }
            }
        }
    }

    private static Bar readBar(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, Bar.ScenarioBar> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            boolean varies = in.readBoolean();
            int rivals = in.readInt();
            java.util.List<Bar.Rival> rs = new java.util.ArrayList<>();
            for (int k = 0; k < rivals; k++) {
                String rn = in.readUTF();
                int runs = in.readInt();
                java.util.List<Evaluator.RunFigures> fs = new java.util.ArrayList<>();
                for (int j = 0; j < runs; j++) {
                    fs.add(new Evaluator.RunFigures(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()));
                }
                rs.add(new Bar.Rival(rn, fs));
            }
            m.put(name, new Bar.ScenarioBar(varies, rs));
        }
        return new Bar(m);
    }
}
