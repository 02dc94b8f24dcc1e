package dev.cohort.balance;

/**
 * Cuts a run into windows of the balancer's step and keeps, per window, the mean package power and whether the budget
 * bound; gives {@link BudgetFigures} at the end. Energy comes in per tick, so a window is exact when the step is a
 * whole number of ticks (the balancer refuses anything else). Not thread-safe.
 */
public final class BudgetWindows {
    private final double budgetWatts;
    private final double windowSeconds;
    private double joules;
    private double seconds;
    private boolean binding;
    private int windows;
    private int over;
    private int bound;
    private double useAll;
    private double useBound;
    private double overUse;
    private double lambdaSum;
    private long ticks;

    public BudgetWindows(double budgetWatts, double windowSeconds) {
        this.budgetWatts = budgetWatts;
        this.windowSeconds = windowSeconds;
    }

    /**
     * One tick.
     *
     * @param energyJoules the tick's package energy
     * @param tickSeconds  its length
     * @param bindingNow   whether the budget restrained anything in the tick
     * @param lambda       λ in force in the tick
     * @return the window's mean power, W, when this tick closed a window; NaN otherwise
     */
    public double add(double energyJoules, double tickSeconds, boolean bindingNow, double lambda) {
        joules += energyJoules;
        seconds += tickSeconds;
        binding |= bindingNow;
        lambdaSum += lambda;
        ticks++;
        if (seconds + 1e-9 < windowSeconds) {
            return Double.NaN;
        }
        double watts = joules / seconds;
        windows++;
        double share = Math.min(watts, budgetWatts) / budgetWatts;
        useAll += share;
        overUse += Math.max(watts - budgetWatts, 0) / budgetWatts;
        if (watts > budgetWatts * (1 + 1e-9)) { // a window exactly at the budget is not over it
            over++;
        }
        if (binding) {
            bound++;
            useBound += share;
        }
        joules = 0;
        seconds = 0;
        binding = false;
        return watts;
    }

    /** The figures over the whole windows so far (a last partial window is left out). */
    public BudgetFigures figures(String balancer) {
        double n = windows;
        return new BudgetFigures(budgetWatts, balancer, windowSeconds, windows, windows == 0 ? Double.NaN : over / n,
                bound == 0 ? Double.NaN : useBound / bound, windows == 0 ? Double.NaN : useAll / n,
                windows == 0 ? Double.NaN : overUse / n, windows == 0 ? Double.NaN : bound / n,
                ticks == 0 ? Double.NaN : lambdaSum / ticks);
    }
}
