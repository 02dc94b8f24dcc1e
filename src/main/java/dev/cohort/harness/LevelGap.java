package dev.cohort.harness;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * What one frequency agent's level is worth, and how loud the return it must be learnt from is. A policy runs on the
 * simulated machine; every few ticks one core agent (in turn) is branched from the run's snapshot: once at a chosen
 * level for that tick and once at the level the policy chose, the other agents as the policy chose, then the policy
 * again for the horizon. Both branches meet the same arrivals, so their difference in discounted reward is the level's
 * worth in that state with the noise of the load taken out; beside it, the spread of the policy's own return over the
 * horizon, unpaired, which is what a value learner's targets carry. Their ratio says how many samples a learner needs
 * to tell the two levels apart ({@code docs/results.md}, "What a level is worth"). Simulator only; deterministic.
 */
public final class LevelGap {
    private LevelGap() {
    }

    /** Utilisation buckets of the branched agent's domain. */
    static final double[] EDGES = {0, 0.3, 0.6, 1.0001};

    /**
     * One bucket of states.
     *
     * @param utilFrom  lowest utilisation of the agent's domain in it
     * @param utilTo    highest (exclusive)
     * @param samples   branched agent-ticks
     * @param meanGap   mean of (reward at the chosen level − reward at the policy's), discounted over the horizon
     * @param gapSd     its standard deviation across states (the pairs share the arrivals)
     * @param returnSd  standard deviation of the policy's own discounted return over the horizon (unpaired)
     */
    public record Bucket(double utilFrom, double utilTo, int samples, double meanGap, double gapSd, double returnSd) {
        /** |mean gap| over the unpaired return's spread: the signal a learner's targets carry per sample. */
        public double signalToNoise() {
            return returnSd > 0 ? Math.abs(meanGap) / returnSd : Double.NaN;
        }
    }

    /**
     * Branches {@code policySpec}'s runs of {@code sc}.
     *
     * @param level   the level the branched agent tries for one tick
     * @param every   branch every this many ticks (after the first 20)
     * @param horizon ticks of reward summed, discounted by {@code gamma}, after the branched tick
     */
    public static List<Bucket> measure(Scenario sc, long[] seeds, String policySpec, int level, int every, int horizon,
                                       double gamma) {
        int util = ObservationSpec.CORE.index("util");
        List<double[]> rows = new ArrayList<>(); // util, gap, own return
        for (long seed : seeds) {
            Policy p = Policies.create(policySpec, SimHarness.machine(sc, seed).topology());
            try (SimHarness h = SimHarness.openOwning(sc, seed, p, SimHarness.Options.evaluation())) {
                long ticks = SimHarness.ticks(sc, 0);
                for (long t = 1; t + horizon + 1 < ticks; t++) {
                    Observations obs = h.beginStep();
                    Decision d = p.decide(obs);
                    int agents = obs.role(Role.CORE).agents();
                    int levels = obs.role(Role.CORE).actions().levels();
                    if (level < 0 || level >= levels) {
                        throw new CohortException("--level must be a core level of " + sc.name() + "'s machine, 0 to "
                                + (levels - 1) + ": got " + level);
                    }
                    if (t > 20 && t % every == 0 && agents > 0) {
                        int agent = (int) (t / every % agents);
                        int own = d.levels(Role.CORE)[agent];
                        own = own == Decision.NO_CHANGE ? obs.role(Role.CORE).currentLevel(agent) : own;
                        SimHarness.Snapshot snap = h.snapshot();
                        double tried = branch(h, p, snap, obs, d, agent, level, horizon, gamma);
                        double kept = branch(h, p, snap, obs, d, agent, own, horizon, gamma);
                        h.restore(snap);
                        rows.add(new double[]{obs.role(Role.CORE).get(agent, util), tried - kept, kept});
                    }
                    h.finishTick(d);
                }
            }
        }
        List<Bucket> out = new ArrayList<>();
        for (int b = 0; b + 1 < EDGES.length; b++) {
            double[] gap = new double[3];
            double[] ret = new double[3];
            for (double[] r : rows) {
                if (r[0] >= EDGES[b] && r[0] < EDGES[b + 1]) {
                    add(gap, r[1]);
                    add(ret, r[2]);
                }
            }
            if (gap[0] >= 2) {
                out.add(new Bucket(EDGES[b], Math.min(1, EDGES[b + 1]), (int) gap[0], gap[1] / gap[0], sd(gap), sd(ret)));
            }
        }
        return out;
    }

    /** The run from {@code snap} with {@code agent} at {@code lvl} this tick: its discounted reward over the horizon. */
    private static double branch(SimHarness h, Policy p, SimHarness.Snapshot snap, Observations obs, Decision d, int agent,
                                 int lvl, int horizon, double gamma) {
        h.restore(snap);
        Decision tried = Decision.noChange(obs);
        for (Role r : Role.values()) {
            tried.copyRole(r, d);
        }
        tried.levels(Role.CORE)[agent] = lvl;
        h.finishTick(tried);
        double sum = 0;
        double w = 1;
        for (int j = 0; j < horizon; j++) {
            Observations o = h.beginStep();
            sum += w * h.finishTick(p.decide(o)).reward().reward(); // the reward of the tick before's plan
            w *= gamma;
        }
        return sum;
    }

    private static void add(double[] acc, double v) {
        acc[0]++;
        acc[1] += v;
        acc[2] += v * v;
    }

    private static double sd(double[] acc) {
        double mean = acc[1] / acc[0];
        return Math.sqrt(Math.max(0, acc[2] / acc[0] - mean * mean));
    }
}
