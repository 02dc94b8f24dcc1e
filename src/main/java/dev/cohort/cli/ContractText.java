package dev.cohort.cli;

import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.ModelContract;
import dev.cohort.policy.ModelProvenance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Renders a model contract and its check for {@code cohort model inspect}, as text or as a JSON tree. */
final class ContractText {
    private ContractText() {
    }

    static void print(PrintWriter out, Path file, ModelContract c, ActionSpace host, Optional<String> diff) {
        row(out, "file", file.toString());
        row(out, "role", c.role().id());
        row(out, "algorithm", c.algorithm());
        row(out, "format", Integer.toString(c.formatVersion()));
        row(out, "input", c.inputName() + " [agents, " + c.features().size() + "]");
        row(out, "output", c.outputName() + " [agents, " + c.outputWidth() + "], " + c.decoding().id());
        row(out, "recurrent", c.recurrent() ? "yes, hidden state " + c.hiddenSize() + " (" + c.stateInName() + " -> "
                + c.stateOutName() + ")" : "no");
        row(out, "tick", c.tickMillis() > 0 ? c.tickMillis() + " ms (the period it was trained at)" : ModelProvenance.UNKNOWN);
        row(out, "lambda", !c.hasLambdaRange() ? ModelProvenance.UNKNOWN : c.lambdaLow() == c.lambdaHigh()
                ? "trained at λ = " + c.lambdaLow() : "trained over λ in [" + c.lambdaLow() + ", " + c.lambdaHigh() + "]");
        row(out, "action levels", c.actionLevels() + (c.actionMeaning().isEmpty() ? "" : ": " + c.actionMeaning()));
        for (int i = 0; i < c.features().size(); i++) {
            row(out, i == 0 ? "features" : "", String.format("%2d %s", i, c.features().get(i)));
        }
        ModelProvenance p = c.provenance();
        row(out, "scenarios", p.scenarios().isEmpty() ? ModelProvenance.UNKNOWN : String.join(", ", p.scenarios()));
        row(out, "seed", p.seed());
        row(out, "commit", p.commit());
        row(out, "trained at", p.trainedAt());
        row(out, "producer", p.producer());
        row(out, "trained on", known(p.os() + " " + p.arch(), "Java " + p.java()));
        row(out, "reward", p.reward());
        row(out, "training", p.training());
        row(out, "check", diff.map(d -> "REFUSED: " + d).orElse("matches this build (" + c.features().size()
                + " " + c.role().id() + " features" + (host == null ? "; action levels not checked: give --levels"
                : ", " + host.levels() + " action levels") + ")"));
    }

    static Map<String, Object> json(Path file, ModelContract c, ActionSpace host, Optional<String> diff) {
        var m = new LinkedHashMap<String, Object>();
        m.put("file", file.toString());
        m.put("role", c.role().id());
        m.put("algorithm", c.algorithm());
        m.put("format", c.formatVersion());
        m.put("features", c.features());
        m.put("actionLevels", c.actionLevels());
        m.put("actionMeaning", c.actionMeaning());
        m.put("decoding", c.decoding().id());
        m.put("recurrent", c.recurrent());
        m.put("hiddenSize", c.hiddenSize());
        m.put("input", c.inputName());
        m.put("output", c.outputName());
        m.put("stateIn", c.stateInName());
        m.put("stateOut", c.stateOutName());
        m.put("tickMillis", c.tickMillis());
        m.put("provenance", c.provenance());
        var check = new LinkedHashMap<String, Object>();
        check.put("matches", diff.isEmpty());
        check.put("difference", diff.orElse(null));
        check.put("hostActionLevels", host == null ? null : host.levels());
        m.put("check", check);
        return m;
    }

    /** The parts that are not {@link ModelProvenance#UNKNOWN}, comma-separated. */
    private static String known(String... parts) {
        var kept = java.util.Arrays.stream(parts).filter(x -> !x.contains(ModelProvenance.UNKNOWN)).toList();
        return kept.isEmpty() ? ModelProvenance.UNKNOWN : String.join(", ", kept);
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("%-14s %s%n", key.isEmpty() ? "" : key + ":", value);
    }
}
