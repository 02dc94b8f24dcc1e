package dev.cohort.platform;

/**
 * Rates over the interval between two samples: the one place where cumulative counters become
 * utilisation, power, bandwidth, IPC and interval latency. Every method returns NaN when the signals it
 * needs are absent, so a consumer can degrade per value. Counters that go backwards (a reset, such as a
 * resctrl group re-created) give NaN for that interval rather than a negative rate.
 */
public final class TelemetryInterval {
    private final Telemetry prev;
    private final Telemetry cur;
    private final double seconds;
    private final LatencyHistogram[] latency;

    private TelemetryInterval(Telemetry prev, Telemetry cur) {
        this.prev = prev;
        this.cur = cur;
        this.seconds = (cur.timestampNanos() - prev.timestampNanos()) / 1e9;
        this.latency = new LatencyHistogram[cur.has(Signal.CGROUP_LATENCY) ? cur.width(Signal.CGROUP_LATENCY) : 0];
    }

    /**
     * The interval from {@code prev} to {@code cur}.
     *
     * @throws IllegalArgumentException when {@code cur} is not later than {@code prev}
     */
    public static TelemetryInterval between(Telemetry prev, Telemetry cur) {
        if (cur.timestampNanos() <= prev.timestampNanos()) {
            throw new IllegalArgumentException("TelemetryInterval: samples are not in time order ("
                    + prev.timestampNanos() + " ns then " + cur.timestampNanos() + " ns)");
        }
        return new TelemetryInterval(prev, cur);
    }

    /** The later sample. */
    public Telemetry current() {
        return cur;
    }

    /** The earlier sample. */
    public Telemetry previous() {
        return prev;
    }

    /** Length of the interval in seconds. */
    public double seconds() {
        return seconds;
    }

    /** True when both samples carry the signal. */
    public boolean has(Signal s) {
        return prev.has(s) && cur.has(s);
    }

    /** Increase of a counter over the interval; NaN if absent or if it went backwards. */
    public double delta(Signal s, int i) {
        if (!has(s)) {
            return Double.NaN;
        }
        long d = cur.counter(s, i) - prev.counter(s, i);
        return d < 0 ? Double.NaN : d;
    }

    /** Increase of a counter per second. */
    public double rate(Signal s, int i) {
        return delta(s, i) / seconds;
    }

    /** Busy share of CPU {@code cpu}'s time, 0..1. */
    public double utilisation(int cpu) {
        double busy = delta(Signal.CPU_BUSY_NANOS, cpu);
        double idle = delta(Signal.CPU_IDLE_NANOS, cpu);
        double total = busy + idle;
        return total > 0 ? Math.min(1.0, busy / total) : Double.NaN;
    }

    /** Instructions per cycle. */
    public double ipc(int cpu) {
        double cyc = delta(Signal.CPU_CYCLES, cpu);
        return cyc > 0 ? delta(Signal.CPU_INSTRUCTIONS, cpu) / cyc : Double.NaN;
    }

    /** Share of cycles stalled on memory, 0..1. */
    public double stallFraction(int cpu) {
        double cyc = delta(Signal.CPU_CYCLES, cpu);
        return cyc > 0 ? Math.min(1.0, delta(Signal.CPU_STALL_CYCLES, cpu) / cyc) : Double.NaN;
    }

    /** Effective frequency while busy in kHz: the gauge where there is one, else cycles over busy time. */
    public double freqKhz(int cpu) {
        if (cur.has(Signal.CPU_FREQ_KHZ)) {
            return cur.gauge(Signal.CPU_FREQ_KHZ, cpu);
        }
        double busyNs = delta(Signal.CPU_BUSY_NANOS, cpu);
        return busyNs > 0 ? delta(Signal.CPU_CYCLES, cpu) / busyNs * 1e6 : Double.NaN;
    }

    /** Package power in watts. */
    public double packageWatts(int pkg) {
        return delta(Signal.PKG_ENERGY_UJ, pkg) / 1e6 / seconds;
    }

    /** Sum of package power over all packages, W; NaN without RAPL. */
    public double totalPackageWatts() {
        if (!has(Signal.PKG_ENERGY_UJ)) {
            return Double.NaN;
        }
        double w = 0;
        for (int p = 0; p < cur.width(Signal.PKG_ENERGY_UJ); p++) {
            w += packageWatts(p);
        }
        return w;
    }

    /** Energy used by all packages over the interval, J; NaN without RAPL. */
    public double totalPackageJoules() {
        return totalPackageWatts() * seconds;
    }

    /** Memory traffic of a bandwidth domain, bytes per second. */
    public double memBytesPerSec(int domain) {
        return rate(Signal.MEM_BYTES, domain);
    }

    /** CPU time a cgroup used, in CPUs (1.0 = one CPU fully busy). */
    public double cgroupCpus(int g) {
        return delta(Signal.CGROUP_USAGE_USEC, g) / 1e6 / seconds;
    }

    /** Share of the interval's CFS periods in which the cgroup was throttled, 0..1. */
    public double throttledFraction(int g) {
        double periods = delta(Signal.CGROUP_PERIODS, g);
        if (periods == 0) {
            return 0;
        }
        return delta(Signal.CGROUP_THROTTLED_PERIODS, g) / periods;
    }

    /** Share of wall time in which some of the cgroup's tasks waited for a CPU (PSI cpu some), 0..1. */
    public double cpuPressure(int g) {
        return Math.min(1.0, delta(Signal.CGROUP_CPU_PRESSURE_SOME_USEC, g) / 1e6 / seconds);
    }

    /** The requests completed by cgroup {@code g} in this interval, or null if it records no latency. */
    public LatencyHistogram latency(int g) {
        if (g >= latency.length) {
            return null;
        }
        if (latency[g] == null && prev.has(Signal.CGROUP_LATENCY)) {
            LatencyHistogram c = cur.latency(g);
            LatencyHistogram p = prev.latency(g);
            if (c != null && p != null) {
                latency[g] = c.minus(p);
            }
        }
        return latency[g];
    }

    /**
     * Latency of cgroup {@code g} at quantile {@code q} over this interval, µs: from the histogram where the
     * backend records one, else the service-reported gauge; NaN with neither or with no requests.
     */
    public double latencyQuantileUsec(int g, double q) {
        LatencyHistogram h = latency(g);
        if (h != null) {
            return h.quantileNanos(q) / 1e3;
        }
        if (cur.has(Signal.CGROUP_LATENCY_QUANTILE_USEC)) {
            return cur.gauge(Signal.CGROUP_LATENCY_QUANTILE_USEC, g);
        }
        return Double.NaN;
    }
}
