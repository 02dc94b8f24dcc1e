package dev.cohort.eval;

import dev.cohort.harness.PairedDifference;
import dev.cohort.harness.Stats;
import dev.cohort.policy.Policies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pareto verdicts of each learned policy against each baseline of a scenario, on (energy, share of ticks over the
 * SLO, best-effort work done), from paired comparisons over the seeds both ran: per seed the difference of the
 * two runs, then its mean and 95% interval ({@link Stats}). A difference whose interval contains zero is a tie.
 * Where the scenario has no best-effort job the work axis is absent and the verdict uses energy and SLO share.
 * Mean reward is compared the same way and reported beside the verdict (it is not one of the Pareto axes).
 */
public final class Pareto {
    /** The axes of the verdict: lower energy, lower SLO share, more best-effort work. */
    public static final List<Metric> AXES = List.of(Metric.ENERGY_J, Metric.SLO_TICK_SHARE, Metric.BE_WORK_SHARE);

    /** How a learned policy stands against a baseline. */
    public enum Verdict {
        /** No worse on every axis and better on at least one. */
        DOMINATES("dominates"),
        /** No better on every axis and worse on at least one. */
        DOMINATED("dominated"),
        /** Better on some axis and worse on another. */
        TRADES("trades"),
        /** No difference outside the intervals on any axis. */
        TIES("ties");

        private final String word;

        Verdict(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /**
     * One paired difference, policy minus baseline.
     *
     * @param diff   mean and 95% interval of the per-seed differences in the metric's unit
     * @param better +1 when the policy is better outside the interval, −1 when worse, 0 for a tie
     */
    public record Paired(Metric metric, Stats diff, int better) {
        /** "−12.3 kJ ± 4.1 kJ (better)" in the metric's units. */
        public String format() {
            String word = better > 0 ? "better" : better < 0 ? "worse" : "tie";
            if (diff.n() == 0) {
                return "n/a";
            }
            String mean = (diff.mean() < 0 ? "−" : diff.mean() > 0 ? "+" : "") + metric.format(Math.abs(diff.mean()));
            return (diff.n() < 2 ? mean : mean + " ± " + metric.format(diff.halfWidth())) + " (" + word + ")";
        }
    }

    /**
     * The verdict of {@code policy} against {@code baseline} on one scenario.
     *
     * @param axes   the paired differences on the verdict's axes (work absent without best-effort jobs)
     * @param reward the paired difference of mean reward
     * @param seeds  seeds both ran
     */
    public record Comparison(String scenario, String policy, String baseline, List<Paired> axes, Paired reward,
                             Verdict verdict, int seeds) {
    }

    private Pareto() {
    }

    /** Every learned policy against every baseline (policies neither learned nor in {@code notBaselines}), per scenario. */
    public static List<Comparison> all(Summary s, java.util.Set<String> notBaselines) {
        List<Comparison> out = new ArrayList<>();
        for (String sc : s.scenarios()) {
            for (String p : s.policies(sc)) {
                if (!Policies.isLearned(p)) {
                    continue;
                }
                for (String b : s.policies(sc)) {
                    if (!Policies.isLearned(b) && !notBaselines.contains(b)) {
                        out.add(compare(s.cell(sc, p), s.cell(sc, b)));
                    }
                }
            }
        }
        return out;
    }

    /** The verdict of one cell's policy against another's, paired by seed. */
    public static Comparison compare(Summary.Cell policy, Summary.Cell baseline) {
        Map<Long, RunMetrics> base = new HashMap<>();
        baseline.runs().forEach(r -> base.put(r.seed(), r.metrics()));
        List<RunMetrics[]> pairs = new ArrayList<>();
        for (RunResult r : policy.runs()) {
            RunMetrics b = base.get(r.seed());
            if (b != null) {
                pairs.add(new RunMetrics[]{r.metrics(), b});
            }
        }
        List<Paired> axes = new ArrayList<>();
        for (Metric m : AXES) {
            Paired d = paired(m, pairs);
            if (d.diff().n() > 0) {
                axes.add(d);
            }
        }
        boolean better = axes.stream().anyMatch(a -> a.better() > 0);
        boolean worse = axes.stream().anyMatch(a -> a.better() < 0);
        Verdict v = better && worse ? Verdict.TRADES : better ? Verdict.DOMINATES : worse ? Verdict.DOMINATED : Verdict.TIES;
        return new Comparison(policy.scenario(), policy.policy(), baseline.policy(), axes, paired(Metric.REWARD, pairs), v,
                pairs.size());
    }

    /** Paired differences of {@code m}; with fewer than two seeds there is no interval, so nothing is decided. */
    static Paired paired(Metric m, List<RunMetrics[]> pairs) {
        double[] a = new double[pairs.size()];
        double[] b = new double[pairs.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = m.of(pairs.get(i)[0]);
            b[i] = m.of(pairs.get(i)[1]);
        }
        PairedDifference d = PairedDifference.of(a, b, m.lowerIsBetter());
        return new Paired(m, d.diff(), d.better());
    }
}
