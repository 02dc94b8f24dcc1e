package dev.cohort.platform.sim;

/**
 * CFS bandwidth control of one cgroup: at most {@code quota} ns of CPU time per period; when the budget is
 * spent the cgroup is throttled until the period ends. Periods run back to back from the moment the quota
 * was set. Counts what cgroup v2's {@code cpu.stat} shows: periods, throttled periods, throttled time.
 * Mutable, owned by the engine; no allocation.
 */
final class CfsBandwidth {
    private long quotaNanos = -1;
    private long periodNanos = CpuMax.DEFAULT_PERIOD_USEC * 1000;
    private long periodEndNanos = Long.MAX_VALUE;
    private double leftNanos = Double.POSITIVE_INFINITY;
    private boolean throttledThisPeriod;
    /** Periods elapsed while a quota was set ({@code nr_periods}). */
    long periods;
    /** Periods in which the budget ran out ({@code nr_throttled}). */
    long throttledPeriods;
    /** Wall time spent throttled, ns ({@code throttled_usec} × 1000). */
    double throttledNanos;

    /** Takes every field of {@code other} (a snapshot or its restore). */
    void copyFrom(CfsBandwidth other) {
        quotaNanos = other.quotaNanos;
        periodNanos = other.periodNanos;
        periodEndNanos = other.periodEndNanos;
        leftNanos = other.leftNanos;
        throttledThisPeriod = other.throttledThisPeriod;
        periods = other.periods;
        throttledPeriods = other.throttledPeriods;
        throttledNanos = other.throttledNanos;
    }

    /** Sets quota and period at {@code nowNanos}; a new period starts now with a full budget. */
    void set(CpuMax max, long nowNanos) {
        periodNanos = max.periodUsec() * 1000;
        quotaNanos = max.unlimitedQuota() ? -1 : max.quotaUsec() * 1000;
        leftNanos = quotaNanos < 0 ? Double.POSITIVE_INFINITY : quotaNanos;
        periodEndNanos = quotaNanos < 0 ? Long.MAX_VALUE : nowNanos + periodNanos;
        throttledThisPeriod = false;
    }

    /** True when a quota is set. */
    boolean limited() {
        return quotaNanos >= 0;
    }

    /** When the current period ends, ns ({@code Long.MAX_VALUE} without a quota). */
    long periodEndNanos() {
        return periodEndNanos;
    }

    /** Budget left in this period, ns (infinite without a quota). */
    double leftNanos() {
        return leftNanos;
    }

    /** Takes {@code nanos} from the budget (the caller never takes more than is left). */
    void take(double nanos) {
        if (quotaNanos >= 0) {
            leftNanos = Math.max(0, leftNanos - nanos);
        }
    }

    /** The budget is spent: the cgroup is throttled for the rest of the period. */
    void exhaust() {
        leftNanos = 0;
        throttledThisPeriod = true;
    }

    /** True when a quota is set and nothing of it is left. */
    boolean exhausted() {
        return quotaNanos >= 0 && leftNanos <= 0;
    }

    /** Ends the current period: counts it and refills the budget. */
    void newPeriod() {
        periods++;
        if (throttledThisPeriod) {
            throttledPeriods++;
        }
        throttledThisPeriod = false;
        leftNanos = quotaNanos;
        periodEndNanos += periodNanos;
    }

    /** Ends every period that is over at {@code nanos}. */
    void rollTo(long nanos) {
        while (quotaNanos >= 0 && nanos >= periodEndNanos) {
            newPeriod();
        }
    }

    /**
     * For work that would use CPU time at a steady rate over [t0, t1), {@code wantNanos} in all: the CPU time
     * the quota lets it use, crossing period boundaries inside the interval. Counts throttled time.
     */
    double consume(long t0, long t1, double wantNanos) {
        if (quotaNanos < 0) {
            return wantNanos;
        }
        double rate = wantNanos / (t1 - t0);
        double used = 0;
        long t = t0;
        while (t < t1) {
            long segEnd = Math.min(t1, periodEndNanos);
            double segWant = rate * (segEnd - t);
            if (leftNanos >= segWant) {
                leftNanos -= segWant;
                used += segWant;
            } else {
                used += leftNanos;
                double ranFor = rate > 0 ? leftNanos / rate : 0;
                throttledNanos += (segEnd - t) - ranFor;
                exhaust();
            }
            t = segEnd;
            if (t == periodEndNanos) {
                newPeriod();
            }
        }
        return used;
    }
}
