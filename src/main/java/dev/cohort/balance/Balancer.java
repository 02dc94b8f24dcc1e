package dev.cohort.balance;

import dev.cohort.control.Controller;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.Platform;

/**
 * Holds a power budget while the same policy runs: once a balancer step (a window of whole ticks) it sees the
 * window's mean measured package power and may move what it controls. Each kind controls one thing only, so each
 * figure measures the balancer named ({@link BalancerKind}).
 */
public sealed interface Balancer extends AutoCloseable permits PiBalancer, RaplBalancer, GovernorBalancer, MpcBalancer {

    BalancerKind kind();

    /** Before the first tick: takes hold of what it controls (e.g. writes the power limit, saved first). */
    void start(Platform platform, Controller controller);

    /**
     * After the run's first tick, which ran on the knobs as found before the controller's first decision and which the
     * judge leaves out: a balancer that plans may plan from it, so that the first judged window starts at a planned
     * setting rather than at the floor. The default does nothing.
     */
    default void begin(TickRecord first, Controller controller) {
    }

    /** After every tick, before {@link #binding} and any window's end: a balancer that plans from the window's state sums it. */
    default void tick(TickRecord tick, Controller controller) {
    }

    /** At the end of each window, with the window's mean measured package power in W. */
    void window(double meanWatts, Platform platform, Controller controller);

    /** Whether the budget restrained anything in the tick just run. */
    boolean binding(TickRecord tick, Controller controller);

    /** Releases what it holds (a model); the default holds nothing. */
    @Override
    default void close() {
    }
}
