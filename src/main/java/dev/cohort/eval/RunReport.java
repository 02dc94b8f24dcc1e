package dev.cohort.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.platform.CgroupRole;
import dev.cohort.platform.Readable;
import dev.cohort.platform.Topology;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/** What {@code cohort simulate} prints for one run: a block of text for people, or JSON. */
public final class RunReport {
    private RunReport() {
    }

    /** A readable block of the run's metrics, each in people's units. */
    public static String text(RunResult r, Topology topo) {
        RunMetrics m = r.metrics();
        String slo = topo.cgroups().stream().filter(c -> c.role() == CgroupRole.LATENCY_CRITICAL)
                .map(c -> c.name() + " p" + Math.round(c.sloQuantile() * 100) + " " + Readable.micros(c.sloUsec()))
                .collect(Collectors.joining(", "));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("scenario %s, policy %s, seed %d: %s simulated, %s ticks%s%n", r.scenario(), r.policy(),
                r.seed(), Readable.seconds(m.seconds()), Readable.count(r.ticks()),
                r.fallbacks() > 0 ? ", " + Readable.count(r.fallbacks()) + " fallback ticks" : ""));
        line(sb, "energy", Readable.joules(m.energyJoules()));
        line(sb, "mean power", Readable.watts(m.meanPowerWatts()));
        line(sb, "LC latency p50", latency(m.lcP50Ms()));
        line(sb, "LC latency p99", latency(m.lcP99Ms()) + (slo.isEmpty() ? "" : "   (SLO " + slo + ")"));
        line(sb, "ticks over SLO", Readable.share(m.sloViolationTickShare()));
        line(sb, "requests over SLO", m.lcRequests() == 0 ? "n/a (no requests)"
                : Readable.share(m.lcRequestsOverSloShare()) + " (" + Readable.count(m.lcRequestsOverSlo()) + " of "
                + Readable.count(m.lcRequests()) + " requests; dropped ones count as over)");
        int jobs = topo.cgroupsWithRole(CgroupRole.BEST_EFFORT).length;
        line(sb, "BE throughput", jobs > 0 ? Readable.number(m.beThroughputGips()) + " G instructions/s" : "no best-effort work");
        if (jobs > 0) {
            line(sb, "BE work done", Readable.share(m.beWorkShare()) + " of what the jobs would do alone at the top frequency");
            line(sb, "energy per BE work", Readable.number(m.energyPerBeGinstrJoules()) + " J per G instructions");
        }
        line(sb, "BE fairness (Jain)", !Double.isNaN(m.beJainFairness()) ? Readable.number(m.beJainFairness())
                : jobs < 2 ? "n/a (" + (jobs == 0 ? "no" : "one") + " best-effort job; needs two)" : "n/a");
        line(sb, "CPU utilisation", Readable.share(m.utilisation()));
        line(sb, "energy-delay", Readable.number(m.energyDelayJouleSeconds()) + " J·s");
        line(sb, "mean reward", Readable.number(m.meanReward()));
        var b = r.budget();
        if (b != null) {
            line(sb, "power budget", Readable.watts(b.budgetWatts()) + " held by " + b.balancer() + ", judged over "
                    + Readable.count(b.windows()) + " windows of " + Readable.seconds(b.windowSeconds()));
            line(sb, "windows over budget", Readable.share(b.overBudgetShare()));
            line(sb, "budget use (μ)", (Double.isNaN(b.budgetUse()) ? "n/a (the budget never bound)"
                    : Readable.share(b.budgetUse()) + " where it binds (" + Readable.share(b.bindingShare()) + " of windows)")
                    + ", " + Readable.share(b.budgetUseAll()) + " over all");
            line(sb, "over-use (ν)", Readable.share(b.overBudgetUse()));
            line(sb, "mean λ", Readable.number(b.meanLambda()));
            line(sb, "power the balancer saw", b.powerSource());
        }
        return sb.toString();
    }

    /**
     * The run as JSON: scenario, policy and seed, then every {@link Metric} under its key (units in the key,
     * fractions as {@code _share}); an absent value is {@code null}.
     */
    public static String json(RunResult r) {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode n = om.createObjectNode();
        RunMetrics m = r.metrics();
        n.put("scenario", r.scenario());
        n.put("policy", r.policy());
        n.put("seed", r.seed());
        n.put("ticks", r.ticks());
        n.put("fallback_ticks", r.fallbacks());
        put(n, "seconds", m.seconds());
        n.put("lc_requests", m.lcRequests());
        n.put("lc_requests_over_slo", m.lcRequestsOverSlo());
        for (Metric k : Metric.values()) {
            put(n, k.key(), k.of(m));
        }
        var b = r.budget();
        if (b != null) {
            put(n, "budgetWatts", b.budgetWatts());
            n.put("balancer", b.balancer());
            put(n, "budgetWindowSeconds", b.windowSeconds());
            n.put("budgetWindows", b.windows());
            put(n, "overBudgetShare", b.overBudgetShare());
            put(n, "budgetUse", b.budgetUse());
            put(n, "budgetUseAll", b.budgetUseAll());
            put(n, "overBudgetUse", b.overBudgetUse());
            put(n, "budgetBindingShare", b.bindingShare());
            put(n, "meanLambda", b.meanLambda());
            n.put("powerSource", b.powerSource());
        }
        try {
            return om.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts a number, or {@code null} when it is absent (NaN) or infinite. */
    static void put(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    private static void line(StringBuilder sb, String k, String v) {
        sb.append(String.format("  %-20s %s%n", k, v));
    }

    private static String latency(double ms) {
        return Double.isNaN(ms) ? "n/a (no requests)" : Readable.millis(ms);
    }
}
