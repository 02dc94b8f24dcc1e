package dev.cohort.balance;

import dev.cohort.control.Controller;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.Platform;

/**
 * Today's clamp as a rival: the safety governor, built with the budget ({@code GovernorConfig.powerBudgetWatts}),
 * steps down one level per tick the cores of domains that serve no latency-critical work while package power is over
 * the budget. This balancer only reports when that happens; the caller builds the governor with the budget, and only
 * for this balancer, so that no other rival gets the clamp.
 */
public final class GovernorBalancer implements Balancer {
    private final double budgetWatts;

    public GovernorBalancer(double budgetWatts) {
        this.budgetWatts = budgetWatts;
    }

    @Override
    public BalancerKind kind() {
        return BalancerKind.GOVERNOR;
    }

    @Override
    public void start(Platform platform, Controller controller) {
        // the clamp is the governor's
    }

    @Override
    public void window(double meanWatts, Platform platform, Controller controller) {
        // the clamp acts per tick
    }

    @Override
    public boolean binding(TickRecord tick, Controller controller) {
        return tick.packageWatts() > budgetWatts;
    }
}
