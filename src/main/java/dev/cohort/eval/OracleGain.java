package dev.cohort.eval;

import dev.cohort.harness.Stats;
import dev.cohort.platform.Readable;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How much of the oracle's reward gain over the best baseline each policy achieves on one scenario:
 * {@code (R_policy − R_best) / (R_oracle − R_best)}, R being mean reward per tick. Baselines are the run's policies
 * that are neither learned nor the oracle ({@link SimPolicies#isBaseline}); the best is the one with the highest mean
 * reward. Every mean is over the seeds the oracle ran ({@code --oracle-seeds} may give it fewer), so all figures are
 * paired. The share is {@value Readable#ABSENT} where the gain {@code R_oracle − R_best} is not clearly positive: its
 * paired 95% interval (Student's t over the per-seed differences, {@link Stats}) reaches zero, or there is a single
 * seed and so no interval. 100% is the oracle's level, 0% the best baseline's; a share above 100% beats the oracle.
 *
 * @param scenario     the scenario
 * @param bestBaseline the baseline with the highest mean reward over the oracle's seeds
 * @param gain         the per-seed differences R_oracle − R_best: mean and 95% interval
 * @param shares       per policy in the run, its share of the gain; NaN where the gain is inside the noise
 */
public record OracleGain(String scenario, String bestBaseline, Stats gain, Map<String, Double> shares) {

    /** The CSV file {@link #writeCsv} writes next to {@code summary.csv}. */
    public static final String CSV = "oracle-gain.csv";

    /** True when the gain is clearly positive, so that shares of it mean something. */
    public boolean significant() {
        return significant(gain);
    }

    private static boolean significant(Stats gain) {
        return gain.n() >= 2 && gain.mean() - gain.halfWidth() > 0;
    }

    /** The share of {@code policy}, NaN when {@value Readable#ABSENT} (or the policy is not in the run). */
    public double share(String policy) {
        return shares.getOrDefault(policy, Double.NaN);
    }

    /**
     * The gain on {@code scenario}, or empty when the run has no oracle or no baseline there.
     */
    public static Optional<OracleGain> of(Summary s, String scenario) {
        List<String> policies = s.policies(scenario);
        String oracle = policies.stream().filter(SimPolicies::isOracle).findFirst().orElse(null);
        if (oracle == null || s.cell(scenario, oracle).runs().isEmpty()) {
            return Optional.empty();
        }
        long[] seeds = s.cell(scenario, oracle).runs().stream().mapToLong(RunResult::seed).toArray();
        String best = null;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (String p : policies) {
            double m = mean(rewards(s.cell(scenario, p), seeds));
            if (SimPolicies.isBaseline(p) && (best == null || m > bestMean)) {
                best = p;
                bestMean = m;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        double[] o = rewards(s.cell(scenario, oracle), seeds);
        double[] b = rewards(s.cell(scenario, best), seeds);
        double[] diff = new double[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            diff[i] = o[i] - b[i];
        }
        Stats gain = Stats.of(diff);
        boolean significant = significant(gain);
        double denominator = mean(o) - bestMean;
        Map<String, Double> shares = new LinkedHashMap<>();
        for (String p : policies) {
            shares.put(p, significant ? (mean(rewards(s.cell(scenario, p), seeds)) - bestMean) / denominator : Double.NaN);
        }
        return Optional.of(new OracleGain(scenario, best, gain, shares));
    }

    /** Each scenario's gain where there is one, in the summary's order. */
    public static List<OracleGain> all(Summary s) {
        List<OracleGain> out = new ArrayList<>();
        for (String sc : s.scenarios()) {
            of(s, sc).ifPresent(out::add);
        }
        return out;
    }

    /** The share as people read it: {@code 42%}, or {@value Readable#ABSENT}. */
    public String shareText(String policy) {
        return Readable.share(share(policy));
    }

    /** One line under a scenario's table: the best baseline and the gain it is measured against. */
    public String note() {
        String g = gain.format(Readable::number);
        return "Oracle gain share: each policy's share of the oracle's mean-reward gain over the best baseline (" + bestBaseline
                + "); gain " + g + " over " + gain.n() + " paired seed" + (gain.n() == 1 ? "" : "s")
                + (significant() ? "." : gain.n() >= 2 && gain.mean() + gain.halfWidth() < 0
                ? ": the oracle does worse than the best baseline here (its search does not see far enough), so no share: "
                + Readable.ABSENT + "." : ", inside the noise: " + Readable.ABSENT + ".");
    }

    /**
     * Writes {@value #CSV}: per scenario and policy the best baseline, the paired seeds, the gain's mean and 95%
     * half-width and the policy's share (empty where {@value Readable#ABSENT}). Nothing is written without an oracle.
     */
    public static void writeCsv(Summary s, Path file) throws IOException {
        List<OracleGain> gains = all(s);
        if (gains.isEmpty()) {
            return;
        }
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("scenario,policy,best_baseline,paired_seeds,oracle_gain_mean,oracle_gain_ci95_half_width,oracle_gain_share\n");
            for (OracleGain g : gains) {
                for (Map.Entry<String, Double> e : g.shares().entrySet()) {
                    w.write(g.scenario() + "," + e.getKey() + "," + g.bestBaseline() + "," + g.gain().n() + ","
                            + Report.num(g.gain().mean()) + "," + Report.num(g.gain().halfWidth()) + "," + Report.num(e.getValue()) + "\n");
                }
            }
        }
    }

    /** The mean reward of each of {@code seeds} in the cell (NaN for a seed it lacks), in their order. */
    private static double[] rewards(Summary.Cell c, long[] seeds) {
        double[] out = new double[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            long seed = seeds[i];
            out[i] = c.runs().stream().filter(r -> r.seed() == seed).mapToDouble(r -> r.metrics().meanReward())
                    .findFirst().orElse(Double.NaN);
        }
        return out;
    }

    private static double mean(double[] xs) {
        return Stats.of(xs).mean();
    }
}
