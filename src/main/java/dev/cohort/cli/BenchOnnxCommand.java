package dev.cohort.cli;

import dev.cohort.control.ControllerConfig;
import dev.cohort.learn.onnx.AgentNetwork;
import dev.cohort.learn.onnx.InitialModels;
import dev.cohort.policy.ActionSpace;
import dev.cohort.policy.OnnxBenchmark;
import dev.cohort.platform.Readable;
import dev.cohort.policy.OnnxPolicy;
import dev.cohort.policy.Policies;
import dev.cohort.policy.Role;
import dev.cohort.policy.baseline.Baselines;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort bench onnx}: ONNX inference latency per control tick on a synthetic host. */
@Command(name = "onnx", mixinStandardHelpOptions = true, description = {"Times the learned policy's decision per tick (one ONNX Runtime call per role).",
        "Times the shipped models (models/default, as the policy 'learned' uses) unless --models names others; "
                + "--initialised times freshly initialised networks of the default size instead (untrained: latency only)."})
final class BenchOnnxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--models", paramLabel = "DIR", description = "Models directory to time (default: the shipped models in models/default).")
    Path models;

    @Option(names = "--initialised", description = "Time freshly initialised networks of the default size instead of trained ones.")
    boolean initialised;

    @Option(names = "--cpus", defaultValue = "128", description = "Core agents (one per CPU frequency domain). Default: ${DEFAULT-VALUE}.")
    int cpus;

    @Option(names = "--memory-domains", defaultValue = "2", description = "Memory agents. Default: ${DEFAULT-VALUE}.")
    int memoryDomains;

    @Option(names = "--cgroups", defaultValue = "4", description = "Quota agents (best-effort cgroups). Default: ${DEFAULT-VALUE}.")
    int cgroups;

    @Option(names = "--mlp", description = "With --initialised: networks without the GRU cell.")
    boolean mlp;

    @Option(names = "--ticks", defaultValue = "2000", description = "Timed ticks. Default: ${DEFAULT-VALUE}.")
    int ticks;

    @Option(names = "--warmup", defaultValue = "300", description = "Untimed ticks first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Override
    public Integer call() throws Exception {
        var cfg = ControllerConfig.DEFAULT;
        Map<Role, ActionSpace> spaces = Map.of(Role.CORE, new ActionSpace(Role.CORE, cfg.coreLevels()),
                Role.MEMORY, new ActionSpace(Role.MEMORY, 10), Role.QUOTA, new ActionSpace(Role.QUOTA, cfg.quotaLevels()));
        if (initialised && models != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--initialised and --models exclude each other");
        }
        Path dir = initialised ? null : models != null ? models : Policies.defaultModelsDir();
        if (dir == null) {
            dir = Files.createTempDirectory("cohort-bench");
            InitialModels.write(dir, spaces, !mlp, AgentNetwork.DEFAULT_HIDDEN, 1);
        }
        OnnxBenchmark.Result r;
        try (OnnxPolicy p = OnnxPolicy.load("bench", dir, Baselines.create("performance"), spaces)) {
            r = OnnxBenchmark.run(p, spaces, Map.of(Role.CORE, cpus, Role.MEMORY, memoryDomains, Role.QUOTA, cgroups),
                    warmup, ticks, 7);
        } finally {
            if (initialised) {
                try (var files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("models: %s%n", initialised ? (mlp ? "initialised MLP " : "initialised GRU ") + "agents, hidden "
                + AgentNetwork.DEFAULT_HIDDEN + " (untrained)" : dir);
        out.printf("agents: core %d, memory %d, quota %d; %s ticks after %s warm-up%n", cpus, memoryDomains, cgroups,
                Readable.count(ticks), Readable.count(warmup));
        out.printf("per tick: median %s, p99 %s, mean %s, max %s%n", Readable.micros(r.medianUs()), Readable.micros(r.p99Us()),
                Readable.micros(r.meanUs()), Readable.micros(r.maxUs()));
        return 0;
    }
}
