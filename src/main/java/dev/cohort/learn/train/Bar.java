package dev.cohort.learn.train;

import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policy;
import dev.cohort.policy.baseline.Baselines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bar a learned policy has to clear on each evaluation scenario, measured on the same seeds: a higher mean
 * reward than every baseline, at least 15% less energy than {@code performance}, and no larger share of ticks over
 * the SLO than {@code slo-guard}. Training checks it at each evaluation so the log says when it was first met.
 *
 * @param scenarios per scenario name, the baselines' figures
 */
record Bar(Map<String, Baselines> scenarios) {
    /** Energy the learned policy may use, as a share of {@code performance}'s. */
    static final double ENERGY_SHARE = 0.85;

    /**
     * One scenario's baselines.
     *
     * @param bestReward        the highest mean reward of any baseline
     * @param bestPolicy        which baseline that was
     * @param performanceJoules energy of {@code performance}
     * @param sloGuardShare     SLO tick share of {@code slo-guard}
     */
    record Baselines(double bestReward, String bestPolicy, double performanceJoules, double sloGuardShare) {
    }

    /** Runs every baseline on every scenario and seed. */
    static Bar measure(List<Scenario> scenarios, long[] seeds, double seconds, dev.cohort.control.RewardWeights reward) {
        Map<String, Baselines> out = new LinkedHashMap<>();
        for (Scenario sc : scenarios) {
            double best = Double.NEGATIVE_INFINITY;
            String bestName = "";
            double perfEnergy = Double.NaN;
            double guardSlo = Double.NaN;
            for (String name : dev.cohort.policy.baseline.Baselines.NAMES) {
                double r = 0;
                double e = 0;
                double s = 0;
                for (long seed : seeds) {
                    try (Policy p = dev.cohort.policy.baseline.Baselines.create(name)) {
                        double[] m = Evaluator.runOne(sc, seed, seconds, p, reward);
                        r += m[0] / seeds.length;
                        e += m[1] / seeds.length;
                        s += m[2] / seeds.length;
                    }
                }
                if (r > best) {
                    best = r;
                    bestName = name;
                }
                if (name.equals("performance")) {
                    perfEnergy = e;
                }
                if (name.equals("slo-guard")) {
                    guardSlo = s;
                }
            }
            out.put(sc.name(), new Baselines(best, bestName, perfEnergy, guardSlo));
        }
        return new Bar(out);
    }

    /** True when every scenario's result clears its bar. */
    boolean met(List<Evaluator.ScenarioResult> results) {
        for (var r : results) {
            Baselines b = scenarios.get(r.scenario());
            if (b == null || !(r.meanReward() > b.bestReward() && r.energyJoules() <= ENERGY_SHARE * b.performanceJoules()
                    && r.sloTickShare() <= b.sloGuardShare())) {
                return false;
            }
        }
        return !results.isEmpty();
    }
}
