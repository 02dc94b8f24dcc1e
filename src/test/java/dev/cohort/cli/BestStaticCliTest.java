package dev.cohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.platform.CohortException;
import dev.cohort.policy.Policies;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --policy best-static} through the CLI on a two-second scenario without batch work (frequency alone: 11 points,
 * each run in full on the five search seeds), with its own cache directory.
 */
class BestStaticCliTest {
    @TempDir
    Path dir;

    private Path scenario() throws Exception {
        Path p = dir.resolve("short.yaml");
        Files.writeString(p, """
                name: short
                description: One service on four cores for two seconds.
                durationSeconds: 2
                tickMillis: 100
                stepMicros: 1000
                machine:
                  sockets: 1
                  coresPerSocket: 4
                services:
                  - name: web
                    cpus: 0-3
                    sloMicros: 6000
                    sloQuantile: 0.99
                    request:
                      cycles: 750000
                      llcMisses: 2941
                      ipc: 1.5
                    arrivals:
                      profile: constant
                      load: 0.4
                """);
        return p;
    }

    private SimulateEvaluateCommandTest.Out run(String... args) {
        return SimulateEvaluateCommandTest.run(args);
    }

    @Test
    void simulateAndEvaluateRunBestStaticUnderItsOwnName() throws Exception {
        Path sc = scenario();
        String cache = dir.resolve("cache").toString();
        var sim = run("simulate", "--scenario", sc.toString(), "--policy", "best-static", "--best-static-cache", cache);
        assertEquals(0, sim.code(), sim.err());
        assertTrue(sim.out().startsWith("scenario short, policy best-static, seed 1:"), sim.out());
        assertTrue(sim.out().matches("(?s).*\nbest-static on short = static:core=[0-9.]+ \\(core \\d+/10; searched on seeds 1000–1004\\)\n"),
                sim.out());
        assertTrue(sim.err().contains("best-static: searching short"), sim.err());
        try (var files = Files.list(Path.of(cache))) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().matches("short-[0-9a-f]{16}\\.json")).count());
        }

        Path out = dir.resolve("eval");
        var ev = run("evaluate", "--scenarios", sc.toString(), "--policies", "schedutil,best-static", "--seeds", "2", "--out",
                out.toString(), "--best-static-cache", cache, "--no-progress");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(!ev.err().contains("searching"), "kept from simulate: " + ev.err());
        assertTrue(ev.out().contains("\n| best-static |"), ev.out());
        String note = sim.out().substring(sim.out().indexOf("best-static on short")).strip();
        assertTrue(ev.out().contains(note), ev.out());
        assertTrue(Files.readString(out.resolve("summary.md")).contains(note));
        assertTrue(Files.readString(out.resolve("runs.csv")).contains("\nshort,best-static,1,"));

        var shown = run("best-static", "--scenarios", sc.toString(), "--best-static-cache", cache, "--top", "3");
        assertEquals(0, shown.code(), shown.err());
        assertTrue(shown.out().startsWith("short: static:core="), shown.out());
        assertTrue(shown.out().contains("all 11 points run in full on seeds 1000–1004"), shown.out());
        assertTrue(shown.out().contains("read from " + cache), shown.out());
        assertEquals(3, shown.out().lines().filter(l -> l.matches(" +\\d +static:core=.*")).count(), shown.out());
    }

    @Test
    void outsideTheSimulatorBestStaticIsOneClearLine() throws Exception {
        CohortException e = org.junit.jupiter.api.Assertions.assertThrows(CohortException.class,
                () -> Policies.create("best-static", dev.cohort.harness.SimHarness.machine(dev.cohort.platform.sim.Scenarios.builtIn("steady"), 1).topology()));
        assertTrue(e.getMessage().contains("only on the simulated machine"), e.getMessage());

        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "paths: {state_dir: " + dir.resolve("run") + ", journal: " + dir.resolve("j.jsonl") + "}\n"
                + "backend: sim\nmetrics: {enabled: false}\npolicy:\n  core: best-static\n");
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "run", "--config", cfg.toString());
        assertEquals(1, code, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("cohort: " + cfg + ":5: policy.core: policy 'best-static' exists only on the simulated machine"),
                err.toString());
    }
}
