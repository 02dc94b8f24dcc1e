package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.policy.DjlRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --sweep --shard} and {@code train merge} on two tiny configurations × two seeds. */
@Tag("pytorch")
class TrainSweepTest {
    @TempDir
    Path dir;

    record Out(int code, String out, String err) {
    }

    static Out run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Out(code, out.toString(), err.toString());
    }

    private Path config(String algorithm) throws Exception {
        Path cfg = dir.resolve(algorithm + ".yaml");
        Files.writeString(cfg, """
                algorithm: %s
                seed: 5
                scenarios: {colocation: 1}
                episodeTicks: 40
                chunkTicks: 20
                budget: {envSteps: 80}
                network: {hidden: 8}
                learning: {batchChunks: 4, warmupChunks: 2, episodesPerIteration: 1, updatesPerIteration: 1}
                evaluation: {every: 2, scenarios: [colocation], seeds: 3, seconds: 1, bestStatic: false}
                """.formatted(algorithm));
        return cfg;
    }

    private Path sweep(String name, String seeds) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "configs: [" + config("iql") + ", " + config("vdn") + "]\nseeds: " + seeds + "\nout: " + dir.resolve("sweep") + "\n");
        return f;
    }

    @Test
    void shardsTrainDisjointRunsAndTheMergeComparesThemAll() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path sweep = sweep("sweep.yaml", "1-2");
        Out zero = run("train", "--sweep", sweep.toString(), "--shard", "0/2");
        assertEquals(0, zero.code(), zero.err());
        assertTrue(zero.out().contains("shard 0/2: 2 of 4 runs"), zero.out());

        // half the sweep: the merge names what has not finished
        Out early = run("train", "merge", dir.resolve("sweep").toString(), "--out", dir.resolve("cmp").toString());
        assertEquals(1, early.code());
        assertTrue(early.err().contains("2 runs have (iql-seed2, vdn-seed2) not finished (no result.json)"), early.err());

        Out one = run("train", "--sweep", sweep.toString(), "--shard", "1/2");
        assertEquals(0, one.code(), one.err());
        for (String r : List.of("iql-seed1", "iql-seed2", "vdn-seed1", "vdn-seed2")) {
            Path run = dir.resolve("sweep").resolve(r);
            for (String f : List.of("train.jsonl", "report.md", "learning-curves.png", "checkpoint.bin", "result.json")) {
                assertTrue(Files.isRegularFile(run.resolve(f)), r + " holds its own " + f);
            }
            assertTrue(Files.list(run.resolve("models")).anyMatch(p -> p.toString().endsWith(".onnx")), r + " holds its models");
        }
        assertTrue(Files.readString(dir.resolve("sweep/vdn-seed2/result.json")).contains("\"seed\" : 2"), "the sweep's seed, not the file's");

        Out again = run("train", "--sweep", sweep.toString(), "--shard", "0/2");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("iql-seed1: already finished"), "a shard run again skips what finished: " + again.out());

        Out merged = run("train", "merge", dir.resolve("sweep").toString(), "--out", dir.resolve("cmp").toString());
        assertEquals(0, merged.code(), merged.err());
        List<String> csv = Files.readAllLines(dir.resolve("cmp/comparison.csv"));
        assertEquals(5, csv.size(), "a header and one line per run and validation scenario: " + csv);
        assertTrue(csv.get(1).startsWith("iql-seed1,iql,") && csv.get(4).startsWith("vdn-seed2,vdn,"), csv.toString());
        assertTrue(csv.stream().skip(1).allMatch(l -> l.contains(",80,") && l.contains(",colocation,")), csv.toString());
        String md = Files.readString(dir.resolve("cmp/comparison.md"));
        assertTrue(md.contains("| vdn-seed2 | vdn | 2 | 80 |") && md.contains("## Per configuration"), md);
    }

    @Test
    void refusesAnotherSweepInTheSameDirectoryAndMisusedOptions() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path sweep = sweep("sweep.yaml", "1");
        Path other = sweep("other.yaml", "1-3");
        Files.createDirectories(dir.resolve("sweep"));
        Out a = run("train", "--sweep", sweep.toString(), "--shard", "1/2");
        assertEquals(0, a.code(), a.err());
        Out b = run("train", "--sweep", other.toString(), "--shard", "5/6");
        assertEquals(1, b.code());
        assertTrue(b.err().contains("sweep.json describes another sweep"), b.err());

        Out noSweep = run("train", "--config", dir.resolve("iql.yaml").toString(), "--shard", "0/2");
        assertEquals(2, noSweep.code());
        assertTrue(noSweep.err().contains("--shard slices a sweep: give it with --sweep FILE"), noSweep.err());
        Out both = run("train", "--config", dir.resolve("iql.yaml").toString(), "--sweep", sweep.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--config and --sweep exclude each other"), both.err());
        Out none = run("train");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("Missing required option: '--config=FILE'"), none.err());
        Out badShard = run("train", "--sweep", sweep.toString(), "--shard", "2/2");
        assertEquals(1, badShard.code());
        assertEquals("cohort: --shard '2/2': K is 2, but shards count from 0 to N−1 = 1; give K/N with 0 ≤ K < N, e.g. --shard 0/3, "
                + "or index/N to take K from JOB_COMPLETION_INDEX", badShard.err().strip());
    }
}
