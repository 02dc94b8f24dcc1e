package dev.cohort.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cohort bench}: micro-benchmarks of cohort's hot paths, one subcommand each. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks of cohort's hot paths.",
        subcommands = {BenchSimCommand.class, BenchTickCommand.class, BenchSampleCommand.class, BenchOnnxCommand.class, BenchBalancerCommand.class,
                BenchDaemonCommand.class, BenchApplyCommand.class, BenchTrainCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
