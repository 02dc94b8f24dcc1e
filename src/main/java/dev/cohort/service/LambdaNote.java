package dev.cohort.service;

import dev.cohort.balance.BalancerKind;
import dev.cohort.balance.PricedPolicy;
import dev.cohort.policy.Policy;
import dev.cohort.service.config.Units;

/** What the daemon's start says about λ under a power budget. */
final class LambdaNote {
    private LambdaNote() {
    }

    /**
     * {@code pi} and {@code mpc} move λ, and only a policy that reads λ responds (a learned one priced by the cost
     * estimator; the baselines ignore it). Null for the balancers that leave λ alone.
     */
    static String of(BalancerKind kind, double floor, double max, Policy policy) {
        if (kind != BalancerKind.PI && kind != BalancerKind.MPC) {
            return null;
        }
        String range = "balancer " + kind.key() + " holds the budget by moving λ (" + Units.trim(floor) + ".."
                + Units.trim(max) + ")";
        return policy instanceof PricedPolicy p
                ? range + ": policy " + p.name() + " follows it through the cost estimator's prices (PricedPolicy)"
                : range + ", which the configured policies ignore (baselines do; one learned policy for every role is priced"
                + " to follow it)";
    }
}
