package dev.cohort.cli;

import dev.cohort.platform.Readable;
import dev.cohort.platform.linux.SampleBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort bench sample}: the time of one full {@code sample()} of the Linux backend. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Times LinuxPlatform.sample() after a warm-up and prints the median, p99 and maximum.",
                "Reads this host by default, a captured tree with --root, or a generated fake tree with --fake-cpus."})
public final class BenchSampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--root", paramLabel = "DIR", description = "Sample the tree under DIR.")
        Path root;

        @Option(names = "--fake-cpus", paramLabel = "N", description = "Sample a generated fake tree with N CPUs (2 sockets, intel_pstate, RAPL, resctrl, cgroup v2).")
        Integer fakeCpus;
    }

    @ArgGroup(exclusive = true)
    Source source = new Source();

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "2000", description = "Timed samples (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws Exception {
        if (iterations < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--iterations must be at least 1, got " + iterations);
        }
        SampleBench.Result r = source.fakeCpus != null ? SampleBench.fakeTree(source.fakeCpus, iterations)
                : SampleBench.tree(source.root == null ? Path.of("/") : source.root, iterations);
        // formatted here from the figures (SampleBench's own toString writes "us")
        spec.commandLine().getOut().printf("sample() of %s: %d CPUs, %d signals, %s iterations: median %s, p99 %s, max %s%n",
                r.what(), r.cpus(), r.signals(), Readable.count(r.iterations()), Readable.micros(r.medianUs()),
                Readable.micros(r.p99Us()), Readable.micros(r.maxUs()));
        return 0;
    }
}
