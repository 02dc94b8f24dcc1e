package dev.cohort.service.status;

import static dev.cohort.service.status.StatusSnapshot.cell;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.platform.Readable;
import java.util.Locale;

/** Renders a status document ({@link StatusSnapshot}) as the tables {@code cohort status} prints. */
public final class StatusText {
    private StatusText() {
    }

    /** The readable form; {@code maxDecisions} bounds the decisions listed. */
    public static String render(JsonNode s, int maxDecisions) {
        StringBuilder b = new StringBuilder();
        JsonNode d = s.path("daemon");
        JsonNode host = s.path("host");
        if (d.isNull() || d.isMissingNode()) {
            b.append("host (read directly): backend ").append(host.path("backend").asText()).append(", ")
                    .append(host.path("cpus").asInt()).append(" CPUs, ").append(host.path("packages").asInt()).append(" package(s)\n");
        } else {
            b.append(String.format(Locale.ROOT, "cohort %s  pid %d  backend %s%s  up %s  period %s  restore-on-exit %s%n",
                    d.path("version").asText(), d.path("pid").asLong(), d.path("backend").asText(),
                    d.path("dry_run").asBoolean() ? " (DRY RUN: writes nothing)" : "", Readable.seconds(d.path("uptime_s").asDouble()),
                    Readable.millis(d.path("period_ms").asDouble()), d.path("restore_on_exit").asText()));
            b.append("config ").append(d.path("config").asText()).append("  metrics ")
                    .append(d.path("metrics").isNull() ? "off" : d.path("metrics").asText()).append('\n');
            JsonNode t = s.path("ticks");
            b.append(String.format(Locale.ROOT, "ticks %d  overruns %d  fallbacks %d  tick p50 %s  p99 %s  max %s%n",
                    t.path("count").asLong(), t.path("overruns").asLong(), t.path("fallbacks").asLong(),
                    value(t.path("p50_us"), Readable::micros), value(t.path("p99_us"), Readable::micros),
                    value(t.path("max_us"), Readable::micros)));
            JsonNode p = s.path("policy");
            b.append("policy core=").append(p.path("core").asText()).append(" memory=").append(p.path("memory").asText())
                    .append(" quota=").append(p.path("quota").asText()).append(" (fallback ").append(p.path("fallback").asText())
                    .append(")  lambda ").append(cell(s.path("lambda"), "%.2f")).append("  min SLO slack ")
                    .append(cell(s.path("slo").path("min_slack"), "%.2f")).append('\n');
        }
        budget(b, s.path("budget"));
        for (JsonNode c : s.path("competitors")) {
            b.append("! ").append(c.asText()).append('\n');
        }
        for (JsonNode o : s.path("overrides")) {
            b.append("override held: ").append(o.path("target").asText()).append(' ').append(o.path("control").asText())
                    .append(" = ").append(o.path("value").asText()).append(" (").append(o.path("source").asText("cohort tune"))
                    .append("; cohort tune release to hand back)\n");
        }
        domains(b, s);
        packages(b, s);
        cgroups(b, s);
        memory(b, s);
        decisions(b, s, maxDecisions);
        return b.toString();
    }

    /** The budget line: budget and its source, balancer, λ, measured (or estimated) and predicted power, windows. */
    private static void budget(StringBuilder b, JsonNode g) {
        if (g.isNull() || g.isMissingNode()) {
            return;
        }
        String power = cell(g.path("power_w"), "%.1f W") + (g.path("power_source").isNull() ? "" : " " + g.path("power_source").asText());
        if (g.path("watts").isNull()) {
            b.append(String.format(Locale.ROOT, "budget none  balancer %s  power %s  predicted %s%n", g.path("balancer").asText(),
                    power, cell(g.path("predicted_w"), "%.1f W")));
            return;
        }
        b.append(String.format(Locale.ROOT, "budget %s (%s, %s)  balancer %s step %s  lambda %s (max %s)  power %s  predicted %s"
                        + "  last window %s  windows over budget %d of %d%n", cell(g.path("watts"), "%.1f W"), g.path("spec").asText(),
                g.path("source").asText(), g.path("balancer").asText(), Readable.seconds(g.path("step_s").asDouble()),
                cell(g.path("lambda"), "%.2f"), cell(g.path("lambda_max"), "%.2f"), power, cell(g.path("predicted_w"), "%.1f W"),
                cell(g.path("window_w"), "%.1f W"), g.path("over_budget_windows").asLong(), g.path("windows").asLong()));
        long atBound = g.path("over_budget_at_bound_windows").asLong();
        if (atBound >= StatusSnapshot.Budget.OUT_OF_REACH_WINDOWS) {
            b.append(String.format(Locale.ROOT, "budget out of reach: the last %d windows were over it with lambda at or near"
                    + " its max %s; the policy draws no less here: raise the budget, or lower the work%n", atBound,
                    cell(g.path("lambda_max"), "%.2f")));
        }
    }

    private static void domains(StringBuilder b, JsonNode s) {
        if (s.path("freq_domains").isEmpty()) {
            b.append("\nfrequency domains: none (no cpufreq)\n");
            return;
        }
        b.append(String.format(Locale.ROOT, "%n%-4s %-10s %-10s %9s %6s %6s %11s %11s  %s%n", "dom", "name", "cpus",
                "freq MHz", "util", "IPC", "max lim MHz", "min lim MHz", "epp"));
        for (JsonNode d : s.path("freq_domains")) {
            b.append(String.format(Locale.ROOT, "%-4d %-10s %-10s %9s %6s %6s %11s %11s  %s%s%n", d.path("index").asInt(),
                    d.path("name").asText(), d.path("cpus").asText(), cell(d.path("freq_mhz"), "%.0f"),
                    cell(d.path("util"), "%.2f"), cell(d.path("ipc"), "%.2f"), cell(d.path("max_limit_mhz"), "%.0f"),
                    cell(d.path("min_limit_mhz"), "%.0f"), d.path("epp").isNull() ? "-" : d.path("epp").asText(),
                    d.path("managed").asBoolean() ? "" : "  (reserved)"));
        }
    }

    private static void packages(StringBuilder b, JsonNode s) {
        b.append('\n');
        for (JsonNode p : s.path("packages")) {
            b.append(String.format(Locale.ROOT, "package %d  power %s  energy %s%n", p.path("index").asInt(),
                    value(p.path("power_w"), Readable::watts), value(p.path("energy_j"), Readable::joules)));
        }
    }

    private static void cgroups(StringBuilder b, JsonNode s) {
        if (s.path("cgroups").isEmpty()) {
            b.append("\ncgroups: none managed\n");
            return;
        }
        b.append(String.format(Locale.ROOT, "%n%-12s %-16s %-14s %7s %6s %8s %8s %10s %9s %6s %6s%n", "cgroup", "role", "cpu.max",
                "weight", "usage", "throttl", "pressure", "latency", "SLO", "slack", "work"));
        for (JsonNode c : s.path("cgroups")) {
            b.append(String.format(Locale.ROOT, "%-12s %-16s %-14s %7s %6s %8s %8s %10s %9s %6s %6s%n", c.path("name").asText(),
                    c.path("role").asText(), c.path("cpu_max").isNull() ? "-" : c.path("cpu_max").asText(),
                    c.path("weight").isNull() ? "-" : c.path("weight").asText(), cell(c.path("usage_cpus"), "%.2f"),
                    value(c.path("throttled_ratio"), Readable::share), value(c.path("cpu_pressure"), Readable::share),
                    value(c.path("latency_us"), Readable::micros), value(c.path("slo_us"), Readable::micros), cell(c.path("slack"), "%.2f"),
                    value(c.path("progress"), Readable::share)));
        }
        for (JsonNode c : s.path("cgroups")) {
            if (c.hasNonNull("progress_reference")) {
                b.append("  work of ").append(c.path("name").asText()).append(": against the ")
                        .append(c.path("progress_reference").asText()).append('\n');
            }
        }
    }

    /** A number in people's units, or {@code -} when absent. */
    private static String value(JsonNode n, java.util.function.DoubleFunction<String> f) {
        return n == null || n.isNull() || n.isMissingNode() || !n.isNumber() ? "-" : f.apply(n.asDouble());
    }

    private static void memory(StringBuilder b, JsonNode s) {
        if (s.path("memory_domains").isEmpty()) {
            return;
        }
        b.append(String.format(Locale.ROOT, "%n%-4s %-4s %-12s %6s %-10s %12s%n", "mem", "id", "cpus", "MBA", "unit", "bandwidth GB/s"));
        for (JsonNode m : s.path("memory_domains")) {
            b.append(String.format(Locale.ROOT, "%-4d %-4d %-12s %6s %-10s %12s%n", m.path("index").asInt(), m.path("id").asInt(),
                    m.path("cpus").asText(), m.path("mba").isNull() ? "-" : m.path("mba").asText(), m.path("mba_unit").asText(),
                    m.path("bandwidth_bytes_per_s").isNull() ? "-"
                            : String.format(Locale.ROOT, "%.2f", m.path("bandwidth_bytes_per_s").asDouble() / 1e9)));
        }
    }

    private static void decisions(StringBuilder b, JsonNode s, int max) {
        JsonNode a = s.path("last_decisions");
        if (a.isEmpty()) {
            return;
        }
        b.append("\nlast decisions:\n");
        int from = Math.max(0, a.size() - max);
        for (int i = from; i < a.size(); i++) {
            JsonNode r = a.get(i);
            StringBuilder line = new StringBuilder();
            for (JsonNode x : r.path("settings")) {
                line.append(line.isEmpty() ? "" : "; ").append(x.path("target").asText()).append(' ')
                        .append(x.path("value").asText()).append(' ').append(x.path("outcome").asText().toLowerCase(Locale.ROOT));
            }
            for (JsonNode n : r.path("notes")) {
                line.append(line.isEmpty() ? "" : "; ").append(n.asText());
            }
            b.append("  tick ").append(r.path("tick").asLong()).append(": ").append(line).append('\n');
        }
    }
}
