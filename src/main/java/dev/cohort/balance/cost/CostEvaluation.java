package dev.cohort.balance.cost;

import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cohort cost evaluate}: the exported model (through ONNX Runtime, as the agent runs it) and the linear baseline on
 * held-out scenarios and seeds, per tick: each package's power against the simulator's true energy over the next tick
 * (MAPE, MAE), and, for two candidate actions from the same state whose true powers differ by at least
 * {@value #MIN_PAIR_WATTS} W, the relative error of the predicted difference (median, and the share within 15%).
 */
public final class CostEvaluation {
    /** Pairs closer than this in true power are left out of the difference figure. */
    public static final double MIN_PAIR_WATTS = 2;
    /** The difference target: within this relative error. */
    public static final double PAIR_TOLERANCE = 0.15;

    private CostEvaluation() {
    }

    /**
     * One model's figures.
     *
     * @param model          its name
     * @param mapePercent    mean absolute percentage error of package power, per package and tick
     * @param maeWatts       mean absolute error, W
     * @param p95ApePercent  95th percentile of the absolute percentage error
     * @param diffMedianPercent median relative error of the predicted difference between two candidates
     * @param diffWithin15Percent share of pairs whose predicted difference is within 15% of the true one
     * @param pairs          pairs compared
     */
    public record Figures(String model, double mapePercent, double maeWatts, double p95ApePercent, double diffMedianPercent,
                          double diffWithin15Percent, long pairs) {
    }

    /**
     * The evaluation.
     *
     * @param scenarios     held-out scenarios
     * @param seeds         evaluation seeds
     * @param samples       samples (state × candidate)
     * @param packageTicks  package readings compared
     * @param meanWatts     mean true package power, W
     * @param utilMae       the network's second task: mean absolute error of each domain's next-tick utilisation
     * @param models        the network, the linear baseline, and {@code known-load}: the linear terms with the measured
 *                      next-tick utilisation fitted on the evaluation samples themselves (not an estimator: a bound on
 *                      what knowing the coming load gives)
     * @param perScenario   the network's MAPE per scenario, percent
     * @param perBias       the network's mean signed percentage error per scenario
     * @param perWatts      mean true package power per scenario, W
     * @param intervalPerScenario the interval model's MAPE per scenario, percent (empty without one): the power of the tick
     *                      each sample's own observation describes, what stands in for RAPL
     * @param inferRows     rows of the largest sample (its frequency domains)
     * @param inferMicros   median time of one ONNX Runtime call on that sample (one tick's estimate), µs
     */
    public record Report(List<String> scenarios, long[] seeds, int samples, long packageTicks, double meanWatts, double utilMae,
                         List<Figures> models, Map<String, Double> perScenario, Map<String, Double> perBias,
                         Map<String, Double> perWatts, Map<String, Double> intervalPerScenario, int inferRows,
                         double inferMicros) {
        /** As a table. */
        public String table() {
            var sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "held-out: %s, seeds %s; %d samples, %d package readings (mean %.1f W), %d pairs "
                    + "≥ %.0f W apart%n", String.join(" ", scenarios), Arrays.toString(seeds), samples, packageTicks, meanWatts,
                    models.isEmpty() ? 0 : models.get(0).pairs(), MIN_PAIR_WATTS));
            sb.append(String.format(Locale.ROOT, "%-15s %8s %8s %9s %14s %14s%n", "model", "MAPE %", "MAE W", "p95 APE%",
                    "diff median %", "diff ≤15% (%)"));
            for (Figures f : models) {
                sb.append(String.format(Locale.ROOT, "%-15s %8.2f %8.2f %9.2f %14.1f %14.1f%n", f.model(), f.mapePercent(),
                        f.maeWatts(), f.p95ApePercent(), f.diffMedianPercent(), f.diffWithin15Percent()));
            }
            sb.append(String.format(Locale.ROOT, "known-load: the linear terms with the measured next-tick utilisation, fitted on "
                    + "these samples (a bound, not an estimator)%nmmoe-dcn next-tick utilisation MAE %.3f%n", utilMae));
            perScenario.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-28s mmoe-dcn MAPE %5.2f%%, bias %+5.2f%%, mean %.1f W%s%n",
                    k, v, perBias.get(k), perWatts.get(k), intervalPerScenario.containsKey(k)
                            ? String.format(Locale.ROOT, "; interval MAPE %5.2f%%", intervalPerScenario.get(k)) : "")));
            if (!intervalPerScenario.isEmpty()) {
                sb.append("interval, linear-interval: the power of the tick each sample's own observation describes (what stands in "
                        + "for RAPL); the others forecast it from the state before, for a candidate action\n");
            }
            sb.append(String.format(Locale.ROOT, "one estimate (%d rows) in ONNX Runtime: %.0f µs (median)%n", inferRows, inferMicros));
            return sb.toString();
        }
    }

    /** Collects the held-out samples and scores the model in {@code dir} and its linear baseline. */
    public static Report run(CostConfig cfg, Path dir) {
        List<CostSample> samples = new ArrayList<>();
        var spec = new CostCollector.Spec(cfg.evalTicks(), cfg.every(), cfg.candidates());
        long group = 0;
        for (String name : cfg.evalScenarios()) {
            Scenario s = Scenarios.resolve(name);
            for (long seed : cfg.evalSeeds()) {
                for (String policy : cfg.evalPolicies()) {
                    samples.addAll(CostCollector.rollout(s, seed, policy, spec, group));
                    group += 1L << 32;
                }
            }
        }
        return score(cfg.evalScenarios(), cfg.evalSeeds(), samples, dir);
    }

    /** Scores the model in {@code dir} (and {@code linear.txt} beside it when present) on {@code samples}. */
    public static Report score(List<String> scenarios, long[] seeds, List<CostSample> samples, Path dir) {
        List<double[]> mmoe = new ArrayList<>();
        List<double[]> observed = new ArrayList<>();
        List<CostSample> intervals = samples.stream().filter(s -> s.intervalRows() != null).map(CostSample::interval).toList();
        int inferRows = 0;
        double inferMicros = Double.NaN;
        double utilErr = 0;
        long utilN = 0;
        try (CostModel m = CostModel.load(dir)) {
            for (CostSample s : samples) {
                float[] y = m.infer(s.rows(), s.rowCount());
                mmoe.add(packages(s, y));
                for (int r = 0; r < s.rowCount(); r++) {
                    if (Float.isFinite(s.utilNext()[r])) {
                        utilErr += Math.abs(y[r * CostNet.TASKS + 1] - s.utilNext()[r]);
                        utilN++;
                    }
                }
            }
            if (m.hasIntervalModel()) {
                for (CostSample s : intervals) {
                    observed.add(packages(s, m.intervalModel().infer(s.rows(), s.rowCount())));
                }
            }
            CostSample big = samples.stream().max(java.util.Comparator.comparingInt(CostSample::rowCount)).orElse(null);
            if (big != null) {
                inferRows = big.rowCount();
                inferMicros = medianMicros(m, big);
            }
        }
        List<Figures> figs = new ArrayList<>();
        figs.add(figures("mmoe-dcn", samples, mmoe));
        if (Files.isRegularFile(dir.resolve(LinearCostModel.FILE))) {
            LinearCostModel lin = LinearCostModel.read(dir);
            figs.add(figures("linear", samples, samples.stream().map(lin::packageWatts).toList()));
        }
        if (!observed.isEmpty()) {
            figs.add(figures("interval", intervals, observed));
            if (Files.isRegularFile(dir.resolve(LinearCostModel.INTERVAL_FILE))) {
                LinearCostModel lin = LinearCostModel.read(dir, LinearCostModel.INTERVAL_FILE);
                figs.add(figures("linear-interval", intervals, intervals.stream().map(lin::packageWatts).toList()));
            }
        }
        // a bound, not an estimator: the linear terms with the measured next-tick utilisation, fitted on these samples
        LinearCostModel known = LinearCostModel.fit(samples, true);
        figs.add(figures("known-load", samples, samples.stream().map(s -> known.packageWatts(s, true)).toList()));
        var per = new LinkedHashMap<String, double[]>();
        long readings = 0;
        double sumW = 0;
        for (int i = 0; i < samples.size(); i++) {
            CostSample s = samples.get(i);
            for (int p = 0; p < s.packageWatts().length; p++) {
                double t = s.packageWatts()[p];
                double[] acc = per.computeIfAbsent(s.scenario(), k -> new double[4]);
                acc[0] += Math.abs(mmoe.get(i)[p] - t) / t;
                acc[1]++;
                acc[2] += (mmoe.get(i)[p] - t) / t;
                acc[3] += t;
                readings++;
                sumW += t;
            }
        }
        var perScenario = new LinkedHashMap<String, Double>();
        var perBias = new LinkedHashMap<String, Double>();
        var perWatts = new LinkedHashMap<String, Double>();
        per.forEach((k, v) -> {
            perScenario.put(k, 100 * v[0] / v[1]);
            perBias.put(k, 100 * v[2] / v[1]);
            perWatts.put(k, v[3] / v[1]);
        });
        return new Report(List.copyOf(scenarios), seeds, samples.size(), readings, sumW / Math.max(1, readings),
                utilErr / Math.max(1, utilN), figs, perScenario, perBias, perWatts, mapeByScenario(intervals, observed), inferRows,
                inferMicros);
    }

    /** MAPE per scenario, percent, of predictions {@code pred} for the first {@code pred.size()} samples. */
    private static Map<String, Double> mapeByScenario(List<CostSample> samples, List<double[]> pred) {
        var acc = new LinkedHashMap<String, double[]>();
        for (int i = 0; i < pred.size(); i++) {
            CostSample s = samples.get(i);
            for (int p = 0; p < s.packageWatts().length; p++) {
                double[] a = acc.computeIfAbsent(s.scenario(), k -> new double[2]);
                a[0] += Math.abs(pred.get(i)[p] - s.packageWatts()[p]) / s.packageWatts()[p];
                a[1]++;
            }
        }
        var out = new LinkedHashMap<String, Double>();
        acc.forEach((k, v) -> out.put(k, 100 * v[0] / v[1]));
        return out;
    }

    /** Per package, W: a sample's rows' normalised outputs {@code y} times their scales, summed per package. */
    private static double[] packages(CostSample s, float[] y) {
        double[] w = new double[s.packageWatts().length];
        for (int r = 0; r < s.rowCount(); r++) {
            w[s.rowPackage()[r]] += Math.max(0, y[r * CostNet.TASKS]) * s.rowScale()[r];
        }
        return w;
    }

    private static double medianMicros(CostModel m, CostSample s) {
        double[] t = new double[201];
        for (int i = 0; i < 50; i++) {
            m.infer(s.rows(), s.rowCount()); // warm up
        }
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            m.infer(s.rows(), s.rowCount());
            t[i] = (System.nanoTime() - t0) / 1e3;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    /** The figures of one model's predictions ({@code pred.get(i)[p]}: sample i, package p). */
    static Figures figures(String name, List<CostSample> samples, List<double[]> pred) {
        List<Double> ape = new ArrayList<>();
        double ae = 0;
        for (int i = 0; i < samples.size(); i++) {
            double[] t = samples.get(i).packageWatts();
            for (int p = 0; p < t.length; p++) {
                ape.add(Math.abs(pred.get(i)[p] - t[p]) / t[p]);
                ae += Math.abs(pred.get(i)[p] - t[p]);
            }
        }
        List<Double> rel = new ArrayList<>();
        int i = 0;
        while (i < samples.size()) {
            int j = i;
            while (j < samples.size() && samples.get(j).group() == samples.get(i).group()) {
                j++;
            }
            for (int a = i; a < j; a++) {
                for (int b = a + 1; b < j; b++) {
                    double dt = samples.get(b).totalWatts() - samples.get(a).totalWatts();
                    if (Math.abs(dt) >= MIN_PAIR_WATTS) {
                        double dp = sum(pred.get(b)) - sum(pred.get(a));
                        rel.add(Math.abs(dp - dt) / Math.abs(dt));
                    }
                }
            }
            i = j;
        }
        double mape = ape.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double within = rel.isEmpty() ? Double.NaN : rel.stream().filter(r -> r <= PAIR_TOLERANCE).count() / (double) rel.size();
        return new Figures(name, 100 * mape, ae / Math.max(1, ape.size()), 100 * quantile(ape, 0.95),
                100 * quantile(rel, 0.5), 100 * within, rel.size());
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static double quantile(List<Double> v, double q) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[Math.min(a.length - 1, (int) Math.floor(q * (a.length - 1) + 0.5))];
    }
}
