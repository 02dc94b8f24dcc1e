package dev.cohort.control;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;

/**
 * Predicts each package's power over the next tick from one tick's observations and the levels the agents will hold:
 * what stands in for RAPL where a host has none ({@link Controller#setPowerEstimator}). The cost estimator implements
 * it; the controller knows only this interface (control never imports balance).
 */
public interface PowerEstimator {
    /**
     * Per package, W, over the tick after {@code obs} with the agents at {@code levels} ({@link Decision#NO_CHANGE}: the
     * agent's current level); NaN for a package it cannot estimate.
     */
    double[] packageWatts(Observations obs, Decision levels);

    /**
     * Per package, W, over the interval {@code obs} describes (its counters measured over it, the agents at its current
     * levels): the estimate that stands in for a meter. Null when this estimator only forecasts; the controller then asks
     * {@link #packageWatts} of the previous tick's observations instead.
     */
    default double[] observedWatts(Observations obs) {
        return null;
    }

    /** Where the estimate comes from, for status lines and the journal, e.g. {@code estimated (cost model ...)}. */
    String source();
}
