package dev.cohort.control;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Signal;
import dev.cohort.platform.TelemetryInterval;
import dev.cohort.platform.Topology;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * How much of its possible work each best-effort cgroup did in the last interval: its work rate over a reference
 * rate, the rate it would reach alone, unthrottled, on its whole allocation at the top frequency.
 *
 * <p>The work rate is instructions retired per second where the host counts them per cgroup (the simulator
 * does; perf in cgroup mode), and otherwise busy cycles per second, CPUs used × the mean frequency of the
 * cgroup's CPUs (a VM without a PMU): busy time × frequency stands in for instructions.
 *
 * <p>The reference, in order of preference: the cgroup's configured rate
 * ({@link Topology.CgroupInfo#referenceInstructionsPerSec}: exact in the simulator, from {@code reference_rate} in
 * the daemon's configuration), used only when the work rate is in instructions; else the highest work rate seen
 * over the last {@code windowTicks} ticks. The window maximum is honest only if the job ran unthrottled at some
 * point in the window: a job held down for the whole window looks fully productive, which is why a configured
 * rate is preferred.
 *
 * <p>The host-wide progress P weighs each cgroup by its allocation's share of the host's CPUs, so that the
 * reward's progress term and its energy term (a share of the whole package's power) are on the same scale.
 */
public final class BestEffortProgress {
    /** Ticks of the window maximum: five minutes at the default 100 ms tick. */
    public static final int DEFAULT_WINDOW_TICKS = 3000;

    /** Where a cgroup's reference rate comes from. */
    public enum Reference {
        /** The configured (or simulated) rate of instructions alone at the top frequency. */
        CONFIGURED,
        /** The highest instruction rate seen over the window. */
        WINDOW_INSTRUCTIONS,
        /** The highest busy-cycle rate seen over the window (no per-cgroup instruction counter). */
        WINDOW_BUSY_CYCLES
    }

    private final Topology topo;
    private final int[] jobs;
    private final double[] weight;
    private final int windowTicks;
    private final WindowMax[] window;
    private final double[] progress;
    private final Reference[] reference;
    private double hostProgress;
    private long tick;

    public BestEffortProgress(Topology topo, int windowTicks) {
        if (windowTicks < 1) {
            throw new IllegalArgumentException("progress window must be at least one tick, got " + windowTicks);
        }
        this.topo = topo;
        this.jobs = topo.cgroupsWithRole(CgroupRole.BEST_EFFORT);
        this.windowTicks = windowTicks;
        this.weight = new double[topo.cgroups().size()];
        this.window = new WindowMax[topo.cgroups().size()];
        this.progress = new double[topo.cgroups().size()];
        this.reference = new Reference[topo.cgroups().size()];
        Arrays.fill(progress, Double.NaN);
        for (int g : jobs) {
            weight[g] = (double) topo.cgroups().get(g).cpus().size() / Math.max(1, topo.cpuCount());
            window[g] = new WindowMax();
        }
    }

    private BestEffortProgress(BestEffortProgress o) {
        topo = o.topo;
        jobs = o.jobs;
        weight = o.weight;
        windowTicks = o.windowTicks;
        window = new WindowMax[o.window.length];
        for (int g : jobs) {
            window[g] = o.window[g].copy();
        }
        progress = o.progress.clone();
        reference = o.reference.clone();
        hostProgress = o.hostProgress;
        tick = o.tick;
    }

    /** An independent copy with the same window (for snapshots of a controller). */
    BestEffortProgress copy() {
        return new BestEffortProgress(this);
    }

    /** Recomputes every cgroup's progress from the interval. */
    void update(TelemetryInterval iv) {
        tick++;
        boolean instructions = iv.has(Signal.CGROUP_INSTRUCTIONS);
        double p = 0;
        for (int g : jobs) {
            Topology.CgroupInfo info = topo.cgroups().get(g);
            double rate = instructions ? iv.rate(Signal.CGROUP_INSTRUCTIONS, g) : busyCyclesPerSec(iv, g, info);
            double configured = info.referenceInstructionsPerSec();
            double ref;
            if (instructions && configured > 0) {
                ref = configured;
                reference[g] = Reference.CONFIGURED;
            } else {
                ref = window[g].push(tick, rate, windowTicks);
                reference[g] = instructions ? Reference.WINDOW_INSTRUCTIONS : Reference.WINDOW_BUSY_CYCLES;
            }
            progress[g] = Double.isNaN(rate) || !(ref > 0) ? Double.NaN : Math.clamp(rate / ref, 0.0, 1.0);
            p += weight[g] * (Double.isNaN(progress[g]) ? 0 : progress[g]);
        }
        hostProgress = Math.min(1, p);
    }

    private static double busyCyclesPerSec(TelemetryInterval iv, int g, Topology.CgroupInfo info) {
        double cpus = iv.cgroupCpus(g);
        double khz = 0;
        int n = 0;
        for (int i = 0; i < info.cpus().size(); i++) {
            double f = iv.freqKhz(info.cpus().get(i));
            if (!Double.isNaN(f)) {
                khz += f;
                n++;
            }
        }
        return Double.isNaN(cpus) || n == 0 ? Double.NaN : cpus * khz / n * 1e3;
    }

    /** Host-wide progress P in [0, 1]: each best-effort cgroup's progress weighted by its share of the CPUs. */
    public double hostProgress() {
        return hostProgress;
    }

    /** Progress of cgroup {@code g} in [0, 1]; NaN for services, or before a work rate and a reference exist. */
    public double progress(int g) {
        return progress[g];
    }

    /** Where cgroup {@code g}'s reference came from in the last interval (null for services). */
    public Reference reference(int g) {
        return reference[g];
    }

    /** A sliding-window maximum over (tick, value) pairs: a deque of decreasing values, O(1) amortised. */
    private static final class WindowMax {
        private final ArrayDeque<double[]> deque = new ArrayDeque<>();

        WindowMax copy() {
            WindowMax w = new WindowMax();
            for (double[] e : deque) {
                w.deque.addLast(e.clone());
            }
            return w;
        }

        /** Adds {@code value} at {@code tick} (NaN is skipped) and returns the maximum over the window. */
        double push(long tick, double value, int windowTicks) {
            if (!Double.isNaN(value)) {
                while (!deque.isEmpty() && deque.peekLast()[1] <= value) {
                    deque.pollLast();
                }
                deque.addLast(new double[]{tick, value});
            }
            while (!deque.isEmpty() && deque.peekFirst()[0] <= tick - windowTicks) {
                deque.pollFirst();
            }
            return deque.isEmpty() ? Double.NaN : deque.peekFirst()[1];
        }
    }
}
