package dev.cohort.cli;

import dev.cohort.learn.train.IterationLog;
import dev.cohort.learn.train.TrainConfig;
import dev.cohort.learn.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort train --config FILE}: multi-agent training on the simulated machine, then ONNX export. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains the agents on the simulated machine with the algorithm and settings of a configuration file",
                "(configs/iql.yaml, vdn.yaml, qmix.yaml, awrq.yaml, maddpg.yaml; keys: docs/training.md), evaluating the greedy",
                "policy on held-out seeds as it goes. Writes into the run directory: train.jsonl (one line per iteration),",
                "learning-curves.png, checkpoint.bin and report.md; exports one ONNX model per role (export: in the file).",
                "Needs the training class path (DJL's PyTorch engine): run it as bin/cohort train."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training configuration (YAML).")
    Path config;

    @Option(names = "--resume", description = "Continue from the run directory's checkpoint (same configuration; the budget may be raised).")
    boolean resume;

    @Option(names = "--env-steps", paramLabel = "N", description = "Override budget.envSteps.")
    Long envSteps;

    @Option(names = "--wall-minutes", paramLabel = "M", description = "Override budget.wallMinutes (0: no limit).")
    Double wallMinutes;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        TrainConfig cfg = TrainConfig.load(config);
        if (envSteps != null || wallMinutes != null) {
            cfg = cfg.withBudget(envSteps == null ? cfg.envSteps() : envSteps, wallMinutes == null ? cfg.wallMinutes() : wallMinutes);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.printf("training %s from %s into %s (budget: %d ticks%s)%n", cfg.algorithm().id(), config, cfg.out(), cfg.envSteps(),
                cfg.wallMinutes() > 0 ? String.format(Locale.ROOT, " or %.0f min", cfg.wallMinutes()) : "");
        out.flush();
        Trainer.Result r;
        if (noProgress) {
            r = Trainer.run(cfg, resume, new Trainer.Listener() {
                @Override
                public void message(String text) {
                    err.println("train: " + text);
                    err.flush();
                }
            });
        } else {
            try (ProgressBar bar = ProgressBars.training(cfg.algorithm().id(), cfg.envSteps())) {
                r = Trainer.run(cfg, resume, new Trainer.Listener() {
                    @Override
                    public void message(String text) {
                        bar.setExtraMessage(" " + text);
                    }

                    @Override
                    public void iteration(IterationLog l) {
                        bar.stepTo(Math.min(l.envSteps(), bar.getMax()));
                        bar.setExtraMessage(String.format(Locale.ROOT, " reward %.3f loss %.3g explore %.2f%s", l.episodeReward(), l.loss(),
                                l.exploration(), Double.isNaN(l.evalScore()) ? "" : String.format(Locale.ROOT, " eval %.3f", l.evalScore())));
                    }
                });
            }
        }
        out.printf(Locale.ROOT, "trained %d ticks, %d updates in %.1f min%n", r.envSteps(), r.updates(), r.wallSeconds() / 60);
        for (var m : r.models()) {
            out.println("model: " + m.file());
        }
        out.println("report: " + r.report() + "; log: " + r.log() + "; curves: " + r.curves());
        return 0;
    }
}
