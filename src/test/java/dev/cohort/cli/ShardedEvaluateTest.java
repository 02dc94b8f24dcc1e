package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three shards of an evaluation, each its own JVM running the CLI as a Kubernetes pod would, merged: the same
 * runs.csv, tables, JSON, verdicts, oracle shares and plots, byte for byte, as one unsharded run. Never skipped: it
 * needs nothing this build does not have.
 */
class ShardedEvaluateTest {
    private static final List<String> GRID = List.of("--scenarios", "steady,colocation", "--policies",
            "schedutil,learned,best-static,oracle", "--seeds", "3", "--duration", "2s", "--no-progress", "--threads", "1");

    private static final List<String> FILES = List.of("runs.csv", "summary.md", "summary.csv", "summary.json", "verdicts.csv",
            "verdicts.json", "oracle-gain.csv", "energy-vs-p99-steady.png", "timeline-steady.png", "energy-vs-p99-colocation.png",
            "timeline-colocation.png");

    @TempDir
    Path dir;

    /** The CLI in a JVM of its own, with the flags bin/cohort gives it; its output in {@code log}. */
    private Process cli(Path log, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                "dev.cohort.cli.Main"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void threeShardsInSeparateProcessesMergeIntoTheUnshardedRun() throws Exception {
        Path shards = dir.resolve("shards");
        List<Process> ps = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            List<String> args = new ArrayList<>(List.of("evaluate", "--shard", k + "/3", "--out", shards.toString()));
            args.addAll(GRID);
            ps.add(cli(dir.resolve("shard" + k + ".log"), args));
        }
        for (int k = 0; k < 3; k++) {
            Process p = ps.get(k);
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), "shard " + k + " did not finish");
            String log = Files.readString(dir.resolve("shard" + k + ".log"));
            assertEquals(0, p.exitValue(), log);
            assertTrue(log.contains("shard " + k + "/3: 8 of 24 runs in "), log);
            assertTrue(Files.isRegularFile(shards.resolve("shard-" + k + "-of-3.json")), log);
        }
        assertTrue(!Files.exists(shards.resolve("runs.csv")), "a shard writes its runs only; the tables come from the merge");

        Path whole = dir.resolve("whole");
        List<String> args = new ArrayList<>(List.of("evaluate", "--out", whole.toString()));
        args.addAll(GRID);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new)), err.toString());

        Path merged = dir.resolve("merged");
        StringWriter mout = new StringWriter();
        StringWriter merr = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(mout), new PrintWriter(merr), "evaluate", "merge", shards.toString(), "--out",
                merged.toString()), merr.toString());
        assertTrue(mout.toString().contains("merged 3 shards, 24 runs"), mout.toString());

        for (String f : FILES) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(merged.resolve(f)), f + " differs");
        }
        String table = Files.readString(merged.resolve("summary.md"));
        assertTrue(table.contains("oracle gain share") && table.contains("**") && table.contains("best-static on colocation = static:"),
                "the merge recomputed the oracle shares and the verdicts and kept best-static's levels:\n" + table);
        assertEquals(25, Files.readAllLines(merged.resolve("runs.csv")).size(), "a header and 24 runs");
    }
}
