package dev.cohort.cli;

import dev.cohort.platform.Readable;
import dev.cohort.platform.linux.ApplyBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort bench apply}: the time of one {@code apply()} of the Linux backend that changes every domain. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Times LinuxPlatform.apply() on a generated fake tree when every knob changes at once.",
                "Every frequency domain and the best-effort quota change in each apply: each knob is checked for a hand "
                        + "change, announced in the state file, written and read back. Runs with the state file on /dev/shm "
                        + "(a tmpfs, as /run/cohort is) and with the state in memory."})
public final class BenchApplyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--fake-cpus", paramLabel = "N", defaultValue = "128", description = "CPUs of the generated tree (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "500", description = "Timed applies (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws Exception {
        if (iterations < 1 || cpus < 1 || cpus > 4096) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--iterations must be at least 1 and --fake-cpus 1..4096");
        }
        for (ApplyBench.Result r : ApplyBench.fakeTree(cpus, iterations)) {
            // formatted here from the figures (ApplyBench's own toString writes "us")
            spec.commandLine().getOut().printf("apply() of %d knob writes on a %d-CPU fake tree, state %s: %s iterations: "
                            + "median %s (%s a knob), p99 %s, max %s%n", r.knobs(), r.cpus(), r.store(), Readable.count(r.iterations()),
                    Readable.micros(r.medianUs()), Readable.micros(r.medianUs() / r.knobs()), Readable.micros(r.p99Us()),
                    Readable.micros(r.maxUs()));
        }
        return 0;
    }
}
