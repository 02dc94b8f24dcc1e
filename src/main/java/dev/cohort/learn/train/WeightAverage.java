package dev.cohort.learn.train;

import dev.cohort.learn.nn.ParamSet;

/**
 * An exponential moving average of the agents' weights (Polyak averaging of the iterates), what a run evaluates, keeps
 * and exports when {@code learning.weightAverage} is above 0. Why: between two evaluations the greedy policy of the
 * latest weights can swing from near the best baseline to far below it (docs/results.md); the average of the last few
 * hundred updates moves slowly, so the policy judged is the one the updates have been settling on, not the last
 * update's. The episodes are still collected with the latest weights, as value learners explore.
 */
final class WeightAverage {
    private final double tau;
    private ParamSet average;

    /**
     * @param tau     the rate, in (0, 1]: {@code avg ← (1 − τ)·avg + τ·w} after every update
     * @param average the average so far (a checkpoint's), or null to start from the first weights offered
     */
    WeightAverage(double tau, ParamSet average) {
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("learning.weightAverage must be in (0, 1], got " + tau);
        }
        this.tau = tau;
        this.average = average;
    }

    /** Folds the weights after an update into the average (the first weights offered start it). */
    void update(ParamSet weights) {
        if (average == null) {
            average = weights.copy();
        } else {
            average.softUpdate(weights, tau);
        }
    }

    /** A copy of the average; before any update, a copy of {@code weights}. */
    ParamSet snapshot(ParamSet weights) {
        return (average == null ? weights : average).copy();
    }

    /** The average itself, for the checkpoint (null before any update). */
    ParamSet state() {
        return average;
    }
}
