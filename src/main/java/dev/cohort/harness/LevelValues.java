package dev.cohort.harness;

import dev.cohort.platform.CohortException;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.OnnxPolicy;
import dev.cohort.policy.Policy;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a learned policy's values of an agent's levels answer what the agent observes. Each agent-tick's values,
 * less their mean over the levels, are its level differences; their part that is one constant per level, the same in
 * every state, is the share of their sum of squares the per-level means explain. Near 1, what the agent sees moves its
 * ranking only among near-tied levels. Within one scenario an untrained network is near 1 too (the states are alike
 * and its per-level offsets outweigh them), so the telling comparison is across scenarios: the same constant, and the
 * same level held, where the scenarios want different ones.
 */
public final class LevelValues {
    private LevelValues() {
    }

    /**
     * One role's figures.
     *
     * @param role          the role
     * @param agents        its agents on the scenario's machine
     * @param samples       agent-ticks measured
     * @param constantShare share of the level differences' sum of squares that is one constant per level, 0..1
     * @param stateRms      root mean square of the rest (the part that depends on the state), in the model's value units
     * @param constant      the per-level constant (mean level difference over all agent-ticks), one per level
     * @param chosen        how often each level was the agents' greedy choice
     */
    public record Figures(Role role, int agents, long samples, double constantShare, double stateRms, double[] constant,
                          long[] chosen) {
        /** The level chosen most often, and its share of the choices. */
        public int modeLevel() {
            int best = 0;
            for (int l = 1; l < chosen.length; l++) {
                best = chosen[l] > chosen[best] ? l : best;
            }
            return best;
        }

        public double modeShare() {
            long n = 0;
            for (long c : chosen) {
                n += c;
            }
            return n == 0 ? 0 : (double) chosen[modeLevel()] / n;
        }
    }

    /** Sums for one role: each agent-tick's level differences. */
    static final class Accumulator {
        private final int levels;
        private final List<double[]> rows = new ArrayList<>();
        private final long[] chosen;

        Accumulator(int levels) {
            this.levels = levels;
            this.chosen = new long[levels];
        }

        /** One agent-tick's values of every level. */
        void add(float[] values, int offset) {
            double mean = 0;
            int best = 0;
            for (int l = 0; l < levels; l++) {
                mean += values[offset + l];
                best = values[offset + l] > values[offset + best] ? l : best;
            }
            mean /= levels;
            double[] d = new double[levels];
            for (int l = 0; l < levels; l++) {
                d[l] = values[offset + l] - mean;
            }
            rows.add(d);
            chosen[best]++;
        }

        Figures figures(Role role, int agents) {
            double[] c = new double[levels];
            for (double[] d : rows) {
                for (int l = 0; l < levels; l++) {
                    c[l] += d[l] / rows.size();
                }
            }
            double total = 0;
            double rest = 0;
            for (double[] d : rows) {
                for (int l = 0; l < levels; l++) {
                    total += d[l] * d[l];
                    rest += (d[l] - c[l]) * (d[l] - c[l]);
                }
            }
            double share = total == 0 ? 1 : 1 - rest / total;
            return new Figures(role, agents, rows.size(), share, Math.sqrt(rest / Math.max(1, (long) rows.size() * levels)), c,
                    chosen.clone());
        }
    }

    /**
     * Runs {@code policy} on {@code scenario} for {@code ticks} ticks and measures each role that has a model and agents.
     * The policy must be a learned one ({@link OnnxPolicy}); it is not closed here.
     */
    public static List<Figures> measure(Scenario scenario, long seed, Policy policy, long ticks) {
        if (!(policy instanceof OnnxPolicy learned)) {
            throw new CohortException("policy " + policy.name() + " has no values to measure: name a learned one (learned or onnx:DIR)");
        }
        Accumulator[] acc = new Accumulator[Role.values().length];
        int[] agents = new int[acc.length];
        try (SimHarness h = SimHarness.open(scenario, seed, learned, SimHarness.Options.evaluation())) {
            for (long t = 0; t < ticks; t++) {
                Observations obs = h.beginStep();
                Decision d = learned.decide(obs);
                for (Role r : learned.modelRoles()) {
                    int n = obs.role(r).agents();
                    float[] v = learned.lastOutputs(r);
                    if (n == 0 || v == null || v.length == 0) {
                        continue;
                    }
                    int levels = v.length / n;
                    if (acc[r.ordinal()] == null) {
                        acc[r.ordinal()] = new Accumulator(levels);
                        agents[r.ordinal()] = n;
                    }
                    for (int i = 0; i < n; i++) {
                        acc[r.ordinal()].add(v, i * levels);
                    }
                }
                h.finishTick(d);
            }
        }
        List<Figures> out = new ArrayList<>();
        for (Role r : Role.values()) {
            if (acc[r.ordinal()] != null) {
                out.add(acc[r.ordinal()].figures(r, agents[r.ordinal()]));
            }
        }
        return out;
    }
}
