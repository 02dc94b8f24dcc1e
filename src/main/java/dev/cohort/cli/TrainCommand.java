package dev.cohort.cli;

import dev.cohort.platform.Readable;
import dev.cohort.harness.Shard;
import dev.cohort.learn.train.IterationLog;
import dev.cohort.learn.train.Sweep;
import dev.cohort.learn.train.SweepShard;
import dev.cohort.learn.train.TrainConfig;
import dev.cohort.learn.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort train --config FILE}: multi-agent training on the simulated machine, then ONNX export. */
@Command(name = "train", mixinStandardHelpOptions = true, subcommands = {TrainMergeCommand.class, TrainPairsCommand.class},
        description = {"Trains the agents on the simulated machine with the algorithm and settings of a configuration file.",
                "The configuration (configs/iql.yaml, vdn.yaml, qmix.yaml, awrq.yaml, maddpg.yaml; keys in docs/training.md) "
                        + "names the algorithm, the scenarios and the budget; the greedy policy is evaluated on held-out seeds as "
                        + "training goes.",
                "The run directory (the configuration's out key) receives train.jsonl (one line per iteration), "
                        + "learning-curves.png, checkpoint.bin, report.md and, once finished, result.json. One ONNX model per "
                        + "role goes to the export "
                        + "directory the configuration names (its export key), or to models/ inside the run directory when it "
                        + "names none.",
                "A run directory that already holds a run is refused: --resume continues it, --force starts over. So is "
                        + "any directory holding files cohort did not write (--force overrides).",
                "Ctrl-C or SIGTERM stops at the next iteration with a checkpoint, to --resume later (exit code 130 or 143); "
                        + "a second one kills.",
                "With --sweep FILE it trains a sweep's runs instead (configurations × seeds, each in a directory of its own "
                        + "under the sweep's out); --shard K/N trains only the K-th of N slices of them, skips runs that "
                        + "finished and resumes stopped ones; 'cohort train merge' compares the finished runs (docs/fleet.md).",
                "Needs the training class path (DJL's PyTorch engine): run it as bin/cohort train."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Training configuration (YAML); this or --sweep is required.")
    Path config;

    @Option(names = "--sweep", paramLabel = "FILE", description = "A sweep file (configurations × seeds, e.g. configs/sweeps/algorithms.yaml): "
            + "train its runs.")
    Path sweep;

    @Option(names = "--shard", paramLabel = "K/N", description = "With --sweep: train only slice K of N of its runs (0 ≤ K < N; index/N "
            + "takes K from $JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job sets it).")
    String shardText;

    @Option(names = "--resume", description = "Continue from the run directory's checkpoint (same configuration; the budget may be raised).")
    boolean resume;

    @Option(names = "--force", description = "Train over a previous run in the run directory (deleting its log, checkpoint and "
            + "report), or into a run or export directory holding files cohort did not write for this run.")
    boolean force;

    @Option(names = "--out", paramLabel = "DIR", description = "The run directory, instead of the configuration's out key; the models then go "
            + "to DIR/models unless --export is given. With --sweep, the sweep's directory instead of the sweep file's out key.")
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
        if ((config == null) == (sweep == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), config == null
                    ? "Missing required option: '--config=FILE' (or '--sweep=FILE' for a sweep)"
                    : "--config and --sweep exclude each other: give one");
        }
        if (sweep != null) {
            return sweep();
        }
        if (shardText != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--shard slices a sweep: give it with --sweep FILE");
        }
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
        StopSignals signals = StopSignals.install(err, "train: ");
        AtomicBoolean stop = signals.flag();
        if (noProgress) {
            r = Trainer.run(cfg, resume, force, lines(err, "train: ", stop));
        } else {
            boolean terminal = ProgressBars.terminal();
            try (ProgressBar bar = ProgressBars.training(cfg.algorithm().id(), cfg.envSteps())) {
                r = Trainer.run(cfg, resume, force, new Trainer.Listener() {
                    @Override
                    public void message(String text) {
                        if (terminal) {
                            bar.setExtraMessage(" " + text);
                        } else { // a log keeps every message (the bar's own line is every 30 s and shows the last)
                            err.println("train: " + text);
                            err.flush();
                        }
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
            return signals.exitCode();
        }
        out.printf(Locale.ROOT, "trained %s ticks, %s updates in %s%n", Readable.count(r.envSteps()), Readable.count(r.updates()),
                Readable.seconds(r.wallSeconds()));
        for (var m : r.models()) {
            out.println("model: " + m.file());
        }
        out.println("report: " + r.report() + "; log: " + r.log() + "; curves: " + r.curves());
        return 0;
    }

    /** A listener that prints each message on its own line after {@code prefix}. */
    private static Trainer.Listener lines(PrintWriter err, String prefix, AtomicBoolean stop) {
        return new Trainer.Listener() {
            @Override
            public void message(String text) {
                err.println(prefix + text);
                err.flush();
            }

            @Override
            public boolean stopRequested() {
                return stop.get();
            }
        };
    }

    /** {@code --sweep}: the slice's runs one after the other, each reported in one line. */
    private int sweep() {
        Shard shard = shardText == null ? Shard.ALL : Shard.parse("--shard", shardText, System.getenv());
        if (resume || force || exportDir != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--resume, --force and --export do not apply to "
                    + "--sweep: a sweep resumes stopped runs and skips finished ones by itself, and keeps each run's models in it");
        }
        Sweep sw = Sweep.load(sweep);
        if (outDir != null) {
            sw = sw.withOut(outDir);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Sweep.Run> slice = SweepShard.slice(sw, shard, envSteps);
        out.printf("sweep %s%s: %d of %d runs into %s%n", sweep, shard.whole() ? "" : " shard " + shard, slice.size(),
                sw.runs().size(), sw.out());
        out.flush();
        StopSignals signals = StopSignals.install(err, "train: ");
        AtomicBoolean stop = signals.flag();
        long start = System.nanoTime();
        List<SweepShard.Outcome> done = SweepShard.run(sw, shard, envSteps, wallMinutes, r -> lines(err, r.name() + ": ", stop));
        for (SweepShard.Outcome o : done) {
            out.println(o.run().name() + ": " + o.status().toString().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + (o.result() == null ? "" : ", " + Readable.count(o.result().envSteps()) + " ticks in "
                    + Readable.seconds(o.result().wallSeconds())) + "; " + sw.dir(o.run()));
        }
        if (!done.isEmpty() && done.getLast().status() == SweepShard.Status.STOPPED) {
            out.println("stopped: run the same command again to carry on");
            return signals.exitCode();
        }
        out.println("shard done in " + Readable.seconds((System.nanoTime() - start) / 1e9) + "; when every shard is done: "
                + "cohort train merge " + sw.out() + " --out DIR");
        return 0;
    }
}
