package dev.cohort.balance.cost;

import dev.cohort.harness.SimHarness;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.SimMachine;
import dev.cohort.policy.Decision;
import dev.cohort.policy.ObservationSpec;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import dev.cohort.policy.RoleObservations;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects estimator samples from simulator rollouts: runs a scenario under a rollout policy and, every few ticks,
 * branches the state (the harness's snapshot and restore) into several candidate joint actions, stepping each one tick
 * and recording what the simulator's true energy counters say each package drew (whether or not the machine shows RAPL),
 * the levels the agents then held, each domain's utilisation and the observation of that tick (for the interval model).
 * Candidates of one state share a group, so their
 * power differences are the simulator's own. Deterministic for a scenario, seed and policy.
 */
public final class CostCollector {
    private static final int C_UTIL = ObservationSpec.CORE.index("util");

    private CostCollector() {
    }

    /**
     * How to roll out.
     *
     * @param ticks      ticks per episode
     * @param every      branch a state every this many ticks
     * @param candidates candidates per branched state (the first: the rollout policy's decision)
     */
    public record Spec(int ticks, int every, int candidates) {
    }

    /** The rollout policy named {@code spec} on {@code scenario} ({@code random}: {@link RandomLevels}). */
    static Policy policy(String spec, SimMachine m, long seed) {
        return spec.equals("random") ? new RandomLevels(seed * 7919 + 13, 0.2) : Policies.create(spec, m.topology());
    }

    /**
     * One episode's samples.
     *
     * @param groupBase the first group id (ids then increase by tick)
     */
    public static List<CostSample> rollout(Scenario scenario, long seed, String policySpec, Spec spec, long groupBase) {
        List<CostSample> out = new ArrayList<>();
        SimMachine probe = SimHarness.machine(scenario, seed);
        Policy policy = policy(policySpec, probe, seed);
        RandomLevels draw = new RandomLevels(seed * 31 + 7, 0);
        try (SimHarness h = SimHarness.openOwning(scenario, seed, policy, SimHarness.Options.evaluation())) {
            SimMachine m = h.machine();
            HostFacts facts = HostFacts.of(h.controller().layout(), m.peakPackageWatts());
            int packages = facts.packages();
            double tickSeconds = scenario.tickNanos() / 1e9;
            float[] scale = new float[facts.rows()];
            for (int r = 0; r < facts.rows(); r++) {
                scale[r] = (float) facts.rowScaleWatts(r);
            }
            for (int t = 1; t <= spec.ticks(); t++) {
                Observations obs = h.beginStep();
                Decision dec = policy.decide(obs);
                // a package without a frequency domain to predict (all its CPUs reserved) has no rows: nothing to learn
                if (t > 2 && t % spec.every() == 0 && facts.rows() > 0 && facts.packagesWithoutRows().isEmpty()) {
                    var snap = h.snapshot();
                    for (int k = 0; k < spec.candidates(); k++) {
                        Decision cand = k == 0 ? dec : draw.candidate(obs, dec);
                        h.restore(snap);
                        h.finishTick(cand);
                        double[] e0 = energies(m, packages);
                        Observations next = h.beginStep();
                        double[] watts = energies(m, packages);
                        for (int p = 0; p < packages; p++) {
                            watts[p] = (watts[p] - e0[p]) / tickSeconds;
                        }
                        int[][] held = CostFeatures.current(next);
                        float[] util = new float[facts.rows()];
                        RoleObservations core = next.role(Role.CORE);
                        for (int r = 0; r < util.length; r++) {
                            util[r] = core.get(r, C_UTIL);
                        }
                        float[] intervalRows = CostFeatures.rows(next, facts, held); // before the restore: it is obs's buffer
                        h.restore(snap);
                        out.add(new CostSample(groupBase + t, scenario.name(), CostFeatures.rows(obs, facts, held),
                                facts.rowPackage().clone(), scale, watts, facts.packageTdpWatts(), util, intervalRows));
                    }
                    h.restore(snap);
                }
                h.finishTick(dec);
            }
        }
        return out;
    }

    private static double[] energies(SimMachine m, int packages) {
        double[] e = new double[packages];
        for (int p = 0; p < packages; p++) {
            e[p] = m.trueEnergyJoules(p);
        }
        return e;
    }
}
