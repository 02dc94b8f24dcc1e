package dev.cohort.learn.env;

import dev.cohort.platform.sim.ArrivalSpec;
import dev.cohort.platform.sim.Scenario;
import dev.cohort.platform.sim.ServiceSpec;

/**
 * How a training episode's scenario was drawn from its file, in coarse bands ({@code cohort train pairs --by
 * slo-factor|load-scale|arrivals}): as written, or with its services' SLOs tighter, near or looser than the file's, their
 * peak offered load lighter, near or heavier, and their own arrivals or an on/off source swapped in (exponential or
 * Pareto periods). Kept per replay chunk as one small {@link #code}, so the pairs of a run can be told apart by what its
 * episodes asked.
 *
 * @param asWritten the scenario as its file has it (every other band is then "near" and "own")
 * @param slo       0: the tightest service's SLO under 0.8 × its file's; 1: within; 2: above 1.25 ×
 * @param load      0: the most loaded service's peak offered load (at the top frequency) under 0.9 × its file's; 1:
 *                  within; 2: above 1.1 ×
 * @param arrivals  0: the services' own arrival profiles; 1: an on/off source swapped in with exponential periods; 2:
 *                  with Pareto (heavy-tailed) periods
 */
public record EpisodeDraw(boolean asWritten, int slo, int load, int arrivals) {
    /** The code of a chunk written before draws were kept: no band. */
    public static final int UNKNOWN = 0;
    private static final String[] SLO = {"SLO < 0.8x", "SLO 0.8-1.25x", "SLO > 1.25x"};
    private static final String[] LOAD = {"load < 0.9x", "load 0.9-1.1x", "load > 1.1x"};
    private static final String[] ARRIVALS = {"own arrivals", "on/off", "on/off Pareto"};

    public EpisodeDraw {
        if (slo < 0 || slo > 2 || load < 0 || load > 2 || arrivals < 0 || arrivals > 2) {
            throw new IllegalArgumentException("bands are 0..2, got " + slo + ", " + load + ", " + arrivals);
        }
    }

    /** The draw that made {@code variant} from {@code base} (the same scenario object when drawn as written). */
    public static EpisodeDraw of(Scenario base, Scenario variant) {
        if (variant == base) {
            return new EpisodeDraw(true, 1, 1, 0);
        }
        double sloFactor = Double.POSITIVE_INFINITY;
        double loadFactor = 0;
        int arrivals = 0;
        int n = Math.min(base.services().size(), variant.services().size());
        for (int i = 0; i < n; i++) {
            ServiceSpec b = base.services().get(i);
            ServiceSpec v = variant.services().get(i);
            sloFactor = Math.min(sloFactor, (double) v.sloUsec() / b.sloUsec());
            loadFactor = Math.max(loadFactor, peakLoad(variant, v) / peakLoad(base, b));
            if (v.arrivals() instanceof ArrivalSpec.Bursty burst && !(b.arrivals() instanceof ArrivalSpec.Bursty)) {
                arrivals = Math.max(arrivals, burst.tail() == ArrivalSpec.Bursty.OnOffTail.PARETO ? 2 : 1);
            }
        }
        return new EpisodeDraw(false, n == 0 ? 1 : band(sloFactor, 0.8, 1.25), n == 0 ? 1 : band(loadFactor, 0.9, 1.1), arrivals);
    }

    /** A service's highest offered load: its peak arrival rate times its service time at the top frequency, per CPU. */
    private static double peakLoad(Scenario s, ServiceSpec sv) {
        var m = s.machine();
        double serviceSec = sv.request().serviceNanos(m.dvfs().maxKhz(), m.memory().idleLatencyNanos()) * 1e-9;
        return sv.arrivals().maxRatePerSec() * serviceSec / sv.cpus().size();
    }

    private static int band(double factor, double low, double high) {
        return factor < low ? 0 : factor > high ? 2 : 1;
    }

    /** The draw as one positive int ({@link #UNKNOWN} is never one). */
    public int code() {
        return asWritten ? 1 : 2 + slo * 9 + load * 3 + arrivals;
    }

    /** The draw of {@link #code}, or null for {@link #UNKNOWN}. */
    public static EpisodeDraw decode(int code) {
        if (code == UNKNOWN) {
            return null;
        }
        if (code == 1) {
            return new EpisodeDraw(true, 1, 1, 0);
        }
        int c = code - 2;
        if (c < 0 || c >= 27) {
            throw new IllegalArgumentException("not an episode draw's code: " + code);
        }
        return new EpisodeDraw(false, c / 9, c / 3 % 3, c % 3);
    }

    /** The band's label; "as written" for an episode drawn as its file has it. */
    public String sloBand() {
        return asWritten ? "as written" : SLO[slo];
    }

    /** The load band's label; "as written" for an episode drawn as its file has it. */
    public String loadBand() {
        return asWritten ? "as written" : LOAD[load];
    }

    /** The arrivals band's label; "as written" for an episode drawn as its file has it. */
    public String arrivalsBand() {
        return asWritten ? "as written" : ARRIVALS[arrivals];
    }
}
