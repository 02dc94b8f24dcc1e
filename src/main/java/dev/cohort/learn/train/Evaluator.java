package dev.cohort.learn.train;

import dev.cohort.control.RewardWeights;
import dev.cohort.control.TickRecord;
import dev.cohort.harness.SimHarness;
import dev.cohort.learn.nn.AgentForward;
import dev.cohort.learn.nn.AgentNet;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Signal;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.Topology;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the greedy policy of a set of weights as {@code cohort evaluate} judges a policy: the scenarios as
 * written, the evaluation governor, the run's reward weights, on seeds training never uses; whole-run energy and
 * best-effort work from the counters, the SLO share from the ticks. Figures are kept per seed, so the bar can
 * compare policies seed by seed.
 */
final class Evaluator {
    private Evaluator() {
    }

    /**
     * One run's figures.
     *
     * @param meanReward   mean per-tick reward
     * @param energyJoules package energy of the run
     * @param sloTickShare share of ticks with some service over its SLO
     * @param beWorkShare  best-effort instructions over what the jobs would retire alone at the top frequency (NaN
     *                     without best-effort jobs)
     */
    record RunFigures(double meanReward, double energyJoules, double sloTickShare, double beWorkShare) {
    }

    /**
     * One scenario's runs, in the order of the evaluation seeds.
     *
     * @param scenario name
     * @param runs     one per seed
     */
    record ScenarioResult(String scenario, List<RunFigures> runs) {
        ScenarioResult {
            runs = List.copyOf(runs);
        }

        double meanReward() {
            return runs.stream().mapToDouble(RunFigures::meanReward).average().orElse(Double.NaN);
        }

        double energyJoules() {
            return runs.stream().mapToDouble(RunFigures::energyJoules).average().orElse(Double.NaN);
        }

        double sloTickShare() {
            return runs.stream().mapToDouble(RunFigures::sloTickShare).average().orElse(Double.NaN);
        }

        double beWorkShare() {
            return runs.stream().mapToDouble(RunFigures::beWorkShare).average().orElse(Double.NaN);
        }

        /** One figure of every run, in seed order. */
        double[] each(java.util.function.ToDoubleFunction<RunFigures> f) {
            return runs.stream().mapToDouble(f).toArray();
        }
    }

    static List<ScenarioResult> run(List<Scenario> scenarios, long[] seeds, double seconds, List<AgentNet> nets, ParamSet weights,
                                    RewardWeights reward) {
        List<ScenarioResult> out = new ArrayList<>();
        for (Scenario sc : scenarios) {
            List<RunFigures> runs = new ArrayList<>();
            for (long seed : seeds) {
                List<AgentForward> f = new ArrayList<>();
                for (AgentNet n : nets) {
                    f.add(new AgentForward(n, weights));
                }
                runs.add(runOne(sc, seed, seconds, new GreedyPolicy("training", f), reward));
            }
            out.add(new ScenarioResult(sc.name(), runs));
        }
        return out;
    }

    /** The figures of one run. */
    static RunFigures runOne(Scenario sc, long seed, double seconds, Policy policy, RewardWeights reward) {
        long ticks = seconds > 0 ? Math.max(1, Math.round(seconds * 1e9 / sc.tickNanos())) : sc.ticks();
        try (SimHarness h = SimHarness.open(sc, seed, policy, SimHarness.Options.evaluation().withReward(reward))) {
            double sum = 0;
            long over = 0;
            for (long i = 0; i < ticks; i++) {
                TickRecord rec = h.step();
                sum += rec.reward().reward();
                over += rec.sloViolated() ? 1 : 0;
            }
            TelemetryInterval whole = TelemetryInterval.between(h.first(), h.machine().sample());
            return new RunFigures(sum / ticks, whole.totalPackageJoules(), (double) over / ticks,
                    workShare(whole, h.machine().topology()));
        }
    }

    /** Best-effort instructions over the jobs' reference rates, the same figure {@code evaluate} reports. */
    private static double workShare(TelemetryInterval whole, Topology topo) {
        double done = 0;
        double possible = 0;
        for (int g : topo.cgroupsWithRole(CgroupRole.BEST_EFFORT)) {
            double rate = whole.rate(Signal.CGROUP_INSTRUCTIONS, g);
            double ref = topo.cgroups().get(g).referenceInstructionsPerSec();
            if (Double.isFinite(rate) && ref > 0) {
                done += rate;
                possible += ref;
            }
        }
        return possible > 0 ? done / possible : Double.NaN;
    }

    /**
     * The selection score of an evaluation. With the baselines measured ({@code bar} not null): the mean over
     * scenarios of the reward's margin over the best baseline, relative to that baseline's size,
     * {@code (R − R_best)/|R_best|}, so that each scenario counts alike however large its rewards are (a colocation
     * run's reward swings by more than a diurnal run's whole range). Without: the mean reward.
     */
    static double score(List<ScenarioResult> rs, Bar bar) {
        return rs.stream().mapToDouble(r -> {
            double best = bar == null ? Double.NaN : bar.bestReward(r.scenario());
            return Double.isNaN(best) ? r.meanReward() : (r.meanReward() - best) / Math.max(1e-9, Math.abs(best));
        }).average().orElse(Double.NaN);
    }
}
