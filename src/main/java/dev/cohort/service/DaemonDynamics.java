package dev.cohort.service;

import dev.cohort.balance.DynamicsModel;
import dev.cohort.platform.CohortException;
import dev.cohort.service.config.DaemonConfig;
import dev.cohort.service.config.Units;

/** The dynamics model the daemon's {@code mpc} balancer plans with ({@code dynamics_model}), opened and checked at start. */
final class DaemonDynamics {
    private DaemonDynamics() {
    }

    /**
     * The dynamics model {@code mpc} plans with, checked against the step and λ range it must serve.
     *
     * @throws CohortException one line naming the key: a missing or mismatched model
     */
    static DynamicsModel open(DaemonConfig cfg) {
        DaemonConfig.Budget b = cfg.budget();
        DynamicsModel m;
        try {
            m = DynamicsModel.open(b.dynamicsModel());
        } catch (CohortException e) {
            throw new CohortException("dynamics_model (for balancer mpc): " + e.getMessage());
        }
        long stepMillis = b.stepNanos() / 1_000_000;
        if (m.windowMillis() != stepMillis) {
            m.close();
            throw new CohortException("balancer_step " + Units.formatNanos(b.stepNanos()) + ": the dynamics model " + m.file()
                    + " was trained at a balancer step of " + m.windowMillis() + " ms (set balancer_step: " + m.windowMillis()
                    + "ms, or train one at this step)");
        }
        if (b.lambdaMax() > m.lambdaMax() + 1e-9) {
            m.close();
            throw new CohortException("lambda_max " + Units.trim(b.lambdaMax()) + " is above the " + Units.trim(m.lambdaMax())
                    + " the dynamics model " + m.file() + " was trained over (allowed 0.." + Units.trim(m.lambdaMax()) + ")");
        }
        String kappa = m.priceScaleDifference(dev.cohort.balance.PricedPolicy.DEFAULT_PRICE_SCALE, null);
        if (kappa != null) {
            m.close();
            throw new CohortException("dynamics_model (for balancer mpc): " + kappa);
        }
        return m;
    }
}
