package dev.cohort.learn.train;

import dev.cohort.learn.nn.ParamSet;
import dev.cohort.policy.Role;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Keeps the weights with the best evaluation score of a run (what is exported at the end when they beat the final
 * weights). Its figures live in the {@link RunState}, so they survive a checkpoint and a resume.
 */
final class BestWeights {
    private final RunState s;

    BestWeights(RunState s) {
        this.s = s;
    }

    /**
     * Offers weights evaluated with {@code score}; kept when better than every earlier offer.
     *
     * @param iteration the iteration after which the weights were taken
     * @param envSteps  environment ticks the weights had seen
     * @return true when kept
     */
    boolean offer(double score, long iteration, long envSteps, ParamSet weights) {
        if (!(score > s.bestScore)) {
            return false;
        }
        s.bestScore = score;
        s.bestIteration = iteration;
        s.bestEnvSteps = envSteps;
        s.best = weights.copy();
        Arrays.fill(s.bestRoleEnvSteps, envSteps);
        return true;
    }

    /** Per role, the ticks the best weights' agents had seen ({@link #offerRole}'s {@code baseEnvSteps}). */
    long[] roleEnvSteps() {
        return s.bestRoleEnvSteps.clone();
    }

    /**
     * Offers a team ({@link RoleSwaps}): best weights whose roles came from {@code baseEnvSteps} ({@link #roleEnvSteps}
     * when the team was built, which whole weights kept since may have replaced) with {@code role}'s agents taken from
     * weights evaluated after {@code envSteps} ticks; kept when better than every earlier offer.
     */
    boolean offerRole(double score, Role role, long iteration, long envSteps, ParamSet weights, long[] baseEnvSteps) {
        long[] was = baseEnvSteps.clone();
        if (!offer(score, iteration, envSteps, weights)) {
            return false;
        }
        was[role.ordinal()] = envSteps;
        s.bestRoleEnvSteps = was;
        s.bestEnvSteps = Arrays.stream(was).max().orElse(envSteps); // the latest role's
        return true;
    }

    /**
     * Where the kept weights came from, for the report: "after N ticks", or for a team put together role by role, each
     * role's ticks among {@code seen} ("core agents after N ticks, quota agents after M").
     */
    String origin(boolean[] seen) {
        long[] t = s.bestRoleEnvSteps;
        List<Role> roles = Arrays.stream(Role.values()).filter(r -> seen[r.ordinal()]).toList();
        if (roles.stream().mapToLong(r -> t[r.ordinal()]).distinct().count() <= 1) {
            return "after " + s.bestEnvSteps + " ticks";
        }
        return "a team: " + roles.stream().map(r -> r.id() + " agents after " + t[r.ordinal()] + " ticks")
                .collect(Collectors.joining(", "));
    }

    /** True when some evaluated weights score above {@code score}. */
    boolean beats(double score) {
        return s.best != null && s.bestScore > score;
    }

    ParamSet weights() {
        return s.best;
    }

    double score() {
        return s.bestScore;
    }

    long iteration() {
        return s.bestIteration;
    }

    long envSteps() {
        return s.bestEnvSteps;
    }
}
