package dev.cohort.eval;

import dev.cohort.harness.Stats;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes an evaluation's results: {@code runs.csv} (one line per run), {@code summary.csv} and
 * {@code summary.json} (mean, 95% interval, min, max per scenario × policy × metric) and
 * {@code summary.md} (the comparison tables). With the oracle in the run, each policy's share of its reward gain over
 * the best baseline ({@link OracleGain}) is a column of the tables, a field of each cell in the JSON and
 * {@value OracleGain#CSV}.
 */
public final class Report {
    /** Metrics shown in the markdown tables, in order. */
    static final List<Metric> TABLE = List.of(Metric.ENERGY_J, Metric.SLO_TICK_SHARE, Metric.LC_P99_MS,
            Metric.BE_WORK_SHARE, Metric.ENERGY_PER_BE_WORK, Metric.REWARD, Metric.MEAN_POWER_W, Metric.SLO_REQUEST_SHARE,
            Metric.BE_GIPS);

    /** Policies in a run that are neither learned nor a baseline a learned policy is judged against. */
    static final java.util.Set<String> NOT_BASELINES = java.util.Set.of("oracle");

    private Report() {
    }

    /** Writes every file into {@code dir}. */
    public static void write(Summary s, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeRuns(s, dir.resolve("runs.csv"));
        writeSummaryCsv(s, dir.resolve("summary.csv"));
        writeJson(s, dir.resolve("summary.json"));
        VerdictReport.write(Pareto.all(s, NOT_BASELINES), dir);
        Files.writeString(dir.resolve("summary.md"), markdown(s));
        OracleGain.writeCsv(s, dir.resolve(OracleGain.CSV));
    }

    private static void writeRuns(Summary s, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("scenario,policy,seed,seconds,lc_requests,lc_requests_over_slo,ticks,fallbacks");
            for (Metric m : Metric.values()) {
                w.write("," + m.key());
            }
            w.write('\n');
            for (RunResult r : s.runs()) {
                w.write(r.scenario() + "," + r.policy() + "," + r.seed() + "," + num(r.metrics().seconds()) + ","
                        + r.metrics().lcRequests() + "," + r.metrics().lcRequestsOverSlo() + "," + r.ticks() + "," + r.fallbacks());
                for (Metric m : Metric.values()) {
                    w.write("," + num(m.of(r.metrics())));
                }
                w.write('\n');
            }
        }
    }

    private static void writeSummaryCsv(Summary s, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("scenario,policy,metric,n,mean,ci95_half_width,min,max\n");
            for (String sc : s.scenarios()) {
                for (String p : s.policies(sc)) {
                    for (Metric m : Metric.values()) {
                        Stats st = s.cell(sc, p).stats().get(m);
                        w.write(sc + "," + p + "," + m.key() + "," + st.n() + "," + num(st.mean()) + "," + num(st.halfWidth())
                                + "," + num(st.min()) + "," + num(st.max()) + "\n");
                    }
                }
            }
        }
    }

    private static void writeJson(Summary s, Path file) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode cells = om.createArrayNode();
        for (String sc : s.scenarios()) {
            var gain = OracleGain.of(s, sc);
            for (String p : s.policies(sc)) {
                ObjectNode c = cells.addObject();
                c.put("scenario", sc);
                c.put("policy", p);
                c.put("runs", s.cell(sc, p).runs().size());
                gain.ifPresent(g -> put(c, "oracle_gain_share", g.share(p)));
                ObjectNode ms = c.putObject("metrics");
                for (Metric m : Metric.values()) {
                    Stats st = s.cell(sc, p).stats().get(m);
                    ObjectNode o = ms.putObject(m.key());
                    put(o, "mean", st.mean());
                    put(o, "ci95_half_width", st.halfWidth());
                    put(o, "min", st.min());
                    put(o, "max", st.max());
                }
            }
        }
        om.writeValue(file.toFile(), cells);
    }

    private static void put(ObjectNode o, String k, double v) {
        RunReport.put(o, k, v);
    }

    /**
     * The comparison tables, one per scenario: mean ± 95% interval half-width, in people's units (shares in percent);
     * then each learned policy's Pareto verdicts against the baselines. Best-effort columns are left out of a
     * scenario without best-effort work.
     */
    public static String markdown(Summary s) {
        StringBuilder sb = new StringBuilder();
        List<Pareto.Comparison> verdicts = Pareto.all(s, NOT_BASELINES);
        for (String sc : s.scenarios()) {
            List<Metric> cols = TABLE.stream().filter(m -> !m.bestEffort() || hasValues(s, sc, m)).toList();
            var gain = OracleGain.of(s, sc);
            sb.append("### ").append(sc).append("\n\n| policy |");
            for (Metric m : cols) {
                sb.append(' ').append(m.label()).append(" |");
            }
            sb.append(gain.isPresent() ? " oracle gain share |" : "");
            sb.append("\n|---|");
            sb.append("---|".repeat(cols.size() + (gain.isPresent() ? 1 : 0))).append('\n');
            for (String p : s.policies(sc)) {
                sb.append("| ").append(p).append(" |");
                // one seed has no interval: the table then shows the value alone
                for (Metric m : cols) {
                    sb.append(' ').append(s.cell(sc, p).stats().get(m).format(m::format)).append(" |");
                }
                gain.ifPresent(g -> sb.append(' ').append(g.shareText(p)).append(" |"));
                sb.append('\n');
            }
            gain.ifPresent(g -> sb.append('\n').append(g.note()).append('\n'));
            sb.append('\n');
            sb.append(VerdictReport.markdown(verdicts.stream().filter(v -> v.scenario().equals(sc)).toList()));
        }
        s.notes().forEach(n -> sb.append(n).append("\n\n"));
        return sb.toString();
    }

    private static boolean hasValues(Summary s, String sc, Metric m) {
        return s.policies(sc).stream().anyMatch(p -> s.cell(sc, p).stats().get(m).n() > 0);
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.6g", v) : "";
    }
}
