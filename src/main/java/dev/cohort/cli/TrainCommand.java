package dev.cohort.cli;

import dev.cohort.platform.Readable;
import dev.cohort.learn.train.IterationLog;
import dev.cohort.learn.train.TrainConfig;
import dev.cohort.learn.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort train --config FILE}: multi-agent training on the simulated machine, then ONNX export. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains the agents on the simulated machine with the algorithm and settings of a configuration file.",
                "The configuration (configs/iql.yaml, vdn.yaml, qmix.yaml, awrq.yaml, maddpg.yaml; keys in docs/training.md) "
                        + "names the algorithm, the scenarios and the budget; the greedy policy is evaluated on held-out seeds as "
                        + "training goes.",
                "The run directory (the configuration's out key) receives train.jsonl (one line per iteration), "
                        + "learning-curves.png, checkpoint.bin and report.md. One ONNX model per role goes to the export "
                        + "directory the configuration names (its export key), or to models/ inside the run directory when it "
                        + "names none.",
                "A run directory that already holds a run is refused: --resume continues it, --force starts over. So is "
                        + "any directory holding files cohort did not write (--force overrides).",
                "Ctrl-C stops at the next iteration with a checkpoint, to --resume later.",
                "Needs the training class path (DJL's PyTorch engine): run it as bin/cohort train."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training configuration (YAML).")
    Path config;

    @Option(names = "--resume", description = "Continue from the run directory's checkpoint (same configuration; the budget may be raised).")
    boolean resume;

    @Option(names = "--force", description = "Train over a previous run in the run directory (deleting its log, checkpoint and "
            + "report), or into a run or export directory holding files cohort did not write for this run.")
    boolean force;

    @Option(names = "--out", paramLabel = "DIR", description = "The run directory, instead of the configuration's out key; the models then go "
            + "to DIR/models unless --export is given.")
    Path outDir;

    @Option(names = "--export", paramLabel = "DIR", description = "Where the ONNX models go, instead of the configuration's export key.")
    Path exportDir;

    @Option(names = "--env-steps", paramLabel = "N", description = "Environment ticks to train, instead of the configuration's budget.envSteps.")
    Long envSteps;

    @Option(names = "--wall-minutes", paramLabel = "M", description = "Wall-clock minutes to train at most, instead of the configuration's "
            + "budget.wallMinutes (0: no limit).")
    Double wallMinutes;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        TrainConfig cfg = TrainConfig.load(config);
        if (envSteps != null || wallMinutes != null) {
            cfg = cfg.withBudget(envSteps == null ? cfg.envSteps() : envSteps, wallMinutes == null ? cfg.wallMinutes() : wallMinutes);
        }
        if (outDir != null || exportDir != null) {
            cfg = cfg.withOut(outDir == null ? cfg.out() : outDir, exportDir != null ? exportDir : outDir != null ? null : cfg.exportDir());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.printf("training %s from %s into %s (budget: %s ticks%s)%n", cfg.algorithm().id(), config, cfg.out(),
                Readable.count(cfg.envSteps()), cfg.wallMinutes() > 0 ? " or " + Readable.seconds(cfg.wallMinutes() * 60) : "");
        out.flush();
        Trainer.Result r;
        AtomicBoolean stop = new AtomicBoolean();
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> {
            if (!stop.getAndSet(true)) {
                err.println();
                err.println("train: stopping after this iteration (checkpoint, then exit; Ctrl-C again to kill)");
                err.flush();
            } else {
                Runtime.getRuntime().halt(130);
            }
        });
        if (noProgress) {
            r = Trainer.run(cfg, resume, force, new Trainer.Listener() {
                @Override
                public void message(String text) {
                    err.println("train: " + text);
                    err.flush();
                }

                @Override
                public boolean stopRequested() {
                    return stop.get();
                }
            });
        } else {
            try (ProgressBar bar = ProgressBars.training(cfg.algorithm().id(), cfg.envSteps())) {
                r = Trainer.run(cfg, resume, force, new Trainer.Listener() {
                    @Override
                    public void message(String text) {
                        bar.setExtraMessage(" " + text);
                    }

                    @Override
                    public boolean stopRequested() {
                        return stop.get();
                    }

                    @Override
                    public void iteration(IterationLog l) {
                        bar.stepTo(Math.min(l.envSteps(), bar.getMax()));
                        bar.setExtraMessage(" reward " + Readable.number(l.episodeReward()) + " loss " + Readable.number(l.loss())
                                + " explore " + Readable.share(l.exploration())
                                + (Double.isNaN(l.evalScore()) ? "" : " eval " + Readable.number(l.evalScore())));
                    }
                });
            }
        }
        if (r.stopped()) {
            out.printf(Locale.ROOT, "stopped after %s ticks, %s updates in %s: checkpoint in %s; continue with "
                    + "cohort train --config %s --resume%n", Readable.count(r.envSteps()), Readable.count(r.updates()),
                    Readable.seconds(r.wallSeconds()), r.out(), config);
            return 130;
        }
        out.printf(Locale.ROOT, "trained %s ticks, %s updates in %s%n", Readable.count(r.envSteps()), Readable.count(r.updates()),
                Readable.seconds(r.wallSeconds()));
        for (var m : r.models()) {
            out.println("model: " + m.file());
        }
        out.println("report: " + r.report() + "; log: " + r.log() + "; curves: " + r.curves());
        return 0;
    }
}
