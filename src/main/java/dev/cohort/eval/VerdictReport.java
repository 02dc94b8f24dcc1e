package dev.cohort.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the Pareto verdicts: {@code verdicts.csv}, {@code verdicts.json} and a markdown table per scenario. */
final class VerdictReport {
    private VerdictReport() {
    }

    static void write(List<Pareto.Comparison> verdicts, Path dir) throws IOException {
        try (Writer w = Files.newBufferedWriter(dir.resolve("verdicts.csv"))) {
            w.write("scenario,policy,baseline,seeds,verdict,metric,diff_mean,diff_ci95_half_width,better\n");
            for (Pareto.Comparison c : verdicts) {
                for (Pareto.Paired d : withReward(c)) {
                    w.write(c.scenario() + "," + c.policy() + "," + c.baseline() + "," + c.seeds() + "," + c.verdict() + ","
                            + d.metric().key() + "," + Report.num(d.diff().mean()) + "," + Report.num(d.diff().halfWidth()) + ","
                            + d.better() + "\n");
                }
            }
        }
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode all = om.createArrayNode();
        for (Pareto.Comparison c : verdicts) {
            ObjectNode o = all.addObject();
            o.put("scenario", c.scenario());
            o.put("policy", c.policy());
            o.put("baseline", c.baseline());
            o.put("seeds", c.seeds());
            o.put("verdict", c.verdict().toString());
            ObjectNode diffs = o.putObject("differences");
            for (Pareto.Paired d : withReward(c)) {
                ObjectNode x = diffs.putObject(d.metric().key());
                RunReport.put(x, "mean", d.diff().mean());
                RunReport.put(x, "ci95_half_width", d.diff().halfWidth());
                x.put("better", d.better());
            }
        }
        om.writeValue(dir.resolve("verdicts.json").toFile(), all);
    }

    private static List<Pareto.Paired> withReward(Pareto.Comparison c) {
        var l = new java.util.ArrayList<>(c.axes());
        l.add(c.reward());
        return l;
    }

    /** The verdicts of one scenario as a markdown table (empty without learned policies). */
    static String markdown(List<Pareto.Comparison> verdicts) {
        if (verdicts.isEmpty()) {
            return "";
        }
        boolean work = verdicts.stream().anyMatch(c -> c.axes().stream().anyMatch(a -> a.metric() == Metric.BE_WORK_SHARE));
        StringBuilder sb = new StringBuilder();
        sb.append("Pareto verdicts (learned − baseline, paired over ").append(verdicts.getFirst().seeds())
                .append(" seeds, 95% intervals; a difference inside its interval is a tie):\n\n")
                .append("| learned | against | energy | ticks over SLO |").append(work ? " BE work done |" : "")
                .append(" mean reward | verdict |\n|---|---|---|---|").append(work ? "---|" : "").append("---|---|\n");
        for (Pareto.Comparison c : verdicts) {
            sb.append("| ").append(c.policy()).append(" | ").append(c.baseline()).append(" |");
            for (Metric m : Pareto.AXES) {
                if (m == Metric.BE_WORK_SHARE && !work) {
                    continue;
                }
                sb.append(' ').append(c.axes().stream().filter(a -> a.metric() == m).findFirst()
                        .map(Pareto.Paired::format).orElse("n/a")).append(" |");
            }
            sb.append(' ').append(c.reward().format()).append(" | **").append(c.verdict()).append("** |\n");
        }
        return sb.append('\n').toString();
    }
}
