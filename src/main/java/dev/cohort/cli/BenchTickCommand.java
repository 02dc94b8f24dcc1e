package dev.cohort.cli;

import dev.cohort.eval.Benchmarks;
import dev.cohort.platform.sim.Scenarios;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort bench tick}: the control tick's own cost, the simulator's step excluded. */
@Command(name = "tick", mixinStandardHelpOptions = true,
        description = {"Times the control tick on the simulated machine, the simulator's own step excluded.",
                "The tick is sample, encode, decide, govern, apply and reward; it prints the p50, p99 and maximum tick time."})
public final class BenchTickCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "large", paramLabel = "NAME|FILE", description = "Scenario (default: ${DEFAULT-VALUE}, 128 CPUs).")
    String scenario;

    @Option(names = "--policy", defaultValue = "schedutil", description = "Policy (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--ticks", defaultValue = "5000", description = "Timed ticks (default: ${DEFAULT-VALUE}).")
    int ticks;

    @Option(names = "--warmup", defaultValue = "2000", description = "Untimed ticks first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() {
        if (ticks < 1 || warmup < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ticks must be at least 1 and --warmup not negative");
        }
        spec.commandLine().getOut().println(Benchmarks.tick(Scenarios.resolve(scenario), policy, warmup, ticks));
        return 0;
    }
}
