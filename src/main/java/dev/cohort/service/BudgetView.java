package dev.cohort.service;

/**
 * The daemon's power budget as status and metrics show it ({@link DaemonBudget}), published after every tick; NaN for
 * what is not known.
 *
 * @param watts          the budget in force, W; NaN when none
 * @param spec           as written ({@code 80%}, {@code 120W}); null when none
 * @param source         config or tune; null when none
 * @param balancer       the balancer's name
 * @param stepSeconds    its step and judging window, s
 * @param lambda         λ in force
 * @param lambdaMax      the highest λ a balancer may set
 * @param powerWatts     package power of the last tick, W
 * @param powerSource    {@code measured} (RAPL) or {@code estimated} (the cost estimator); null when neither
 * @param predictedWatts the predicted package power, W: the cost estimator's for the last interval, else mpc's forecast
 * @param windowWatts    the last whole window's mean power, W
 * @param windows        whole windows judged while a budget was in force
 * @param overWindows    of them, windows whose mean power was over the budget
 * @param overAtBoundWindows the last windows in a row over the budget with λ at or near its bound (within 5% of its
 *                       range; {@code pi}, {@code mpc}): the budget is out of the balancer's reach while they last
 * @param stepNanos      what the last balancer step cost, ns (−1 before the first)
 */
record BudgetView(double watts, String spec, String source, String balancer, double stepSeconds, double lambda,
                  double lambdaMax, double powerWatts, String powerSource, double predictedWatts, double windowWatts,
                  long windows, long overWindows, long overAtBoundWindows, long stepNanos) {
    /** Where a tick's package power came from ({@code measured}, {@code estimated}); {@code before} without a tick; null: neither. */
    static String powerSource(dev.cohort.control.TickRecord r, String before) {
        if (r == null) {
            return before;
        }
        return r.powerSource() == dev.cohort.control.PowerSource.NONE ? null : r.powerSource().id();
    }

    /** The figures the journal writes beside each tick: the budget in force (null: none) and λ. */
    java.util.Map<String, Double> journalFields() {
        var m = new java.util.LinkedHashMap<String, Double>();
        m.put("budget_w", watts);
        m.put("lambda", lambda);
        return m;
    }
}
