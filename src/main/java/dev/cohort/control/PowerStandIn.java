package dev.cohort.control;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;

/**
 * The controller's use of a {@link PowerEstimator}: each tick it asks for the power of the interval just observed, from
 * that interval's own observation where the estimator reads one ({@link PowerEstimator#observedWatts}); otherwise from a
 * copy of the previous tick's observations and the levels the agents held since (the new observation's current levels),
 * as a next-tick estimator was trained. Not thread-safe: the controller owns it.
 */
final class PowerStandIn {
    private final PowerEstimator estimator;
    private final Observations previous;
    private final Decision held;
    private boolean havePrevious;
    private boolean readsIntervals; // the estimator answered from the interval's own observation: no copy to keep
    private double predictedWatts = Double.NaN;
    private String note;

    PowerStandIn(PowerEstimator estimator, AgentLayout layout, Observations like) {
        this.estimator = estimator;
        this.previous = ObservationEncoder.blank(layout);
        this.held = Decision.noChange(like);
    }

    PowerEstimator estimator() {
        return estimator;
    }

    /**
     * The per-package estimate of the interval {@code obs} describes, or null (a forecasting estimator's first tick, or the
     * estimator failed: {@link #note} says why). Sets {@link #predictedWatts}.
     */
    double[] estimate(Observations obs) {
        predictedWatts = Double.NaN;
        note = null;
        try {
            double[] est = estimator.observedWatts(obs);
            readsIntervals = est != null;
            if (est == null) {
                if (!havePrevious) {
                    return null;
                }
                for (Role r : Role.values()) {
                    int[] l = held.levels(r);
                    for (int a = 0; a < l.length; a++) {
                        l[a] = obs.role(r).currentLevel(a);
                    }
                }
                est = estimator.packageWatts(previous, held);
            }
            double sum = 0;
            for (double w : est) {
                sum += w;
            }
            predictedWatts = sum;
            return Double.isNaN(sum) ? null : est;
        } catch (RuntimeException e) {
            note = "power estimator failed (" + e.getMessage() + "); no estimate this tick";
            return null;
        }
    }

    /** Keeps {@code obs} as the next tick's previous observations. */
    void remember(Observations obs) {
        if (readsIntervals) {
            return;
        }
        ObservationCopy.copy(obs, previous);
        havePrevious = true;
    }

    double predictedWatts() {
        return predictedWatts;
    }

    /** Why there is no estimate this tick (null when there is one, or it is the first tick). */
    String note() {
        return note;
    }

    /** The state a controller snapshot keeps. */
    record Saved(ObservationCopy previous, double predictedWatts) {
    }

    Saved save() {
        return new Saved(havePrevious ? ObservationCopy.of(previous) : null, predictedWatts);
    }

    void restore(Saved s) {
        havePrevious = s.previous() != null;
        if (havePrevious) {
            s.previous().copyTo(previous);
        }
        predictedWatts = s.predictedWatts();
    }
}
