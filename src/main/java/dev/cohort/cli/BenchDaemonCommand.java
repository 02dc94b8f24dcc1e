package dev.cohort.cli;

import dev.cohort.service.DaemonBench;
import dev.cohort.service.config.Units;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cohort bench daemon}: the whole daemon on the simulated machine, and what it costs. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Measures the whole daemon on the simulated machine: tick time, CPU share, memory.",
                "Runs the daemon (journal, metrics, status socket, control loop) on a simulated machine in real time and prints tick p50/p99/max (simulator step excluded), CPU share of one core and resident memory."})
public final class BenchDaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "large", description = "Built-in scenario or YAML file (default: ${DEFAULT-VALUE}, 128 CPUs).")
    String scenario;

    @Option(names = "--seconds", defaultValue = "60", description = "Measured time after the warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up seconds not measured (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--period", defaultValue = "100ms", description = "Control period (default: ${DEFAULT-VALUE}).")
    String period;

    @Option(names = "--policy", defaultValue = "slo-guard", description = "Policy for every role (default: ${DEFAULT-VALUE}).")
    String policy;

    @Override
    public Integer call() throws Exception {
        if (seconds <= 0 || warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--seconds must be positive and --warmup not negative");
        }
        long p;
        try {
            p = Units.nanos(period);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--period: " + e.getMessage());
        }
        var quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        spec.commandLine().getOut().println(DaemonBench.run(scenario, p, seconds, warmup, policy, quiet));
        return 0;
    }
}
