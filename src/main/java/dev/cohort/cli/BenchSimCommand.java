package dev.cohort.cli;

import dev.cohort.eval.Benchmarks;
import dev.cohort.platform.sim.Scenarios;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort bench sim}: simulator speed in core-steps per second on one thread. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Times the simulated machine on one thread after a warm-up and prints core-steps per second (steps × CPUs).")
public final class BenchSimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "large", paramLabel = "NAME|FILE", description = "Scenario (default: ${DEFAULT-VALUE}, 128 CPUs).")
    String scenario;

    @Option(names = "--seconds", defaultValue = "120", description = "Simulated seconds to time (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "30", description = "Simulated seconds of warm-up (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Override
    public Integer call() {
        if (seconds <= 0 || warmup < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--seconds must be positive and --warmup not negative");
        }
        spec.commandLine().getOut().println(Benchmarks.sim(Scenarios.resolve(scenario), warmup, seconds));
        return 0;
    }
}
