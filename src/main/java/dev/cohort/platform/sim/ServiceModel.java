package dev.cohort.platform.sim;

import dev.cohort.platform.LatencyHistogram;

/**
 * One latency-critical service as a multi-server FCFS queue over its cores. Within a step each core's speed
 * is fixed (set by the engine from frequency, memory latency and CFS sharing), and an event loop takes the
 * next of: an arrival, a completion, the CPU quota running out, the quota period ending. Arrival and
 * completion times are therefore exact, which is what makes the Erlang C check meaningful. A freed core
 * takes the head of the queue; an arrival takes a free core, preferring one no batch thread competes for.
 * State lives in primitive arrays; no allocation per step except when the queue must grow.
 */
final class ServiceModel {
    private static final double NEVER = Double.POSITIVE_INFINITY;

    final int cores;
    final int[] cpus;
    private final ArrivalProcess arrivals;
    private final double sloNanos;
    private final int maxQueue;
    final CfsBandwidth quota = new CfsBandwidth();
    final LatencyHistogram latency = new LatencyHistogram();

    // Per core (slot), set by the engine before each step.
    /** Compute cycles per ns a request makes while this core runs it (already scaled by {@link #share}). */
    final double[] speed;
    /** Share of the core the service gets while a request runs (1 unless a batch thread competes). */
    final double[] share;
    /** Wall time a request ran on the core during the last step, ns (output). */
    final double[] runNanos;

    // Per core request state.
    private final boolean[] busy;
    private final double[] remainingCycles;
    private final double[] arrivedAt;
    /** When each core's request finishes at the present speeds (+infinity when idle or throttled). */
    private final MinTree done;
    private final double[] runSince;
    private int busyCount;

    // FCFS queue as a ring buffer.
    private double[] queueArrival = new double[1024];
    private double[] queueCycles = new double[1024];
    private int queueHead;
    private int queueCount;

    private boolean throttled;
    private double throttledSince;
    private double consumeRate;

    /** Requests finished (and dropped, see {@link #dropped}). */
    long requests;
    /** Requests slower than the SLO, plus dropped ones. */
    long violations;
    /** Arrivals dropped because the queue was full. */
    long dropped;
    /** CPU time used in the last step, ns. */
    double stepCpuNanos;
    /** Wall time in the last step during which a request waited (queued, or held while throttled), ns. */
    double stepWaitNanos;

    ServiceModel(ServiceSpec spec, int[] cpus, ArrivalProcess arrivals) {
        this.cores = cpus.length;
        this.cpus = cpus;
        this.arrivals = arrivals;
        this.sloNanos = spec.sloUsec() * 1000.0;
        this.maxQueue = spec.maxQueue();
        this.speed = new double[cores];
        this.share = new double[cores];
        this.runNanos = new double[cores];
        this.busy = new boolean[cores];
        this.remainingCycles = new double[cores];
        this.arrivedAt = new double[cores];
        this.done = new MinTree(cores);
        this.runSince = new double[cores];
    }

    /**
     * Takes every piece of {@code other}'s state, a model of the same service: requests in flight and queued, quota,
     * latency histogram, counts and the arrival streams (a snapshot or its restore). Allocates only when the queue's
     * capacity differs.
     */
    void copyFrom(ServiceModel other) {
        System.arraycopy(other.speed, 0, speed, 0, cores);
        System.arraycopy(other.share, 0, share, 0, cores);
        System.arraycopy(other.runNanos, 0, runNanos, 0, cores);
        System.arraycopy(other.busy, 0, busy, 0, cores);
        System.arraycopy(other.remainingCycles, 0, remainingCycles, 0, cores);
        System.arraycopy(other.arrivedAt, 0, arrivedAt, 0, cores);
        System.arraycopy(other.runSince, 0, runSince, 0, cores);
        done.copyFrom(other.done);
        busyCount = other.busyCount;
        if (queueArrival.length != other.queueArrival.length) {
            queueArrival = new double[other.queueArrival.length];
            queueCycles = new double[other.queueCycles.length];
        }
        // the ring keeps its layout: copy the live part where it sits
        for (int i = 0; i < other.queueCount; i++) {
            int k = (other.queueHead + i) % queueArrival.length;
            queueArrival[k] = other.queueArrival[k];
            queueCycles[k] = other.queueCycles[k];
        }
        queueHead = other.queueHead;
        queueCount = other.queueCount;
        throttled = other.throttled;
        throttledSince = other.throttledSince;
        consumeRate = other.consumeRate;
        requests = other.requests;
        violations = other.violations;
        dropped = other.dropped;
        stepCpuNanos = other.stepCpuNanos;
        stepWaitNanos = other.stepWaitNanos;
        quota.copyFrom(other.quota);
        latency.copyFrom(other.latency);
        arrivals.copyFrom(other.arrivals);
    }

    /** Another future for this service's arrivals ({@link ArrivalProcess#reseed}). */
    void reseedArrivals(long salt) {
        arrivals.reseed(salt);
    }

    /** Requests waiting for a core. */
    int queued() {
        return queueCount;
    }

    /** Runs the queue over [t0, t1): speeds and shares must be set. */
    void step(long t0Nanos, long t1Nanos) {
        double t0 = t0Nanos;
        double t1 = t1Nanos;
        stepCpuNanos = 0;
        stepWaitNanos = 0;
        quota.rollTo(t0Nanos);
        if (throttled && !quota.exhausted()) {
            throttled = false;
        }
        if (!throttled && quota.exhausted()) {
            // The budget ran out exactly at the end of the last step.
            quota.exhaust();
            throttled = true;
            throttledSince = t0;
        }
        consumeRate = 0;
        for (int c = 0; c < cores; c++) {
            runNanos[c] = 0;
            if (busy[c]) {
                consumeRate += share[c];
                runSince[c] = t0;
                done.setQuietly(c, throttled ? NEVER : t0 + remainingCycles[c] / speed[c]);
            }
        }
        done.rebuild();
        double t = t0;
        while (true) {
            double tArrival = arrivals.nextNanos();
            double tDone = done.minTime();
            double tPeriod = quota.limited() ? quota.periodEndNanos() : NEVER;
            double tExhaust = !throttled && quota.limited() && consumeRate > 0 ? t + quota.leftNanos() / consumeRate : NEVER;
            double tn = Math.min(Math.min(tArrival, tDone), Math.min(tPeriod, tExhaust));
            if (tn >= t1) {
                break;
            }
            account(t, tn);
            t = tn;
            if (tn == tExhaust) {
                throttle(t);
            } else if (tn == tPeriod) {
                quota.newPeriod();
                unthrottle(t);
            } else if (tn == tDone) {
                complete(done.minIndex(), t);
            } else {
                arrive(t);
            }
        }
        account(t, t1);
        if (throttled) {
            quota.throttledNanos += t1 - throttledSince;
            throttledSince = t1;
        }
        for (int c = 0; c < cores; c++) {
            if (busy[c] && !throttled) {
                runNanos[c] += t1 - runSince[c];
                remainingCycles[c] = Math.max(0, (done.time(c) - t1) * speed[c]);
            }
        }
        // A period ending exactly at the step's end is counted now, so a sample taken then sees it.
        quota.rollTo(t1Nanos);
    }

    /** Charges CPU time and waiting time for the interval [t, tn) in which nothing changed. */
    private void account(double t, double tn) {
        double dt = tn - t;
        if (dt <= 0) {
            return;
        }
        if (!throttled) {
            double used = consumeRate * dt;
            stepCpuNanos += used;
            quota.take(used);
        }
        if (queueCount > 0 || (throttled && busyCount > 0)) {
            stepWaitNanos += dt;
        }
    }

    private void throttle(double t) {
        quota.exhaust();
        throttled = true;
        throttledSince = t;
        for (int c = 0; c < cores; c++) {
            if (busy[c]) {
                runNanos[c] += t - runSince[c];
                remainingCycles[c] = Math.max(0, (done.time(c) - t) * speed[c]);
                done.setQuietly(c, NEVER);
            }
        }
        done.rebuild();
    }

    private void unthrottle(double t) {
        if (!throttled) {
            return;
        }
        quota.throttledNanos += t - throttledSince;
        throttled = false;
        for (int c = 0; c < cores; c++) {
            if (busy[c]) {
                runSince[c] = t;
                done.setQuietly(c, t + remainingCycles[c] / speed[c]);
            }
        }
        done.rebuild();
    }

    private void complete(int c, double t) {
        long ns = Math.round(t - arrivedAt[c]);
        latency.record(ns);
        requests++;
        if (ns > sloNanos) {
            violations++;
        }
        runNanos[c] += t - runSince[c];
        if (queueCount > 0) {
            double a = queueArrival[queueHead];
            double cycles = queueCycles[queueHead];
            queueHead = (queueHead + 1) % queueArrival.length;
            queueCount--;
            busy[c] = false;
            busyCount--;
            consumeRate -= share[c];
            start(c, a, cycles, t);
        } else {
            busy[c] = false;
            busyCount--;
            consumeRate -= share[c];
            if (busyCount == 0) {
                consumeRate = 0;
            }
            done.set(c, NEVER);
        }
    }

    private void arrive(double t) {
        double cycles = arrivals.nextCycles();
        arrivals.advance();
        int c = freeCore();
        if (c >= 0) {
            start(c, t, cycles, t);
        } else if (queueCount < maxQueue) {
            enqueue(t, cycles);
        } else {
            dropped++;
            requests++;
            violations++;
        }
    }

    private void start(int c, double arrived, double cycles, double t) {
        busy[c] = true;
        busyCount++;
        consumeRate += share[c];
        arrivedAt[c] = arrived;
        remainingCycles[c] = cycles;
        runSince[c] = t;
        done.set(c, throttled ? NEVER : t + cycles / speed[c]);
    }

    /** A free core, preferring one without a competing batch thread; -1 if all are busy. */
    private int freeCore() {
        if (busyCount == cores) {
            return -1;
        }
        int firstFree = -1;
        for (int c = 0; c < cores; c++) {
            if (!busy[c]) {
                if (share[c] >= 1.0) {
                    return c;
                }
                if (firstFree < 0) {
                    firstFree = c;
                }
            }
        }
        return firstFree;
    }

    private void enqueue(double arrived, double cycles) {
        if (queueCount == queueArrival.length) {
            grow();
        }
        int tail = (queueHead + queueCount) % queueArrival.length;
        queueArrival[tail] = arrived;
        queueCycles[tail] = cycles;
        queueCount++;
    }

    private void grow() {
        int n = queueArrival.length;
        double[] a = new double[2 * n];
        double[] s = new double[2 * n];
        for (int i = 0; i < queueCount; i++) {
            a[i] = queueArrival[(queueHead + i) % n];
            s[i] = queueCycles[(queueHead + i) % n];
        }
        queueArrival = a;
        queueCycles = s;
        queueHead = 0;
    }
}
