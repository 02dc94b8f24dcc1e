package dev.cohort.balance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dynamics model's forecast error over the MPC's horizon beside persistence (the next windows' power equals the
 * last one's), on rollouts whose λ moved at random: from every window with N after it, the model forecasts with the λ
 * the rollout then ran at, and both are compared with what the machine drew. Errors in watts and as a share of the mean
 * power, per step ahead and per scenario.
 *
 * @param horizon          steps ahead
 * @param starts           forecasts made
 * @param modelMaeWatts    the model's mean absolute error at each step ahead, W
 * @param persistMaeWatts  persistence's, W
 * @param meanWatts        mean power over the forecast windows, W
 * @param byScenario       per scenario: {model MAE, persistence MAE} over all steps, W
 */
public record ForecastError(int horizon, int starts, double[] modelMaeWatts, double[] persistMaeWatts, double meanWatts,
                            Map<String, double[]> byScenario) {

    /** Forecasts from every start of every rollout with {@code m}. */
    public static ForecastError of(DynamicsModel m, List<DynamicsTraining.Rollout> rollouts, int horizon) {
        double[] model = new double[horizon];
        double[] persist = new double[horizon];
        double mean = 0;
        int starts = 0;
        Map<String, double[]> by = new TreeMap<>();
        for (DynamicsTraining.Rollout r : rollouts) {
            List<WindowState> w = r.windows();
            List<Integer> at = new ArrayList<>();
            for (int t = 1; t + horizon < w.size(); t++) {
                at.add(t);
            }
            if (at.isEmpty()) {
                continue;
            }
            double[][] lambdas = new double[at.size()][horizon];
            for (int i = 0; i < at.size(); i++) {
                for (int h = 0; h < horizon; h++) {
                    lambdas[i][h] = w.get(at.get(i) + 1 + h).lambda();
                }
            }
            // one batched forecast per distinct start; the model rolls each from its own two windows
            double[][] f = new double[at.size()][];
            for (int i = 0; i < at.size(); i++) {
                int t = at.get(i);
                f[i] = m.forecast(w.get(t - 1), w.get(t), new double[][] {lambdas[i]})[0];
            }
            double[] s = by.computeIfAbsent(r.scenario(), k -> new double[3]);
            for (int i = 0; i < at.size(); i++) {
                int t = at.get(i);
                double now = w.get(t).powerShare() * r.tdpWatts();
                for (int h = 0; h < horizon; h++) {
                    double truth = w.get(t + 1 + h).powerShare() * r.tdpWatts();
                    double em = Math.abs(f[i][h] * r.tdpWatts() - truth);
                    double ep = Math.abs(now - truth);
                    model[h] += em;
                    persist[h] += ep;
                    mean += truth;
                    s[0] += em;
                    s[1] += ep;
                    s[2]++;
                }
                starts++;
            }
        }
        for (int h = 0; h < horizon; h++) {
            model[h] /= Math.max(1, starts);
            persist[h] /= Math.max(1, starts);
        }
        mean /= Math.max(1, (double) starts * horizon);
        Map<String, double[]> per = new TreeMap<>();
        by.forEach((k, v) -> per.put(k, new double[] {v[0] / v[2], v[1] / v[2]}));
        return new ForecastError(horizon, starts, model, persist, mean, per);
    }

    /** Mean over the horizon of the model's error, W. */
    public double modelMean() {
        return avg(modelMaeWatts);
    }

    /** Mean over the horizon of persistence's error, W. */
    public double persistMean() {
        return avg(persistMaeWatts);
    }

    /** True when the model's error over the horizon is below persistence's. */
    public boolean beatsPersistence() {
        return modelMean() < persistMean();
    }

    /** One line for the model's metadata and logs. */
    public String summary() {
        return String.format(Locale.ROOT, "MAE over %d windows ahead: model %.2f W (%.1f%%), persistence %.2f W (%.1f%%);"
                        + " 1 ahead %.2f vs %.2f W, %d ahead %.2f vs %.2f W; %d forecasts", horizon, modelMean(),
                100 * modelMean() / meanWatts, persistMean(), 100 * persistMean() / meanWatts, modelMaeWatts[0],
                persistMaeWatts[0], horizon, modelMaeWatts[horizon - 1], persistMaeWatts[horizon - 1], starts);
    }

    /** A Markdown table: per step ahead, and per scenario. */
    public String table() {
        var sb = new StringBuilder("| windows ahead | model MAE (W) | persistence MAE (W) |\n|---|---|---|\n");
        for (int h = 0; h < horizon; h++) {
            sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f |%n", h + 1, modelMaeWatts[h], persistMaeWatts[h]));
        }
        sb.append("\n| scenario | model MAE (W) | persistence MAE (W) |\n|---|---|---|\n");
        byScenario.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f |%n", k, v[0], v[1])));
        return sb.toString();
    }

    private static double avg(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }
}
