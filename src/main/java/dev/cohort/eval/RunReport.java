package dev.cohort.eval;

import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Topology;
import java.util.stream.Collectors;

/** The text {@code cohort simulate} prints for one run. */
public final class RunReport {
    private RunReport() {
    }

    /** A readable block of the run's metrics. */
    public static String text(RunResult r, Topology topo) {
        RunMetrics m = r.metrics();
        String slo = topo.cgroups().stream().filter(c -> c.role() == CgroupRole.LATENCY_CRITICAL)
                .map(c -> c.name() + " p" + Math.round(c.sloQuantile() * 100) + " " + fmtMs(c.sloUsec() / 1000.0))
                .collect(Collectors.joining(", "));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("scenario %s, policy %s, seed %d: %.0f s simulated, %d ticks%s%n", r.scenario(), r.policy(),
                r.seed(), m.seconds(), r.ticks(), r.fallbacks() > 0 ? ", " + r.fallbacks() + " fallback ticks" : ""));
        line(sb, "energy", String.format("%.1f J", m.energyJoules()));
        line(sb, "mean power", String.format("%.2f W", m.meanPowerWatts()));
        line(sb, "LC latency p50", fmtMs(m.lcP50Ms()));
        line(sb, "LC latency p99", fmtMs(m.lcP99Ms()) + (slo.isEmpty() ? "" : "   (SLO " + slo + ")"));
        line(sb, "ticks over SLO", pct(m.sloViolationTickShare()));
        line(sb, "requests over SLO", m.lcRequestsOverSlo() + " of " + m.lcRequests());
        boolean batch = topo.cgroups().stream().anyMatch(c -> c.role() == CgroupRole.BEST_EFFORT);
        line(sb, "BE throughput", batch ? String.format("%.2f G instructions/s", m.beThroughputGips()) : "no best-effort work");
        line(sb, "BE fairness (Jain)", Double.isNaN(m.beJainFairness()) ? "n/a (fewer than two jobs)" : String.format("%.3f", m.beJainFairness()));
        line(sb, "CPU utilisation", pct(m.utilisation()));
        line(sb, "energy-delay", String.format("%.4g J·s", m.energyDelayJouleSeconds()));
        line(sb, "mean reward", String.format("%.4f", m.meanReward()));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String k, String v) {
        sb.append(String.format("  %-20s %s%n", k, v));
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.1f %%", v * 100);
    }

    private static String fmtMs(double ms) {
        if (Double.isNaN(ms)) {
            return "n/a (no requests)";
        }
        return ms >= 100 ? String.format("%.0f ms", ms) : ms >= 1 ? String.format("%.2f ms", ms) : String.format("%.0f µs", ms * 1000);
    }
}
