package dev.cohort.learn.train;

import dev.cohort.learn.LearnTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny training configurations that run in a few seconds. */
final class TrainTests {
    private TrainTests() {
    }

    /** A configuration file in {@code dir} for {@code algorithm}, output under {@code dir/<name>}. */
    static Path config(Path dir, String name, String algorithm, long envSteps, String extra) throws IOException {
        return config(dir, name, algorithm, envSteps, extra, "episodesPerIteration: 1");
    }

    /** The same with {@code learning} keys of its own ({@code episodesPerIteration} among them). */
    static Path config(Path dir, String name, String algorithm, long envSteps, String extra, String learning) throws IOException {
        String batchOnly = LearnTests.resource("batch-only.yaml").toString();
        String text = """
                algorithm: %s
                seed: 3
                scenarios: {"%s": 1, colocation: 1}
                variation: {load: 0.2, slo: 0.1, batch: 0.2}
                episodeTicks: 40
                chunkTicks: 20
                budget: {envSteps: %d}
                network: {hidden: 8}
                mixer: {embed: 8, hypernetHidden: 8}
                critic: {hidden: 16}
                learning: {batchChunks: 4, warmupChunks: 4, replayChunks: 50, %s, updatesPerIteration: 2, targetInterval: 3}
                exploration: {annealSteps: 200}
                evaluation: {every: 2, scenarios: ["%s"], seeds: 7, seconds: 1, bar: false}
                checkpointEvery: 3
                out: "%s"
                %s
                """.formatted(algorithm, batchOnly, envSteps, learning, batchOnly, dir.resolve(name), extra);
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, text);
        return f;
    }
}
