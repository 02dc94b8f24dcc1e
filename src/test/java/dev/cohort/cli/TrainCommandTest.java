package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cohort.learn.LearnTests;
import dev.cohort.policy.DjlRuntime;
import dev.cohort.policy.OnnxPolicy;
import dev.cohort.policy.Role;
import dev.cohort.policy.baseline.Baselines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort train} end to end on a tiny configuration: log, curves, checkpoint, report and loadable models. */
@Tag("pytorch")
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsExportsAndReports() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        String batchOnly = LearnTests.resource("batch-only.yaml").toString();
        Path cfg = dir.resolve("tiny.yaml");
        Files.writeString(cfg, """
                algorithm: awrq
                seed: 5
                scenarios: {colocation: 1, "%s": 1}
                episodeTicks: 40
                chunkTicks: 20
                budget: {envSteps: 160}
                network: {hidden: 8}
                mixer: {embed: 8, hypernetHidden: 8, gruHidden: 8}
                learning: {batchChunks: 4, warmupChunks: 2, episodesPerIteration: 1, updatesPerIteration: 2}
                evaluation: {every: 2, scenarios: [colocation], seeds: 3, seconds: 2}
                out: "%s"
                export: "%s"
                """.formatted(batchOnly, dir.resolve("run"), dir.resolve("models")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "train", "--config", cfg.toString(), "--no-progress");
        assertEquals(0, code, err.toString());
        Path run = dir.resolve("run");
        assertEquals(4, Files.readAllLines(run.resolve("train.jsonl")).size(), "one line per iteration");
        byte[] png = Files.readAllBytes(run.resolve("learning-curves.png"));
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        assertTrue(Files.size(run.resolve("checkpoint.bin")) > 0);
        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("| colocation |"), report);
        assertTrue(report.contains("training"), "the export was checked against the training forward: " + report);
        assertTrue(out.toString().contains("model: "), out.toString());
        // colocation has core, memory and quota agents: all three models, loadable by the agent's runtime
        try (OnnxPolicy p = OnnxPolicy.load("t", dir.resolve("models"), Baselines.create("performance"), Map.of())) {
            assertEquals(java.util.Set.of(Role.CORE, Role.MEMORY, Role.QUOTA), p.modelRoles());
            assertEquals("awrq", p.contract(Role.CORE).orElseThrow().algorithm());
            assertTrue(p.contract(Role.CORE).orElseThrow().provenance().reward().startsWith("alpha=30,"));
        }
    }

    @Test
    void aBadConfigurationExitsOneNamingTheKey() throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "algorithm: qmix\nscenarios: [steady]\nmixer: {embedding: 32}\n");
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "train", "--config", cfg.toString());
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("cohort: bad.yaml: mixer.embedding: unknown key (allowed here: embed, hypernetHidden, gruHidden)"),
                err.toString());
    }
}
