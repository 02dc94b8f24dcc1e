package dev.cohort.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pareto verdicts from paired comparisons over seeds: better outside the interval, worse, or a tie. */
class ParetoTest {
    private static RunMetrics metrics(double energyJ, double sloShare, double work, double reward) {
        return new RunMetrics(60, energyJ, energyJ / 60, 1, 3, 1000, 10, sloShare, Double.isNaN(work) ? Double.NaN : 10 * work,
                work, Double.isNaN(work) ? Double.NaN : energyJ / (600 * work), Double.NaN, 0.5, 1, reward);
    }

    /** Five seeds of each policy; {@code f} gives (energy, slo, work, reward) for seed i. */
    private static List<RunResult> runs(String policy, java.util.function.IntFunction<RunMetrics> f) {
        List<RunResult> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(new RunResult("sc", policy, 100 + i, f.apply(i), null, 600, 0));
        }
        return out;
    }

    private static Pareto.Comparison verdict(java.util.function.IntFunction<RunMetrics> learned,
                                             java.util.function.IntFunction<RunMetrics> baseline) {
        List<RunResult> all = new ArrayList<>(runs("learned", learned));
        all.addAll(runs("slo-guard", baseline));
        Summary s = new Summary(List.of("sc"), List.of("learned", "slo-guard"), all);
        List<Pareto.Comparison> v = Pareto.all(s, Set.of("oracle"));
        assertEquals(1, v.size(), "one learned policy against one baseline");
        return v.getFirst();
    }

    @Test
    void lessEnergyAndMoreWorkAtTheSameSloDominates() {
        // seed-to-seed spread is large, but the paired difference is steady: pairing is what decides
        var c = verdict(i -> metrics(1000 + 100 * i - 50, 0.01, 0.5 + 0.05 * i, -1),
                i -> metrics(1000 + 100 * i, 0.01, 0.45 + 0.05 * i, -1.1));
        assertEquals(Pareto.Verdict.DOMINATES, c.verdict());
        assertEquals(1, c.reward().better());
    }

    @Test
    void lessEnergyForMoreTicksOverTheSloTrades() {
        var c = verdict(i -> metrics(900 + i, 0.03 + 0.001 * i, 0.5, -1), i -> metrics(1000 + i, 0.01, 0.5, -1));
        assertEquals(Pareto.Verdict.TRADES, c.verdict());
    }

    @Test
    void moreEnergyForNothingIsDominated() {
        var c = verdict(i -> metrics(1100 + i, 0.01, 0.5, -2), i -> metrics(1000 + 2 * i, 0.01, 0.5, -1));
        assertEquals(Pareto.Verdict.DOMINATED, c.verdict());
        assertEquals(-1, c.reward().better());
    }

    @Test
    void differencesInsideTheNoiseTie() {
        double[] noise = {30, -20, 10, -40, 25};
        var c = verdict(i -> metrics(1000 + noise[i], 0.01, 0.5, -1), i -> metrics(1000 - noise[i] / 2, 0.01, 0.5, -1));
        assertEquals(Pareto.Verdict.TIES, c.verdict(), "a mean difference inside its 95% interval decides nothing");
    }

    @Test
    void withoutBestEffortWorkTheVerdictUsesEnergyAndSloOnly() {
        var c = verdict(i -> metrics(900 + i, 0.01, Double.NaN, -1), i -> metrics(1000 + i, 0.01, Double.NaN, -1));
        assertEquals(Pareto.Verdict.DOMINATES, c.verdict());
        assertTrue(c.axes().stream().noneMatch(a -> a.metric() == Metric.BE_WORK_SHARE), "no work axis: " + c.axes());
        String md = VerdictReport.markdown(List.of(c));
        assertTrue(!md.contains("BE work done") && md.contains("**dominates**"), md);
    }
}
