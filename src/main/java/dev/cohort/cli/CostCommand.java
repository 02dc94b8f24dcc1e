package dev.cohort.cli;

import dev.cohort.balance.cost.CostConfig;
import dev.cohort.balance.cost.CostEvaluation;
import dev.cohort.balance.cost.CostModel;
import dev.cohort.balance.cost.CostTraining;
import dev.cohort.balance.cost.JournalSamples;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort cost}: the cost (power) estimator that stands in for RAPL and prices candidate actions. */
@Command(name = "cost", mixinStandardHelpOptions = true, description = "Train and evaluate the cost (power) estimator "
        + "(docs/balance.md, \"Cost estimator\").", subcommands = {CostCommand.Train.class, CostCommand.Evaluate.class})
final class CostCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code cohort cost train [CONFIG] --out DIR [--journal FILE...]}. */
    @Command(name = "train", mixinStandardHelpOptions = true, description = {"Train the cost estimator (an MMoE-DCN) and its "
            + "linear baseline, and export both to DIR (cost.onnx, checked in ONNX Runtime against the training forward; "
            + "linear.txt): the next tick's power for a candidate action. Then the same for the interval model "
            + "(interval.onnx, linear-interval.txt): the power of the tick an observation describes, from its own counters, "
            + "which stands in for RAPL.", "From simulator rollouts as CONFIG says, or from a host's journal (--journal): ticks that "
            + "recorded observations and measured package power."})
    static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CONFIG", arity = "0..1", description = "Configuration (default: configs/cost/default.yaml).")
        Path config = Path.of("configs/cost/default.yaml");

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the model goes, e.g. models/cost.")
        Path out;

        @Option(names = "--journal", paramLabel = "FILE", arity = "1..*", description = "Train from these journals (JSON "
                + "Lines, .gz too) instead of the simulator; the configuration's network and training sections still apply.")
        List<Path> journals;

        @Option(names = "--episodes", paramLabel = "N", description = "Override the configuration's episodes (quick runs).")
        Integer episodes;

        @Option(names = "--epochs", paramLabel = "N", description = "Override the configuration's epochs (quick runs).")
        Integer epochs;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            CostConfig cfg = CostConfig.load(config);
            if (episodes != null || epochs != null) {
                cfg = cfg.scaled(episodes == null ? cfg.episodes() : Math.max(1, episodes), epochs == null ? cfg.epochs()
                        : Math.max(1, epochs), cfg.evalTicks());
            }
            java.util.function.Consumer<String> progress = s -> {
                err.println("cost train: " + s);
                err.flush();
            };
            List<dev.cohort.balance.cost.CostSample> fromJournals = journals == null ? null : JournalSamples.read(journals);
            StopSignals signals = StopSignals.install(err, "cost train: ",
                    "stopping at the next episode or epoch (nothing is written");
            CostTraining.Summary s;
            try {
                s = fromJournals == null ? CostTraining.fromSimulator(cfg, out, progress, signals.flag()::get)
                        : CostTraining.fromSamples(cfg, fromJournals, String.join(" ", journals.stream().map(Path::toString)
                        .toList()), out, progress, signals.flag()::get);
            } catch (java.util.concurrent.CancellationException e) {
                err.println("cost train: " + e.getMessage() + " by " + signals.name() + "; nothing written to " + out);
                err.flush();
                return signals.exitCode();
            }
            PrintWriter o = spec.commandLine().getOut();
            o.printf(java.util.Locale.ROOT, "cost model: %s (%d samples, %d rows, final loss %.5f, ONNX Runtime vs training "
                    + "forward max |diff| %.1e, %d s)%n", s.dir().resolve(CostModel.FILE), s.samples(), s.rows(), s.loss(),
                    s.exportDiff(), s.seconds());
            if (!Double.isNaN(s.intervalLoss())) {
                o.printf(java.util.Locale.ROOT, "interval model (stands in for RAPL): %s (final loss %.5f, max |diff| %.1e)%n",
                        s.dir().resolve(dev.cohort.balance.cost.CostContract.Target.INTERVAL.file()), s.intervalLoss(),
                        s.intervalExportDiff());
            }
            o.flush();
            return 0;
        }
    }

    /** {@code cohort cost evaluate [CONFIG] [--model DIR]}. */
    @Command(name = "evaluate", mixinStandardHelpOptions = true, description = {"Evaluate a cost model and its linear baseline "
            + "per tick on the configuration's held-out scenarios and seeds: package power MAPE and MAE, and the error of the "
            + "predicted power difference between two candidate actions from the same state (pairs at least 2 W apart, truth "
            + "from the simulator's snapshots); the interval model (and its linear baseline) on each tick's own observation."})
    static final class Evaluate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CONFIG", arity = "0..1", description = "Configuration (default: configs/cost/default.yaml).")
        Path config = Path.of("configs/cost/default.yaml");

        @Option(names = "--model", paramLabel = "DIR", description = "The cost model directory (default: models/cost).")
        Path model;

        @Option(names = "--ticks", paramLabel = "N", description = "Override the configuration's ticks per episode.")
        Integer ticks;

        @Option(names = "--json", description = "Print the figures as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CostConfig cfg = CostConfig.load(config);
            if (ticks != null) {
                cfg = cfg.scaled(cfg.episodes(), cfg.epochs(), Math.max(10, ticks));
            }
            Path dir = model == null ? CostModel.defaultDir() : model;
            CostEvaluation.Report r = CostEvaluation.run(cfg, dir);
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                o.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
            } else {
                o.print(r.table());
            }
            o.flush();
            return 0;
        }
    }
}
