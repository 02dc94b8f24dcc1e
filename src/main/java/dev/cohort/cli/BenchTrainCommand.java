package dev.cohort.cli;

import dev.cohort.learn.train.TrainBench;
import dev.cohort.learn.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cohort bench train}: the training loop's collected ticks, updates and overall ticks per second. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Times a training configuration's loop (collection beside the learner's updates) over a fixed number "
                + "of iterations, without evaluations, baselines or demonstrations, and prints collected ticks/s (over the "
                + "collector's busy time), updates/s (over the learner's) and overall ticks/s (over wall-clock time), with the "
                + "load average before and after.",
                "Each --collection and --threads combination runs in turn, back to back; nothing is kept."})
public final class BenchTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training configuration (YAML).")
    Path config;

    @Option(names = "--iterations", defaultValue = "40", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed iterations first (default: until the replay is warm, and 3 more).")
    Integer warmup;

    @Option(names = "--collection", split = ",", defaultValue = "lockstep", paramLabel = "HOW",
            description = "sequential (episodes one after another), lockstep (together, one forward pass per role per tick), "
                    + "or both, comma-separated, timed in that order (default: ${DEFAULT-VALUE}).")
    List<String> collection;

    @Option(names = "--threads", split = ",", paramLabel = "N",
            description = "Collector threads for lockstep, comma-separated to time several (default: the configuration's "
                    + "learning.collectorThreads).")
    List<Integer> threads;

    @Option(names = "--batch-by-agents", description = "Time with learning.batchByAgents on, whatever the file says "
            + "(batches of one machine size, no padding; changes what is learned).")
    boolean batchByAgents;

    @Override
    public Integer call() {
        if (iterations < 1 || (warmup != null && warmup < 0)) {
            throw new ParameterException(spec.commandLine(), "--iterations must be at least 1 and --warmup not negative");
        }
        List<TrainBench.Collection> ways = collection.stream().map(this::collection).toList();
        TrainConfig loaded = TrainConfig.load(config);
        TrainConfig cfg = batchByAgents ? loaded.forTiming(loaded.out(), loaded.collectorThreads(), true) : loaded;
        List<Integer> counts = threads == null ? List.of(cfg.collectorThreads()) : threads;
        if (counts.stream().anyMatch(t -> t < 1 || t > 64)) {
            throw new ParameterException(spec.commandLine(), "--threads must be 1 to 64, got " + counts);
        }
        int w = warmup == null ? TrainBench.defaultWarmup(cfg) : warmup;
        PrintWriter out = spec.commandLine().getOut();
        for (TrainBench.Collection way : ways) {
            for (int t : way == TrainBench.Collection.SEQUENTIAL ? List.of(1) : counts) {
                out.println(TrainBench.run(cfg, way, t, w, iterations).text());
                out.flush();
            }
        }
        return 0;
    }

    private TrainBench.Collection collection(String name) {
        return switch (name.strip()) {
            case "sequential" -> TrainBench.Collection.SEQUENTIAL;
            case "lockstep" -> TrainBench.Collection.LOCKSTEP;
            default -> throw new ParameterException(spec.commandLine(), "--collection: '" + name
                    + "' is neither sequential nor lockstep");
        };
    }
}
