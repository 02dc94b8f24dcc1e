package dev.cohort.cli;

import dev.cohort.eval.Report;
import dev.cohort.eval.Results;
import dev.cohort.eval.ShardMerge;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cohort evaluate merge DIR... --out DIR}: the shards of a sharded evaluation, merged into one run's results. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merges the shards of 'cohort evaluate --shard K/N' into exactly what one unsharded run writes.",
                "Reads every shard-K-of-N.json in the given directories and writes runs.csv (the same rows in the same order), "
                        + "summary.md/csv/json, verdicts.csv/json, oracle-gain.csv and the plots, every cross-policy figure "
                        + "(intervals, paired differences, Pareto verdicts, oracle shares) recomputed from the merged runs.",
                "Refuses, naming the files, shards of different grids or settings, a shard given twice, overlapping shards and "
                        + "missing shards."})
final class EvaluateMergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Directories holding shard files (a shard's --out; one may hold several).")
    List<Path> dirs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the merged results.")
    Path out;

    @Override
    public Integer call() throws Exception {
        OutputPaths.directory("--out", out);
        ShardMerge.Merged m = ShardMerge.merge(dirs);
        List<Path> plots = Results.write(m.summary(), out);
        var w = spec.commandLine().getOut();
        w.print(Report.markdown(m.summary()));
        w.println("merged " + m.files().size() + " shards, " + m.summary().runs().size() + " runs; results: " + out.resolve("summary.md")
                + ", summary.csv, summary.json, runs.csv; plots: " + plots.size() + " PNG files in " + out);
        return 0;
    }
}
