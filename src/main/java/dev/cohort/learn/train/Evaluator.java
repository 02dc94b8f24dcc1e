package dev.cohort.learn.train;

import dev.cohort.control.RewardWeights;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.learn.nn.AgentForward;
import dev.cohort.learn.nn.AgentNet;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the greedy policy of a set of weights as {@code cohort evaluate} judges a policy: the scenarios as
 * written, the evaluation governor, the run's reward weights, on seeds training never uses; whole-run energy from the
 * counters, the SLO share from the ticks.
 */
final class Evaluator {
    private Evaluator() {
    }

    /**
     * One scenario's result, averaged over seeds.
     *
     * @param scenario     name
     * @param meanReward   mean per-tick reward
     * @param energyJoules package energy per run
     * @param sloTickShare share of ticks with some service over its SLO
     */
    record ScenarioResult(String scenario, double meanReward, double energyJoules, double sloTickShare) {
    }

    static List<ScenarioResult> run(List<Scenario> scenarios, long[] seeds, double seconds, List<AgentNet> nets, ParamSet weights,
                                    RewardWeights reward) {
        List<ScenarioResult> out = new ArrayList<>();
        for (Scenario sc : scenarios) {
            double r = 0;
            double e = 0;
            double s = 0;
            for (long seed : seeds) {
                List<AgentForward> f = new ArrayList<>();
                for (AgentNet n : nets) {
                    f.add(new AgentForward(n, weights));
                }
                double[] m = runOne(sc, seed, seconds, new GreedyPolicy("training", f), reward);
                r += m[0];
                e += m[1];
                s += m[2];
            }
            out.add(new ScenarioResult(sc.name(), r / seeds.length, e / seeds.length, s / seeds.length));
        }
        return out;
    }

    /** Mean reward, energy and SLO tick share of one run. */
    static double[] runOne(Scenario sc, long seed, double seconds, Policy policy, RewardWeights reward) {
        long ticks = seconds > 0 ? Math.max(1, Math.round(seconds * 1e9 / sc.tickNanos())) : sc.ticks();
        try (SimHarness h = SimHarness.open(sc, seed, policy, SimHarness.Options.evaluation().withReward(reward))) {
            double sum = 0;
            long over = 0;
            for (long i = 0; i < ticks; i++) {
                TickRecord rec = h.step();
                sum += rec.reward().reward();
                over += rec.sloViolated() ? 1 : 0;
            }
            double energy = TelemetryInterval.between(h.first(), h.machine().sample()).totalPackageJoules();
            return new double[]{sum / ticks, energy, (double) over / ticks};
        }
    }

    /**
     * The selection score of an evaluation. With the baselines measured ({@code bar} not null): the mean over
     * scenarios of the reward's margin over the best baseline, relative to that baseline's size,
     * {@code (R − R_best)/|R_best|}, so that each scenario counts alike however large its rewards are (a colocation
     * run's reward swings by more than a diurnal run's whole range). Without: the mean reward.
     */
    static double score(List<ScenarioResult> rs, Bar bar) {
        return rs.stream().mapToDouble(r -> {
            Bar.Baselines b = bar == null ? null : bar.scenarios().get(r.scenario());
            return b == null ? r.meanReward() : (r.meanReward() - b.bestReward()) / Math.max(1e-9, Math.abs(b.bestReward()));
        }).average().orElse(Double.NaN);
    }
}
