package dev.cohort.learn.train;

import dev.cohort.learn.nn.AgentNet;
import dev.cohort.learn.nn.ParamSet;
import dev.cohort.policy.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code evaluation.perRole}: a team put together role by role inside one run. At each evaluation, beside the weights
 * just evaluated, the best weights so far are judged with one role's agents taken from those weights, one role at a time,
 * so a role that learns its part late (the quota agents' batch job) is kept without giving up another role's earlier
 * best. It is what {@code docs/results.md}, "A team chosen per role", did by hand across runs; a greedy coordinate
 * search, one role per step, over the weights the run passes through. Selection only: the learner never sees these
 * weights.
 */
final class RoleSwaps {
    private RoleSwaps() {
    }

    /** One team tried: {@code role}'s agents from the evaluated weights, the rest from the best so far. */
    record Trial(Role role, ParamSet weights, List<Evaluator.ScenarioResult> results) {
    }

    /**
     * The best weights with {@code role}'s agents' tensors (those under its network's prefix) replaced by
     * {@code from}'s; neither argument changes.
     */
    static ParamSet swap(ParamSet best, ParamSet from, AgentNet roleNet) {
        ParamSet out = best.copy();
        String prefix = roleNet.prefix() + ".";
        for (String name : out.names()) {
            if (name.startsWith(prefix)) {
                float[] src = from.get(name);
                System.arraycopy(src, 0, out.get(name), 0, src.length);
            }
        }
        return out;
    }

    /**
     * Judges, for each role seen in training (when more than one is), the best weights with that role's agents from
     * {@code evaluated}; a role whose agents are already the best's is skipped. None when there are no best weights yet.
     *
     * @param nets  the learner's agent networks, one per role in {@link Role} order
     * @param judge evaluates weights on the run's validation scenarios and seeds
     */
    static List<Trial> run(ParamSet best, ParamSet evaluated, List<AgentNet> nets, boolean[] rolesSeen,
                           Function<ParamSet, List<Evaluator.ScenarioResult>> judge) {
        List<Trial> out = new ArrayList<>();
        int seen = 0;
        for (boolean b : rolesSeen) {
            seen += b ? 1 : 0;
        }
        if (best == null || seen < 2) {
            return out;
        }
        for (Role r : Role.values()) {
            if (!rolesSeen[r.ordinal()]) {
                continue;
            }
            AgentNet net = nets.get(r.ordinal());
            if (same(best, evaluated, net.prefix() + ".")) {
                continue;
            }
            ParamSet team = swap(best, evaluated, net);
            out.add(new Trial(r, team, judge.apply(team)));
        }
        return out;
    }

    private static boolean same(ParamSet a, ParamSet b, String prefix) {
        for (String name : a.names()) {
            if (name.startsWith(prefix) && !java.util.Arrays.equals(a.get(name), b.get(name))) {
                return false;
            }
        }
        return true;
    }
}
