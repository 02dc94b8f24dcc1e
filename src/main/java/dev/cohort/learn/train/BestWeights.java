package dev.cohort.learn.train;

import dev.cohort.learn.nn.ParamSet;
import dev.cohort.policy.Role;

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
        java.util.Arrays.fill(s.bestRoleEnvSteps, envSteps);
        return true;
    }

    /**
     * Offers the best weights with {@code role}'s agents taken from weights evaluated after {@code envSteps} ticks
     * ({@link RoleSwaps}); kept when better than every earlier offer, the other roles keeping the ticks they came from.
     */
    boolean offerRole(double score, Role role, long iteration, long envSteps, ParamSet weights) {
        long[] was = s.bestRoleEnvSteps.clone();
        if (!offer(score, iteration, envSteps, weights)) {
            return false;
        }
        System.arraycopy(was, 0, s.bestRoleEnvSteps, 0, was.length);
        s.bestRoleEnvSteps[role.ordinal()] = envSteps;
        s.bestEnvSteps = java.util.Arrays.stream(s.bestRoleEnvSteps).max().orElse(envSteps); // the latest role's
        return true;
    }

    /**
     * Where the kept weights came from, for the report: "after N ticks", or for a team put together role by role, each
     * role's ticks among {@code seen} ("core agents after N ticks, quota agents after M").
     */
    String origin(boolean[] seen) {
        long[] t = s.bestRoleEnvSteps;
        java.util.List<String> parts = new java.util.ArrayList<>();
        long first = -2;
        boolean team = false;
        for (Role r : Role.values()) {
            if (!seen[r.ordinal()]) {
                continue;
            }
            team |= first != -2 && t[r.ordinal()] != first;
            first = first == -2 ? t[r.ordinal()] : first;
            parts.add(r.id() + " agents after " + t[r.ordinal()] + " ticks");
        }
        return team ? "a team: " + String.join(", ", parts) : "after " + s.bestEnvSteps + " ticks";
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
