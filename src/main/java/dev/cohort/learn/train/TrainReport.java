package dev.cohort.learn.train;

import dev.cohort.learn.onnx.OnnxExporter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The short markdown report a training run ends with ({@code report.md}). */
final class TrainReport {
    private TrainReport() {
    }

    static String markdown(TrainConfig cfg, RunState s, long updates, double collectRate, double learnRate,
                           List<Evaluator.ScenarioResult> exported, String exportedWhat, List<OnnxExporter.Report> models,
                           String valueCheck) {
        StringBuilder b = new StringBuilder();
        b.append("# Training report: ").append(cfg.algorithm().id()).append("\n\n");
        b.append("- configuration: `").append(cfg.source()).append("`, seed ").append(cfg.seed()).append('\n');
        b.append("- reward: ").append(ModelExport.rewardText(cfg.reward())).append(cfg.evalReward().equals(cfg.reward())
                ? " (learnt and judged)" : " learnt; judged (evaluations, bar, best-static) by "
                + ModelExport.rewardText(cfg.evalReward())).append('\n');
        b.append("- training scenarios (weight): ").append(cfg.scenarios().entrySet().stream()
                .map(e -> e.getKey() + " (" + fmt(e.getValue()) + ")").collect(Collectors.joining(", ")))
                .append("; each episode varied: ").append(cfg.variation()).append("; simulator seeds ≥ ")
                .append(TrainConfig.FIRST_TRAINING_SEED).append('\n');
        Demonstrations d = cfg.demonstrations();
        if (d.on() && s.demos != null) {
            b.append(String.format(Locale.ROOT, "- demonstrations: %d episodes of `%s` on %s (their mean reward %.3f, ticks over SLO %.4f), "
                    + "%d of every %d chunks once the replay is warm; large-margin loss: margin %s, weight %s%n", d.episodes(),
                    d.policy(), String.join(", ", d.scenarios()), s.demoReward, s.demoSloShare, d.chunksOf(cfg.batchChunks()),
                    cfg.batchChunks(), fmt(cfg.learner().demoMargin()), fmt(cfg.learner().demoWeight())));
        }
        b.append(String.format(Locale.ROOT, "- ran: %d environment ticks in %d episodes of %d ticks, %d updates, %.1f min wall-clock%n",
                s.envSteps, s.episodes, cfg.episodeTicks(), updates, s.wallSeconds / 60));
        learning(b, cfg, s);
        b.append(String.format(Locale.ROOT, "- speed: collection %.0f ticks/s (simulator + control tick + acting, one thread); "
                + "learning %.1f updates/s of %d chunks × %d ticks (one thread); overall %.0f ticks/s%n", collectRate, learnRate,
                cfg.batchChunks(), cfg.chunkTicks(), s.envSteps / Math.max(1e-9, s.wallSeconds)));
        if (s.bar != null) {
            b.append(s.barEnvSteps >= 0 ? String.format(Locale.ROOT, "- bar first met on the held-out seeds after %d ticks, %.1f min%n",
                    s.barEnvSteps, s.barWallSeconds / 60) : "- bar not met on the held-out seeds during training\n");
            b.append("- rivals of the bar (paired over the validation seeds): ").append(s.bar.scenarios().values().stream()
                    .flatMap(x -> x.rivals().stream()).map(Bar.Rival::name).distinct()
                    .collect(Collectors.joining(", "))).append('\n');
        }
        if (cfg.evalPerRole()) {
            b.append("- kept per role: at each evaluation the best weights so far were also judged with each role's agents from"
                    + " the weights evaluated, and a team kept where it scored best (`evaluation.perRole`)\n");
        }
        b.append("- exported: ").append(exportedWhat).append("\n\n");
        b.append("## Greedy policy of the exported weights on held-out seeds ").append(cfg.evalSeeds()).append("\n\n");
        b.append("| scenario | mean reward | energy (J) | ticks over SLO | BE work done |");
        if (s.bar != null) {
            b.append(" best rival (mean reward) | bar |");
        }
        b.append('\n').append(s.bar != null ? "|---|---|---|---|---|---|---|\n" : "|---|---|---|---|---|\n");
        for (var r : exported) {
            b.append(String.format(Locale.ROOT, "| %s | %.3f | %.0f | %.4f | %s |", r.scenario(), r.meanReward(), r.energyJoules(),
                    r.sloTickShare(), Double.isNaN(r.beWorkShare()) ? "n/a" : String.format(Locale.ROOT, "%.3f", r.beWorkShare())));
            if (s.bar != null) {
                var best = s.bar.best(r.scenario());
                b.append(String.format(Locale.ROOT, " %s | %s |", best.map(x -> String.format(Locale.ROOT, "%s (%.3f)", x.name(),
                        x.meanReward())).orElse("n/a"), s.bar.missed(r).map(why -> "missed: " + why).orElse("met")));
            }
            b.append('\n');
        }
        b.append("\n## Models\n\n| file | checked in ONNX Runtime against (max |difference|) |\n|---|---|\n");
        for (OnnxExporter.Report m : models) {
            b.append("| `").append(m.file()).append("` | ").append(m.checks().stream()
                    .map(c -> String.format(Locale.ROOT, "%s %.1e", c.reference(), c.maxAbsDiff())).collect(Collectors.joining(", ")))
                    .append(" |\n");
        }
        b.append(valueCheck);
        b.append("\nLog: `train.jsonl`; curves: `learning-curves.png`; checkpoint: `checkpoint.bin` (resume with --resume).\n");
        b.append("Judge the models with `cohort evaluate --policies onnx:").append(cfg.exportDir())
                .append(",...` on seeds training never used (1..999).\n");
        return b.toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** The lines that say how this run learnt, where it differs from the plain loop. */
    private static void learning(StringBuilder b, TrainConfig cfg, RunState s) {
        var apart = cfg.learner().valuedApart();
        if (!apart.isEmpty()) {
            double[] w = s.termWeights(apart);
            b.append("- terms valued apart: the policy acts on the rest's values");
            for (int i = 0; i < w.length; i++) {
                b.append(String.format(Locale.ROOT, " + %.4g × %s's", w[i], apart.get(i).id()));
            }
            b.append(" (each term's scale over the rest's)\n");
        }
        if (cfg.domainEnergyCredit()) {
            b.append("- energy credited by domain: each frequency-domain agent learnt from the shared reward with its own "
                    + "domain's energy in place of the package's\n");
        }
        if (cfg.rewardsPerScenario()) {
            b.append("- rewards standardised per training scenario (each chunk by its own scenario's mean and deviation); σ:");
            int i = 0;
            for (String name : cfg.scenarios().keySet()) {
                b.append(String.format(Locale.ROOT, "%s %s %.3g", i == 0 ? "" : ",", name, s.scaler.unit(i++)));
            }
            b.append(String.format(Locale.ROOT, " (the run's %.3g)%n", s.scaler.unit()));
        }
        if (cfg.learner().levelDegree() > 0) {
            b.append("- values polynomial in the level: each agent's values of its levels kept to degree ")
                    .append(cfg.learner().levelDegree()).append(" (state-dependent coefficients)\n");
        }
        b.append(pairedLine(cfg));
        if (cfg.lrDecay().on()) {
            b.append(String.format(Locale.ROOT, "- learning rate decayed linearly from %s to %s over the first %d ticks%n",
                    cfg.learner().lr(), cfg.learner().lr() * cfg.lrDecay().endScale(), cfg.lrDecay().ticks()));
        }
    }

    /** The report's line on paired advantages, or nothing when the run has none. */
    static String pairedLine(TrainConfig cfg) {
        var p = cfg.learner().paired();
        if (!p.on()) {
            return "";
        }
        String roles = p.roles().size() == dev.cohort.policy.Role.values().length ? ""
                : " of the " + p.roles().stream().map(dev.cohort.policy.Role::id)
                        .collect(java.util.stream.Collectors.joining(" and ")) + " agents";
        return String.format(Locale.ROOT, "- paired advantages: one agent%s%s branched every %d ticks%s, %d ticks of "
                + "reward after%s, loss weight %s; the levels' differences learnt from %s; pairs on %s%s%s%n",
                roles, p.byRole() ? " (of a role drawn uniformly)" : "", p.every(),
                p.reach() > 0 ? " at a level at most " + p.reach() + " from the one chosen" : "", p.horizon(),
                p.hold() ? " with the branched agent held at its branch's level" : "",
                p.weight(), p.alone() ? "the pairs alone" + (roles.isEmpty() ? "" : " (the other roles' from the TD loss)")
                        : "the pairs and the TD loss",
                p.roleScales().isEmpty() ? scaleText(p.scale()) : p.roleScales().entrySet().stream()
                        .map(e -> e.getKey().id() + " " + scaleText(e.getValue()))
                        .collect(java.util.stream.Collectors.joining(", ")),
                p.balanced() ? "; each training scenario's pairs weighed alike" : "",
                cfg.learner().pairsInParts() ? "; each pair's energy part and rest fitted apart" : "");
    }

    private static String scaleText(dev.cohort.learn.replay.PairScale scale) {
        return switch (scale) {
            case REWARD -> "the reward's scale";
            case SCENARIO -> "each scenario's own scale";
            case EPISODE -> "each episode's own scale";
            case STATE -> "each scenario's, role's and slack bucket's own scale";
            case BAND -> "each scenario's, role's, slack bucket's and load band's own scale";
            case STEP -> "each scenario's, role's, slack bucket's and distance of the level tried's own scale";
        };
    }
}
