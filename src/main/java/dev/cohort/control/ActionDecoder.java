package dev.cohort.control;

import dev.cohort.platform.Topology;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.Role;

/**
 * Turns levels into knob values in the hardware's units and back: frequency levels spread over the
 * domain's range and snapped to what the driver accepts, MBA levels in the hardware's granularity, quota
 * levels as fractions of the cgroup's CPUs (top level unlimited).
 */
public final class ActionDecoder {
    private final AgentLayout layout;
    private final long quotaPeriodUsec;

    public ActionDecoder(AgentLayout layout, long quotaPeriodUsec) {
        this.layout = layout;
        this.quotaPeriodUsec = quotaPeriodUsec;
    }

    /** Frequency limit for core agent {@code a} at {@code level}, kHz. */
    public long freqKhz(int a, int level) {
        Topology.FrequencyDomain d = domain(a);
        double f = layout.actions(Role.CORE).fraction(level);
        return d.snapKhz(Math.round(d.minKhz() + f * (d.maxKhz() - d.minKhz())));
    }

    /** The level nearest to a frequency limit. */
    public int freqLevel(int a, long khz) {
        Topology.FrequencyDomain d = domain(a);
        double span = d.maxKhz() - d.minKhz();
        return layout.actions(Role.CORE).nearestLevel(span <= 0 ? 1 : (khz - d.minKhz()) / span);
    }

    /** MBA value for memory agent {@code a} at {@code level}, in the domain's units. */
    public int mba(int a, int level) {
        Topology.MbaScale s = scale(a);
        double f = layout.actions(Role.MEMORY).fraction(level);
        return s.snap((int) Math.round(s.min() + f * (s.max() - s.min())));
    }

    /** The level nearest to an MBA value. */
    public int mbaLevel(int a, int value) {
        Topology.MbaScale s = scale(a);
        return layout.actions(Role.MEMORY).nearestLevel((double) (value - s.min()) / Math.max(1, s.max() - s.min()));
    }

    /** Quota for quota agent {@code a} at {@code level}, µs per period; -1 (unlimited) at the top level. */
    public long quotaUsec(int a, int level) {
        ActionSpace sp = layout.actions(Role.QUOTA);
        if (level >= sp.max()) {
            return -1;
        }
        return Math.max(1_000, Math.round((level + 1.0) / sp.levels() * cpus(a) * quotaPeriodUsec));
    }

    /** The level nearest to a quota (-1 = unlimited = top level). */
    public int quotaLevel(int a, long quotaUsec) {
        ActionSpace sp = layout.actions(Role.QUOTA);
        if (quotaUsec < 0) {
            return sp.max();
        }
        double share = quotaUsec / (cpus(a) * (double) quotaPeriodUsec);
        return (int) Math.max(0, Math.min(sp.max(), Math.round(share * sp.levels() - 1)));
    }

    public long quotaPeriodUsec() {
        return quotaPeriodUsec;
    }

    private int cpus(int a) {
        return Math.max(1, layout.topology().cgroups().get(layout.quotaCgroup(a)).cpus().size());
    }

    private Topology.FrequencyDomain domain(int a) {
        return layout.topology().frequencyDomains().get(layout.coreDomain(a));
    }

    private Topology.MbaScale scale(int a) {
        return layout.topology().memoryDomains().get(layout.memDomain(a)).mba().orElseThrow();
    }
}
