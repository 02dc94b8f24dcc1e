package dev.cohort.balance;

/**
 * How a run held a power budget, judged over fixed windows (the balancer's step, and RAPL's own averaging): each
 * window's mean package power P against the budget B. After MaRCA: μ is the budget use, the mean of
 * {@code min(P, B)/B}; ν the over-use, the mean of {@code max(P − B, 0)/B}.
 *
 * @param budgetWatts      the budget, W
 * @param balancer         what held it ({@link BalancerKind#key()})
 * @param windowSeconds    the window length, s
 * @param windows          whole windows in the run
 * @param overBudgetShare  share of windows whose mean power is over the budget
 * @param budgetUse        μ over the windows where the budget binds (the balancer restrains: λ above its floor, the
 *                         power limit's frequency ceiling below the top, or the governor's clamp acting); NaN when it
 *                         never binds
 * @param budgetUseAll     μ over all windows
 * @param overBudgetUse    ν over all windows
 * @param bindingShare     share of windows where the budget binds
 * @param meanLambda       the mean λ over the run's ticks
 * @param powerSource      what the balancer saw: {@code measured} (RAPL) or the estimator's source line (where the
 *                         machine shows no RAPL); the judge counts the true energy either way
 */
public record BudgetFigures(double budgetWatts, String balancer, double windowSeconds, int windows, double overBudgetShare,
                            double budgetUse, double budgetUseAll, double overBudgetUse, double bindingShare,
                            double meanLambda, String powerSource) {

    /** Figures of a balancer that saw measured power. */
    public BudgetFigures(double budgetWatts, String balancer, double windowSeconds, int windows, double overBudgetShare,
                         double budgetUse, double budgetUseAll, double overBudgetUse, double bindingShare, double meanLambda) {
        this(budgetWatts, balancer, windowSeconds, windows, overBudgetShare, budgetUse, budgetUseAll, overBudgetUse, bindingShare,
                meanLambda, "measured");
    }

    /** The same figures, with the power the balancer saw labelled {@code source}. */
    public BudgetFigures withPowerSource(String source) {
        return new BudgetFigures(budgetWatts, balancer, windowSeconds, windows, overBudgetShare, budgetUse, budgetUseAll,
                overBudgetUse, bindingShare, meanLambda, source);
    }
}
