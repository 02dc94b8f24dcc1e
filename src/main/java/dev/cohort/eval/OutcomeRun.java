package dev.cohort.eval;

import dev.cohort.harness.oracle.OraclePolicy;
import dev.cohort.balance.BudgetFigures;

/**
 * One run of the outcome simulation ({@link OutcomeSweep}): a policy under one balancer (or the oracle holding the
 * budget itself) on one scenario, seed and budget.
 *
 * @param scenario       scenario name
 * @param budget         the budget as given ({@code 70%}, {@code 40W})
 * @param referenceWatts the mean power the same policy draws on this scenario and seed with no budget, W (what a
 *                       percent is of)
 * @param balancer       what held the budget: a balancer's key, or {@value OraclePolicy#NAME}
 * @param seed           simulator seed
 * @param metrics        the run's metrics
 * @param figures        how it held the budget, judged over the balancer's windows
 */
public record OutcomeRun(String scenario, String budget, double referenceWatts, String balancer, long seed,
                         RunMetrics metrics, BudgetFigures figures) {

    /** The value delivered, in [0, 1] ({@link #value(RunMetrics)}). */
    public double value() {
        return value(metrics);
    }

    /**
     * The non-negative part of the objective: latency-critical requests served inside their SLO, as a share of all
     * requests (a dropped one counts as outside, as {@link RunMetrics#lcRequestsOverSlo} counts it), and best-effort
     * work done as a share of unthrottled ({@link RunMetrics#beWorkShare}); their mean, so 1 is every request inside
     * the SLO and every job at full speed. A scenario with only one of the two kinds of work is valued by that one
     * alone. NaN when it has neither.
     */
    public static double value(RunMetrics m) {
        double served = m.lcRequests() == 0 ? Double.NaN : 1 - m.lcRequestsOverSloShare();
        double work = m.beWorkShare();
        if (Double.isFinite(served) && Double.isFinite(work)) {
            return (served + work) / 2;
        }
        return Double.isFinite(served) ? served : work;
    }

    /** Requests served inside the SLO as a share of all requests (NaN without requests). */
    public double servedInSloShare() {
        return metrics.lcRequests() == 0 ? Double.NaN : 1 - metrics.lcRequestsOverSloShare();
    }
}
