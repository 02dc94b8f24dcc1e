package dev.cohort.learn.train;

import dev.cohort.platform.CohortException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code cohort bench train}: the training loop's speed for a configuration. Runs the configuration's iterations
 * ({@link TrainingRun}, two threads: collection beside the updates) in a scratch directory, without evaluations,
 * the bar's baselines or demonstrations, and times {@code iterations} of them after {@code warmup} (the replay filling
 * and the JIT warming). Nothing it writes is kept.
 */
public final class TrainBench {
    /** How an iteration's episodes are collected. */
    public enum Collection {
        /** One after another, one forward pass per role per episode tick (before lockstep collection). */
        SEQUENTIAL,
        /** Together, one forward pass per role per tick over all their agents. */
        LOCKSTEP
    }

    /**
     * The figures of one timing.
     *
     * @param config                the configuration file's name
     * @param collection            how episodes were collected
     * @param collectorThreads      threads stepping the environments in lockstep (1 for sequential)
     * @param warmup                iterations run before the timed ones
     * @param iterations            timed iterations
     * @param ticks                 environment ticks collected in the timed iterations
     * @param updates               learner updates in the timed iterations
     * @param wallSeconds           wall-clock time of the timed iterations
     * @param collectedTicksPerSecond ticks over the collector's busy time
     * @param updatesPerSecond      updates over the learner's busy time
     * @param overallTicksPerSecond ticks over the wall-clock time (what a run's budget buys)
     * @param loadBefore            the host's 1-minute load average before the warm-up (NaN where unknown)
     * @param loadAfter             the same after the timed iterations
     */
    public record Result(String config, Collection collection, int collectorThreads, int warmup, int iterations, long ticks,
                         long updates, double wallSeconds, double collectedTicksPerSecond, double updatesPerSecond,
                         double overallTicksPerSecond, double loadBefore, double loadAfter) {
        /** One line for the terminal. */
        public String text() {
            return String.format(Locale.ROOT, "%s, %s, %d collector thread%s: %d ticks and %d updates in %.1f s (%d iterations "
                            + "after %d): collected %.0f ticks/s, %.2f updates/s, overall %.0f ticks/s; load average %.1f -> %.1f",
                    config, collection.name().toLowerCase(Locale.ROOT), collectorThreads, collectorThreads == 1 ? "" : "s", ticks,
                    updates, wallSeconds, iterations, warmup, collectedTicksPerSecond, updatesPerSecond, overallTicksPerSecond,
                    loadBefore, loadAfter);
        }
    }

    private TrainBench() {
    }

    /**
     * The iterations to run before timing: until the replay is warm (the first update), and three more for the JIT.
     */
    public static int defaultWarmup(TrainConfig cfg) {
        int chunksPerIteration = cfg.episodesPerIteration() * (cfg.episodeTicks() / cfg.chunkTicks());
        return (cfg.warmupChunks() + chunksPerIteration - 1) / chunksPerIteration + 3;
    }

    /**
     * Times {@code cfg}'s training loop.
     *
     * @param warmup           untimed iterations first (not negative)
     * @param iterations       timed iterations (at least 1)
     * @param collectorThreads threads stepping the environments in lockstep (ignored when sequential)
     * @throws CohortException when the scratch directory cannot be made or written
     */
    public static Result run(TrainConfig cfg, Collection collection, int collectorThreads, int warmup, int iterations) {
        if (warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("warmup must not be negative and iterations at least 1");
        }
        int threads = collection == Collection.SEQUENTIAL ? 1 : collectorThreads;
        Path scratch;
        try {
            scratch = Files.createTempDirectory("cohort-bench-train");
        } catch (IOException e) {
            throw new CohortException("cannot create a scratch directory for the benchmark: " + e.getMessage(), e);
        }
        double loadBefore = loadAverage();
        List<IterationLog> log;
        try {
            TrainConfig timed = cfg.forTiming(scratch.resolve("run"), threads, cfg.batchByAgents());
            try (RunDirectory dir = RunDirectory.open(timed.out(), timed.exportDir(), false, false)) {
                TrainingRun run = new TrainingRun(timed, new Trainer.Listener() {
                }, dir);
                run.prepare(false);
                log = run.time(warmup + iterations, collection == Collection.SEQUENTIAL);
            }
        } finally {
            delete(scratch);
        }
        double loadAfter = loadAverage();
        String name = cfg.source().getFileName() + (cfg.batchByAgents() ? " (batchByAgents)" : "");
        return figures(name, collection, threads, warmup, log, loadBefore, loadAfter);
    }

    /** The figures of the iterations after {@code warmup} in {@code log}: work over busy time, ticks over wall time. */
    static Result figures(String config, Collection collection, int threads, int warmup, List<IterationLog> log, double loadBefore,
                          double loadAfter) {
        IterationLog before = warmup == 0 ? null : log.get(warmup - 1);
        List<IterationLog> timed = log.subList(warmup, log.size());
        double[] rates = IterationLog.busyRates(timed, before);
        long ticks = log.getLast().envSteps() - (before == null ? 0 : before.envSteps());
        long updates = log.getLast().updates() - (before == null ? 0 : before.updates());
        double wall = log.getLast().wallSeconds() - (before == null ? 0 : before.wallSeconds());
        return new Result(config, collection, threads, warmup, timed.size(), ticks, updates, wall, rates[0], rates[1], ticks / wall,
                loadBefore, loadAfter);
    }

    private static double loadAverage() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? Double.NaN : l;
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a scratch directory under the temporary directory left behind is harmless
        }
    }
}
