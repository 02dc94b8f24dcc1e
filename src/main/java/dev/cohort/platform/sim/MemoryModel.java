package dev.cohort.platform.sim;

/**
 * One socket's shared memory: finds the loaded latency at which the traffic the cores generate and the
 * latency that traffic causes agree. Each memory user i (a request or batch thread, weighted by the share of
 * the step it runs) issues misses at {@code min(1/(1/f + m·L/k), cap/(line·m))·m} per ns, so traffic falls as
 * latency L rises; the latency curve rises with traffic. Below the peak the answer is the L with
 * {@code L = curve(traffic(L)/peak)}; when demand at the curve's cap still exceeds the peak, requests queue
 * and L rises further until traffic equals the peak (queued, not lost). Both conditions are monotone in L,
 * so bisection finds the one crossing. Allocation-free after construction.
 */
final class MemoryModel {
    private final MachineSpec.Memory spec;
    private final double peakBytesPerNano;
    private final double capNanos;
    // Users registered for this step.
    private final double[] weight;
    private final double[] invGhz;
    private final double[] missPerCycle;
    private final double[] stallPerMiss;
    private final double[] capCyclesPerNano;
    private int users;
    private double latencyNanos;

    MemoryModel(MachineSpec.Memory spec, int maxUsers) {
        this.spec = spec;
        this.peakBytesPerNano = spec.peakGBps();
        this.capNanos = spec.maxLatencyFactor() * spec.idleLatencyNanos();
        this.weight = new double[maxUsers];
        this.invGhz = new double[maxUsers];
        this.missPerCycle = new double[maxUsers];
        this.stallPerMiss = new double[maxUsers];
        this.capCyclesPerNano = new double[maxUsers];
        this.latencyNanos = spec.idleLatencyNanos();
    }

    /** Takes {@code other}'s users and last latency, a model of the same socket (a snapshot or its restore). */
    void copyFrom(MemoryModel other) {
        System.arraycopy(other.weight, 0, weight, 0, weight.length);
        System.arraycopy(other.invGhz, 0, invGhz, 0, invGhz.length);
        System.arraycopy(other.missPerCycle, 0, missPerCycle, 0, missPerCycle.length);
        System.arraycopy(other.stallPerMiss, 0, stallPerMiss, 0, stallPerMiss.length);
        System.arraycopy(other.capCyclesPerNano, 0, capCyclesPerNano, 0, capCyclesPerNano.length);
        users = other.users;
        latencyNanos = other.latencyNanos;
    }

    /**
     * Compute cycles per ns of a thread running at {@code ghz} with {@code missesPerCycle} and memory-level
     * parallelism {@code mlp} under latency {@code latencyNanos}, its traffic limited to {@code capBytesPerNano}.
     */
    static double cyclesPerNano(double ghz, double missesPerCycle, double mlp, double latencyNanos,
                                double capBytesPerNano, int lineBytes) {
        if (missesPerCycle <= 0) {
            return ghz;
        }
        double free = 1.0 / (1.0 / ghz + missesPerCycle * latencyNanos / mlp);
        return Math.min(free, capBytesPerNano / (lineBytes * missesPerCycle));
    }

    /** Starts a new step's list of memory users. */
    void clear() {
        users = 0;
    }

    /** Adds a user running a {@code weight} share of the step. Users without misses are not worth adding. */
    void add(double weightShare, double ghz, double missesPerCycle, double mlp, double capBytesPerNano) {
        if (weightShare <= 0 || missesPerCycle <= 0) {
            return;
        }
        weight[users] = weightShare;
        invGhz[users] = 1.0 / ghz;
        missPerCycle[users] = missesPerCycle;
        stallPerMiss[users] = 1.0 / mlp;
        capCyclesPerNano[users] = capBytesPerNano / (spec.lineBytes() * missesPerCycle);
        users++;
    }

    /** Traffic at latency {@code l}, bytes per ns (= GB/s). */
    private double trafficAt(double l) {
        double misses = 0;
        for (int i = 0; i < users; i++) {
            double r = 1.0 / (invGhz[i] + missPerCycle[i] * l * stallPerMiss[i]);
            double cap = capCyclesPerNano[i];
            misses += weight[i] * missPerCycle[i] * (r < cap ? r : cap);
        }
        return misses * spec.lineBytes();
    }

    /** True when the equilibrium latency is above {@code l}. */
    private boolean below(double l) {
        double rho = trafficAt(l) / peakBytesPerNano;
        return rho > 1.0 || l < spec.latencyNanos(rho);
    }

    /** Solves for this step's loaded latency, ns, starting from the last one. */
    double solve() {
        double l0 = spec.idleLatencyNanos();
        if (users == 0 || !below(l0)) {
            latencyNanos = l0;
            return l0;
        }
        double lo = l0;
        // Traffic can never exceed Σ w·line·k / L, so at this L it is within the peak and the curve is capped.
        double bound = 0;
        for (int i = 0; i < users; i++) {
            bound += weight[i] / stallPerMiss[i];
        }
        double hi = Math.max(capNanos, bound * spec.lineBytes() / peakBytesPerNano) * 1.0001;
        // Warm start: the answer usually moves little from one step to the next.
        double prevLo = latencyNanos * 0.995;
        double prevHi = latencyNanos * 1.005;
        if (prevLo > lo && prevHi < hi) {
            if (below(prevLo)) {
                lo = prevLo;
                if (!below(prevHi)) {
                    hi = prevHi;
                }
            } else {
                hi = prevLo;
            }
        }
        while (hi - lo > 0.01) {
            double mid = 0.5 * (lo + hi);
            if (below(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        latencyNanos = hi;
        return hi;
    }

    /** The latency found by the last {@link #solve}, ns. */
    double latencyNanos() {
        return latencyNanos;
    }
}
