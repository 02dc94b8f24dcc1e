package dev.cohort.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The PI balancer against a plant whose power falls with λ (what a policy that follows λ is): it settles at the budget
 * from any start, never leaves [floor, max], and holds the floor while the budget is slack.
 */
class PiBalancerTest {
    /** Window power of a plant whose power falls linearly with λ, W. */
    private static double plant(double lambda) {
        return 120 - 15 * lambda;
    }

    private static double settle(PiBalancer pi, int windows) {
        double lambda = pi.lambda();
        for (int i = 0; i < windows; i++) {
            lambda = step(pi, plant(lambda));
        }
        return lambda;
    }

    /** One window: the balancer's new λ after seeing the window's power (its controller is not needed here). */
    private static double step(PiBalancer pi, double watts) {
        pi.update(watts);
        return pi.lambda();
    }

    @Test
    void itSettlesAtTheBudget() {
        PiBalancer pi = new PiBalancer(90, 1, 4, PiBalancer.DEFAULT_KP, PiBalancer.DEFAULT_KI);
        double lambda = settle(pi, 60);
        assertEquals(90, plant(lambda), 0.5, "power at the budget after 60 windows, λ = " + lambda);
        assertEquals(2, lambda, 0.05);
    }

    @Test
    void itStaysInItsBoundsAndAtTheFloorWhileSlack() {
        PiBalancer slack = new PiBalancer(200, 1, 4, PiBalancer.DEFAULT_KP, PiBalancer.DEFAULT_KI);
        assertEquals(1, settle(slack, 30), 0.0, "a slack budget never lowers λ under its floor");
        PiBalancer tight = new PiBalancer(20, 1, 4, PiBalancer.DEFAULT_KP, PiBalancer.DEFAULT_KI);
        assertEquals(4, settle(tight, 30), 0.0, "an unreachable budget holds λ at its maximum");
        // and when the budget loosens again it comes straight back down: nothing was wound up at the bound
        PiBalancer back = new PiBalancer(20, 1, 4, PiBalancer.DEFAULT_KP, PiBalancer.DEFAULT_KI);
        settle(back, 30);
        double lambda = step(back, 10);
        assertTrue(lambda < 4, "the first slack window lowers λ: " + lambda);
    }
}
