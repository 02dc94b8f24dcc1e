package dev.cohort.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The share of the oracle's gain over the best baseline: paired over the oracle's seeds, n/a inside the noise. */
class OracleGainTest {
    private static final String SC = "colocation";

    @Test
    void sharesAreMeasuredFromTheBestBaselineToTheOracle() {
        Summary s = summary(List.of("performance", "slo-guard", "onnx:models/x", "oracle"), new double[][]{
                {-2.0, -2.2, -1.8}, {-1.0, -1.1, -0.9}, {-0.5, -0.6, -0.4}, {0.0, -0.1, 0.1}});
        OracleGain g = OracleGain.of(s, SC).orElseThrow();
        assertEquals("slo-guard", g.bestBaseline(), "the learned policy is not a baseline");
        assertEquals(1.0, g.gain().mean(), 1e-12);
        assertTrue(g.significant());
        assertEquals(1.0, g.share("oracle"), 1e-12);
        assertEquals(0.0, g.share("slo-guard"), 1e-12);
        assertEquals(0.5, g.share("onnx:models/x"), 1e-12);
        assertEquals(-1.0, g.share("performance"), 1e-12);
        assertEquals("50%", g.shareText("onnx:models/x"));
    }

    @Test
    void aGainInsideItsPairedIntervalIsNotApplicable() {
        Summary s = summary(List.of("slo-guard", "oracle"), new double[][]{{-1.0, -1.0, -1.0}, {-0.7, -1.4, -0.8}});
        OracleGain g = OracleGain.of(s, SC).orElseThrow();
        assertFalse(g.significant());
        assertEquals("n/a", g.shareText("slo-guard"));
        assertTrue(Double.isNaN(g.share("oracle")));
        assertTrue(g.note().endsWith("inside the noise: n/a."), g.note());
    }

    @Test
    void anOracleWorseThanTheBestBaselineSaysSoInsteadOfCallingItNoise() {
        Summary s = summary(List.of("performance", "oracle"), new double[][]{{-4.0, -5.0, -4.5}, {-8.0, -9.5, -8.8}});
        OracleGain g = OracleGain.of(s, SC).orElseThrow();
        assertFalse(g.significant());
        assertEquals("n/a", g.shareText("performance"));
        assertTrue(g.note().contains("the oracle does worse than the best baseline here") && !g.note().contains("noise"), g.note());
    }

    @Test
    void pairedDifferencesRemoveTheSeedsCommonSwing() {
        // the seeds differ by far more than the policies do, but the oracle is ahead on every seed
        Summary s = summary(List.of("slo-guard", "oracle"), new double[][]{{-5.0, -1.0, -9.0}, {-4.9, -0.9, -8.9}});
        assertTrue(OracleGain.of(s, SC).orElseThrow().significant());
    }

    @Test
    void onlyTheOraclesSeedsCount() {
        List<String> policies = List.of("slo-guard", "oracle");
        List<RunResult> runs = new ArrayList<>(runs("slo-guard", -1.0, -1.1, -0.9, -50));
        runs.addAll(runs("oracle", 0.0, -0.1, 0.1));
        Summary s = new Summary(List.of(SC), policies, runs);
        OracleGain g = OracleGain.of(s, SC).orElseThrow();
        assertEquals(3, g.gain().n());
        assertEquals(1.0, g.gain().mean(), 1e-12, "the fourth seed, which the oracle did not run, is left out");
    }

    @Test
    void withoutAnOracleOrABaselineThereIsNoGain(@TempDir Path dir) throws Exception {
        assertTrue(OracleGain.of(summary(List.of("slo-guard"), new double[][]{{-1, -1}}), SC).isEmpty());
        assertTrue(OracleGain.of(summary(List.of("learned", "oracle"), new double[][]{{-1, -1}, {0, 0}}), SC).isEmpty());
        OracleGain.writeCsv(summary(List.of("slo-guard"), new double[][]{{-1, -1}}), dir.resolve(OracleGain.CSV));
        assertFalse(Files.exists(dir.resolve(OracleGain.CSV)));
    }

    @Test
    void theReportShowsTheShareInTheTableTheCsvAndTheJson(@TempDir Path dir) throws Exception {
        Summary s = summary(List.of("performance", "slo-guard", "oracle"), new double[][]{
                {-2.0, -2.2, -1.8}, {-1.0, -1.1, -0.9}, {0.0, -0.1, 0.1}});
        Report.write(s, dir);
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains(" oracle gain share |"), md);
        assertTrue(md.contains("| -100% |") && md.contains("| 100% |"), md);
        assertTrue(md.contains("Oracle gain share: each policy's share of the oracle's mean-reward gain over the best "
                + "baseline (slo-guard); gain 1 ± "), md);
        List<String> csv = Files.readAllLines(dir.resolve(OracleGain.CSV));
        assertEquals("scenario,policy,best_baseline,paired_seeds,oracle_gain_mean,oracle_gain_ci95_half_width,oracle_gain_share",
                csv.getFirst());
        assertEquals("colocation,performance,slo-guard,3,1.00000,", csv.get(1).substring(0, csv.get(1).lastIndexOf(',') - 7));
        assertTrue(csv.get(1).endsWith(",-1.00000"), csv.get(1));
        String json = Files.readString(dir.resolve("summary.json"));
        assertTrue(json.contains("\"oracle_gain_share\" : -1.0"), json);
    }

    /** One scenario; row i of {@code rewards} holds policy i's mean reward per seed (seeds 1, 2, ...). */
    private static Summary summary(List<String> policies, double[][] rewards) {
        List<RunResult> runs = new ArrayList<>();
        for (int p = 0; p < policies.size(); p++) {
            runs.addAll(runs(policies.get(p), rewards[p]));
        }
        return new Summary(List.of(SC), policies, runs);
    }

    private static List<RunResult> runs(String policy, double... rewards) {
        List<RunResult> out = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            double n = Double.NaN;
            RunMetrics m = new RunMetrics(60, n, n, n, n, 0, 0, n, n, n, n, n, n, n, rewards[i]);
            out.add(new RunResult(SC, policy, i + 1, m, null, 600, 0));
        }
        return out;
    }
}
