package dev.cohort.balance;

import dev.cohort.control.Controller;
import dev.cohort.control.TickRecord;
import dev.cohort.platform.Platform;

/**
 * MaRCA's feedback variant: a PI controller on the energy price λ. Each window the relative error
 * {@code e = (P − B)/B} moves λ by {@code kp·(e − e_prev) + ki·e} (the velocity form, so holding λ at a bound winds
 * nothing up), within {@code [floor, max]}. The floor is the configured λ: a budget never makes the policy value energy
 * less than it does without one. It only works with a policy that follows λ.
 */
public final class PiBalancer implements Balancer {
    /** Gains per window, in λ per unit of relative power error, for a λ range of 3 ({@link #scaled} scales them). */
    public static final double DEFAULT_KP = 2.0;
    public static final double DEFAULT_KI = 1.0;

    private double budgetWatts;
    private final double floor;
    private final double max;
    private final double kp;
    private final double ki;
    private double lambda;
    private double lastError;

    /**
     * A PI balancer whose gains span its λ range: {@link #DEFAULT_KP} and {@link #DEFAULT_KI} per 3 units of λ between
     * floor and max (the range they were chosen for), so a wider range is crossed in as many windows.
     */
    public static PiBalancer scaled(double budgetWatts, double floor, double max) {
        double span = Math.max(max - floor, 1e-9) / 3;
        return new PiBalancer(budgetWatts, floor, max, DEFAULT_KP * span, DEFAULT_KI * span);
    }

    public PiBalancer(double budgetWatts, double floor, double max, double kp, double ki) {
        if (!(max >= floor)) {
            throw new IllegalArgumentException("PI balancer: λ_max " + max + " is below the floor " + floor);
        }
        this.budgetWatts = budgetWatts;
        this.floor = floor;
        this.max = max;
        this.kp = kp;
        this.ki = ki;
        this.lambda = floor;
    }

    @Override
    public BalancerKind kind() {
        return BalancerKind.PI;
    }

    @Override
    public void start(Platform platform, Controller controller) {
        controller.setLambda(lambda);
    }

    @Override
    public void window(double meanWatts, Platform platform, Controller controller) {
        controller.setLambda(update(meanWatts));
    }

    /** The new λ after a window of mean power {@code meanWatts}. */
    double update(double meanWatts) {
        double e = (meanWatts - budgetWatts) / budgetWatts;
        lambda = Math.clamp(lambda + kp * (e - lastError) + ki * e, floor, max);
        lastError = e;
        return lambda;
    }

    @Override
    public boolean binding(TickRecord tick, Controller controller) {
        return controller.lambda() > floor;
    }

    /**
     * Holds another budget from the next window on, keeping λ where it is (a budget moved at run time, e.g. by
     * {@code cohort tune budget}); the previous error is forgotten, as at the start.
     */
    public void retarget(double budgetWatts) {
        this.budgetWatts = budgetWatts;
        this.lastError = 0;
    }

    /** λ now. */
    public double lambda() {
        return lambda;
    }
}
