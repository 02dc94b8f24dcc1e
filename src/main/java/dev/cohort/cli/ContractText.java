package dev.cohort.cli;

import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.ModelContract;
import dev.cohort.policy.ModelProvenance;
import dev.cohort.policy.ObservationSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
        row(out, "check", diff.map(d -> "REFUSED: " + d).orElse(check(c, host)));
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
        check.put("featuresNotGiven", diff.isEmpty() ? c.featuresNotRead(ObservationSpec.of(c.role())) : null);
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

    /** The check line of a model this build runs: how many of the build's features it reads, and the levels. */
    static String check(ModelContract c, ActionSpace host) {
        ObservationSpec spec = ObservationSpec.of(c.role());
        List<String> notRead = c.featuresNotRead(spec);
        String levels = host == null ? "action levels not checked: give --levels" : host.levels() + " action levels";
        return notRead.isEmpty()
                ? "matches this build (" + c.features().size() + " " + c.role().id() + " features, " + levels + ")"
                : "runs on this build (reads " + c.features().size() + " of its " + spec.size() + " " + c.role().id()
                + " features, not given: " + String.join(", ", notRead) + "; " + levels + ")";
    }
}
