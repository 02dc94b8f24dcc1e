package dev.cohort.service;

import dev.cohort.control.Controller;
import dev.cohort.service.config.DaemonConfig;

/**
 * What the daemon runs with now: the configuration, the controller built from it and the power budget held on that
 * controller. Immutable; a reload builds a new one and the daemon swaps it in one place ({@link Daemon#swap}), so the
 * status and metrics threads always see a configuration, a controller and a budget that belong together.
 */
record Running(DaemonConfig cfg, Controller controller, DaemonBudget budget) {
    /** Closes what the controller and the budget hold: the policy's models, the cost estimator, the dynamics model. */
    void close() {
        controller.policy().close();
        DaemonPolicies.closeEstimator(controller);
        budget.close();
    }
}
