package dev.cohort.learn.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The size of paired differences per training scenario ({@code pairedAdvantage.scale: perScenario}): a recent root mean
 * square of each scenario's gaps (an exponential average of their squares over about {@link #WINDOW} pairs), by which
 * its pairs are divided when a batch is built. A level's one-tick worth is thousands of times larger where misses cost
 * thirty than where only energy moves (0.8 against 0.003 in reward units, {@code cohort model gap}); one scale for all
 * would leave the quiet scenarios' pairs nothing in the loss. Dividing a scenario's pairs by a positive constant keeps
 * every state's order of levels. Until a scenario has {@link #MIN_OWN} pairs, the run's own root mean square stands in.
 * With {@code perState} the same is kept per scenario, role and bucket of the branched agent's latency slack
 * ({@link #bucket}): within one scenario a level's worth is large where the service is near its SLO and tiny where it
 * has room, and only the second says when a lower level is free. With {@code perBand}, per band of load as well
 * ({@link #bandUnit}); with {@code perStep}, per band of how far the level tried is from the one taken ({@link #stepUnit}).
 */
public final class PairScaler {
    /** Slack buckets: over the SLO, under a quarter, under a half, under one, one (room or no service). */
    static final int BUCKETS = 5;
    private static final int ROLES = dev.cohort.policy.Role.values().length;
    private static final int[] SLACK = java.util.Arrays.stream(dev.cohort.policy.Role.values())
            .mapToInt(r -> dev.cohort.policy.ObservationSpec.of(r).index("lc_slack")).toArray();
    /** Load bands ({@code perBand}): under 0.3, under 0.6, from 0.6. */
    static final int LOAD_BANDS = 3;
    /** Each role's load feature: its domain's utilisation, its memory domain's bandwidth, its job's CPU usage. */
    private static final int[] LOAD = java.util.Arrays.stream(dev.cohort.policy.Role.values())
            .mapToInt(r -> dev.cohort.policy.ObservationSpec.of(r).index(switch (r) {
                case CORE -> "util";
                case MEMORY -> "bw_util";
                case QUOTA -> "usage";
            })).toArray();
    /** Bands of how far the level tried is from the one taken ({@code perStep}): 1 level, 2–3, 4 or more. */
    static final int STEP_BANDS = 3;
    /** Pairs the recent average spans, about. */
    static final double WINDOW = 2000;
    /** Pairs of its own a scenario needs before its scale is used. */
    static final int MIN_OWN = 50;
    private long runCount;
    private double runMeanSquare;
    private MeanSquares scenarios = new MeanSquares();
    private MeanSquares cells = new MeanSquares();
    private MeanSquares bands = new MeanSquares();
    private MeanSquares steps = new MeanSquares();

    /** Recent mean squares of gaps, each over about {@link #WINDOW} of its own, per index (grown as indices come). */
    private static final class MeanSquares {
        long[] count = new long[0];
        double[] meanSquare = new double[0];

        void add(int i, double sq) {
            if (i >= count.length) {
                count = Arrays.copyOf(count, i + 1);
                meanSquare = Arrays.copyOf(meanSquare, i + 1);
            }
            count[i]++;
            meanSquare[i] += (sq - meanSquare[i]) / Math.min(count[i], WINDOW);
        }

        /** True once index {@code i} has {@link #MIN_OWN} gaps of its own. */
        boolean own(int i) {
            return i < count.length && count[i] >= MIN_OWN;
        }

        double rootMeanSquare(int i) {
            return Math.max(Math.sqrt(meanSquare[i]), 1e-9);
        }

        void write(DataOutputStream out) throws IOException {
            out.writeInt(count.length);
            for (int i = 0; i < count.length; i++) {
                out.writeLong(count[i]);
                out.writeDouble(meanSquare[i]);
            }
        }

        /** What {@link #write} wrote, or none when {@code present} is false (a checkpoint from before it). */
        static MeanSquares read(DataInputStream in, boolean present) throws IOException {
            MeanSquares m = new MeanSquares();
            int n = present ? in.readInt() : 0;
            m.count = new long[n];
            m.meanSquare = new double[n];
            for (int i = 0; i < n; i++) {
                m.count[i] = in.readLong();
                m.meanSquare[i] = in.readDouble();
            }
            return m;
        }
    }

    /** The bucket of a latency slack (1 − latency/SLO, as the observations carry it, clipped to [−1, 1]). */
    static int bucket(float slack) {
        return slack < 0 ? 0 : slack < 0.25f ? 1 : slack < 0.5f ? 2 : slack < 1 ? 3 : 4;
    }

    /** Adds a chunk's branched gaps to its scenario's statistics, the run's, and each gap's state's. */
    public void observe(Chunk c) {
        observe(c, Pairs.Part.WHOLE);
    }

    /** The same with {@code part} of each gap (a learner that values energy apart sizes each part apart). */
    public void observe(Chunk c, Pairs.Part part) {
        observe(c.scenario(), c.pairs(), part);
        for (int r = 0; r < c.pairs().tried().length; r++) {
            int[] tried = c.pairs().tried()[r];
            for (int i = 0; i < tried.length; i++) {
                if (tried[i] < 0) {
                    continue;
                }
                int cell = cell(c.scenario(), r, slackBucket(c, r, i));
                double g = part.of(c.pairs(), r, i);
                double sq = g * g;
                cells.add(cell, sq);
                bands.add(cell * LOAD_BANDS + loadBand(c, r, i), sq);
                steps.add(cell * STEP_BANDS + stepBand(c, r, i), sq);
            }
        }
    }

    /** The slack bucket of agent-step {@code i} ({@code step × agents + agent}) of role {@code r} of a chunk. */
    public static int slackBucket(Chunk c, int r, int i) {
        int features = c.obs()[r].length / ((c.steps() + 1) * c.agents()[r]);
        return bucket(c.obs()[r][i * features + SLACK[r]]);
    }

    /** The load band of agent-step {@code i} of role {@code r} of a chunk: under 0.3, under 0.6, from 0.6. */
    public static int loadBand(Chunk c, int r, int i) {
        float load = load(c, r, i);
        return load < 0.3f ? 0 : load < 0.6f ? 1 : 2;
    }

    /** The load {@link #loadBand} bands: the domain's utilisation, the memory domain's bandwidth, the job's CPU usage. */
    public static float load(Chunk c, int r, int i) {
        int features = c.obs()[r].length / ((c.steps() + 1) * c.agents()[r]);
        return c.obs()[r][i * features + LOAD[r]];
    }

    /**
     * How far agent-step {@code i} of role {@code r} of a chunk tried from the level it took: 0 for 1 level, 1 for 2–3,
     * 2 for 4 or more.
     */
    public static int stepBand(Chunk c, int r, int i) {
        int away = Math.abs(c.pairs().tried()[r][i] - c.actions()[r][i]);
        return away <= 1 ? 0 : away <= 3 ? 1 : 2;
    }

    /**
     * What a pair of {@code role} in {@code scenario} from a state of slack {@code bucket}, its level tried {@code step}
     * band ({@link #stepBand}) from the one taken, is divided by ({@code perStep}): that cell's size once it has
     * {@link #MIN_OWN} pairs, else the slack bucket's.
     */
    public double stepUnit(int scenario, int role, int bucket, int step) {
        int cell = cell(scenario, role, bucket) * STEP_BANDS + step;
        return steps.own(cell) ? steps.rootMeanSquare(cell) : unit(scenario, role, bucket);
    }

    /**
     * What a pair of {@code role} in {@code scenario} from a state of slack {@code bucket} and load {@code band} is
     * divided by ({@code perBand}): that cell's size once it has {@link #MIN_OWN} pairs, else the slack bucket's.
     */
    public double bandUnit(int scenario, int role, int bucket, int band) {
        int cell = cell(scenario, role, bucket) * LOAD_BANDS + band;
        return bands.own(cell) ? bands.rootMeanSquare(cell) : unit(scenario, role, bucket);
    }

    private static int cell(int scenario, int role, int bucket) {
        return (scenario * ROLES + role) * BUCKETS + bucket;
    }

    /** What a pair of {@code role} in {@code scenario} from a state of slack {@code bucket} is divided by. */
    public double unit(int scenario, int role, int bucket) {
        int cell = cell(scenario, role, bucket);
        return cells.own(cell) ? cells.rootMeanSquare(cell) : unit(scenario);
    }

    /** Adds a chunk's branched gaps (raw reward units) to its scenario's statistics and the run's. */
    public void observe(int scenario, Pairs pairs) {
        observe(scenario, pairs, Pairs.Part.WHOLE);
    }

    private void observe(int scenario, Pairs pairs, Pairs.Part part) {
        for (int r = 0; r < pairs.tried().length; r++) {
            for (int i = 0; i < pairs.tried()[r].length; i++) {
                if (pairs.tried()[r][i] < 0) {
                    continue;
                }
                double g = part.of(pairs, r, i);
                double sq = g * g;
                scenarios.add(scenario, sq);
                runCount++;
                runMeanSquare += (sq - runMeanSquare) / Math.min(runCount, WINDOW);
            }
        }
    }

    /**
     * What a pair of an episode whose gaps' root mean square was {@code episode} is divided by: that, but never under a
     * thousandth of the run's (an episode whose levels changed nothing keeps its zeros; one with a single faint pair is
     * not blown up to unit size).
     */
    public double episodeUnit(double episode) {
        return runCount == 0 ? 1 : Math.max(episode, Math.max(1e-3 * Math.sqrt(runMeanSquare), 1e-9));
    }

    /**
     * The weight of a pair of {@code scenario} when every scenario is to count alike ({@code pairedAdvantage.balance:
     * scenarios}): the scenarios' mean count of pairs over its own, so weights average 1 over the pairs seen; 1 before
     * it has {@link #MIN_OWN} pairs, and within [0.1, 10] so one rare scenario's few pairs cannot take the loss.
     */
    public double balanceWeight(int scenario) {
        if (!scenarios.own(scenario)) {
            return 1;
        }
        long[] count = scenarios.count;
        long seen = Arrays.stream(count).filter(n -> n > 0).count();
        double mean = (double) Arrays.stream(count).sum() / seen;
        return Math.clamp(mean / count[scenario], 0.1, 10);
    }

    /** The run's recent root mean square pair (1 before any). */
    public double runUnit() {
        return runCount == 0 ? 1 : Math.max(Math.sqrt(runMeanSquare), 1e-9);
    }

    /** What a pair of {@code scenario} is divided by: its scale, the run's before it has its own, 1 before any. */
    public double unit(int scenario) {
        if (runCount == 0) {
            return 1;
        }
        return scenarios.own(scenario) ? scenarios.rootMeanSquare(scenario) : Math.max(Math.sqrt(runMeanSquare), 1e-9);
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeLong(runCount);
        out.writeDouble(runMeanSquare);
        scenarios.write(out);
        cells.write(out);
        bands.write(out);
        steps.write(out);
    }

    /**
     * Reads what {@link #write} wrote; {@code states}: the checkpoint has the per-state statistics (format 10),
     * {@code bands}: and the per-band ones (format 11), {@code steps}: and the per-step ones (format 13).
     */
    public static PairScaler readFrom(DataInputStream in, boolean states, boolean bands, boolean steps) throws IOException {
        PairScaler s = new PairScaler();
        s.runCount = in.readLong();
        s.runMeanSquare = in.readDouble();
        s.scenarios = MeanSquares.read(in, true);
        s.cells = MeanSquares.read(in, states);
        s.bands = MeanSquares.read(in, bands);
        s.steps = MeanSquares.read(in, steps);
        return s;
    }
}
