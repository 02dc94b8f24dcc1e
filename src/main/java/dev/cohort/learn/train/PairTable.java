package dev.cohort.learn.train;

import dev.cohort.harness.SimHarness;
import dev.cohort.learn.env.EpisodeDraw;
import dev.cohort.learn.env.StateEncoder;
import dev.cohort.learn.nn.AgentForward;
import dev.cohort.learn.nn.AgentNet;
import dev.cohort.learn.replay.Batch;
import dev.cohort.learn.replay.Chunk;
import dev.cohort.learn.replay.PairScaler;
import dev.cohort.platform.CohortException;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the paired advantages in a run's replay say, beside what the run's weights make of them ({@code cohort train
 * pairs}, {@code docs/training.md} §4): for one role, per training scenario (and all together), band of the branched
 * agent's state and direction of the level tried against the one taken, the mean pair in the units the paired loss
 * fits (each divided by its scale, as a batch divides it), the mean of the values' difference the exported weights give
 * for it (the averaged weights where the run averages them), the pairs' spread, the fit's root mean square error and
 * the share of pairs whose sign the values' difference shares. A network that fits the pairs' mean with a sign most
 * pairs do not share is being told by a few large pairs.
 */
public final class PairTable {
    /**
     * How the branched agent's state is banded: by its load (its domain's utilisation, as {@code model gap}; its memory
     * domain's bandwidth; its job's CPU usage), or by its slack: the bands {@code scale: perBand} sizes pairs by; or, for
     * the core role, by how much its domain's load swings ({@code util_spread}); or by how many levels the level tried
     * is from the one taken (a far level may miss where a near one saves); or, for the core role, by how far its load's
     * recent peak ({@code load_peak}) is above its present load (a quiet spell after a burst against a calm load), for the
     * quota role how far its services' ({@code lc_peak} above {@code lc_util}); or by how
     * its episode was drawn from its file ({@link EpisodeDraw}): its SLO factor, its load scale or its arrivals.
     */
    public enum By { UTIL, SLACK, SPREAD, STEP, PEAK, SLO_FACTOR, LOAD_SCALE, ARRIVALS }

    /**
     * @param scenario  the training scenario's name, or "all"
     * @param band      the state's band
     * @param lower     the level tried was below the level taken
     * @param pairs     pairs in the replay
     * @param target    their mean, in the paired loss's units (with pairs in parts, the served values' units)
     * @param energy    the mean of their energy parts, in the same units
     * @param predicted the mean difference of the values at the level tried and the level taken
     * @param targetSd  the pairs' standard deviation
     * @param rmse      the fit's root mean square error
     * @param above     share of pairs above zero: the level tried did better than the level taken
     * @param load      the branched states' mean load ({@link PairScaler#load}): with {@code peak}, whether the inputs tell
     *                  one band's states from another's at all
     * @param peak      their mean excess of the load's recent peak over the present load (as {@link By#PEAK} bands it); NaN
     *                  for the memory role, which sees no peak
     */
    public record Row(String scenario, String band, boolean lower, long pairs, double target, double energy, double predicted,
                      double targetSd, double rmse, double above, double load, double peak) {
    }

    /** {@link PairScaler#loadBand}'s bands and {@link PairScaler#slackBucket}'s buckets, by index. */
    private static final String[] LOAD_BANDS = {"load 0.0-0.3", "load 0.3-0.6", "load 0.6-1.0"};
    private static final String[] SLACK_BUCKETS = {"slack < 0", "slack 0-0.25", "slack 0.25-0.5", "slack 0.5-1", "slack 1"};
    /** Bands of the core observation's {@code util_spread} (the standard deviation of utilisation / 0.5). */
    private static final String[] SPREAD_BANDS = {"spread 0-0.1", "spread 0.1-0.3", "spread 0.3-1"};
    private static final String[] STEP_BANDS = {"1 level away", "2-3 levels away", "4+ levels away"};
    private static final int SPREAD = ObservationSpec.CORE.index("util_spread");
    /** Bands of how far {@code load_peak} is above the present load at the top frequency. */
    private static final String[] PEAK_BANDS = {"peak +0-0.05", "peak +0.05-0.2", "peak +0.2-1"};
    private static final int UTIL = ObservationSpec.CORE.index("util");
    private static final int LEVEL = ObservationSpec.CORE.index("freq_level");
    private static final int MIN_RATIO = ObservationSpec.CORE.index("freq_min_ratio");
    private static final int PEAK = ObservationSpec.CORE.index("load_peak");
    private static final int Q_UTIL = ObservationSpec.QUOTA.index("lc_util");
    private static final int Q_PEAK = ObservationSpec.QUOTA.index("lc_peak");

    private PairTable() {
    }

    /** The table of {@code role}'s pairs in the checkpoint of the run {@code cfg} describes. */
    public static List<Row> of(TrainConfig cfg, Role role, By by) {
        if (by == By.SPREAD && role != Role.CORE || by == By.PEAK && role == Role.MEMORY) {
            String feature = by == By.SPREAD ? "util_spread" : "a load's peak (load_peak, the quota agents' lc_peak)";
            String seen = by == By.SPREAD ? "only the core agents see " : "only the core and quota agents see ";
            throw new CohortException("--by " + by.name().toLowerCase(Locale.ROOT) + ": " + seen + feature
                    + " (use util or slack for the " + role.id() + " role)");
        }
        if (!cfg.learner().paired().on()) {
            throw new CohortException("the configuration has no learning.pairedAdvantage: its runs keep no pairs");
        }
        Path checkpoint = cfg.out().resolve("checkpoint.bin");
        if (!Files.isRegularFile(checkpoint)) {
            throw new CohortException(checkpoint + ": no checkpoint (train with this configuration first)");
        }
        RunShape shape = RunShape.of(cfg, SimHarness.machine(TrainingScenarios.training(cfg).getFirst(), 1));
        int[] features = shape.features();
        int[] levels = shape.levels();
        int[] hidden = shape.hidden();
        var learner = shape.learner();
        RunState s = RunState.read(checkpoint, cfg.fingerprint(), learner);
        int ri = role.ordinal();
        AgentNet net = learner.agents().get(ri);
        AgentForward forward = new AgentForward(net, s.average != null ? s.average : learner.actorParams());
        List<String> names = new ArrayList<>(cfg.scenarios().keySet());
        Map<String, double[]> sums = new TreeMap<>();
        for (Chunk c : s.replay.all()) {
            int n = c.agents()[ri];
            if (c.pairs().tried()[ri].length == 0 || n == 0) {
                continue;
            }
            Batch b = new Batch(List.of(c), features, levels, hidden, StateEncoder.size(), s.scaler, cfg.learner().valuedApart(),
                    s.termScalers, 0, cfg.learner().paired().perRole(), s.pairScaler, false, s.pairParts(cfg.learner()));
            double w = b.energyGaps == null ? 0 : s.termWeights(cfg.learner().valuedApart())[0];
            int f = features[ri];
            float[] h = c.hidden()[ri].length == 0 ? new float[n * Math.max(1, net.hidden())] : c.hidden()[ri].clone();
            float[] q = new float[n * levels[ri]];
            for (int t = 0; t < c.steps(); t++) {
                float[] obs = java.util.Arrays.copyOfRange(c.obs()[ri], t * n * f, (t + 1) * n * f);
                forward.step(obs, n, h, q);
                for (int a = 0; a < n; a++) {
                    int row = t * n + a; // a batch of one chunk has this chunk's agents
                    if (b.pairMask[ri] == null || b.pairMask[ri][row] == 0) {
                        continue;
                    }
                    int tried = c.pairs().tried()[ri][row];
                    int taken = c.actions()[ri][row];
                    double target = b.pairGaps[ri][row];
                    double energy;
                    if (b.energyGaps != null) { // the served values are the rest's plus w times the energy's
                        energy = w * b.energyGaps[ri][row];
                        target += energy;
                    } else {
                        float gap = c.pairs().gap()[ri][row];
                        energy = gap == 0 ? 0 : c.pairs().energy(ri, row) * target / gap;
                    }
                    double predicted = q[a * levels[ri] + tried] - q[a * levels[ri] + taken];
                    String band = band(by, c, ri, row, f);
                    for (String sc : List.of(names.get(c.scenario()), "all")) {
                        double[] v = sums.computeIfAbsent(sc + "\u0000" + band + "\u0000" + (tried < taken), k -> new double[9]);
                        v[0]++;
                        v[1] += target;
                        v[2] += predicted;
                        v[3] += target * target;
                        v[4] += (predicted - target) * (predicted - target);
                        v[5] += target > 0 ? 1 : 0;
                        v[6] += energy;
                        v[7] += PairScaler.load(c, ri, row);
                        v[8] += peakExcess(c.obs()[ri], row * f, ri);
                    }
                }
            }
        }
        return rows(sums);
    }

    /** The rows of the sums {@link #of} kept per scenario, band and direction. */
    private static List<Row> rows(Map<String, double[]> sums) {
        List<Row> rows = new ArrayList<>();
        sums.forEach((key, v) -> {
            String[] k = key.split("\u0000");
            double n = v[0];
            double mean = v[1] / n;
            rows.add(new Row(k[0], k[1], Boolean.parseBoolean(k[2]), (long) n, mean, v[6] / n, v[2] / n,
                    Math.sqrt(Math.max(0, v[3] / n - mean * mean)), Math.sqrt(v[4] / n), v[5] / n, v[7] / n, v[8] / n));
        });
        return rows;
    }

    /** The band of role {@code ri}'s agent-step {@code row} of {@code c} ({@code f} features) by {@code by}. */
    private static String band(By by, Chunk c, int ri, int row, int f) {
        return switch (by) {
            case UTIL -> LOAD_BANDS[PairScaler.loadBand(c, ri, row)];
            case SLACK -> SLACK_BUCKETS[PairScaler.slackBucket(c, ri, row)];
            case SPREAD -> SPREAD_BANDS[spreadBand(c.obs()[ri][row * f + SPREAD])];
            case STEP -> STEP_BANDS[PairScaler.stepBand(c, ri, row)];
            case PEAK -> PEAK_BANDS[excessBand(peakExcess(c.obs()[ri], row * f, ri))];
            case SLO_FACTOR, LOAD_SCALE, ARRIVALS -> {
                EpisodeDraw d = EpisodeDraw.decode(c.draw());
                yield d == null ? "draw unknown" : by == By.SLO_FACTOR ? d.sloBand() : by == By.LOAD_SCALE ? d.loadBand() : d.arrivalsBand();
            }
        };
    }

    /**
     * How far the load's recent peak is above the present load in role {@code ri}'s observation from {@code at}: for a
     * core agent its {@code load_peak} over its load at the top frequency (the frequency read from the level as if the
     * levels were evenly spaced from the minimum to the maximum), for a quota agent {@code lc_peak} over {@code lc_util};
     * NaN for a memory agent.
     */
    private static double peakExcess(float[] obs, int at, int ri) {
        if (ri == Role.MEMORY.ordinal()) {
            return Double.NaN;
        }
        if (ri == Role.QUOTA.ordinal()) {
            return obs[at + Q_PEAK] - obs[at + Q_UTIL];
        }
        double minRatio = obs[at + MIN_RATIO];
        double present = obs[at + UTIL] * (minRatio + (1 - minRatio) * obs[at + LEVEL]);
        return obs[at + PEAK] - present;
    }

    private static int excessBand(double excess) {
        return excess < 0.05 ? 0 : excess < 0.2 ? 1 : 2;
    }

    private static int spreadBand(float spread) {
        return spread < 0.1f ? 0 : spread < 0.3f ? 1 : 2;
    }

    /** The rows as a text table. */
    public static String text(List<Row> rows) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-34s %-15s %-7s %7s %9s %9s %9s %9s %8s %6s %6s %6s%n",
                "scenario", "state", "tried", "pairs", "pair", "energy", "values", "pair sd", "rmse", "> 0", "load", "peak+"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-34s %-15s %-7s %7d %+9.4f %+9.4f %+9.4f %9.4f %8.4f %5.0f%% %6.3f %6s%n",
                    r.scenario().replace("configs/scenarios/train/", ""), r.band(), r.lower() ? "lower" : "higher", r.pairs(),
                    r.target(), r.energy(), r.predicted(), r.targetSd(), r.rmse(), 100 * r.above(), r.load(),
                    Double.isNaN(r.peak()) ? "-" : String.format(Locale.ROOT, "%.3f", r.peak())));
        }
        return b.toString();
    }
}
