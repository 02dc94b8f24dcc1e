package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.policy.DjlRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort bench train}: one line of figures per way of collecting, nothing left behind, usage errors in one line. */
@Tag("pytorch")
class BenchTrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void timesEachWayOfCollectingAndKeepsNothing() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path out = dir.resolve("run");
        Path cfg = dir.resolve("tiny.yaml");
        Files.writeString(cfg, """
                algorithm: vdn
                seed: 2
                scenarios: {colocation: 1, membw: 1}
                episodeTicks: 20
                chunkTicks: 10
                network: {hidden: 8}
                learning: {batchChunks: 2, warmupChunks: 2, episodesPerIteration: 2, updatesPerIteration: 1}
                out: "%s"
                """.formatted(out));
        var r = DoctorAndBenchCommandTest.run("bench", "train", "--config", cfg.toString(), "--iterations", "2",
                "--collection", "sequential,lockstep", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        // warm after one iteration (4 chunks), and 3 more: 4 untimed, then 2 timed iterations of 2 × 20 ticks
        String figures = "80 ticks and 2 updates in [0-9.]+ s \\(2 iterations after 4\\): collected \\d+ ticks/s, [0-9.]+ updates/s, "
                + "overall \\d+ ticks/s; load average ([0-9.]+|NaN) -> ([0-9.]+|NaN)";
        assertTrue(lines[0].matches("tiny\\.yaml, sequential, 1 collector thread: " + figures), lines[0]);
        assertTrue(lines[1].matches("tiny\\.yaml, lockstep, 2 collector threads: " + figures), lines[1]);
        assertTrue(!Files.exists(out), "the benchmark writes nothing where the configuration's run would go");
        var bad = DoctorAndBenchCommandTest.run("bench", "train", "--config", cfg.toString(), "--collection", "parallel");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--collection: 'parallel' is neither sequential nor lockstep"), bad.err());
        assertEquals(2, DoctorAndBenchCommandTest.run("bench", "train", "--config", cfg.toString(), "--threads", "0").code());
    }
}
