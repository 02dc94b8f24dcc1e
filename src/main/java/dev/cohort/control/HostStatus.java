package dev.cohort.control;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Signal;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.Topology;
import java.util.Arrays;

/**
 * What the last interval says about the host, computed once per tick and shared by the encoder, the
 * governor and the reward: per-CPU utilisation and stalls, per-cgroup usage, throttling, pressure, latency
 * and slack, power and bandwidth. Outside the controller it is read-only: accessors return values (or copies),
 * and only the controller updates it, reusing its arrays from tick to tick. A missing signal leaves NaN where
 * it would be; consumers substitute a neutral value.
 *
 * <p>Slack of a latency-critical cgroup is {@code 1 − latency/SLO} at its SLO quantile, clipped to [-1, 1].
 * Where the host reports no latency for it at all, slack falls back to a pressure proxy:
 * {@code 1 − pressure/0.2} (20% of time waiting for a CPU is taken as the edge of the SLO).
 */
public final class HostStatus {
    static final double PRESSURE_AT_SLO = 0.2;

    /** The per-CPU figures, for means over a set of CPUs ({@link #meanOver}). */
    public enum PerCpu {
        /** Busy share of the interval, 0..1. */
        UTIL,
        /** Memory-stall share of cycles, 0..1. */
        STALL,
        /** Instructions per cycle. */
        IPC,
        /** LLC misses per 1000 instructions. */
        MPKI
    }

    private final Topology topo;
    private final ControllerConfig cfg;
    private final double[] util;
    private final double[] stall;
    private final double[] ipc;
    private final double[] mpki;
    private final double[] cgroupCpus;
    private final double[] throttled;
    private final double[] pressure;
    private final double[] latencyUsec;
    private final double[] slack;
    /** Latency over SLO (or the pressure proxy over its edge), unclipped; 0 when nothing completed. */
    private final double[] loadRatio;
    private final double[] memUtil;
    private double packageWatts = Double.NaN;
    private double[] packageWattsEach = new double[0];
    private PowerSource powerSource = PowerSource.NONE;
    private double tickJoules = Double.NaN;
    private double seconds;
    private double membwUtilMax;
    private double minSlack = 1;
    private double stallShare;
    private BestEffortProgress progress;

    HostStatus(Topology t, ControllerConfig cfg) {
        this.topo = t;
        this.cfg = cfg;
        int n = t.cpuCount();
        util = new double[n];
        stall = new double[n];
        ipc = new double[n];
        mpki = new double[n];
        int g = t.cgroups().size();
        cgroupCpus = new double[g];
        throttled = new double[g];
        pressure = new double[g];
        latencyUsec = new double[g];
        slack = new double[g];
        loadRatio = new double[g];
        memUtil = new double[t.memoryDomains().size()];
        progress = new BestEffortProgress(t, BestEffortProgress.DEFAULT_WINDOW_TICKS);
    }

    /** Recomputes everything from the interval. */
    void update(TelemetryInterval iv) {
        seconds = iv.seconds();
        double cyc = 0;
        double stl = 0;
        boolean haveCycles = iv.has(Signal.CPU_CYCLES) && iv.has(Signal.CPU_STALL_CYCLES);
        for (int c = 0; c < util.length; c++) {
            util[c] = iv.utilisation(c);
            stall[c] = iv.stallFraction(c);
            ipc[c] = iv.ipc(c);
            double instr = iv.delta(Signal.CPU_INSTRUCTIONS, c);
            mpki[c] = instr > 0 ? iv.delta(Signal.CPU_LLC_MISSES, c) / instr * 1000 : Double.NaN;
            if (haveCycles) {
                cyc += iv.delta(Signal.CPU_CYCLES, c);
                stl += iv.delta(Signal.CPU_STALL_CYCLES, c);
            }
        }
        stallShare = cyc > 0 ? stl / cyc : Double.NaN;
        packageWatts = iv.totalPackageWatts();
        tickJoules = packageWatts * seconds;
        powerSource = Double.isNaN(packageWatts) ? PowerSource.NONE : PowerSource.MEASURED;
        if (packageWattsEach.length != topo.packageCount()) {
            packageWattsEach = new double[topo.packageCount()];
        }
        for (int p = 0; p < packageWattsEach.length; p++) {
            packageWattsEach[p] = iv.packageWatts(p);
        }
        membwUtilMax = 0;
        for (int m = 0; m < memUtil.length; m++) {
            memUtil[m] = iv.memBytesPerSec(m) / cfg.memPeakBytesPerSec();
            if (memUtil[m] > membwUtilMax) {
                membwUtilMax = memUtil[m];
            }
        }
        minSlack = 1;
        for (int g = 0; g < slack.length; g++) {
            Topology.CgroupInfo info = topo.cgroups().get(g);
            cgroupCpus[g] = iv.cgroupCpus(g);
            throttled[g] = iv.throttledFraction(g);
            pressure[g] = iv.cpuPressure(g);
            if (info.role() == CgroupRole.LATENCY_CRITICAL) {
                latencyUsec[g] = iv.latencyQuantileUsec(g, info.sloQuantile() > 0 ? info.sloQuantile() : 0.99);
                loadRatio[g] = ratioOf(info, latencyUsec[g], pressure[g], iv.has(Signal.CGROUP_LATENCY)
                        || iv.has(Signal.CGROUP_LATENCY_QUANTILE_USEC));
                slack[g] = clip(1 - loadRatio[g]);
                minSlack = Math.min(minSlack, slack[g]);
            } else {
                latencyUsec[g] = Double.NaN;
                loadRatio[g] = 0;
                slack[g] = 1;
            }
        }
        progress.update(iv);
    }

    private static double ratioOf(Topology.CgroupInfo info, double latencyUsec, double pressure, boolean hasLatency) {
        if (hasLatency && info.sloUsec() > 0) {
            return Double.isNaN(latencyUsec) ? 0 : latencyUsec / info.sloUsec(); // nothing completed: nothing late
        }
        return Double.isNaN(pressure) ? 0 : pressure / PRESSURE_AT_SLO;
    }

    static double clip(double v) {
        return Math.max(-1, Math.min(1, v));
    }

    static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** Mean of {@code values} over the given CPUs, ignoring NaN; NaN when none has a value. */
    private static double meanOver(double[] values, CpuSet cpus) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < cpus.size(); i++) {
            double v = values[cpus.get(i)];
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static double meanOver(double[] values, int[] cpus) {
        double s = 0;
        int n = 0;
        for (int c : cpus) {
            if (!Double.isNaN(values[c])) {
                s += values[c];
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private double[] values(PerCpu f) {
        return switch (f) {
            case UTIL -> util;
            case STALL -> stall;
            case IPC -> ipc;
            case MPKI -> mpki;
        };
    }

    /** Mean of a per-CPU figure over the given CPUs, ignoring NaN; NaN when none has a value. */
    public double meanOver(PerCpu f, CpuSet cpus) {
        return meanOver(values(f), cpus);
    }

    /** Mean of a per-CPU figure over the given CPUs, ignoring NaN; NaN when none has a value. */
    public double meanOver(PerCpu f, int[] cpus) {
        return meanOver(values(f), cpus);
    }

    /** True when latency-critical cgroup {@code g} breached its SLO or its CPU pressure is above the limit. */
    boolean inTrouble(int g, double overridePressure) {
        return slack[g] < 0 || pressure[g] > overridePressure;
    }

    /** Package power over the interval, W (NaN without an energy signal). */
    public double packageWatts() {
        return packageWatts;
    }

    /** Per package, the power over the interval, W (NaN without an energy signal), a copy. */
    public double[] packageWattsEach() {
        return packageWattsEach.clone();
    }

    /** Where {@link #packageWatts} comes from: measured, estimated (the cost estimator stood in for RAPL), or none. */
    public PowerSource powerSource() {
        return powerSource;
    }

    /**
     * Takes the estimator's power for an interval without an energy signal: power and energy become the estimate, and
     * the source says so. Only the controller calls this, and only when the measured power is NaN.
     */
    void useEstimate(double[] watts) {
        double total = 0;
        for (int p = 0; p < watts.length && p < packageWattsEach.length; p++) {
            packageWattsEach[p] = watts[p];
            total += watts[p];
        }
        packageWatts = total;
        tickJoules = total * seconds;
        powerSource = Double.isNaN(total) ? PowerSource.NONE : PowerSource.ESTIMATED;
    }

    /** Package energy over the interval, J (NaN without an energy signal). */
    public double tickJoules() {
        return tickJoules;
    }

    /** Latency of cgroup {@code g} at its SLO quantile over the interval, µs (NaN when unknown or not a service). */
    public double latencyUsec(int g) {
        return latencyUsec[g];
    }

    /** Slack of cgroup {@code g}; 1 for best-effort cgroups. */
    public double slack(int g) {
        return slack[g];
    }

    /** Latency of every managed cgroup at its SLO quantile over the interval, µs, a copy (NaN as for {@link #latencyUsec}). */
    public double[] latenciesUsec() {
        return latencyUsec.clone();
    }

    /** CPUs cgroup {@code g} used over the interval (NaN when unknown). */
    public double cgroupCpus(int g) {
        return cgroupCpus[g];
    }

    /** Share of cgroup {@code g}'s CFS periods throttled, 0..1 (NaN when unknown). */
    public double throttled(int g) {
        return throttled[g];
    }

    /** CPU pressure (PSI some) of cgroup {@code g} as a share of the interval, 0..1 (NaN when unknown). */
    public double pressure(int g) {
        return pressure[g];
    }

    /** Bandwidth of memory domain {@code m} over its peak (NaN when unknown). */
    public double memUtil(int m) {
        return memUtil[m];
    }

    /** Latency of cgroup {@code g} over its SLO (or its pressure proxy), unclipped; 0 for best-effort cgroups. */
    public double loadRatio(int g) {
        return loadRatio[g];
    }

    /** Lowest slack of all services (1 with none). */
    public double minSlack() {
        return minSlack;
    }

    /** Share of cycles stalled on memory over all CPUs. */
    public double stallShare() {
        return stallShare;
    }

    /** Best-effort work done over what it could do alone, weighted by CPUs, 0..1 ({@link BestEffortProgress}). */
    public double beProgress() {
        return progress.hostProgress();
    }

    /** Puts back the progress window a snapshot kept (it spans more ticks than one interval). */
    void restoreProgress(BestEffortProgress saved) {
        progress = saved.copy();
    }

    /** Per best-effort cgroup progress and where its reference comes from. */
    public BestEffortProgress progress() {
        return progress;
    }

    /** Highest memory-domain bandwidth utilisation. */
    public double membwUtilMax() {
        return membwUtilMax;
    }

    /** Length of the interval, s. */
    public double seconds() {
        return seconds;
    }

    @Override
    public String toString() {
        return "HostStatus{power=" + packageWatts + " W, minSlack=" + minSlack + ", latency=" + Arrays.toString(latencyUsec) + "}";
    }
}
