package dev.cohort.learn.train;

import dev.cohort.learn.nn.ParamSet;

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
        return true;
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
