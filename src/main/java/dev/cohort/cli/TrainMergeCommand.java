package dev.cohort.cli;

import dev.cohort.learn.train.SweepMerge;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort train merge DIR... --out DIR}: a training sweep's finished runs in one comparison. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Compares the finished runs of a training sweep ('cohort train --sweep FILE [--shard K/N]').",
                "Reads each run's result.json from the sweep's directories (one, or one per shard) and writes comparison.md "
                        + "(per run: algorithm, seed, ticks, updates, wall time, mean reward per validation scenario, the bar; "
                        + "per configuration: the mean over its seeds with a 95%% interval) and comparison.csv (per run and "
                        + "validation scenario: reward, energy, ticks over the SLO, best-effort work, the bar).",
                "Refuses directories of different sweeps, a run finished in two of them, and runs that have not finished."})
final class TrainMergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "The sweep's directories (its out, as each shard wrote it).")
    List<Path> dirs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the comparison.")
    Path out;

    @Override
    public Integer call() throws Exception {
        OutputPaths.directory("--out", out);
        SweepMerge.Merged m = SweepMerge.merge(dirs, out);
        var w = spec.commandLine().getOut();
        w.print(java.nio.file.Files.readString(m.written().getFirst()));
        w.println("merged " + m.runs().size() + " runs: " + m.written().getFirst() + ", " + m.written().get(1));
        return 0;
    }
}
