package dev.cohort.balance;

import dev.cohort.policy.Decision;
import dev.cohort.policy.Observations;
import dev.cohort.policy.Role;

/**
 * The cost side of MaRCA's split: what each agent's choice would cost in package power, from the state the agents
 * see. The cost estimator answers it at run time; tests may answer it from a formula.
 */
public interface LevelCost {

    /**
     * Predicted package power, W (all packages), over the next tick if agent {@code a} of {@code role} alone moved to
     * each of its levels while every other agent held {@code base} ({@link Decision#NO_CHANGE}: its current level).
     *
     * @return {@code [agent][level]}; an empty array for a role it cannot price (that role is then decided by value
     *         alone)
     */
    double[][] levelWatts(Observations obs, Role role, Decision base);
}
