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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code cohort train} end to end on a tiny configuration: log, curves, checkpoint, report and loadable models. */
@Tag("pytorch")
class TrainCommandTest {
    @TempDir
    Path dir;

    /** A tiny AWRQ run's configuration, {@code awrq} its section. */
    private Path tiny(String name, String awrq) throws Exception {
        String batchOnly = LearnTests.resource("batch-only.yaml").toString();
        Path cfg = dir.resolve(name + ".yaml");
        Files.writeString(cfg, """
                algorithm: awrq
                seed: 5
                scenarios: {colocation: 1, "%s": 1}
                lambda: [1, 3]
                episodeTicks: 40
                chunkTicks: 20
                budget: {envSteps: 160}
                network: {hidden: 8}
                mixer: {embed: 8, hypernetHidden: 8}
                awrq: %s
                learning: {batchChunks: 4, warmupChunks: 2, episodesPerIteration: 1, updatesPerIteration: 2}
                evaluation: {every: 2, scenarios: [colocation], seeds: 3, seconds: 2, bestStatic: false}
                reward: {alpha: 25}
                out: "%s"
                export: "%s"
                """.formatted(batchOnly, awrq, dir.resolve(name), dir.resolve(name + "-models")));
        return cfg;
    }

    @Test
    void trainsExportsAndReports() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path cfg = tiny("run", "{heads: 3}");
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
        assertTrue(report.contains("training") && report.contains("acting"),
                "the export was checked against the training and the acting forward: " + report);
        assertTrue(out.toString().contains("model: "), out.toString());
        // colocation has core, memory and quota agents: all three models, loadable by the agent's runtime
        try (OnnxPolicy p = OnnxPolicy.load("t", dir.resolve("run-models"), Baselines.create("performance"), Map.of())) {
            assertEquals(java.util.Set.of(Role.CORE, Role.MEMORY, Role.QUOTA), p.modelRoles());
            assertEquals("awrq", p.contract(Role.CORE).orElseThrow().algorithm());
            assertTrue(p.contract(Role.CORE).orElseThrow().provenance().reward().equals("alpha=25,beta=1,gamma=0.1,delta=2"),
                    "the configuration's weights, not the defaults");
            assertEquals(100, p.contract(Role.CORE).orElseThrow().tickMillis(), "the tick period it was trained at");
            assertEquals(List.of(1.0, 3.0), List.of(p.contract(Role.CORE).orElseThrow().lambdaLow(),
                    p.contract(Role.CORE).orElseThrow().lambdaHigh()), "the λ range its episodes were drawn from");
        }
        // at another tick period the model is refused before any run, naming the fix
        Path slow = dir.resolve("slow.yaml");
        Files.writeString(slow, Files.readString(Path.of("configs/scenarios/colocation.yaml"))
                .replace("name: colocation", "name: slow").replace("tickMillis: 100", "tickMillis: 200"));
        StringWriter eout = new StringWriter();
        StringWriter eerr = new StringWriter();
        int ecode = Main.run(new PrintWriter(eout), new PrintWriter(eerr), "evaluate", "--scenarios", slow.toString(),
                "--policies", "onnx:" + dir.resolve("run-models"), "--seeds", "1", "--out", dir.resolve("ev").toString(), "--no-progress");
        assertEquals(1, ecode, eout.toString());
        assertTrue(eerr.toString().contains("trained at a 100 ms tick, not 200 ms") && eerr.toString().strip().lines().count() == 1,
                eerr.toString());
    }

    @Test
    void trainsOverTheWidenedDistribution() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path cfg = dir.resolve("wide.yaml");
        Files.writeString(cfg, """
                algorithm: qmix
                seed: 3
                scenarios: {colocation: 1, trace: 1, configs/scenarios/train/bursty-colocation.yaml: 1, configs/scenarios/train/two-socket.yaml: 1}
                variation:
                  load: 0.2
                  machineSizes: [1x4, 1x8, 1x16, 1x32, 2x8, 2x16]
                  sloRange: [0.5, 2]
                  loadScale: [0.6, 1.3]
                  batchMix: {asWritten: 2, none: 1, cpu: 1, stream: 1, both: 1}
                  burstyShare: 0.5
                episodeTicks: 20
                chunkTicks: 10
                budget: {envSteps: 160}
                network: {hidden: 8}
                mixer: {embed: 8, hypernetHidden: 8}
                learning: {batchChunks: 4, warmupChunks: 2, episodesPerIteration: 2, updatesPerIteration: 1}
                evaluation: {every: 2, scenarios: [colocation, configs/scenarios/train/bursty-colocation.yaml], seeds: 3-4, seconds: 1}
                out: "%s"
                export: "%s"
                """.formatted(dir.resolve("wide-run"), dir.resolve("wide-models")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "train", "--config", cfg.toString(), "--no-progress");
        assertEquals(0, code, err.toString());
        assertEquals(4, Files.readAllLines(dir.resolve("wide-run/train.jsonl")).size(), "one line per iteration");
        String report = Files.readString(dir.resolve("wide-run/report.md"));
        assertTrue(report.contains("machines 1x4, 1x8, 1x16, 1x32, 2x8, 2x16") && report.contains("| bursty-colocation |"), report);
        // best-static is one of the bar's rivals, from the results shipped for these scenarios (no search in a test)
        assertTrue(!err.toString().contains("searching") && !out.toString().contains("best-static: searching"), out + "\n" + err);
        assertTrue(report.matches("(?s).*- rivals of the bar \\(paired over the validation seeds\\): performance, .*slo-guard, best-static\n.*"),
                report);
        // the held-out scenarios stay out, refused before any work in one line
        Files.writeString(cfg, Files.readString(cfg).replace("colocation: 1, trace: 1", "colocation: 1, configs/scenarios/heldout/loose-slo.yaml: 1"));
        StringWriter herr = new StringWriter();
        assertEquals(1, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(herr), "train", "--config", cfg.toString(),
                "--no-progress"));
        assertTrue(herr.toString().startsWith("cohort: wide.yaml:3: scenarios: 'configs/scenarios/heldout/loose-slo.yaml' is a held-out")
                && herr.toString().strip().lines().count() == 1, herr.toString());
    }

    /** MaRCA's ablations, and QMIX-style training through the mixer, train and export as AWRQ does. */
    @ParameterizedTest
    @ValueSource(strings = {"{heads: 3, adaptiveWeighting: false}", "{heads: 3, vgca: false}", "{heads: 3, mixerTrainsAgents: true}"})
    void awrqAblationsTrainAndExport(String awrq) throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path cfg = tiny("ablation", awrq);
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "train", "--config", cfg.toString(),
                "--no-progress");
        assertEquals(0, code, err.toString());
        assertEquals(4, Files.readAllLines(dir.resolve("ablation").resolve("train.jsonl")).size());
        assertTrue(Files.readString(dir.resolve("ablation-models").resolve("config.yaml")).contains("awrq: " + awrq));
        try (OnnxPolicy p = OnnxPolicy.load("t", dir.resolve("ablation-models"), Baselines.create("performance"), Map.of())) {
            assertEquals(java.util.Set.of(Role.CORE, Role.MEMORY, Role.QUOTA), p.modelRoles());
        }
    }

    @Test
    void aBadConfigurationExitsOneNamingTheKey() throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "algorithm: qmix\nscenarios: [steady]\nmixer: {embedding: 32}\n");
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "train", "--config", cfg.toString());
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("cohort: bad.yaml:3: mixer.embedding: unknown key (allowed here: embed, hypernetHidden)"),
                err.toString());
    }

    /** {@code train pairs} on a run it cannot read, or with options it does not know: one line each, naming the fix. */
    @Test
    void trainPairsRefusesInOneLine() throws Exception {
        Path cfg = tiny("nopairs", "{heads: 3}");
        Map<List<String>, String> cases = Map.of(
                List.of("--by", "load"), "cohort: --by: util, slack, spread, step, peak, slo-factor, load-scale or arrivals, got 'load'",
                List.of("--role", "cpu"), "cohort: --role: unknown role 'cpu' (allowed: core, memory, quota)",
                List.of(), "cohort: the configuration has no learning.pairedAdvantage: its runs keep no pairs");
        for (var c : cases.entrySet()) {
            StringWriter err = new StringWriter();
            List<String> args = new java.util.ArrayList<>(List.of("train", "pairs", "--config", cfg.toString()));
            args.addAll(c.getKey());
            int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(String[]::new));
            assertEquals(c.getKey().isEmpty() ? 1 : 2, code, err.toString());
            assertEquals(c.getValue(), err.toString().lines().findFirst().orElse(""), err.toString());
        }
    }

    /**
     * SIGTERM (kill, systemd, a pod's eviction) stops a run as Ctrl-C does: after the iteration under way, with a
     * checkpoint to resume from and exit code 143; not with the JVM exiting under libtorch, which crashed it.
     */
    @Test
    void sigtermStopsAtTheNextIterationWithACheckpoint() throws Exception {
        assumeTrue(DjlRuntime.hasPyTorch(), "DJL's PyTorch engine is not on the class path");
        Path cfg = tiny("term", "{heads: 3}");
        Files.writeString(cfg, Files.readString(cfg).replace("budget: {envSteps: 160}", "budget: {envSteps: 10000000, wallMinutes: 10}"));
        CliProcess p = CliProcess.start(dir.resolve("term.log"), "train", "--config", cfg.toString(), "--no-progress");
        Path checkpoint = dir.resolve("term").resolve("checkpoint.bin");
        // the first iteration writes a checkpoint: the learner is at work from here on
        assertTrue(p.awaitWhileAlive(() -> Files.exists(checkpoint)), "still training when signalled: " + p.output());
        int code = p.terminate();
        String out = p.output();
        assertEquals(143, code, out);
        assertTrue(out.contains("train: SIGTERM: stopping after this iteration"), out);
        assertTrue(out.contains("stopped after ") && out.contains("--resume"), out);
        assertTrue(!out.contains("fatal error"), out);
        assertTrue(Files.size(checkpoint) > 0);
    }
}
